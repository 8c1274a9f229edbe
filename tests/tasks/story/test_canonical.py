import random

from tasks.story.canonical import canonical_names, normalize_key

MENTIONS = [
    ("Vladimir Putin", "PERSON", 5), ("Putin", "PERSON", 9),
    ("Kim Jong Un", "PERSON", 3), ("Kim Jong-un", "PERSON", 1),
    ("Yoon Suk-yeol", "PERSON", 2), ("Yoon Suk Yeol", "PERSON", 1), ("Yoon", "PERSON", 4), ("Yoon", "GPE", 1),
    ("Andrzej Duda", "PERSON", 1), ("Duda", "PERSON", 2),
    ("Yunus-Bek Yevkurov", "PERSON", 2),
    ("North Korea", "GPE", 20), ("DPRK", "ORG", 3), ("Democratic People’s Republic of Korea", "GPE", 1),
    ("South Korea", "GPE", 9), ("Korea", "GPE", 1), ("Kursk", "GPE", 5), ("Moscow", "GPE", 8),
    ("National Intelligence Service", "ORG", 1), ("NIS", "ORG", 2),
]
GROUPS = [
    ["Vladimir Putin", "Putin"],
    ["Kim Jong Un", "Kim Jong-un"],
    ["Yoon Suk-yeol", "Yoon Suk Yeol", "Yoon"],
    ["Andrzej Duda", "Duda"],
    ["Yunus-Bek Yevkurov"],
    ["North Korea", "DPRK", "Democratic People’s Republic of Korea"],
    ["National Intelligence Service", "NIS"],
]


def test_groups_map_to_one_name_each_and_stay_apart():
    names = canonical_names(MENTIONS)
    per_group = [{names[form] for form in group} for group in GROUPS]
    assert all(len(n) == 1 for n in per_group)
    assert len(set().union(*per_group)) == len(GROUPS)
    assert names["Putin"] == "Vladimir Putin"
    assert names["DPRK"] == "North Korea"
    for distractor in ("South Korea", "Korea", "Kursk", "Moscow"):
        assert names[distractor] == distractor


def test_ambiguous_short_form_stays_alone():
    names = canonical_names([("Kim Jong Un", "PERSON", 3), ("Kim Yo Jong", "PERSON", 2), ("Kim", "PERSON", 1)])
    assert names == {"Kim Jong Un": "Kim Jong Un", "Kim Yo Jong": "Kim Yo Jong", "Kim": "Kim"}


def test_short_form_of_a_non_person_is_not_joined():
    names = canonical_names([("Jordan", "GPE", 2), ("Michael Jordan", "PERSON", 1)])
    assert names["Jordan"] == "Jordan"


def test_alias_without_its_canonical_present_still_unifies():
    names = canonical_names([("UK", "GPE", 1), ("Britain", "GPE", 2)])
    assert names == {"UK": "United Kingdom", "Britain": "United Kingdom"}


def test_order_independent_total_and_empty():
    shuffled = MENTIONS[:]
    random.Random(3).shuffle(shuffled)
    assert canonical_names(shuffled) == canonical_names(MENTIONS)
    assert set(canonical_names(MENTIONS)) == {text for text, _, _ in MENTIONS}
    assert canonical_names([]) == {}


def test_normalize_key():
    assert normalize_key("the Kremlin’s") == "kremlin"
    assert normalize_key("Kim Jong-un") == normalize_key("Kim Jong Un")
