from tasks.text.entity_repair import EntitySpan, document_names, refine_entities


def _refine(text: str, surface: str, label: str, occurrence: int = 0) -> list[tuple[str, str]]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    spans = refine_entities(text, [EntitySpan(start, start + len(surface), label)])
    return [(text[s.start : s.end], s.label) for s in spans]


def test_span_is_extended_over_a_hyphenated_word():
    text = "President Lee Jae-myung met Mr Park."
    assert _refine(text, "Lee Jae", "PERSON") == [("Lee Jae-myung", "PERSON")]


def test_numeric_span_is_cut_at_an_unbalanced_quote():
    text = "There were about “40,000” people."
    assert _refine(text, "about “40,000", "CARDINAL") == [("40,000", "CARDINAL")]


def test_balanced_quotes_and_parentheses_stay():
    text = "He cited the “Road Map (2020)” plan."
    assert _refine(text, "Road Map (2020)", "LAW") == [("Road Map (2020)", "LAW")]


def test_leading_article_and_possessive_are_dropped():
    text = "Members of the European Parliament's committee voted."
    assert _refine(text, "the European Parliament's", "ORG") == [("European Parliament", "ORG")]


def test_known_place_mislabelled_as_product_becomes_gpe():
    text = "Fighting continued near Kharkiv overnight."
    assert _refine(text, "Kharkiv", "PRODUCT") == [("Kharkiv", "GPE")]


def test_person_after_lowercase_the_is_an_institution():
    text = "A bill passed the Sejm on Friday."
    assert _refine(text, "Sejm", "PERSON") == [("Sejm", "ORG")]
    text = "Sejm voted on Friday."
    assert _refine(text, "Sejm", "PERSON") == [("Sejm", "PERSON")]


def test_acronym_gpe_that_is_no_place_becomes_org():
    assert _refine("Leaders of ASEAN met.", "ASEAN", "GPE") == [("ASEAN", "ORG")]
    assert _refine("Exports to the USA rose.", "USA", "GPE") == [("USA", "GPE")]


def test_spans_that_collapse_or_overlap_are_not_kept():
    text = "“ Paris"
    assert refine_entities(text, [EntitySpan(0, 1, "ORG")]) == []
    text = "Jean-Luc Picard"
    spans = refine_entities(text, [EntitySpan(0, 4, "PERSON"), EntitySpan(5, 8, "PERSON")])
    assert [(text[s.start : s.end]) for s in spans] == ["Jean-Luc"]


def test_abbreviation_periods_are_kept():
    assert _refine("Yields on U.S. bonds rose.", "U.S.", "GPE") == [("U.S.", "GPE")]
    assert _refine("He moved to the U.S.", "U.S.", "GPE") == [("U.S.", "GPE")]
    assert _refine("Shares of Acme Corp. fell.", "Acme Corp.", "ORG") == [("Acme Corp.", "ORG")]
    assert _refine("She met John F. on Monday.", "John F.", "PERSON") == [("John F.", "PERSON")]


def test_sentence_period_after_a_name_is_trimmed():
    assert _refine("Fighting continued near Kursk.", "Kursk.", "GPE") == [("Kursk", "GPE")]


def test_all_caps_known_place_stays_a_place():
    assert _refine("ROME 1996-12-06", "ROME", "GPE") == [("ROME", "GPE")]
    assert _refine("LATE GOALS GIVE JAPAN WIN OVER SYRIA.", "SYRIA", "GPE") == [("SYRIA", "GPE")]
    assert _refine("Leaders of BRICS met.", "BRICS", "GPE") == [("BRICS", "ORG")]
    assert _refine("Talks between the UK and the UAE resumed.", "UK", "GPE") == [("UK", "GPE")]


def test_capital_mislabelled_as_person_becomes_gpe():
    assert _refine("Talks with Kyiv resumed.", "Kyiv", "PERSON") == [("Kyiv", "GPE")]
    assert _refine("Mais Washington a annoncé jeudi le maintien.", "Washington", "PERSON") == [("Washington", "GPE")]
    assert _refine("Talks with Duda resumed.", "Duda", "PERSON") == [("Duda", "PERSON")]


def _names(text: str, tagged: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """document_names over spans given as (surface, label, occurrence); (surface, label, start) out."""
    spans = []
    for surface, label, occurrence in tagged:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        spans.append(EntitySpan(start, start + len(surface), label))
    found = document_names(text, sorted(spans, key=lambda s: s.start))
    return [(text[s.start : s.end], s.label, s.start) for s in found]


def test_a_family_name_of_a_person_is_that_person():
    text = "Vaclav Klaus spoke on Friday.\n\nKlaus said the party would debate it."
    assert _names(text, [("Vaclav Klaus", "PERSON", 0), ("Klaus", "ORG", 1)]) == [
        ("Vaclav Klaus", "PERSON", 0), ("Klaus", "PERSON", 31)
    ]


def test_names_the_document_has_are_found_again_where_the_model_missed_them():
    text = (
        "Dutch forward Reggie Blinker had his ban lifted by FIFA.\n\n"
        "Blinker missed two games after FIFA slapped a ban on him; the Blinkers, blinker and FIFA-run did not count."
    )
    found = _names(text, [("Reggie Blinker", "PERSON", 0), ("FIFA", "ORG", 0)])
    assert [(s, label) for s, label, _ in found] == [
        ("Reggie Blinker", "PERSON"), ("FIFA", "ORG"), ("Blinker", "PERSON"), ("FIFA", "ORG")
    ]
    assert [start for *_, start in found][2:] == [text.index("Blinker missed"), text.index("FIFA slapped")]


def test_a_name_takes_the_label_most_of_its_spans_have_and_none_on_a_tie():
    text = "Woolmer, Woolmer and Charlton. Woolmer. Charlton. Woolmer. Charlton."
    tagged = [("Woolmer", "PERSON", 0), ("Woolmer", "PERSON", 1), ("Woolmer", "GPE", 2), ("Charlton", "GPE", 0),
              ("Charlton", "PERSON", 1)]
    found = _names(text, tagged)
    assert [label for s, label, _ in found if s == "Woolmer"] == ["PERSON", "PERSON", "GPE", "PERSON"]
    assert [label for s, label, _ in found if s == "Charlton"] == ["GPE", "PERSON"]  # a tie: the third stays out


def test_numbers_lowercase_and_one_letter_names_are_not_repeated():
    text = "He paid 40 dollars to the apple growers of Group A; 40 more to apple. A fine day."
    tagged = [("40", "MONEY", 0), ("apple", "ORG", 0), ("A", "ORG", 0)]
    assert _names(text, tagged) == [("40", "MONEY", 8), ("apple", "ORG", 26), ("A", "ORG", 49)]


def test_an_acronym_is_no_family_name():
    text = "John Lewis UK sales rose.\n\nUK shops were busy."
    found = _names(text, [("John Lewis UK", "PERSON", 0), ("UK", "GPE", 1)])
    assert [(s, label) for s, label, _ in found] == [("John Lewis UK", "PERSON"), ("UK", "GPE")]
