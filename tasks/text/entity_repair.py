"""Repair and relabel entity spans found by a statistical NER model.

Pure functions over (start, end, label) character spans of a text. The rules are
general span conventions, not per-story fixes; a relabelling rule stays only while it
measurably helps (make eval gold; make eval datelines with NEWSETL_CONLL_TESTB set):

* a span never cuts a hyphenated word ('Yoon Suk' + '-yeol' -> 'Yoon Suk-yeol');
* a span carries no unbalanced quote and no surrounding punctuation
  ('about “12,000' -> '12,000'), but keeps the period of an abbreviation ('U.S.', 'Acme Corp.');
* a leading article is not part of a name ('the Federation Council' -> 'Federation Council');
* a PRODUCT/FAC/WORK_OF_ART/EVENT/LAW span whose text is a known country, US state
  or large city is a GPE ('Kursk' tagged PRODUCT);
* a one-word PERSON right after a lowercase 'the' is an institution ('the Duma');
* a PERSON span that is a national capital is a GPE ('Kyiv'; 'Washington a annoncé' in French press);
* an all-caps GPE that is neither a known place (in any case: 'ROME') nor a country code is an ORG ('BRICS').

Then over a whole document (document_names): the model reads one paragraph at a time, and a
name it knows with the context of one paragraph it may miss, or label otherwise, where
the paragraph alone says little (a line of a results table, 'Blinker missed his club's
last two games'). So within a document:

* a name that is the family name of a PERSON of several words is that PERSON
  ('Klaus' tagged ORG after 'Vaclav Klaus'); an acronym is no family name ('John Lewis UK');
* every other occurrence of a name the document already has (capitalized, of two letters
  or more; same case, whole words, not inside another span) is that name too, with its label: the family names of the
  document's PERSONs, and each name of a PERSON/ORG/GPE/LOC/NORP/FAC span under the label
  most of its spans have (none on a tie).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from tasks.text.gazetteer import capitals, country_codes, is_place_name

OPEN_QUOTES = "“‘\"'«‹„"
CLOSE_QUOTES = "”’\"'»›“"
EDGE_PUNCT = " \t\n,;:.!?()[]{}" + OPEN_QUOTES + CLOSE_QUOTES + "—–-"
NUMERIC_LABELS = {"MONEY", "CARDINAL", "QUANTITY", "PERCENT", "ORDINAL", "DATE", "TIME"}
MISTAKEN_FOR_PLACE = {"PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW"}
HYPHEN_TAIL = re.compile(r"(?:-[^\W_]+)+")
HYPHEN_HEAD = re.compile(r"(?:[^\W_]+-)+$")
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}  # labels of names that document_names repeats
LEADING_ARTICLE = re.compile(r"(?:the|The|THE)\s+")
ACRONYM = re.compile(r"^[A-Z]{2,6}$")
# Words whose period is part of the name ('Acme Corp.', 'Martin Luther King Jr.', 'St.').
ABBREVIATIONS = {"Corp", "Inc", "Co", "Ltd", "Jr", "Sr", "St", "Bros", "Mt", "Ft", "Gen", "Gov", "Sen", "Rep", "Dr", "Mr",
                 "Mrs", "Ms", "Prof", "Ave", "Blvd", "Assn", "Dept", "Univ", "Cie", "Ste", "Cía", "Hnos"}


@dataclass(frozen=True)
class EntitySpan:
    start: int
    end: int
    label: str


def _abbreviation_period(text: str, start: int, end: int) -> bool:
    """The period ending text[start:end] belongs to an abbreviation: 'U.S.', 'F.A.', 'John F.',
    'Acme Corp.' (a word with another period inside, a single letter, or a short capitalized
    abbreviation the model kept in its token), not a sentence end after 'Kursk'."""
    word = text[start : end - 1].rsplit(None, 1)[-1] if end - 1 > start else ""
    if not word:
        return False
    if "." in word or (len(word) == 1 and word.isalpha()):
        return True
    return word in ABBREVIATIONS


def _trim_edges(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop surrounding punctuation, unbalanced quotes and a leading article."""
    # An opening quote without its closing quote inside the span cuts the span.
    for i in range(end - 1, start - 1, -1):
        ch = text[i]
        if ch in OPEN_QUOTES and not any(c in CLOSE_QUOTES for c in text[i + 1 : end]):
            if ch not in "\"'":
                start = i + 1
                break
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        # keep a closing quote/paren that matches one inside the span
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        if text[end - 1] == "." and _abbreviation_period(text, start, end):
            break
        end -= 1
    if label not in NUMERIC_LABELS:
        article = LEADING_ARTICLE.match(text, start, end)
        if article and article.end() < end:
            start = article.end()
    if end > start and label not in NUMERIC_LABELS and text.endswith(("’s", "'s"), start, end) and end - start > 2:
        end -= 2
    return start, end


