"""Language id on short and long texts (issue 9, must-hold 6), with the function the
pipeline calls (tasks.text.language.detect_languages, default settings = Config's).

- short-texts-dev.tsv (lingua's test data, 16 languages): accuracy per class (word
  pairs: target 0.85; single words: no target), `und` counting as wrong; of the wrong
  answers that name a language, the mean lang_prob and the share with lang_prob >= 0.99
  (an overconfident wrong answer; target: near 0).
- long texts: the French/Spanish press corpus (language known from the outlet: elpais.com
  Spanish, the others French) and Multi-News (English), the raw text of each article.

`python -m evals.short_texts` also prints the reliability table (accuracy per lang_prob
bucket) on the short texts.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence

from evals.common import Score, eval_file

BUCKETS = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.95, 0.99)
OVERCONFIDENT = 0.99


def short_texts() -> list[tuple[str, str, str]]:
    """(lang, class, text) rows of the short-text dev split."""
    with open(eval_file("short-texts-dev.tsv"), encoding="utf-8", newline="") as f:
        return [(r["lang"], r["class"], r["text"]) for r in csv.DictReader(f, delimiter="\t")]


def long_texts() -> list[tuple[str, str]]:
    """(lang, text) of every press (fr/es by outlet) and Multi-News (en) article."""
    found = []
    for name in ("press-fr-es-dev.jsonl", "multinews-dev.jsonl"):
        with open(eval_file(name), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                source = record.get("source") or ""
                lang = "en" if name.startswith("multinews") else "es" if "elpais" in source else "fr"
                found.append((lang, record["text"]))
    return found


def _detect(texts: Sequence[str], detect: Callable | None) -> list[tuple[str, float]]:
    if detect is None:
        from tasks.text.language import detect_languages as detect
    return [(g[0], float(g[1])) for g in detect(list(texts))]


def reliability(gold: Sequence[str], found: Sequence[tuple[str, float]]) -> list[tuple[float, int, float]]:
    """(bucket lower bound, texts, accuracy) per lang_prob bucket, over the answers that
    name a language (`und` is left out)."""
    table = []
    for lo, hi in zip(BUCKETS, BUCKETS[1:] + (1.01,)):
        hits = [lang == g for g, (lang, p) in zip(gold, found) if lang != "und" and lo <= p < hi]
        if hits:
            table.append((lo, len(hits), sum(hits) / len(hits)))
    return table


def scores(detect: Callable | None = None) -> list[Score]:
    rows = short_texts()
    found = _detect([text for _, _, text in rows], detect)
    out = []
    for cls, target in (("word-pairs", 0.85), ("single-words", None)):
        hits = [lang == g for (lang, c, _), (g, _) in zip(rows, found) if c == cls]
        out.append(Score("short texts", f"accuracy, {cls.replace('-', ' ')}", sum(hits) / len(hits), target,
                         note=f"{len(hits)} texts, 16 languages"))
    named_wrong = [p for (lang, _, _), (g, p) in zip(rows, found) if g != lang and g != "und"]
    und = sum(g == "und" for g, _ in found)
    out.append(Score("short texts", "mean lang_prob of wrong answers", sum(named_wrong) / max(1, len(named_wrong)),
                     note=f"{len(named_wrong)} wrong, {und} und"))
    overconfident = sum(p >= OVERCONFIDENT for p in named_wrong) / max(1, len(named_wrong))
    out.append(Score("short texts", "share of wrong answers with lang_prob >= 0.99", overconfident, 0.01,
                     higher_is_better=False))
    docs = long_texts()
    found_long = _detect([text for _, text in docs], detect)
    right = sum(lang == g for (lang, _), (g, _) in zip(docs, found_long))
    out.append(Score("long texts (press fr/es, multinews en)", "language accuracy", right / len(docs),
                     note=f"{len(docs)} articles"))
    return out


if __name__ == "__main__":
    rows = short_texts()
    found = _detect([text for _, _, text in rows], None)
    print(f"{sum(g == 'und' for g, _ in found)} of {len(found)} texts und")
    print("| lang_prob | texts | accuracy |\n|---|---:|---:|")
    for lo, n, acc in reliability([lang for lang, _, _ in rows], found):
        print(f"| >= {lo:g} | {n} | {acc:.3f} |")
