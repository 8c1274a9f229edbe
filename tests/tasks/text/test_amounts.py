from __future__ import annotations

import pytest

from tasks.text.amounts import extract_amounts


def _amounts(text: str, entities=()):
    found = extract_amounts(text, [(0, len(text))], list(entities))
    for a in found:
        assert text[a.start : a.end] == a.text
    return found


def _one(text: str, entities=()):
    found = _amounts(text, entities)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, written, value, unit, noun",
    [
        ("Hanwha has signed a US$1.64 billion deal with Poland.", "US$1.64 billion", 1.64e9, "USD", "deal"),
        ("Hanwha has signed a $1.64-billion deal with Poland.", "$1.64-billion", 1.64e9, "USD", "deal"),
        ("a bonus of up to €3,000 for new players", "€3,000", 3000.0, "EUR", None),
        ("It cost £2.5bn last year.", "£2.5bn", 2.5e9, "GBP", None),
        ("The state paid 5 million euros in aid.", "5 million euros", 5e6, "EUR", None),
        ("the firm lost RM7.13 billion.", "RM7.13 billion", 7.13e9, "MYR", None),
    ],
)
def test_money(text, written, value, unit, noun):
    a = _one(text)
    assert (a.text, a.value, a.kind, a.unit, a.noun) == (written, value, "money", unit, noun)


def test_money_with_its_conversion_in_brackets_keeps_the_noun_on_the_first():
    text = "Hanwha has signed a US$1.64 billion (RM7.13 billion) deal with Poland."
    usd, myr = _amounts(text)
    assert (usd.unit, usd.noun) == ("USD", "deal")
    assert (myr.unit, myr.value, myr.noun) == ("MYR", 7.13e9, None)


@pytest.mark.parametrize(
    "text, written, value, noun",
    [
        ("North Korea has sent 3,000 troops to Russia.", "3,000 troops", 3000.0, "troop"),
        ("a total of around 12,000 North Korean troops, including", "12,000 North Korean troops", 12000.0, "troop"),
        ("the number was about “12,000” troops, without", "“12,000” troops", 12000.0, "troop"),
        ('the number was about "12,000" troops, without', '"12,000" troops', 12000.0, "troop"),
        ("In Moscow, 397 deputies of the Duma voted.", "397 deputies", 397.0, "deputy"),
        ("and three generals were there", "three generals", 3.0, "general"),
        ("on five military bases.", "five military bases", 5.0, "base"),
        ("one of the world’s top 10 weapons exporters, has", "10 weapons exporters", 10.0, "exporter"),
        ("a group of nine countries sometimes presented", "nine countries", 9.0, "country"),
        ("three hundred soldiers crossed", "three hundred soldiers", 300.0, "soldier"),
        ("1.5m people fled", "1.5m people", 1.5e6, "people"),
        ("about 12,000 personnel, though", "12,000 personnel", 12000.0, "personnel"),
    ],
)
def test_counts(text, written, value, noun):
    a = _one(text)
    assert (a.text, a.value, a.kind, a.unit, a.noun) == (written, value, "count", None, noun)


def test_percent_and_quantities():
    text = "Prices rose 12% and 3.5 per cent; 500 square kilometres of land; 40 tonnes of grain."
    got = [(a.text, a.value, a.kind, a.unit, a.noun) for a in _amounts(text)]
    assert got == [
        ("12%", 12.0, "percent", "%", None),
        ("3.5 per cent", 3.5, "percent", "%", None),
        ("500 square kilometres", 500.0, "quantity", "km2", "land"),
        ("40 tonnes", 40.0, "quantity", "t", "grain"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Article 4 of the joint treaty",
        "after Russia invaded Ukraine in February 2022 and they signed",
        "since 2014.",
        "producers of the K2 tanks",
        "a four-day visit",
        "One of the allies",
        "hundreds of square kilometers",
        "a 20,000-strong force",
        "3,000 of them",
        "the G7 leaders",
    ],
)
def test_numbers_that_count_nothing(text):
    assert _amounts(text) == []


def test_numbers_inside_dates_and_names_are_skipped():
    text = "On October 23, 2024 the 3 Musketeers Bar sold 20 bars."
    date = text.index("October 23, 2024")
    org = text.index("3 Musketeers Bar")
    entities = [(date, date + len("October 23, 2024"), "DATE"), (org, org + len("3 Musketeers Bar"), "ORG")]
    assert [(a.text, a.noun) for a in _amounts(text, entities)] == [("20 bars", "bar")]


def test_sentence_ids_follow_the_spans():
    text = "It has 20 tanks. It had 30 ships."
    found = extract_amounts(text, [(0, 16), (17, len(text))], [])
    assert [(a.sent_id, a.noun) for a in found] == [(0, "tank"), (1, "ship")]


def test_no_sentences_means_no_amounts():
    assert extract_amounts("20 tanks", [], []) == []


def test_first_use_of_the_engine_from_two_threads_leaves_typeguard_as_it_was(monkeypatch):
    """inflect is imported with typeguard.typechecked patched out; two threads starting at once must
    not save each other's patch and leave it in place for the whole process."""
    import sys
    import threading

    import typeguard

    from tasks.text import amounts

    for name in [m for m in sys.modules if m == "inflect" or m.startswith("inflect.")]:
        monkeypatch.delitem(sys.modules, name)  # a fresh import, as on a process's first use
    monkeypatch.setattr(amounts, "_ENGINE", [])
    original = typeguard.typechecked
    start = threading.Barrier(2)
    engines, errors = [], []

    def first_use():
        start.wait()
        try:
            engines.append(amounts._engine())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors
    assert typeguard.typechecked is original
    assert len(engines) == 2 and engines[0] is engines[1]
    assert engines[0].singular_noun("troops") == "troop"
