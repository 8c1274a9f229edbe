"""`make eval`: every quality score on the development splits, in one table.

    python -m evals.run                # all
    python -m evals.run web sentences  # some (names as in EVALS)

Each eval module has `scores() -> list[Score]`. Scores and targets are the issues'
(see README, Quality); the data is described in docs/eval-data.md (a copy of its README).
"""
from __future__ import annotations

import importlib
import sys
import time

from evals.common import Score

EVALS = {  # name → module with scores()
    "gold": "evals.seed_gold",
    "web": "evals.web_pages",
    "datelines": "evals.datelines",
    "conll": "evals.conll",
    "press": "evals.press",
    "sentences": "evals.sentences",
    "short": "evals.short_texts",
    "stories": "evals.stories",
}


def table(rows: list[Score]) -> str:
    lines = ["| benchmark | metric | value | target | |", "|---|---|---|---|---|"]
    for s in rows:
        value = f"{s.value:.3f}" if isinstance(s.value, float) and not s.value.is_integer() else f"{s.value:g}"
        target = "" if s.target is None else (">= " if s.higher_is_better else "<= ") + f"{s.target:g}"
        mark = {True: "ok", False: "BELOW", None: ""}[s.passed]
        note = f" ({s.note})" if s.note else ""
        lines.append(f"| {s.benchmark} | {s.metric}{note} | {value} | {target} | {mark} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = argv or list(EVALS)
    unknown = [n for n in names if n not in EVALS]
    if unknown:
        print(f"unknown eval(s) {unknown}; known: {', '.join(EVALS)}", file=sys.stderr)
        return 2
    rows: list[Score] = []
    for name in names:
        started = time.perf_counter()
        print(f"eval {name} ...", file=sys.stderr, flush=True)
        found = importlib.import_module(EVALS[name]).scores()
        print(f"eval {name}: {len(found)} scores in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        rows += found
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
