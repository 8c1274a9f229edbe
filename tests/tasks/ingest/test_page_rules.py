from __future__ import annotations

import pytest

from tasks.ingest.page_rules import page_line_rule


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Lea también: Impiden ingreso a Nicaragua a reportero", "page_related"),
        ("NOTAS RELACIONADAS", "page_related"),
        ("À lire aussi", "page_related"),
        ("Lesen Sie auch die folgenden Beiträge:", "page_related"),
        ("Schon gelesen?", "page_related"),
        ("Czytaj także: Rząd przyjął projekt", "page_related"),
        ("Leggi anche » Il governo approva", "page_related"),
        ("Zum Newsletter anmelden", "page_call_to_action"),
        ("Pour lire la suite, abonnez-vous.", "page_call_to_action"),
        ("Suscríbete a nuestro boletín", "page_call_to_action"),
        ("Keine Kommentare", "page_comments"),
        ("12 Comments", "page_comments"),
        ("Leave a Reply", "page_comments"),
    ],
)
def test_page_furniture(line, reason):
    assert page_line_rule(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Lea Müller sagte am Dienstag, dass die Brücke geschlossen bleibt.",
        "Lesen Sie auch die Stellungnahme der Regierung, die gestern erschien.",
        "Les commentaires du ministre ont surpris les députés.",
        "Comments by the mayor drew criticism from shop owners on Tuesday.",
        "The newsletter industry has grown fast, according to the report.",
        "Más noticias llegaron desde el puerto durante la noche, dijo el alcalde.",
    ],
)
def test_article_sentences_stay(line):
    assert page_line_rule(line) is None
