from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.text.sentences import english_sentences, rule_sentences


def _rule(text: str, lang: str = "en", **kw) -> list[str]:
    return [text[s:e] for s, e in rule_sentences(text, 0, len(text), lang, **kw)]


def _english(text: str, model_cuts: list[str]) -> list[str]:
    """english_sentences with the model starting a sentence before each of model_cuts."""
    starts = [text.index(cut) for cut in model_cuts]
    return [text[s:e] for s, e in english_sentences(text, 0, len(text), starts)]


def test_abbreviations_initials_and_acronyms():
    assert _rule("I live in the U.S. How about you?") == ["I live in the U.S.", "How about you?"]
    assert _rule("I work for the U.S. Government in Virginia.") == ["I work for the U.S. Government in Virginia."]
    assert _rule("My name is Jonas E. Smith. He is here.") == ["My name is Jonas E. Smith.", "He is here."]


def test_list_markers_start_the_item_they_number():
    assert _rule("1. The first item. 2. The second item.") == ["1. The first item.", "2. The second item."]
    assert _rule("1) The first item 2) The second item") == ["1) The first item", "2) The second item"]
    assert _rule("• 9. The first item • 10. The second item") == ["• 9. The first item", "• 10. The second item"]


def test_ellipses_and_informal_punctuation():
    assert _rule("I never meant that.... She left the store.") == ["I never meant that....", "She left the store."]
    assert _rule("We went to the Home Depot.. what a place. Hello?? Who is there?") == [
        "We went to the Home Depot.. what a place.",
        "Hello??",
        "Who is there?",
    ]


def test_times_and_numbered_abbreviations_do_not_end_sentences():
    text = "The berm collapsed about 1:30 a.m. Sunday. Water rose (Jan. 4) and see No. 5 too."
    assert _rule(text) == ["The berm collapsed about 1:30 a.m. Sunday.", "Water rose (Jan. 4) and see No. 5 too."]


def test_glued_sentences_are_cut_in_english_and_where_a_sentence_is_too_long():
    text = "It was closed by the police.Protesters left, said the AFP.Officials said nothing."
    assert _english(text, []) == ["It was closed by the police.", "Protesters left, said the AFP.", "Officials said nothing."]
    text = "selon la police nationale.Ronds-points occupés, a dit l’AFP.Homme brillant."
    assert _rule(text, "fr") == [text]
    assert _rule(text, "fr", max_chars=40) == ["selon la police nationale.", "Ronds-points occupés, a dit l’AFP.", "Homme brillant."]
    text = "Her email is Jane.Doe@example.com. Visit Newsfeed.Com now, Mr.Smith."
    assert _english(text, []) == ["Her email is Jane.Doe@example.com.", "Visit Newsfeed.Com now, Mr.Smith."]


def test_no_sentence_starts_at_a_closing_quote():
    text = "Il a dit: «\u00a0Nous restons.\u00a0»Lundi, la ministre a répondu.\u00a0«\u00a0Non.\u00a0»"
    found = _rule(text, "fr")
    assert not any(s.startswith("»") for s in found) and "".join("".join(found).split()) == "".join(text.split())
    assert _rule(text, "fr", max_chars=40) == [
        "Il a dit: «\u00a0Nous restons.\u00a0»",
        "Lundi, la ministre a répondu.",
        "«\u00a0Non.\u00a0»",
    ]


def test_an_unbalanced_quote_does_not_swallow_the_paragraph():
    sentence = "El ministro habló durante una hora sobre la economía del país y sus problemas."
    text = "Dijo que “es un golpe enorme\" para todos. " + " ".join([sentence] * 30)
    found = _rule(text, "es", max_chars=500)
    assert max(len(s) for s in found) <= 500
    assert found[-1] == sentence


