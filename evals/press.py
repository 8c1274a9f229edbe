"""French and Spanish press: entities, quotes and amounts through the pipeline (issue 9, must-hold 5).

On press-fr-es-dev.jsonl (300 articles), per detected language (fr, es): documents,
share with entities, entities per 1,000 words, quotes found, share of quotes attributed
to a speaker, amounts found. These are coverage figures (no gold on that corpus), with no
targets. Accuracy comes from evals/data/press-fr-checks.json: short French passages
written by hand with the value each amount must be read as and the speaker of each quote
(compared without a leading article).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from evals.common import REPO, Score, eval_file, pipeline_rows

LANGUAGES = ("fr", "es")
CHECKS = REPO / "evals" / "data" / "press-fr-checks.json"


def _rows(documents) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = defaultdict(list)
    for batch in pipeline_rows(documents):
        for name, rows in batch.items():
            tables[name] += rows
    return tables


def corpus_scores() -> list[Score]:
    articles = [json.loads(line) for line in eval_file("press-fr-es-dev.jsonl").open(encoding="utf-8")]
    documents = [
        (f"press/{i}.txt", a["text"], {"title": a.get("title") or None, "url": a.get("url"), "source": a.get("source")})
        for i, a in enumerate(articles)
    ]
    tables = _rows(documents)
    lang_of = {d["doc_id"]: d["lang"] for d in tables["documents"]}
    scores = []
    for lang in LANGUAGES:
        docs = [d for d in tables["documents"] if d["lang"] == lang and d["status"] == "ok"]
        if not docs:
            continue
        words = sum(len(d["text"].split()) for d in docs)
        quotes = [q for q in tables["quotes"] if lang_of[q["doc_id"]] == lang]
        amounts = [a for a in tables["amounts"] if lang_of[a["doc_id"]] == lang]
        models = Counter(d["ner_model"] for d in docs)
        model = ", ".join(str(m) for m in models)
        bench = f"press {lang}"
        scores += [
            Score(bench, "documents", len(docs), note=f"ner_model {model}"),
            Score(bench, "share with entities", sum(d["n_entities"] > 0 for d in docs) / len(docs)),
            Score(bench, "entities per 1,000 words", 1000 * sum(d["n_entities"] for d in docs) / max(words, 1)),
            Score(bench, "quotes found", len(quotes)),
            Score(bench, "share of quotes with a speaker", sum(q["speaker_name"] is not None for q in quotes) / max(len(quotes), 1)),
            Score(bench, "amounts found", len(amounts)),
        ]
    return scores


def _amount_ok(check: dict, amounts: list[dict]) -> bool:
    for a in amounts:
        if check["amount"] in a["text"] or (len(a["text"]) > 2 and a["text"] in check["amount"]):
            value_ok = abs(a["value"] - check["value"]) <= 1e-6 * max(1.0, abs(check["value"]))
            return value_ok and ("unit" not in check or a["unit"] == check["unit"])
    return False


ARTICLE = re.compile(r"^(?:le|la|les|l['’]|the)\s*", re.I)


def _speaker(name: str | None) -> str | None:
    """A speaker compared without a leading article (`la préfecture` = `préfecture`)."""
    return ARTICLE.sub("", name) if name else name


def _quote_ok(check: dict, quotes: list[dict]) -> bool:
    for q in quotes:
        if q["text"].startswith(check["quote"]):
            return _speaker(q["speaker_name"]) == _speaker(check["speaker"])
    return False


def check_scores() -> list[Score]:
    checks = json.loads(CHECKS.read_text(encoding="utf-8"))
    scores = []
    for kind, ok in (("amounts", _amount_ok), ("quotes", _quote_ok)):
        items = checks[kind]
        documents = [(f"checks/{kind}/{i}.txt", c["text"], {}) for i, c in enumerate(items)]
        tables = _rows(documents)
        by_doc: dict[str, list[dict]] = defaultdict(list)
        for row in tables[kind]:
            by_doc[row["doc_id"]].append(row)
        doc_ids = [d["doc_id"] for d in sorted(tables["documents"], key=lambda d: d["ordinal"])]
        right = sum(ok(c, by_doc[doc_id]) for c, doc_id in zip(items, doc_ids, strict=True))
        scores.append(Score("press fr checks", f"{kind} right", right / len(items), note=f"{right} of {len(items)}"))
    return scores


def scores() -> list[Score]:
    return check_scores() + corpus_scores()


if __name__ == "__main__":
    from evals.run import table

    print(table(scores()))
