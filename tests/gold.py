"""Score one run of the sample bundle against data/seeds-gold.json."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    kind: str
    document: str
    item: str
    passed: bool


def score(rows: dict[str, list[dict]], gold: dict) -> list[Check]:
    docs = {d["source_path"]: d for d in rows["documents"]}
    sentences = defaultdict(list)
    for s in rows["sentences"]:
        sentences[s["doc_id"]].append(s)
    entities = defaultdict(set)
    for e in rows["entities"]:
        entities[e["doc_id"]].add((e["text"], e["label"]))
    checks: list[Check] = []
    for name, expected in gold["documents"].items():
        doc = docs.get(name)
        if doc is None:
            checks.append(Check("document", name, "present", False))
            continue
        text, sents = doc["text"], sentences[doc["doc_id"]]
        body = {s["text"] for s in sents if not s["is_heading"]}
        heads = {s["text"] for s in sents if s["is_heading"]}
        checks.append(Check("lang", name, expected["lang"], doc["lang"] == expected["lang"]))
        dateline = expected["dateline"] or {"place": None, "date_text": None}
        got = (doc["dateline_place"], doc["dateline_date_text"])
        checks.append(Check("dateline", name, str(dateline), got == (dateline["place"], dateline["date_text"])))
        checks.append(Check("agency", name, str(expected["agency"]), doc["agency"] == expected["agency"]))
        for item in expected["boilerplate"]:
            absent = item not in text and not any(item in s["text"] for s in sents)
            checks.append(Check("boilerplate", name, item, absent))
        for item in expected["keep"]:
            checks.append(Check("keep", name, item, item in text))
        for item in expected["headings"]:
            checks.append(Check("heading", name, item, item in heads and item not in body))
        for text_, label in expected["entities"]:
            checks.append(Check("entity", name, f"{text_} [{label}]", (text_, label) in entities[doc["doc_id"]]))
    canonical_of = defaultdict(set)
    for e in rows["entities"]:
        canonical_of[e["text"]].add(e["canonical"])
    for group in gold["canonical"]:
        names = set().union(*(canonical_of.get(form, set()) for form in group))
        checks.append(Check("canonical", "(bundle)", " / ".join(group), len(names) == 1))
    return checks


def summary(checks: list[Check]) -> str:
    by_kind = defaultdict(lambda: [0, 0])
    for c in checks:
        by_kind[c.kind][0] += c.passed
        by_kind[c.kind][1] += 1
    passed = sum(c.passed for c in checks)
    parts = ", ".join(f"{k} {p}/{n}" for k, (p, n) in sorted(by_kind.items()))
    return f"gold: {passed}/{len(checks)} checks pass ({parts})"