def test_languages_pysbd_lacks_get_its_english_rules():
    assert _rule("Hallitus esitti budjetin. Dupont äänesti vastaan.", "fi") == [
        "Hallitus esitti budjetin.",
        "Dupont äänesti vastaan.",
    ]
    assert _rule("O governo apresentou o orçamento. O Sr. Silva votou contra.", "pt") == [
        "O governo apresentou o orçamento.",
        "O Sr. Silva votou contra.",
    ]
    assert _rule("政府在周二宣布了新的预算。议会将在下周讨论。", "zh") == ["政府在周二宣布了新的预算。", "议会将在下周讨论。"]


def test_model_cuts_after_titles_and_before_lower_case_need_pysbd():
    text = "The felony charge stands, Capt. Mike Salomonsky said. She works at Yahoo! in the accounting department."
    assert _english(text, ["Mike", "She", "in the"]) == [
        "The felony charge stands, Capt. Mike Salomonsky said.",
        "She works at Yahoo! in the accounting department.",
    ]


def test_model_cuts_without_punctuation_stand():
    text = "Great food and cheap prices Every time we go the staff is friendly"
    assert _english(text, ["Every"]) == ["Great food and cheap prices", "Every time we go the staff is friendly"]
    text = "This place is awesome! it was worth the ride"
    assert _english(text, ["it was"]) == ["This place is awesome!", "it was worth the ride"]


def test_model_cuts_inside_a_token_or_at_an_emoticon_do_not_stand():
    text = '"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).'
    assert _english(text, ["...] used"]) == [text]
    text = "I love her. :) She is the star of the family :-) Really."
    assert _english(text, [":)", "She"]) == ["I love her. :)", "She is the star of the family :-)", "Really."]


def test_pysbd_adds_what_the_model_misses():
    text = "I live in the E.U. How about you? a. The first item b. The second item"
    assert _english(text, []) == ["I live in the E.U.", "How about you?", "a. The first item", "b. The second item"]


# ---- any input: exact offsets, in order, covering the text -----------------------------

_ALPHABET = st.sampled_from(
    list("aAbBzZ01 9") + [" ", " ", "  ", "\n", "\u00a0", ".", ".", "!", "?", "…", "...", ". . .", "«", "»", "“", "”",
                          '"', "'", "(", ")", "[", "]", "1.", "a.", "•", "Mr.", "U.S.", ":)", "***", "。", "é",
                          "\u0301", "@", "/", "Dr", "Jan. 4", "p.m. Monday"]
)


def _check(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    assert all(start <= s < e <= end for s, e in spans)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))  # in order, never overlapping
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()  # stripped, so start/end index real text
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(i in covered for i in range(start, end) if not text[i].isspace())  # nothing lost


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_ALPHABET, max_size=60).map("".join),
    st.lists(st.integers(min_value=0, max_value=200), max_size=12),
    st.integers(min_value=0, max_value=5),
    st.integers(min_value=1, max_value=400),
)
def test_offsets_are_exact_and_cover_the_text_for_any_input(text, model_starts, margin, max_chars):
    start, end = min(margin, len(text)), max(min(margin, len(text)), len(text) - margin)
    starts = [start + s for s in model_starts if start + s <= end]
    _check(text, start, end, english_sentences(text, start, end, starts))
    for lang in ("en", "fr", "fi", "th"):
        _check(text, start, end, rule_sentences(text, start, end, lang, max_chars=max_chars))


def test_scripts_pysbd_lacks_and_space_separated_languages():
    assert _rule("সরকার বাজেট পেশ করেছে। সংসদ আগামী সপ্তাহে আলোচনা করবে।", "bn") == [
        "সরকার বাজেট পেশ করেছে।",
        "সংসদ আগামী সপ্তাহে আলোচনা করবে।",
    ]
    assert _rule("รัฐบาลเสนองบประมาณ รัฐสภาจะอภิปรายสัปดาห์หน้า", "th") == ["รัฐบาลเสนองบประมาณ", "รัฐสภาจะอภิปรายสัปดาห์หน้า"]
