"""Boilerplate cleaning: the seed gold, conservation of characters, and each rule family."""
import json
from collections import Counter

import pytest

from tasks.text.clean import Cleaned, clean
from tests.conftest import GOLD as GOLD_FILE
from tests.conftest import SEEDS

GOLD = json.loads(GOLD_FILE.read_text(encoding="utf-8"))
SEED_NAMES = sorted(GOLD["documents"])


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def _non_blank(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def assert_conserved(text: str, cleaned: Cleaned | None = None) -> Cleaned:
    """Nothing leaves the text without a RemovedPart.

    Exact on characters: the multiset of non-blank characters of the input equals that
    of the cleaned text plus all removed parts (robust to glued 'View AllThe' and to
    joined lines). Each removed part also sits where it says it does, and removed parts
    of one line do not overlap.
    """
    cleaned = cleaned or clean(text)
    out = _non_blank(cleaned.text)
    for part in cleaned.removed:
        out += _non_blank(part.text)
    assert out == _non_blank(text)
    lines = text.split("\n")
    ends: dict[int, int] = {}
    for part in cleaned.removed:  # sorted by (line_no, col)
        assert part.text and part.text == part.text.strip()
        assert lines[part.line_no - 1][part.col :].startswith(part.text)
        assert part.col >= ends.get(part.line_no, 0)
        ends[part.line_no] = part.col + len(part.text)
    return cleaned


def _paragraphs(cleaned: Cleaned) -> list[str]:
    return [cleaned.text[p.start : p.end] for p in cleaned.paragraphs]


def _headings(cleaned: Cleaned) -> list[str]:
    return [cleaned.text[p.start : p.end] for p in cleaned.paragraphs if p.is_heading]


def _reasons(cleaned: Cleaned) -> list[tuple[str, str]]:
    return [(r.text, r.reason) for r in cleaned.removed]


# ---- gold ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_boilerplate_removed_and_passages_kept(name):
    expected, cleaned = GOLD["documents"][name], clean(_seed(name))
    for item in expected["boilerplate"]:
        assert item not in cleaned.text
    for item in expected["keep"]:
        assert item in cleaned.text


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_headings(name):
    expected, cleaned = GOLD["documents"][name], clean(_seed(name))
    heading_paragraphs = set(_headings(cleaned))
    assert heading_paragraphs == set(expected["headings"])
    for item in expected["headings"]:
        assert item in _paragraphs(cleaned)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_dateline_and_agency(name):
    expected, cleaned = GOLD["documents"][name], clean(_seed(name))
    dateline = expected["dateline"] or {"place": None, "date_text": None}
    assert (cleaned.dateline_place, cleaned.dateline_date) == (dateline["place"], dateline["date_text"])
    assert cleaned.agency == expected["agency"]


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_conservation_and_offsets(name):
    cleaned = assert_conserved(_seed(name))
    assert "\n\n".join(_paragraphs(cleaned)) == cleaned.text
    assert all(p == p.strip() and p for p in _paragraphs(cleaned))


def test_seed_line_parts_keep_the_sentence():
    first = _paragraphs(clean(_seed("000_e2441d34b6dd75dc.txt")))[0]
    assert first.startswith("Ukraine said yesterday")
    reuters = _paragraphs(clean(_seed("003_9dce72718854b690.txt")))[0]
    assert reuters.startswith("Ukraine's military intelligence service said")
    glued = clean(_seed("001_b7ac19652732558c.txt"))
    assert "The treaty is due to be fully ratified by the upper house on November 6." in _paragraphs(glued)


# ---- conservation on hand-made texts ---------------------------------------------------------

HAND_MADE = [
    "",
    "\n\n  \n",
    "Advertisement\nView All\n",
    "By Jane Doe\nLONDON, March 3 (Reuters) - Prices rose.\nRead MoreThe index fell. (Reuters)",
    "  Indented line with trailing spaces.   \n\tTabbed line.\t",
    "Title Of The Story\n\nThe council met on Monday and\nagreed a new budget.\n\nPhoto: AFP\n\nIt passed. — AFP",
]


@pytest.mark.parametrize("text", HAND_MADE)
def test_conservation_on_hand_made_texts(text):
    assert_conserved(text)


def test_all_boilerplate_gives_empty_text():
    cleaned = assert_conserved("Advertisement\nView All\n")
    assert cleaned.text == "" and cleaned.paragraphs == () and len(cleaned.removed) == 2


def test_blank_lines_are_separators_not_removals():
    cleaned = clean("First line here.\n   \n\nSecond line here.")
    assert cleaned.removed == () and _paragraphs(cleaned) == ["First line here.", "Second line here."]


# ---- whole-line rule families -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line,reason",
    [
        ("250% Welcome Bonus up to £1,000", "advertisement"),
        ("100% Match Bonus up to $500 + 50 Free Spins", "advertisement"),
        ("50% Reload Bonus", "advertisement"),
        ("Claim 200 free spins now", "advertisement"),
        ("Advertisement", "advertisement"),
        ("Sponsored", "advertisement"),
        ("Photo: Reuters/Jane Doe", "photo_credit"),
        ("(Photo: EPA-EFE)", "photo_credit"),
        ("Photo from the Korea Herald", "photo_credit"),
        ("Image courtesy of the ministry", "photo_credit"),
        ("Flood waters in Dhaka on Monday © AFP/Munir Uz Zaman", "caption"),
        ("Rescuers search the rubble in Hatay © ANADOLU – Ali Ihsan", "caption"),
        ("Rescuers search the rubble in Hatay (Photo: Reuters)", "caption"),
        ("Copyright © 2024 The Associated Press. All rights reserved.", "copyright"),
        ("© 2023 Yonhap News Agency", "copyright"),
        ("All reproduction rights reserved.", "copyright"),
        ("(With inputs from PTI)", "agency_credit"),
        ("With inputs from Reuters", "agency_credit"),
        ("Reporting by Jane Doe; Editing by John Roe", "byline"),
        ("Edited by Amanda Smith", "byline"),
        ("Written by Kim Min-ji", "byline"),
        ("Read more", "navigation"),
        ("Also read: Seoul weighs arms for Kyiv", "navigation"),
        ("Related Articles", "navigation"),
        ("Post Navigation", "navigation"),
        ("Impact Shorts", "navigation"),
        ("Click here to read the full report", "call_to_action"),
        ("Follow us on Instagram and X", "call_to_action"),
        ("Subscribe to our newsletter", "call_to_action"),
        ("Share this", "share_widget"),
        ("Facebook Twitter WhatsApp Email", "share_widget"),
        ("— AFP", "agency_tag"),
    ],
)
def test_boilerplate_line_families(line, reason):
    text = f"The minister spoke in parliament on Monday.\n{line}\nShe said the budget would pass."
    cleaned = assert_conserved(text)
    assert _reasons(cleaned) == [(line, reason)]
    assert cleaned.text == "The minister spoke in parliament on Monday.\n\nShe said the budget would pass."


