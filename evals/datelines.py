"""Datelines, agencies and bylines of wire copy; entities against the bare spaCy model.

1. Wire openings (evals/data/datelines.tsv, hand-written for newsetl as a specification
   of the styles of issue 9, not a public benchmark): English, French, German and Spanish
   datelines and agency tags (AFP, Reuters, AP, dpa, EFE, ANSA, Xinhua, Belga, Kyodo...),
   and openings that must NOT yield a dateline (section slugs 'SOCCER -', 'RUGBY UNION -',
   ordinary sentences). Each row goes through the real transform; scored: the documents
   row's dateline_place and agency equal the expected ones ('' = none), and the head byline
   named by tasks.clean (Cleaned.byline) equals the expected one.

2. Entities lost against the bare model, when NEWSETL_CONLL_TESTB names a CoNLL-2003 file
   (eng.testb, four columns, IOB tags; not shipped: get it from the shared task or a public
   copy). Each -DOCSTART- document becomes one text (a line per CoNLL sentence, tokens
   re-joined with English spacing); the same text goes through newsetl's transform and
   through the bare English model (tasks.nlp.english_pipeline(), whole text at once).
   A mention is correct when its (surface, label) is in the document's gold multiset, with
   labels mapped PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC (NORP, MISC and the numeric
   labels are not scored). newsetl's dateline_place counts as LOC mentions (one per
   comma-separated part): it is the place of the dateline, cut from the text into the
   documents row.
"""
from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

from evals.common import REPO, Score, pipeline_rows

CASES = REPO / "evals" / "data" / "datelines.tsv"
CONLL_ENV = "NEWSETL_CONLL_TESTB"
LABELS = {"PERSON": "PER", "PER": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NO_SPACE_BEFORE = {",", ".", ":", ";", ")", "?", "!", "...", "'s", "n't", "'m", "'re", "'ve", "'ll", "'d", "%"}
NO_SPACE_AFTER = {"(", "$"}


# ---- wire openings ---------------------------------------------------------------------------


def _cases() -> list[dict]:
    with CASES.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["text"] = r["text"].replace("\\n", "\n")
    return rows


def wire_scores() -> list[Score]:
    cases = _cases()
    docs = [(f"datelines/{i:03d}.txt", c["text"], {}) for i, c in enumerate(cases)]
    got = [d for batch in pipeline_rows(docs) for d in batch["documents"]]
    places = sum((d["dateline_place"] or "") == c["place"] for d, c in zip(got, cases))
    agencies = sum((d["agency"] or "") == c["agency"] for d, c in zip(got, cases))
    slugs = [c for c in cases if not c["place"]]
    false_places = sum(bool(d["dateline_place"]) for d, c in zip(got, cases) if not c["place"])
    from tasks.clean import clean

    bylines = sum((clean(c["text"]).byline or "") == c["byline"] for c in cases)
    n = len(cases)
    return [
        Score("wire datelines", "dateline place right", places / n, 1.0, note=f"{places}/{n}, hand-written, en/fr/de/es"),
        Score("wire datelines", "agency right", agencies / n, 1.0, note=f"{agencies}/{n}"),
        Score("wire datelines", "slugs/sentences taken as datelines", false_places, 0, higher_is_better=False,
              note=f"of {len(slugs)} openings without one"),
        Score("wire datelines", "head byline right (tasks.clean)", bylines / n, 1.0, note=f"{bylines}/{n}"),
    ]


# ---- CoNLL-2003: entities against the bare model ------------------------------------------------


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


def _correct(found: Counter, gold: Counter) -> int:
    return sum((found & gold).values())


def _bare(texts: list[str]) -> list[Counter]:
    from tasks.nlp import english_pipeline

    nlp = english_pipeline()
    return [Counter((e.text, LABELS[e.label_]) for e in doc.ents if e.label_ in LABELS) for doc in nlp.pipe(texts)]


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


def conll_comparison(path: Path) -> dict:
    docs = read_conll(path)
    texts = [t for t, _ in docs]
    bare = _bare(texts)
    mine, rows = _newsetl(texts)
    return {
        "docs": docs, "bare": bare, "newsetl": mine, "rows": rows,
        "n_gold": sum(sum(g.values()) for _, g in docs),
        "bare_correct": sum(_correct(b, g) for b, (_, g) in zip(bare, docs)),
        "newsetl_correct": sum(_correct(m, g) for m, (_, g) in zip(mine, docs)),
    }


def conll_scores() -> list[Score]:
    path = os.environ.get(CONLL_ENV)
    if not path or not Path(path).exists():
        return []
    r = conll_comparison(Path(path))
    note = f"{len(r['docs'])} docs, {r['n_gold']} gold PER/ORG/LOC"
    return [
        Score("CoNLL-2003 entities", "correct, bare spaCy", r["bare_correct"], note=note),
        Score("CoNLL-2003 entities", "correct, newsetl", r["newsetl_correct"]),
        Score("CoNLL-2003 entities", "lost vs bare", r["bare_correct"] - r["newsetl_correct"], 0, higher_is_better=False),
    ]


def scores() -> list[Score]:
    return wire_scores() + conll_scores()
