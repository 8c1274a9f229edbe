"""`make bench`: repeated text is processed once (issue 8, point 4).

Two generated corpora of articles with distinct paragraphs (sentences of words drawn
from the sample's vocabulary, so no paragraph repeats by chance): the single-copy
corpus, and the same articles four times each, every copy with one paragraph edited
and a boilerplate line of its own, as syndicated copies look. Both run end to end
(`newsetl run`, whole process, same options); the cost ratio is printed. Target: the
four-copy corpus costs at most 2x the single one (without reuse: about 4x). Then the
four-copy corpus runs once more with reuse off (`--nlp-cache-chars 0`) and every table
of the two runs is compared: the rows must be identical.
Usage: python -m bench.reuse_bench [--articles 300] [--workers N (default: one per core)]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import progress
from bench.run_bench import OUT, ROOT, PeakMemory
from tasks.store.schemas import TABLES

WORK = OUT / "reuse"
PARAGRAPHS = 8


def _vocabulary() -> list[str]:
    words = {w for p in (ROOT / "data" / "seeds").glob("*.txt") for w in re.findall(r"[A-Za-z]{3,}", p.read_text())}
    return sorted(words)


def _paragraph(rng: random.Random, vocabulary: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = rng.choices(vocabulary, k=rng.randint(10, 20))
        words[0] = words[0].capitalize()
        sentences.append(" ".join(words) + ".")
    return " ".join(sentences)


def corpora(n_articles: int, seed: int = 11) -> tuple[Path, Path, int]:
    """(single-copy bundle, four-copy bundle, words in the single one)."""
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    articles = [[_paragraph(rng, vocabulary) for _ in range(PARAGRAPHS)] for _ in range(n_articles)]
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    single, copies = WORK / "single.jsonl.gz", WORK / "copies.jsonl.gz"
    with gzip.open(single, "wt", encoding="utf-8") as fh:
        for i, paragraphs in enumerate(articles):
            fh.write(json.dumps({"id": f"a{i}", "text": "\n\n".join(paragraphs)}) + "\n")
    with gzip.open(copies, "wt", encoding="utf-8") as fh:
        for copy in range(4):
            for i, paragraphs in enumerate(articles):
                edited = list(paragraphs)
                k = rng.randrange(PARAGRAPHS)
                words = edited[k].split()
                for _ in range(3):
                    words[rng.randrange(len(words))] = rng.choice(vocabulary)
                edited[k] = " ".join(words)
                edited.append(f"Read more from Outlet {copy} at outlet{copy}.example, story {i}.")
                fh.write(json.dumps({"id": f"a{i}-c{copy}", "text": "\n\n".join(edited)}) + "\n")
    return single, copies, sum(len(" ".join(p).split()) for p in articles)


def run(bundle: Path, workers: int, reuse: bool = True) -> tuple[float, int]:
    out = _out(bundle, reuse)
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "flows.cli", "run", str(bundle), "--out", str(out), "--workers", str(workers)]
    if not reuse:
        cmd += ["--nlp-cache-chars", "0"]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        err = progress.communicate(proc)  # newsetl's progress lines shown as they come
    if proc.returncode:
        sys.exit(f"run on {bundle} failed:\n{err[-4000:]}")
    return time.perf_counter() - started, memory.peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    single, copies, words = corpora(args.articles)
    print(f"reuse: {args.articles} articles of {PARAGRAPHS} distinct paragraphs ({words:,} words), "
          f"then each 4 times with one paragraph edited; --workers {args.workers}", flush=True)
    one_seconds, one_peak = run(single, args.workers)
    print(f"  single copy: {one_seconds:.1f} s, peak {one_peak / 2**20:.0f} MB", flush=True)
    four_seconds, four_peak = run(copies, args.workers)
    print(f"  four copies: {four_seconds:.1f} s, peak {four_peak / 2**20:.0f} MB", flush=True)
    print(f"  cost ratio four/single: {four_seconds / one_seconds:.2f} (target <= 2; 4 without reuse)", flush=True)
    off_seconds, off_peak = run(copies, args.workers, reuse=False)
    print(f"  four copies, reuse off: {off_seconds:.1f} s, peak {off_peak / 2**20:.0f} MB "
          f"(ratio to single {off_seconds / one_seconds:.2f})", flush=True)
    different = [t for t in TABLES if _table(_out(copies, True), t) != _table(_out(copies, False), t)]
    print(f"  rows with and without reuse: {'identical in every table' if not different else f'DIFFERENT in {different}'}",
          flush=True)


def _out(bundle: Path, reuse: bool) -> Path:
    return WORK / f"out-{bundle.name.split('.')[0]}{'' if reuse else '-no-reuse'}"


def _table(out: Path, table: str) -> list[dict]:
    from tasks.store.load import read_table

    return read_table(out, table, "copies").to_pylist()


if __name__ == "__main__":
    main()