def test_byline_only_at_the_top():
    cleaned = assert_conserved("By Jane Doe and Ivan Petrov\nThe mayor resigned on Friday.\nBy Friday evening, a successor was named.")
    assert _reasons(cleaned) == [("By Jane Doe and Ivan Petrov", "byline")]
    late = clean("The mayor resigned.\nShe left.\nHe stayed.\nBy Jane Doe")
    assert late.removed == ()


@pytest.mark.parametrize(
    "line",
    [
        "AFP reported that 20% of the vote had been counted by Monday evening.",
        "About 20% of staff got a bonus this year, the union said.",
        "The photo was taken by a local resident who later shared it with police.",
        "Photos from the scene show the damage.",
        "The casino offered a bonus to every employee, the union said.",
        "Read more about the budget in the ministry's report, officials said.",
        "Edited by a team of volunteers, the encyclopedia grew quickly.",
        "Share prices fell sharply in Seoul.",
        "The company said all rights reserved under the old contract would lapse.",
        "He told Reuters the talks had failed.",
    ],
)
def test_sentences_that_mention_boilerplate_words_stay(line):
    cleaned = clean(f"First sentence of the story.\n{line}\nLast sentence of the story.")
    assert line in _paragraphs(cleaned) and cleaned.removed == ()
    assert cleaned.agency is None


# ---- line parts ------------------------------------------------------------------------------------


