"""Story step at growing sizes: time of assign_stories (candidate search, similarities,
clustering) on generated documents, in one run and as a second run against the state of a
first (the state read from OUT is as large as the first run).

    python -m bench.story_bench                 # 1,000 / 4,000 / 16,000 documents
    python -m bench.story_bench --sizes 1000 2000

Documents: words drawn from a Zipf vocabulary of 50,000 words (the news's common words),
each story (4 documents on average) with 12 words of its own of which each document
carries 6 (names, places). Terms are built by tasks/story/terms.py's weighting from these
counts (rarity: about -log10 of the word's Zipf frequency, as wordfreq
would give). Prints seconds per size and the growth exponent (1.0 = linear).
"""
from __future__ import annotations

import argparse
import math
import time
from datetime import date

import numpy as np

from bench.growth import exponent
from tasks.config import DEFAULT
from tasks.story.stories import StoryDocument, assign_stories

VOCABULARY = 50_000
COMMON_WORDS = 150
STORY_WORDS = 12
STORY_WORDS_PER_DOCUMENT = 6
DOCUMENTS_PER_STORY = 4


def _rarity(term: str) -> float:
    """As tasks/story/rarity.py would give: -log10 of a Zipf frequency (about 1 for the most
    common word, 6 for the rarest), 8 for a story's own words (unseen in the language)."""
    if term.startswith("w"):
        return 1.0 + math.log10(1 + int(term[1:]))
    return 8.0


def documents(n: int, seed: int, prefix: str) -> list[StoryDocument]:
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, VOCABULARY + 1)
    p = 1.0 / ranks
    p /= p.sum()
    out = []
    for i in range(n):
        story = i // DOCUMENTS_PER_STORY
        words = rng.choice(VOCABULARY, COMMON_WORDS, p=p)
        counts: dict[str, float] = {}
        for w in words.tolist():
            counts[f"w{w}"] = counts.get(f"w{w}", 0) + 1
        for w in rng.choice(STORY_WORDS, STORY_WORDS_PER_DOCUMENT, replace=False).tolist():
            counts[f"{prefix}s{story}_{w}"] = counts.get(f"{prefix}s{story}_{w}", 0) + 2
        terms = {t: (1 + math.log(c)) * _rarity(t) for t, c in counts.items()}
        out.append(StoryDocument(f"{prefix}{i}", terms))
    return out


def run(n: int) -> dict:
    first = documents(n, 1, "a")
    started = time.perf_counter()
    single = assign_stories(first, None, None, date(2026, 1, 1), DEFAULT)
    one = time.perf_counter() - started
    second = documents(n, 2, "b")
    started = time.perf_counter()
    later = assign_stories(second, single.documents, single.terms, date(2026, 1, 2), DEFAULT)
    two = time.perf_counter() - started
    return {
        "n": n,
        "seconds": one,
        "second_run_seconds": two,
        "stories": len(set(single.story_of.values())),
        "pairs": single.n_candidate_pairs,
        "joined": later.n_joined,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 16000])
    args = parser.parse_args()
    results = []
    print("| documents | seconds | s per 1,000 | growth | second run (state of n) | stories | candidate pairs |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        r = run(n)
        growth = f"{exponent(results[-1]['seconds'], results[-1]['n'], r['seconds'], n):.2f}" if results else ""
        results.append(r)
        print(
            f"| {n:,} | {r['seconds']:.1f} | {1000 * r['seconds'] / n:.2f} | {growth} | {r['second_run_seconds']:.1f} "
            f"| {r['stories']:,} (of {math.ceil(n / DOCUMENTS_PER_STORY):,} made) | {r['pairs']:,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
