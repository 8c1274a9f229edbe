"""Datelines, agencies and bylines of wire copy.

Wire openings (evals/data/datelines.tsv, hand-written for newsetl as a specification
of the styles of issue 9, not a public benchmark): English, French, German and Spanish
datelines and agency tags (AFP, Reuters, AP, dpa, EFE, ANSA, Xinhua, Belga, Kyodo...),
and openings that must NOT yield a dateline (section slugs 'SOCCER -', 'RUGBY UNION -',
ordinary sentences). Each row goes through the real transform; scored: the documents
row's dateline_place and agency equal the expected ones ('' = none), and the head byline
named by tasks.text.clean (Cleaned.byline) equals the expected one.

Entities against the bare model on CoNLL-2003: evals/conll.py.
"""
from __future__ import annotations

import csv

from evals.common import REPO, Score, pipeline_rows

CASES = REPO / "evals" / "data" / "datelines.tsv"


def _cases() -> list[dict]:
    with CASES.open(encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["text"] = r["text"].replace("\\n", "\n")
    return rows


def scores() -> list[Score]:
    cases = _cases()
    docs = [(f"datelines/{i:03d}.txt", c["text"], {}) for i, c in enumerate(cases)]
    got = [d for batch in pipeline_rows(docs) for d in batch["documents"]]
    places = sum((d["dateline_place"] or "") == c["place"] for d, c in zip(got, cases))
    agencies = sum((d["agency"] or "") == c["agency"] for d, c in zip(got, cases))
    slugs = [c for c in cases if not c["place"]]
    false_places = sum(bool(d["dateline_place"]) for d, c in zip(got, cases) if not c["place"])
    from tasks.text.clean import clean

    bylines = sum((clean(c["text"]).byline or "") == c["byline"] for c in cases)
    n = len(cases)
    return [
        Score("wire datelines", "dateline place right", places / n, 1.0, note=f"{places}/{n}, hand-written, en/fr/de/es"),
        Score("wire datelines", "agency right", agencies / n, 1.0, note=f"{agencies}/{n}"),
        Score("wire datelines", "slugs/sentences taken as datelines", false_places, 0, higher_is_better=False,
              note=f"of {len(slugs)} openings without one"),
        Score("wire datelines", "head byline right (tasks.text.clean)", bylines / n, 1.0, note=f"{bylines}/{n}"),
    ]