def test_glued_navigation_prefix_is_cut():
    cleaned = assert_conserved("Lead sentence here.\nRead MoreThe second sentence continues.")
    assert _paragraphs(cleaned) == ["Lead sentence here.", "The second sentence continues."]
    assert [(r.line_no, r.col, r.text, r.reason) for r in cleaned.removed] == [(2, 0, "Read More", "navigation")]


def test_glued_check_needs_a_capital_after_the_token():
    cleaned = clean("Lead sentence here.\nView Allan's report was published.")
    assert cleaned.removed == ()


def test_reuters_dateline_and_agency():
    text = "LONDON, March 3 (Reuters) - Britain's economy grew faster than expected.\nMore text here."
    cleaned = assert_conserved(text)
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == ("LONDON", "March 3", "Reuters")
    assert cleaned.text.startswith("Britain's economy")
    assert _reasons(cleaned) == [("LONDON, March 3 (Reuters) -", "dateline")]


@pytest.mark.parametrize(
    "first,place,date,agency",
    [
        ("SEOUL, Oct. 25 (Yonhap) -- North Korea fired a missile.", "SEOUL", "Oct. 25", "Yonhap"),
        ("NEW DELHI, 12 March — India said it would respond.", "NEW DELHI", "12 March", None),
        ("WASHINGTON — The Senate voted on Tuesday.", "WASHINGTON", None, None),
        ("Paris (AFP) - France said it would act.", "Paris", None, "AFP"),
    ],
)
def test_dateline_variants(first, place, date, agency):
    cleaned = assert_conserved(first + "\nMore text here.")
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == (place, date, agency)
    assert cleaned.removed[0].reason == "dateline"


def test_dateline_after_title_and_byline():
    cleaned = assert_conserved("Seoul Weighs Arms For Kyiv\nBy Kim Min-ji\nSEOUL, Oct 25 — South Korea said on Friday it may act.")
    assert (cleaned.dateline_place, cleaned.dateline_date) == ("SEOUL", "Oct 25")
    assert _headings(cleaned) == ["Seoul Weighs Arms For Kyiv"]


@pytest.mark.parametrize(
    "first",
    [
        "North Korea — with whom Russia signed a pact — is arming Moscow.",
        "NATO - the alliance said nothing.",
        "UPDATE — The vote was delayed.",
    ],
)
def test_not_a_dateline(first):
    cleaned = clean(first + "\nMore text here.")
    assert cleaned.dateline_place is None and cleaned.removed == ()


@pytest.mark.parametrize(
    "first,place,date,agency",
    [
        ("ROTTERDAM, 3 mars (AFP) - Le port a rouvert lundi.", "ROTTERDAM", "3 mars", "AFP"),
        ("PARIS, 12 janv. (AFP) - Le gouvernement a présenté son projet.", "PARIS", "12 janv.", "AFP"),
        ("Rotterdam (dpa) - Der Hafen ist wieder geöffnet.", "Rotterdam", None, "dpa"),
        ("Berlin, 25. Oktober (dpa) - Die Regierung hat entschieden.", "Berlin", "25. Oktober", "dpa"),
        ("MADRID, 5 dic (EFE).- El Gobierno aprobó el plan.", "MADRID", "5 dic", "EFE"),
        ("Buenos Aires, 3 de junio (EFE).- La inflación se moderó.", "Buenos Aires", "3 de junio", "EFE"),
        ("BERLIN (AP) — Germany's parliament voted on Friday.", "BERLIN", None, "AP"),
        ("TOKYO, Dec. 5 Kyodo - Japan's cabinet approved the budget.", "TOKYO", "Dec. 5", "Kyodo"),
        ("BRUXELLES 05/12 /BELGA/ - Le gouvernement a approuvé le budget.", "BRUXELLES", "05/12", "Belga"),
        ("(Reuters) - Apple said on Monday it would buy back shares.", None, None, "Reuters"),
        ("Hamburg - Die Polizei hat einen Mann festgenommen.", "Hamburg", None, None),
        ("CHICAGO, Dec 6 (Reuter) Statistics for the week ending December 1.", "CHICAGO", "Dec 6", "Reuters"),
    ],
)
def test_wire_datelines_in_four_languages(first, place, date, agency):
    cleaned = assert_conserved(first + "\nMore text here.")
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == (place, date, agency)
    assert [r.reason for r in cleaned.removed] == ["dateline"]
    assert cleaned.text[0].isupper()


