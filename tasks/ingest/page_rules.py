"""Whole-line rules for web-page furniture that main-content extraction lets through.

Kept lines of an HTML page (tasks/ingest/web_page.py) are checked against these before
the plain-text rules (tasks/text/boilerplate_rules.py, English): pointers to other articles
('Lea también: …', 'À lire aussi', 'Lesen Sie auch'), newsletter and subscription calls,
comment-count labels, in the languages of the press newsletl reads (en, fr, de, es, it,
pt, nl, pl). Generic vocabulary of page furniture, not phrases of particular sites.
"""
from __future__ import annotations

import re

_RELATED = (
    # en (besides boilerplate_rules' 'read more', 'related', ...)
    r"more on this (?:story|topic)|more from|you may be interested in|don'?t miss|recommended reading"
    # fr
    r"|(?:à )?lire (?:aussi|également|encore|la suite)|(?:à )?voir aussi|sur le même sujet|dans la même rubrique"
    r"|(?:articles?|contenus?) (?:liés|similaires|associés)"
    # de
    r"|lesen sie (?:auch|mehr|hier)|auch lesen|auch interessant|schon gelesen|mehr zum thema|mehr dazu"
    r"|weitere (?:artikel|beiträge|nachrichten|meldungen|themen|aktuelle themen)(?: zum thema| aus [\w ]{1,30})?"
    r"|das könnte sie (?:auch )?interessieren|ähnliche (?:artikel|beiträge)|verwandte (?:artikel|beiträge|themen)"
    # es
    r"|lea (?:también|además|más)|lee (?:también|además|más)|lea|(?:le|te) puede interesar|ver (?:también|más)"
    r"|(?:notas|noticias|artículos) relacionad[oa]s|también te puede gustar|más noticias"
    # it, pt, nl, pl
    r"|leggi anche|potrebbe interessarti|articoli correlati|leia (?:também|mais)|veja (?:também|mais)"
    r"|(?:notícias|artigos) relacionad[oa]s|lees ook|bekijk ook|gerelateerde artikelen"
    r"|czytaj (?:także|też|więcej)|zobacz (?:także|też|również)"
)
# 'Lea también: <headline>', 'À lire aussi', 'NOTAS RELACIONADAS', 'Schon gelesen?',
# 'Lesen Sie auch die folgenden Beiträge:'
RELATED_LINE = re.compile(
    rf"^(?:{_RELATED})(?:\s*[:|»>–—-]\s*\S.*|[\s:.!?…»>|–—-]*|(?:\s+[^\s.!?:]+){{1,4}}\s*:)$", re.IGNORECASE
)
RELATED_MAX_WORDS = 25

_SUBSCRIBE = (
    r"(?:zum|unseren?|den) newsletter (?:anmelden|abonnieren|bestellen)|newsletter (?:abonnieren|bestellen|anmelden)"
    r"|jetzt (?:abonnieren|anmelden|registrieren)|abonnez-vous|inscrivez-vous (?:à|a) (?:notre|la) newsletter"
    r"|pour (?:lire la suite|accéder en illimité|continuer (?:à|a) lire)|suscríbete|suscríbase|regístrate"
    r"|hazte (?:miembro|socio|suscriptor)|iscriviti (?:alla|alla nostra) newsletter|assine (?:já|agora)"
    r"|zapisz się do newslettera|sign up for our newsletter|subscribe to our newsletter"
)
SUBSCRIBE_LINE = re.compile(rf"^(?:{_SUBSCRIBE})\b[^.!?]*[.!?…:]?$", re.IGNORECASE)
SUBSCRIBE_MAX_WORDS = 20

# 'Keine Kommentare', '3 comments', 'Aucun commentaire', 'Leave a comment'
COMMENTS_LABEL = re.compile(
    r"^(?:\d+\s+)?(?:no |keine |sin |aucun |nessun |sem |geen |brak )?"
    r"(?:comments?|kommentare?|comentarios?|commentaires?|commenti|comentários?|reacties|komentarz[ey]?)"
    r"(?:\s*\(\d+\)|\s+\d+)?(?:\s*\([^()]{0,80}\))?\W*$"
    r"|^(?:leave a (?:comment|reply)|kommentar schreiben|hinterlasse einen kommentar|deja un comentario"
    r"|laisser un commentaire|lascia un commento|comments are closed|kommentare sind (?:geschlossen|deaktiviert)"
    r"|los comentarios están cerrados|les commentaires sont fermés)\W*$",
    re.IGNORECASE,
)

# (reason, pattern, max words of the line), tried in order on every kept line of a page.
PAGE_LINE_RULES: list[tuple[str, re.Pattern, int]] = [
    ("page_related", RELATED_LINE, RELATED_MAX_WORDS),
    ("page_call_to_action", SUBSCRIBE_LINE, SUBSCRIBE_MAX_WORDS),
    ("page_comments", COMMENTS_LABEL, 15),
]


def page_line_rule(line: str) -> str | None:
    """The reason a kept line of a page is furniture after all, or None."""
    words = len(line.split())
    for reason, pattern, max_words in PAGE_LINE_RULES:
        if words <= max_words and pattern.match(line.strip()):
            return reason
    return None
