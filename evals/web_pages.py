"""Web pages (trafilatura's evaluation set): the pipeline's documents.text against snippets
that must be kept or removed, and the audit (no visible character lost without a reason).

Scoring as trafilatura's own evaluation (docs/eval-data.md): whitespace is
normalized in the text and in each snippet; a `keep` snippet found is a true positive,
missing a false negative; a `remove` snippet found is a false positive. Each page goes
through the real transform like a file of a bundle (no meta; its file name, so .html is
known). trafilatura alone (extract, default options + include_tables) is scored the same
way for comparison.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from evals.common import Score, eval_file, pipeline_rows

TARGET_F1, TARGET_RECALL = 0.93, 0.94


def _norm(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(texts: dict[str, str], gold: dict[str, dict]) -> tuple[int, int, int]:
    """(true positives, false negatives, false positives) over all pages' snippets."""
    tp = fn = fp = 0
    for name, snippets in gold.items():
        text = _norm(texts.get(name) or "")
        for keep in snippets["keep"]:
            found = _norm(keep) in text
            tp, fn = tp + found, fn + (not found)
        fp += sum(_norm(remove) in text for remove in snippets["remove"])
    return tp, fn, fp


def prf(tp: int, fn: int, fp: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _nonblank(texts: Iterable[str]) -> Counter:
    return Counter(ch for text in texts for ch in text if not ch.isspace())


def audit_violations(payloads: dict[str, bytes], documents: list[dict], removed: list[dict]) -> int:
    """Pages whose visible text's non-blank characters are not exactly those of
    documents.text plus the removed rows."""
    from tasks.ingest.decode import decode

    removed_by_doc: dict[str, list[str]] = {}
    for row in removed:
        removed_by_doc.setdefault(row["doc_id"], []).append(row["text"])
    bad = 0
    for doc in documents:
        visible = decode(payloads[doc["source_path"]], doc["source_path"]).text
        accounted = _nonblank([doc["text"] or "", *removed_by_doc.get(doc["doc_id"], [])])
        bad += _nonblank([visible]) != accounted
    return bad


def scores() -> list[Score]:
    import trafilatura

    gold = json.loads(eval_file("web-pages-gold.json").read_text())
    folder = eval_file("web-pages")
    payloads = {name: (folder / name).read_bytes() for name in gold}
    documents: list[dict] = []
    removed: list[dict] = []
    for tables in pipeline_rows((name, payload, {}) for name, payload in payloads.items()):
        documents += tables["documents"]
        removed += tables["removed"]
    texts = {doc["source_path"]: doc["text"] for doc in documents}
    precision, recall, f1 = prf(*snippet_counts(texts, gold))
    alone = {name: trafilatura.extract(p, include_tables=True) or "" for name, p in payloads.items()}
    _, alone_recall, alone_f1 = prf(*snippet_counts(alone, gold))
    pages = f"{len(documents)} pages"
    return [
        Score("web pages", "precision", precision, note=pages),
        Score("web pages", "recall", recall, target=TARGET_RECALL, note=pages),
        Score("web pages", "F1", f1, target=TARGET_F1, note=pages),
        Score("web pages", "audit violations", audit_violations(payloads, documents, removed), target=0,
              higher_is_better=False, note="pages with a visible character unaccounted for"),
        Score("web pages", "F1 of trafilatura alone", alone_f1, note=f"recall {alone_recall:.3f}; for comparison"),
    ]