@pytest.mark.parametrize(
    "text,place,date",
    [
        ("RUGBY UNION - ITALY RECALL CUTTITTA.\nROME 1996-12-06\nItaly recalled the wing on Friday.", "ROME", "1996-12-06"),
        ("Surgery booms in Brazil.\nSimona de Logu\nRIO DE JANEIRO 1996-12-06\nSurgery is booming.", "RIO DE JANEIRO", "1996-12-06"),
        ("SOCCER - JAPAN WIN.\nAL-AIN, United Arab Emirates 1996-12-06\nJapan won.", "AL-AIN, United Arab Emirates", "1996-12-06"),
    ],
)
def test_dateline_alone_on_its_line_after_a_slugged_title(text, place, date):
    cleaned = assert_conserved(text)
    assert (cleaned.dateline_place, cleaned.dateline_date) == (place, date)
    assert [r.reason for r in cleaned.removed] == ["dateline"]
    assert cleaned.text.split("\n")[0].endswith(".")  # the title stays, slug and all


@pytest.mark.parametrize(
    "first",
    [
        "SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT.",
        "RUGBY UNION - CUTTITTA BACK FOR ITALY AFTER A YEAR.",
        "CRICKET - Australia beat Pakistan by five wickets.",
        "FUSSBALL - BAYERN GEWINNT IN DORTMUND.",  # not a listed slug: the rest is a headline
        "MEXICO CITY",  # a place alone, without a date, is a heading
        "Mr. Smith - a former banker - said the plan would fail.",
        "(Updated) The match was delayed by rain.",  # no place, and no agency in the brackets
        "Datum 25.01.2022",  # a label and a date
        "Mittwoch, 01.11.2023 - Das steckt dahinter.",  # a weekday, not a place
        "Paris (France) The city hosts the games.",  # without a dash only a known agency closes a dateline
    ],
)
def test_section_slugs_and_headlines_are_not_datelines(first):
    cleaned = clean(first + "\nThe match was played on Saturday in front of a big crowd.")
    assert cleaned.dateline_place is None and cleaned.removed == ()


@pytest.mark.parametrize(
    "line,name",
    [
        ("By Jane Smith", "Jane Smith"),
        ("BY JANE SMITH, Reuters", "JANE SMITH"),
        ("By Jane Doe and Ivan Petrov | Oct 25, 2024", "Jane Doe and Ivan Petrov"),
        ("Par Jean Dupont", "Jean Dupont"),
        ("Von Hans Müller", "Hans Müller"),
        ("Por María López", "María López"),
    ],
)
def test_head_byline_is_removed_and_named(line, name):
    cleaned = assert_conserved(f"{line}\nPARIS (AFP) - Le gouvernement a décidé lundi.")
    assert cleaned.byline == name
    assert [r.reason for r in cleaned.removed] == ["byline", "dateline"]


def test_kept_dateline_is_read_but_stays_in_the_text():
    text = "PARIS, 3 mars (AFP) - Le gouvernement a décidé lundi.\nSuite du texte."
    cleaned = assert_conserved(text, clean(text, keep_dateline=True))
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == ("PARIS", "3 mars", "AFP")
    assert cleaned.removed == () and cleaned.text.startswith("PARIS, 3 mars (AFP) - Le gouvernement")


def test_no_byline_without_a_head_byline():
    assert clean("The mayor resigned.\nShe left.\nHe stayed.\nBy Jane Doe").byline is None
    assert clean("By Friday evening, a successor was named.\nMore text.").byline is None
    assert clean("By AFP\nThe mayor resigned.").byline is None


