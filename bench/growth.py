"""Cost growth between bench sizes: the exponent k in time ~ n^k, and the memory ratio."""
from __future__ import annotations

import math


def exponent(seconds_a: float, n_a: int, seconds_b: float, n_b: int) -> float:
    """log(t_b / t_a) / log(n_b / n_a): 1.0 is linear, 2.0 quadratic."""
    return math.log(seconds_b / seconds_a) / math.log(n_b / n_a)


def steps(results: list[dict], n: str, seconds: str, peak: str) -> list[tuple[dict, str, str]]:
    """(result, exponent against the size before, memory ratio against it) for each result."""
    rows = []
    for previous, r in zip([None] + results, results):
        growth = ratio = ""
        if previous:
            growth = f"{exponent(previous[seconds], previous[n], r[seconds], r[n]):.2f}"
            ratio = f"{r[peak] / previous[peak]:.2f}x"
        rows.append((r, growth, ratio))
    return rows
