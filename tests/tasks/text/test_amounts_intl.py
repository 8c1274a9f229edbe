from __future__ import annotations

import pytest

from tasks.text.amounts import extract_amounts


def _amounts(text: str, lang: str, entities=()):
    found = extract_amounts(text, [(0, len(text))], list(entities), lang)
    for a in found:
        assert text[a.start : a.end] == a.text
    return [(a.text, a.value, a.kind, a.unit, a.noun) for a in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("La ville compte 1 000 habitants.", ("1 000 habitants", 1000.0, "count", None, "habitants")),
        ("Ils étaient 12.000 manifestants.", ("12.000 manifestants", 12000.0, "count", None, "manifestants")),
        ("Près de 282\u202f000 personnes.", ("282\u202f000 personnes", 282000.0, "count", None, "personnes")),
        ("Le chômage a reculé de 3,5\u00a0%.", ("3,5\u00a0%", 3.5, "percent", "%", None)),
        ("Une hausse de 12 pour cent.", ("12 pour cent", 12.0, "percent", "%", None)),
        ("Une enveloppe de 1,2 milliard d'euros.", ("1,2 milliard d'euros", 1.2e9, "money", "EUR", None)),
        ("Une usine de 250 millions de dollars.", ("250 millions de dollars", 2.5e8, "money", "USD", None)),
        ("Le billet coûte 2,50 € désormais.", ("2,50 €", 2.5, "money", "EUR", None)),
        ("Un salaire de 1 521,22 euros brut.", ("1 521,22 euros", 1521.22, "money", "EUR", None)),
        ("Un don de 1'500 francs suisses.", ("1'500 francs suisses", 1500.0, "money", "CHF", None)),
        ("Un budget de 40 000 $ CA cette année.", ("40 000 $ CA", 40000.0, "money", "CAD", None)),
        ("Deux millions de personnes.", ("Deux millions de personnes", 2e6, "count", None, "personnes")),
        ("Ils ont livré 40 tonnes de céréales.", ("40 tonnes", 40.0, "quantity", "t", "céréales")),
    ],
)
def test_french_numbers_and_amounts(text, expected):
    assert _amounts(text, "fr") == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Costó 3 millones de euros.", ("3 millones de euros", 3e6, "money", "EUR", None)),
        ("Hubo 12.000 manifestantes.", ("12.000 manifestantes", 12000.0, "count", None, "manifestantes")),
        ("Subió un 3,5 por ciento.", ("3,5 por ciento", 3.5, "percent", "%", None)),
        ("Son dos mil millones de dólares.", ("dos mil millones de dólares", 2e9, "money", "USD", None)),
    ],
)
def test_spanish_numbers_and_amounts(text, expected):
    assert _amounts(text, "es") == [expected]


def test_no_english_singularization_or_english_words_in_french():
    # 'dans' is not the plural of 'dan', '1 000' is a thousand, not 0 and 1
    assert _amounts("Il y avait 1 000 dans la salle et 3 ministres.", "fr") == [
        ("3 ministres", 3.0, "count", None, "ministres")
    ]
    assert _amounts("Les 20 ans du traité.", "fr")[0][4] == "ans"


def test_dates_years_and_non_counts_are_skipped():
    assert _amounts("Le 3 mars 2019, 300 autres sont venus en 2018.", "fr") == []
    assert _amounts("El 5 de diciembre de 2018.", "es") == []


def test_numbers_inside_entities_are_skipped():
    text = "L'Acte 5 a réuni 1 000 manifestants."
    assert _amounts(text, "fr", [(2, 8, "MISC")]) == [("1 000 manifestants", 1000.0, "count", None, "manifestants")]


def test_a_dot_not_grouping_three_digits_is_no_number_in_french():
    assert _amounts("Version 3.5 des 2.5 règles.", "fr") == []


def test_english_and_unknown_language_keep_the_english_rules():
    english = [(a.text, a.value) for a in extract_amounts("It has 1,000 troops.", [(0, 20)], [], "en")]
    unknown = [(a.text, a.value) for a in extract_amounts("It has 1,000 troops.", [(0, 20)], [], None)]
    assert english == unknown == [("1,000 troops", 1000.0)]


def test_what_a_quantity_is_of_is_a_common_noun():
    assert _amounts("Il habite à 10 km de Moscou.", "fr")[0][4] is None
    assert _amounts("Ils ont perdu 40 tonnes de la récolte.", "fr")[0][4] is None
    assert _amounts("Un avion avec 680 kilos de cocaïne.", "fr")[0][4] == "cocaïne"


def test_fractions_are_not_counts():
    assert _amounts("Les trois quarts des conducteurs et deux tiers des élus.", "fr") == []
