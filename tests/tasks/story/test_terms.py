from tasks.story.terms import document_terms, entity_counts, is_notice, word_counts

ARCHIVE = (
    "These crawls are part of an effort to archive pages as they are created and archive the pages that they "
    "refer to. That way, as the pages that are referenced are changed or taken from the web, a link to the "
    "version that was live when the page was written will be preserved. The goal is to fix all broken links "
    "on the web . Crawls of supported \"No More 404\" sites."
)


def test_web_archive_and_script_notices_are_not_articles():
    assert is_notice(ARCHIVE)
    assert is_notice("Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive. "
                     "Flowing in every day, these data are added to the Wayback Machine after an embargo period.")
    assert is_notice("JavaScript is disabled\n\nYou need to enable JavaScript to use SoundCloud")


def test_an_article_that_mentions_a_notice_is_an_article():
    article = (
        "The Internet Archive said on Monday that its Wayback Machine had saved 800 billion pages. "
        "The library in San Francisco asked publishers to keep their old links alive. "
        "Critics said the goal is to fix all broken links on the web. "
        "Its founder Brewster Kahle said donations doubled this year, and that the archive would open a new "
        "data centre in Canada to keep a copy of its collections outside the United States."
    )
    assert not is_notice(article)
    assert not is_notice("")
    assert not is_notice(None)


def test_content_words_fold_plurals_but_not_names():
    counts = word_counts("The senators met the Davis family's lawyers. Senators said the lawyers' cities agreed.", "en")
    assert counts["senator"] == 2 and counts["lawyer"] == 2 and counts["city"] == 1
    assert counts["davis"] == 1 and "davi" not in counts  # written with a capital: not folded
    assert "the" not in counts and "met" in counts and "family" in counts


def test_names_and_surnames_of_people():
    counts = entity_counts([("Nicole Hockley", "PERSON"), ("Hockley", "PERSON"), ("the Senate", "ORG"), ("Monday", "DATE")])
    assert counts == {"e:nicole hockley": 1, "e:hockley": 2, "e:senate": 1}


def test_rare_words_weigh_more_and_the_cap_keeps_the_heaviest():
    terms = document_terms("Tulowitzki said people were happy. People said Tulowitzki was happy.", "en",
                           [("Tulowitzki", "PERSON")])
    assert terms["tulowitzki"] > terms["people"] > 0
    assert terms["e:tulowitzki"] > terms["happy"]
    capped = document_terms("Tulowitzki said people were happy. People said Tulowitzki was happy.", "en",
                            [("Tulowitzki", "PERSON")], max_terms=2)
    assert set(capped) == {"tulowitzki", "e:tulowitzki"}


def test_title_counts_like_text_and_languages_have_their_stop_words():
    assert "bushmaster" in document_terms("Families sued the gun maker.", "en", title="Families sue Bushmaster")
    french = document_terms("Les députés ont voté la loi avec les sénateurs.", "fr")
    assert "les" not in french and "députés" not in french and "député" in french


def test_scripts_without_spaces_give_character_pairs():
    counts = word_counts("北京暴雨，北京停课。iPhone手机", "zh")
    assert counts["北京"] == 2 and counts["暴雨"] == 1 and counts["手机"] == 1 and counts["iphone"] == 1
    assert "北京暴雨" not in counts and "北京停课" not in counts


def test_word_length_and_notice_share_are_settings():
    assert "fed" in word_counts("The Fed raised rates", "en", min_letters=3)
    assert "fed" not in word_counts("The Fed raised rates", "en", min_letters=4)
    half = "These crawls are part of an effort to archive pages. Floods hit the coastal town hard today."
    assert is_notice(half, notice_percent=40) and not is_notice(half, notice_percent=60)
