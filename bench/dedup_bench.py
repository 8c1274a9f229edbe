"""Near-duplicate detection at scale: MinHash signatures + LSH pairs + clusters.

Generates N distinct articles (words drawn from the sample articles' vocabulary) and
plants edited copies of 10% of them, then times tasks.story.dedup and checks that every
planted copy is found and nothing else clusters.
Usage: python -m bench.dedup_bench [--documents 50000]
"""
from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

from tasks.story.dedup import clusters, signatures, similar_pairs

ROOT = Path(__file__).resolve().parent.parent


def corpus(n_docs: int, seed: int = 7) -> tuple[list[str], list[str], set[tuple[str, str]]]:
    rng = random.Random(seed)
    vocabulary = sorted({w for p in (ROOT / "data" / "seeds").glob("*.txt") for w in re.findall(r"\w+", p.read_text())})
    originals = n_docs * 10 // 11
    ids, texts, planted = [], [], set()
    for i in range(originals):
        ids.append(f"d{i}")
        texts.append(" ".join(rng.choices(vocabulary, k=rng.randint(250, 600))))
    for i in range(n_docs - originals):
        source = rng.randrange(originals)
        words = texts[source].split()
        for _ in range(len(words) // 25):  # ~4% of words changed
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        ids.append(f"c{i}")
        texts.append(" ".join(words))
        planted.add((f"d{source}", f"c{i}"))
    return ids, texts, planted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=50_000)
    args = parser.parse_args()
    print(f"dedup: generating {args.documents} documents ...", flush=True)
    ids, texts, planted = corpus(args.documents)
    words = sum(len(t.split()) for t in texts)

    print(f"dedup: {len(ids)} documents generated; signing ...", flush=True)
    started = time.perf_counter()
    sigs = signatures(texts)
    signed = time.perf_counter()
    print(f"  signed in {signed - started:.1f} s; LSH pairs ...", flush=True)
    pairs = similar_pairs(ids, sigs)
    paired = time.perf_counter()
    print(f"  {len(pairs)} pairs in {paired - signed:.1f} s; clusters ...", flush=True)
    cluster_of = clusters(ids, pairs)
    done = time.perf_counter()

    origin = {copy: original for original, copy in planted}
    found = sum(1 for a, b in planted if cluster_of[a] == cluster_of[b])
    false_pairs = sum(
        1 for p in pairs if p.is_near_duplicate and origin.get(p.doc_a, p.doc_a) != origin.get(p.doc_b, p.doc_b)
    )
    print(f"dedup: {len(ids)} documents, {words} words, {len(planted)} planted near-duplicates")
    print(f"  signatures  {signed - started:7.1f} s  {len(ids) / (signed - started):9.0f} docs/s")
    print(f"  LSH pairs   {paired - signed:7.1f} s  {len(pairs)} pairs at similarity >= 0.2")
    print(f"  clusters    {done - paired:7.1f} s")
    print(f"  total       {done - started:7.1f} s  {len(ids) / (done - started):9.0f} docs/s")
    print(f"  planted copies clustered with their original: {found}/{len(planted)}; near-duplicate pairs of unrelated documents: {false_pairs}")


if __name__ == "__main__":
    main()
