"""Sentence boundaries through the real transform (issue 9, must-hold 3).

- pySBD's 48 English golden rules (evals/data/pysbd_golden_rules_en.json): each rule's
  text is a document; a rule passes when the document's sentences are exactly the
  expected ones.
- UD English EWT dev: each document's text rebuilt from its `# text` lines (a space
  between sentences, a blank line between paragraphs); the offsets where non-first
  sentences start, against newsetl's sentences.start_char: precision, recall, F1.
- French/Spanish press: documents with a sentence over 1,000 characters.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from pathlib import Path

from evals.common import Score, eval_file, pipeline_rows

GOLDEN = Path(__file__).resolve().parent / "data" / "pysbd_golden_rules_en.json"
LONG_SENTENCE_CHARS = 1000


def golden_rules() -> list[tuple[str, list[str]]]:
    return [(c["text"], c["sentences"]) for c in json.loads(GOLDEN.read_text())["cases"]]


def ud_documents(path: Path) -> Iterator[tuple[str, str, list[int]]]:
    """(doc id, text, start offsets of every non-first sentence) of each `# newdoc`."""
    doc_id, paragraphs = None, []

    def done():
        text, starts = "", []
        for p, sents in enumerate(paragraphs):
            if p:
                text += "\n\n"
            for s, sent in enumerate(sents):
                if s:
                    text += " "
                if text:
                    starts.append(len(text))
                text += sent
        return doc_id, text, starts

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc"):
            if doc_id is not None and paragraphs:
                yield done()
            doc_id, paragraphs = line.split("=", 1)[1].strip(), []
        elif line.startswith("# newpar") or (line.startswith("# text =") and not paragraphs):
            paragraphs.append([])
        if line.startswith("# text ="):
            paragraphs[-1].append(line.split("=", 1)[1].strip())
    if doc_id is not None and paragraphs:
        yield done()


def _sentences_by_doc(docs: list[tuple[str, str]]) -> dict[str, tuple[str, list[tuple[int, int]]]]:
    """source path → (documents.text, [(start, end)] of its sentences in order)."""
    found: dict[str, tuple[str, list]] = {}
    for tables in pipeline_rows((name, text.encode("utf-8"), {}) for name, text in docs):
        ids = {}
        for row in tables["documents"]:
            ids[row["doc_id"]] = row["source_path"]
            found[row["source_path"]] = (row["text"] or "", [])
        for row in tables["sentences"]:
            found[ids[row["doc_id"]]][1].append((row["sent_id"], row["start_char"], row["end_char"]))
    return {k: (text, [(s, e) for _, s, e in sorted(rows)]) for k, (text, rows) in found.items()}


def golden_passed() -> tuple[int, int, list[tuple[str, list[str]]]]:
    rules = golden_rules()
    got = _sentences_by_doc([(f"rule-{i:02d}.txt", text) for i, (text, _) in enumerate(rules)])
    failed = []
    for i, (text, expected) in enumerate(rules):
        doc_text, spans = got.get(f"rule-{i:02d}.txt", ("", []))
        found = [doc_text[s:e] for s, e in spans]
        if found != expected:
            failed.append((text, found))
    return len(rules) - len(failed), len(rules), failed


def prf(gold: set, found: set) -> tuple[float, float, float]:
    tp = len(gold & found)
    p = tp / len(found) if found else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _offset_map(source: str, target: str) -> dict[int, int]:
    """Offsets of source that are in target's text too (cleaning may drop a line), mapped."""
    if source == target:
        return {i: i for i in range(len(source) + 1)}
    found = {}
    for a, b, size in difflib.SequenceMatcher(None, source, target, autojunk=False).get_matching_blocks():
        found.update((a + i, b + i) for i in range(size))
    return found


def ud_boundaries() -> tuple[float, float, float, int, int]:
    """P, R, F1 of non-first sentence starts. Where cleaning changed a document's text,
    gold starts are mapped onto the cleaned text (a start in removed text stays a miss)."""
    docs = list(ud_documents(eval_file("ud-english-ewt-dev.conllu")))
    got = _sentences_by_doc([(f"{d}.txt", text) for d, text, _ in docs])
    gold, found, changed = set(), set(), 0
    for d, text, starts in docs:
        doc_text, spans = got.get(f"{d}.txt", ("", []))
        changed += doc_text != text
        mapped = _offset_map(text, doc_text)
        gold |= {(d, mapped.get(s, -1 - s)) for s in starts}
        found |= {(d, s) for s, _ in spans[1:]}
    p, r, f = prf(gold, found)
    return p, r, f, changed, len(docs)


def long_sentence_documents() -> tuple[int, int]:
    rows = [json.loads(line) for line in eval_file("press-fr-es-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    got = _sentences_by_doc([(f"{r['id']}.txt", r["text"]) for r in rows])
    long_docs = sum(any(e - s > LONG_SENTENCE_CHARS for s, e in spans) for _, spans in got.values())
    return long_docs, len(got)


def scores() -> list[Score]:
    passed, total, _ = golden_passed()
    p, r, f, changed, n_ud = ud_boundaries()
    long_docs, n_docs = long_sentence_documents()
    note = f"{changed} of {n_ud} documents' text changed by cleaning, gold mapped onto it" if changed else ""
    return [
        Score("pySBD golden rules (en)", "rules passed", passed, target=46, note=f"of {total}"),
        Score("UD EWT dev sentences", "boundary precision", round(p, 3), note=note),
        Score("UD EWT dev sentences", "boundary recall", round(r, 3), note=f"{n_ud} documents"),
        Score("UD EWT dev sentences", "boundary F1", round(f, 3), target=0.93),
        Score(
            "press fr/es sentences", f"documents with a sentence > {LONG_SENTENCE_CHARS:,} chars", long_docs,
            target=0, higher_is_better=False, note=f"of {n_docs}",
        ),
    ]


if __name__ == "__main__":
    passed, total, failed = golden_passed()
    print(f"golden rules {passed}/{total}")
    for text, found in failed:
        print(f"  FAIL {text!r}\n       {found!r}")
