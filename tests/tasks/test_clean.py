import json
from collections import Counter
from pathlib import Path

import pytest

from tasks.clean import clean

DATA = Path(__file__).resolve().parents[2] / "data"
GOLD = json.loads((DATA / "seeds-gold.json").read_text(encoding="utf-8"))


def _non_blank(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def assert_conserved(text: str) -> None:
    """Every non-blank character is in the cleaned text or in exactly one removed part."""
    cleaned = clean(text)
    out = _non_blank(cleaned.text)
    for part in cleaned.removed:
        out += _non_blank(part.text)
    assert out == _non_blank(text)
    lines = text.split("\n")
    for part in cleaned.removed:
        assert lines[part.line_no - 1][part.col :].startswith(part.text)


def _headings(cleaned) -> list[str]:
    return [cleaned.text[p.start : p.end] for p in cleaned.paragraphs if p.is_heading]


@pytest.mark.parametrize("name", sorted(GOLD["documents"]))
def test_seed_matches_gold(name):
    expected = GOLD["documents"][name]
    text = (DATA / "seeds" / name).read_text(encoding="utf-8")
    cleaned = clean(text)
    for item in expected["boilerplate"]:
        assert item not in cleaned.text
    for item in expected["keep"]:
        assert item in cleaned.text
    assert sorted(_headings(cleaned)) == sorted(expected["headings"])
    dateline = expected["dateline"] or {"place": None, "date_text": None}
    assert (cleaned.dateline_place, cleaned.dateline_date) == (dateline["place"], dateline["date_text"])
    assert cleaned.agency == expected["agency"]
    assert_conserved(text)


def test_paragraph_offsets_cover_the_text():
    text = (DATA / "seeds" / "001_b7ac19652732558c.txt").read_text(encoding="utf-8")
    cleaned = clean(text)
    joined = "\n\n".join(cleaned.text[p.start : p.end] for p in cleaned.paragraphs)
    assert joined == cleaned.text


@pytest.mark.parametrize(
    "line,reason",
    [
        ("250% Welcome Bonus up to £1,000", "advertisement"),
        ("Advertisement", "advertisement"),
        ("Photo: Reuters/Jane Doe", "photo_credit"),
        ("(Photo courtesy of the ministry)", "photo_credit"),
        ("Flood waters in Dhaka on Monday © AFP/Munir Uz Zaman", "caption"),
        ("Copyright © 2024 The Associated Press. All rights reserved.", "copyright"),
        ("(With inputs from PTI)", "agency_credit"),
        ("Reporting by Jane Doe; Editing by John Roe", "agency_credit"),
        ("Read More", "navigation"),
        ("Follow us on Twitter", "navigation"),
        ("Share | Tweet | Email", "share_widget"),
    ],
)
def test_boilerplate_line_families(line, reason):
    text = f"The minister spoke in parliament on Monday.\n{line}\nShe said the budget would pass."
    cleaned = clean(text)
    assert [(r.text, r.reason) for r in cleaned.removed] == [(line, reason)]
    assert cleaned.text == "The minister spoke in parliament on Monday.\n\nShe said the budget would pass."
    assert_conserved(text)


@pytest.mark.parametrize(
    "line",
    [
        "AFP reported that 20% of the vote had been counted by Monday evening.",
        "The photo was taken by a local resident who later shared it with police.",
        "The casino offered a bonus to every employee, the union said.",
        "Read more about the budget in the ministry's report, officials said.",
    ],
)
def test_sentences_that_mention_boilerplate_words_stay(line):
    cleaned = clean(f"First sentence of the story.\n{line}")
    assert line in cleaned.text and cleaned.removed == ()


def test_reuters_dateline_and_agency():
    cleaned = clean("LONDON, March 3 (Reuters) - Britain's economy grew faster than expected.\nMore text here.")
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == ("LONDON", "March 3", "Reuters")
    assert cleaned.text.startswith("Britain's economy")


def test_dateline_without_date_and_trailing_agency_in_parentheses():
    text = "WASHINGTON — The Senate voted on Tuesday.\nThe bill now goes to the House. (AP)"
    cleaned = clean(text)
    assert (cleaned.dateline_place, cleaned.dateline_date, cleaned.agency) == ("WASHINGTON", None, "AP")
    assert cleaned.text.endswith("goes to the House.")
    assert_conserved(text)


def test_glued_navigation_prefix_is_cut():
    cleaned = clean("Lead sentence here.\nView AllThe second sentence continues.")
    assert cleaned.text.endswith("The second sentence continues.")
    assert [(r.line_no, r.col, r.text) for r in cleaned.removed] == [(2, 0, "View All")]


def test_byline_only_at_the_top():
    cleaned = clean("By Jane Doe\nThe mayor resigned on Friday.\nBy Friday evening, a successor was named.")
    assert [(r.text, r.reason) for r in cleaned.removed] == [("By Jane Doe", "byline")]


def test_hard_wrapped_paragraphs_are_joined():
    text = "The council met on Monday and\nagreed a new budget.\n\nSchools\n\nTeachers will get a\nraise next year."
    cleaned = clean(text)
    assert cleaned.text == "The council met on Monday and agreed a new budget.\n\nSchools\n\nTeachers will get a raise next year."
    assert _headings(cleaned) == ["Schools"]


def test_short_sentence_with_period_is_not_a_heading():
    cleaned = clean("The talks failed.\nBoth sides left.\nA new round is planned.")
    assert _headings(cleaned) == []


def test_all_boilerplate_gives_empty_text():
    cleaned = clean("Advertisement\nView All\n")
    assert cleaned.text == "" and cleaned.paragraphs == () and len(cleaned.removed) == 2
