"""Checks of DESIGN.md's invariants over one bundle's output, shared by the tests."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from tasks.load import read_table


def bundle_rows(out: Path, bundle_id: str) -> dict[str, list[dict]]:
    return {t: read_table(out, t, bundle_id).to_pylist() for t in ("documents", "removed", "sentences", "entities")}


def invariant_violations(rows: dict[str, list[dict]]) -> list[str]:
    """Every broken invariant, as a readable line; empty when all hold."""
    problems: list[str] = []
    docs = {d["doc_id"]: d for d in rows["documents"]}
    if len(docs) != len(rows["documents"]):
        problems.append("doc_id not unique")
    sent_keys = Counter((s["doc_id"], s["sent_id"]) for s in rows["sentences"])
    problems += [f"sentence id repeated: {k}" for k, n in sent_keys.items() if n > 1]
    ent_keys = Counter((e["doc_id"], e["ent_id"]) for e in rows["entities"])
    problems += [f"entity id repeated: {k}" for k, n in ent_keys.items() if n > 1]
    sentences = {(s["doc_id"], s["sent_id"]): s for s in rows["sentences"]}
    for s in rows["sentences"]:
        text = docs[s["doc_id"]]["text"]
        if text[s["start"] : s["end"]] != s["text"]:
            problems.append(f"sentence offsets wrong: {s['doc_id']}#{s['sent_id']}")
    for e in rows["entities"]:
        text = docs[e["doc_id"]]["text"]
        if text[e["start"] : e["end"]] != e["text"]:
            problems.append(f"entity offsets wrong: {e['doc_id']}#{e['ent_id']} {e['text']!r}")
        sent = sentences.get((e["doc_id"], e["sent_id"]))
        if sent is None or not (sent["start"] <= e["start"] and e["end"] <= sent["end"]):
            problems.append(f"entity outside its sentence: {e['doc_id']}#{e['ent_id']} {e['text']!r}")
        if not e["canonical"]:
            problems.append(f"entity without canonical name: {e['doc_id']}#{e['ent_id']}")
    body = Counter(s["doc_id"] for s in rows["sentences"] if not s["is_heading"])
    headings = Counter(s["doc_id"] for s in rows["sentences"] if s["is_heading"])
    entities = Counter(e["doc_id"] for e in rows["entities"])
    removed = Counter(r["doc_id"] for r in rows["removed"])
    for doc_id, d in docs.items():
        for column, counted in (
            ("n_sentences", body),
            ("n_headings", headings),
            ("n_entities", entities),
            ("n_removed", removed),
        ):
            if d[column] != counted[doc_id]:
                problems.append(f"{column} of {doc_id} is {d[column]}, child table has {counted[doc_id]}")
        if d["n_chars"] != len(d["text"]):
            problems.append(f"n_chars of {doc_id} disagrees with its text")
    for table in ("removed", "sentences", "entities"):
        orphans = {r["doc_id"] for r in rows[table]} - docs.keys()
        if orphans:
            problems.append(f"{table} rows for unknown documents: {sorted(orphans)[:3]}")
    return problems