def _extend_hyphenated(text: str, start: int, end: int) -> tuple[int, int]:
    tail = HYPHEN_TAIL.match(text, end)
    if tail:
        end = tail.end()
    head = HYPHEN_HEAD.search(text, max(0, start - 40), start)
    if head and (head.start() == 0 or not text[head.start() - 1].isalnum()):
        start = head.start()
    return start, end


def _relabel(text: str, start: int, end: int, label: str) -> str:
    surface = text[start:end]
    if label in MISTAKEN_FOR_PLACE and is_place_name(surface):
        return "GPE"
    if label == "PERSON" and " " not in surface and text[max(0, start - 4) : start] == "the ":
        return "ORG"
    if label == "PERSON" and surface in capitals():
        return "GPE"
    if label == "GPE" and ACRONYM.match(surface) and not is_place_name(surface) and surface not in country_codes():
        return "ORG"
    return label


def refine_entities(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """Apply the span rules; spans that end up empty or overlapping an earlier span are merged away."""
    refined: list[EntitySpan] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = span.start, span.end
        if span.label not in NUMERIC_LABELS:
            start, end = _extend_hyphenated(text, start, end)
        start, end = _trim_edges(text, start, end, span.label)
        if end <= start:
            continue
        if refined and start < refined[-1].end:
            continue  # overlaps the previous (earlier-starting) span after repair
        refined.append(EntitySpan(start, end, _relabel(text, start, end, span.label)))
    return refined


def _family_name(surface: str) -> str | None:
    """The last word of a name of several words, if it reads as a family name (capitalized,
    not an acronym: 'John Lewis UK' gives none)."""
    words = surface.split()
    last = words[-1] if len(words) > 1 else ""
    if sum(ch.isalpha() for ch in last) < 2 or not last[0].isupper() or not any(ch.islower() for ch in last):
        return None
    return last


def document_names(text: str, spans: list[EntitySpan]) -> list[EntitySpan]:
    """The document-wide name rules (see the module docstring) over the refined spans of
    one document (sorted, not overlapping); the result is sorted and not overlapping."""
    family = {_family_name(text[s.start : s.end]) for s in spans if s.label == "PERSON"} - {None}
    spans = [
        EntitySpan(s.start, s.end, "PERSON") if s.label in NAME_LABELS and text[s.start : s.end] in family else s
        for s in spans
    ]
    labels: dict[str, Counter] = defaultdict(Counter)
    for s in spans:
        if s.label in NAME_LABELS:
            labels[text[s.start : s.end]][s.label] += 1
    names = {name: "PERSON" for name in family}
    for name, counts in labels.items():
        (label, n), *rest = counts.most_common(2)
        if not rest or rest[0][1] < n:
            names[name] = label
    names = {  # a capitalized name of two letters or more: not 'A' of 'Group A'
        name: label for name, label in names.items() if name[:1].isupper() and sum(ch.isalpha() for ch in name) >= 2
    }
    if not names:
        return spans
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?![\w-])"
    )
    taken = [(s.start, s.end) for s in spans]
    added = []
    for match in pattern.finditer(text):
        i = bisect.bisect_right(taken, (match.start(), float("inf"))) - 1
        if (i >= 0 and taken[i][1] > match.start()) or (i + 1 < len(taken) and taken[i + 1][0] < match.end()):
            continue  # inside or across a span the document has
        added.append(EntitySpan(match.start(), match.end(), names[match.group()]))
    return sorted(spans + added, key=lambda s: (s.start, s.end))
