from __future__ import annotations

import pytest

from tasks.text.quote_speakers import possessive, title_case


@pytest.mark.parametrize(
    "words", ["Taking a Bite Out of Twilight", "Harry Potter and the Deathly Hallows: Part 2.", "Fox News Sunday"]
)
def test_titles(words):
    assert title_case(words)


@pytest.mark.parametrize("words", ["We will be back", "On October 23, 2024", "Furious", "Yes, we are going to the Oscars!"])
def test_not_titles(words):
    assert not title_case(words)


def test_possessive():
    text = "Erin Stoffel's friend and Tari Schroth"
    assert possessive(text, (0, 12, "PERSON")) and not possessive(text, (26, 38, "PERSON"))
