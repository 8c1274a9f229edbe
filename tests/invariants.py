"""Checks of DESIGN.md's invariants over one bundle's output, shared by the tests."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from tasks.store.load import read_table
from tasks.store.schemas import TABLES


def bundle_rows(out: Path, bundle_id: str) -> dict[str, list[dict]]:
    return {t: read_table(out, t, bundle_id).to_pylist() for t in TABLES}


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
        if text[s["start_char"] : s["end_char"]] != s["text"]:
            problems.append(f"sentence offsets wrong: {s['doc_id']}#{s['sent_id']}")
    for e in rows["entities"]:
        text = docs[e["doc_id"]]["text"]
        if text[e["start_char"] : e["end_char"]] != e["text"]:
            problems.append(f"entity offsets wrong: {e['doc_id']}#{e['ent_id']} {e['text']!r}")
        sent = sentences.get((e["doc_id"], e["sent_id"]))
        if sent is None or not (sent["start_char"] <= e["start_char"] and e["end_char"] <= sent["end_char"]):
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
    problems += _story_violations(rows, docs, sentences)
    for table in ("removed", "sentences", "entities", "quotes", "amounts"):
        orphans = {r["doc_id"] for r in rows[table]} - docs.keys()
        if orphans:
            problems.append(f"{table} rows for unknown documents: {sorted(orphans)[:3]}")
    return problems


def _story_violations(rows: dict[str, list[dict]], docs: dict, sentences: dict) -> list[str]:
    """Quotes, amounts, doc pairs, sentence links and claims (the cross-outlet tables)."""
    problems = []
    for table, id_column in (("quotes", "quote_id"), ("amounts", "amount_id")):
        keys = Counter((r["doc_id"], r[id_column]) for r in rows[table])
        problems += [f"{table} id repeated: {k}" for k, n in keys.items() if n > 1]
        for r in rows[table]:
            text = docs[r["doc_id"]]["text"]
            if text[r["start_char"] : r["end_char"]] != r["text"]:
                problems.append(f"{table} offsets wrong: {r['doc_id']}#{r[id_column]} {r['text']!r}")
            if (r["doc_id"], r["sent_id"]) not in sentences:
                problems.append(f"{table} row in unknown sentence: {r['doc_id']}#{r[id_column]}")
    for q in rows["quotes"]:
        if q["speaker_start"] is not None and not q["speaker_text"]:
            problems.append(f"quote speaker offsets without speaker: {q['doc_id']}#{q['quote_id']}")
        if q["speaker_name"] and not q["speaker"]:
            problems.append(f"quote speaker without canonical name: {q['doc_id']}#{q['quote_id']}")
        if q["speaker_text"] and docs[q["doc_id"]]["text"][q["speaker_start"] : q["speaker_end"]] != q["speaker_text"]:
            problems.append(f"quote speaker offsets wrong: {q['doc_id']}#{q['quote_id']}")
    for p in rows["doc_pairs"]:
        if p["doc_id_a"] not in docs or p["doc_id_b"] not in docs or p["doc_id_a"] == p["doc_id_b"]:
            problems.append(f"doc pair with unknown or same documents: {p}")
    for link in rows["sentence_links"]:
        a, b = (link["doc_id"], link["sent_id"]), (link["other_doc_id"], link["other_sent_id"])
        if a not in sentences or b not in sentences or link["doc_id"] == link["other_doc_id"]:
            problems.append(f"sentence link with unknown sentences: {link}")
        elif sentences[a]["claim_id"] != sentences[b]["claim_id"]:
            problems.append(f"linked sentences in different claims: {link}")
    for s in sentences.values():
        if (s["claim_id"] is None) != bool(s["is_heading"]):
            problems.append(f"claim id must be set on body sentences only: {s['doc_id']}#{s['sent_id']}")
    for d in docs.values():
        if (d["cluster_id"] is None) != (d["status"] != "ok"):
            problems.append(f"cluster id must be set on documents with text only: {d['doc_id']}")
    return problems