@pytest.mark.parametrize(
    "ending,tag,agency",
    [
        ("and his wife. — AFP", "— AFP", "AFP"),
        ("and his wife. - AFP", "- AFP", "AFP"),
        ("and his wife. –AFP", "–AFP", "AFP"),
        ("and his wife. (AP)", "(AP)", "AP"),
        ("and his wife.” — Reuters", "— Reuters", "Reuters"),
        ("and his wife./AFP", "/AFP", "AFP"),
        ("and his wife. AFP/", "AFP/", "AFP"),
        ("and his wife. — AFP/Relaxnews", "— AFP/Relaxnews", "AFP"),
        ("and his wife — Yonhap", "— Yonhap", "Yonhap"),
    ],
)
def test_trailing_agency_tag(ending, tag, agency):
    text = f"The president spoke on Monday.\nMedia reported it ridiculed the president {ending}"
    cleaned = assert_conserved(text)
    assert _reasons(cleaned) == [(tag, "agency_tag")]
    assert cleaned.agency == agency
    assert not cleaned.text.rstrip(".”").endswith(("AFP", "AP", "Reuters", "Yonhap"))


def test_agency_mentioned_in_last_sentence_is_not_a_tag():
    cleaned = clean("The president spoke on Monday.\nHe said so in an interview with AFP")
    assert cleaned.removed == () and cleaned.agency is None


def test_agency_priority_dateline_then_tag_then_copyright_then_credits():
    credits = "Lead sentence.\nA caption © AFP/Jane Doe\nAnother caption © AFP/John Roe\nLast sentence."
    assert clean(credits).agency == "AFP"
    copyright_ = credits + "\nCopyright 2024 The Associated Press. All rights reserved."
    assert clean(copyright_).agency == "AP"
    tagged = "Lead sentence.\nA caption © AFP/Jane Doe\nLast sentence. (Reuters)"
    assert clean(tagged).agency == "Reuters"
    dated = "KYIV, Oct 25 (Reuters) - Lead sentence.\nLast sentence. — AFP"
    assert clean(dated).agency == "Reuters"
    assert clean("Lead.\n© (2024) Agence France-Presse").agency == "AFP"


# ---- paragraphs and headings --------------------------------------------------------------------


def test_hard_wrapped_paragraphs_are_joined():
    text = (
        "The council met on Monday and\nagreed a new budget.\n\nSchools\n\n"
        "Teachers will get a\nraise next year. — AFP\n\nAdvertisement\n"
    )
    cleaned = assert_conserved(text)
    assert cleaned.text == "The council met on Monday and agreed a new budget.\n\nSchools\n\nTeachers will get a raise next year."
    assert _headings(cleaned) == ["Schools"] and cleaned.agency == "AFP"


def test_boilerplate_inside_a_wrapped_block_is_removed_before_joining():
    text = "The council met on Monday and\nPhoto: Jane Doe/AFP\nagreed a new budget.\n\nIt passed\neasily."
    cleaned = assert_conserved(text)
    assert _paragraphs(cleaned) == ["The council met on Monday and agreed a new budget.", "It passed easily."]


def test_blank_separated_single_lines_are_not_joined():
    cleaned = clean("One sentence.\n\nTwo sentences here.\nThree.\n\nFour.\n\nFive.")
    assert _paragraphs(cleaned) == ["One sentence.", "Two sentences here.", "Three.", "Four.", "Five."]


@pytest.mark.parametrize("heading", ["Seoul weighs its options", "‘Escalation’", "– “Not without a fight” –", "Talks resume"])
def test_sub_headline_between_body_paragraphs(heading):
    cleaned = clean(f"The talks failed on Monday.\n{heading}\nBoth sides will meet again.")
    assert _headings(cleaned) == [heading]


def test_title_line_is_a_heading():
    cleaned = clean("North Korea Sends Troops\nUkraine said on Thursday that troops had arrived.")
    assert _headings(cleaned) == ["North Korea Sends Troops"]


@pytest.mark.parametrize(
    "text",
    [
        "The talks failed.\nBoth sides left.\nA new round is planned.",
        "He said:\nThe talks failed.",
        "“We will not stand idly by.”\nThe talks failed.",
        "The talks failed on Monday.\nNo date set",  # last line: nothing follows
        "Talks resume",  # a lone line is the body
    ],
)
def test_not_headings(text):
    assert _headings(clean(text)) == []


def test_long_line_without_period_is_not_a_heading():
    line = "Officials from both countries met again on Thursday in the capital for a fourth round of talks"
    assert _headings(clean(f"Lead.\n{line}\nEnd.")) == []
