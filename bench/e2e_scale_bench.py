"""`make bench`: newsetl end to end at 1,000 → 10,000 → 50,000 articles: cost growth and memory.

Each size is a generated .jsonl.gz bundle of real-length articles (>= 400 words) with the
structure of a daily feed, from bench/scale_bench.py's generator: many distinct stories
(60%), syndicated copies of recent stories with edits (30%), a block of template
documents (10%), agency boilerplate lines; sentences of words from the sample's
vocabulary, in paragraphs. (bench/corpus.py recombines the five sample articles'
paragraphs: every pair of its articles is about the same story, so its similar pairs grow
with the square of the bundle, which no real feed does.) Each bundle runs as a whole process
(`flows.cli run --workers N`, spawn to exit: start-up, extract, transform with NER,
the bundle step, publish, views, reports) with the peak RSS of its process tree. The
growth exponent log(t2/t1)/log(n2/n1) between successive sizes and from the first to
the last is printed (target <= 1.05), and the peak memory of each size against the one
before (target: 50k <= 1.3x of 10k). Every size runs without NER (`--no-entities`:
the senter still runs) unless --entities is given: with NER the 50,000 articles alone
take about 50 minutes on 2 cores, without it the three sizes take about 15.
Usage: python -m bench.e2e_scale_bench [--sizes 1000 10000 50000] [--entities] [--workers N] [--timeout S]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time

from bench import growth, progress
from bench.run_bench import CROSS_DOCUMENT_LOG, OUT, ROOT, PeakMemory
from bench.scale_bench import generate as feed

MIN_WORDS = 400


def write_feed(target, n_docs: int) -> tuple[int, int]:
    """n_docs generated articles as a .jsonl.gz bundle, paragraphs of 3 sentences; (articles, words)."""
    words = 0
    with gzip.open(target, "wt", encoding="utf-8") as fh:
        for doc_id, sentences in feed(n_docs):
            text = "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))
            words += len(text.split())
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return n_docs, words


def run(corpus, workers: int, timeout: float, entities: bool) -> dict:
    out = OUT / "e2e-run"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "flows.cli", "run", str(corpus), "--out", str(out), "--workers", str(workers)]
    cmd.append("--verbose")  # the cross-document log line is read below
    if not entities:
        cmd.append("--no-entities")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        try:
            err = progress.communicate(proc, timeout=timeout)  # newsetl's progress lines shown as they come
        except subprocess.TimeoutExpired:
            return {"failed": f"not finished within {timeout:.0f} s"}
    seconds = time.perf_counter() - started
    if proc.returncode:
        return {"failed": f"exit {proc.returncode}: {err[-2000:]}"}
    step = CROSS_DOCUMENT_LOG.search(err)
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "peak": memory.peak, "bundle_step": step.group(1) if step else "not logged"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed per size")
    parser.add_argument("--entities", action="store_true", help="run NER too (about 50 minutes for 50,000 on 2 cores)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"newsetl end to end on generated bundles of {args.sizes} articles (>= {MIN_WORDS} words), "
          f"--workers {args.workers}, {os.cpu_count()} cores, {'with' if args.entities else 'without'} NER", flush=True)
    results = []
    for n in args.sizes:
        corpus = OUT / f"e2e-{n}.jsonl.gz"
        n_docs, n_words = write_feed(corpus, n)
        print(f"size {n}: {n_words} words; running ...", flush=True)
        r = run(corpus, args.workers, args.timeout, args.entities)
        corpus.unlink()
        if "failed" in r:
            print(f"size {n}: {r['failed']}; stopping", flush=True)
            break
        r.update(documents=n_docs, words=n_words)
        results.append(r)
        print(f"size {n}: {r['seconds']:.1f} s, {n_docs / r['seconds']:.1f} docs/s, {n_words / r['seconds']:.0f} words/s, "
              f"peak {r['peak'] / 2**20:.0f} MB; bundle step: {r['bundle_step']}", flush=True)
    print("\nsummary (whole process, spawn to exit; peak RSS of the process tree)", flush=True)
    print(f"  {'articles':>9} {'seconds':>9} {'docs/s':>8} {'peak MB':>8} {'exponent':>9} {'memory':>8}", flush=True)
    for r, exponent, ratio in growth.steps(results, "documents", "seconds", "peak"):
        print(f"  {r['documents']:>9} {r['seconds']:>9.1f} {r['documents'] / r['seconds']:>8.1f} "
              f"{r['peak'] / 2**20:>8.0f} {exponent:>9} {ratio:>8}", flush=True)
    if len(results) >= 2:
        first, last = results[0], results[-1]
        overall = growth.exponent(first["seconds"], first["documents"], last["seconds"], last["documents"])
        print(f"  exponent {first['documents']} -> {last['documents']}: {overall:.2f} (target <= 1.05); "
              f"memory {last['documents']} vs {results[-2]['documents']}: {last['peak'] / results[-2]['peak']:.2f}x "
              f"(target <= 1.3x)", flush=True)


if __name__ == "__main__":
    main()
