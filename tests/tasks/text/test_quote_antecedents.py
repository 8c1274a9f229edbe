from __future__ import annotations

import pytest

from tasks.text.quote_antecedents import gender, is_subject, same_person
from tasks.text.quote_words import ENGLISH


def _entity(text: str, name: str) -> tuple[int, int, str]:
    start = text.rindex(name)
    return (start, start + len(name), "PERSON")


@pytest.mark.parametrize(
    "text, name",
    [
        ("Oklahoma Gov. Mary Fallin said it", "Mary Fallin"),
        ("Joplin, Mo., Mayor Melodee Colbert-Kean said it", "Melodee Colbert-Kean"),
        ("Mayor of London Sadiq Khan led it", "Sadiq Khan"),
        ("Speaking on Tuesday, Mr Khan warned", "Khan"),
        ("Wildcats coach Pat Fitzgerald took the stand", "Pat Fitzgerald"),
    ],
)
def test_subjects(text, name):
    assert is_subject(text, _entity(text, name), 0, ENGLISH)


@pytest.mark.parametrize(
    "text, name",
    [
        ("Contacted by Salon, he denied being Mike Enoch", "Mike Enoch"),
        ("Asked why Northwestern gave him a scholarship", "Northwestern"),
        ("Others, including Sen. Lindsey Graham, said", "Lindsey Graham"),
        ("She traced the conception of her daughter Gabrielle Nadine", "Gabrielle Nadine"),
        ("In the conversation with his fiancee, Rhonda Rouer, he complained", "Rhonda Rouer"),
        ("Kassie Siegel of the Center said", "Center"),
        ("expressing appreciation for FEMA Director Craig Fugate", "Craig Fugate"),
    ],
)
def test_not_subjects(text, name):
    assert not is_subject(text, _entity(text, name), 0, ENGLISH)


def test_gender_from_a_title_a_first_name_or_the_full_name_in_the_document():
    text = "Mr. Luu came. Barack Obama spoke. Obama left. Lindsey Graham and Kim Riley stayed. Riley sat."
    assert gender(text, _entity(text, "Luu"), []) == "he"
    people = [_entity(text, "Barack Obama"), _entity(text, "Kim Riley")]
    assert gender(text, _entity(text, "Obama"), people) == "he"  # the last `Obama`: through `Barack Obama`
    assert gender(text, _entity(text, "Lindsey Graham"), people) is None  # only mostly female: unknown
    assert gender(text, (text.rindex("Riley"), text.rindex("Riley") + 5, "PERSON"), people) is None


def test_same_person():
    assert same_person("Obama", "Barack Obama") and same_person("Anne", "Anne Ziegenhorn")
    assert not same_person("Venus Williams", "Serena Williams") and not same_person("Ahmad", "Ali")
