"""`make bench`: newsetl end to end on a generated corpus, next to bare spaCy on the same texts.

Both sides are whole processes timed from spawn to exit (interpreter and library
start-up, model load, reading the corpus, the work, shut-down) and given the same
cores: newsetl runs with --workers N, bare spaCy runs the pipeline newsetl uses
(senter + ner only) through nlp.pipe with n_process=N. The two sides alternate
(newsetl, spaCy, newsetl, spaCy, ...) --repeat times, so a load that comes and goes
on the machine falls on both; the medians of wall time and of peak memory (RSS of
the process tree) are printed with the ratio newsetl/spaCy.
Usage: python -m bench.run_bench [--articles N] [--workers N] [--batch-size N] [--repeat N]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from bench import progress
from bench.corpus import generate
from tasks.text.nlp import ENGLISH_MODEL, UNUSED_PIPES

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SPACY_BATCH_SIZE = 64


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


def timed(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, int, int, str, str]:
    """Run cmd to exit: (wall seconds from spawn to exit, peak RSS of its tree, returncode, stdout, stderr)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        if stdout is subprocess.PIPE:
            out, err = proc.communicate()
        else:
            out, err = None, progress.communicate(proc)  # newsetl's progress lines shown as they come
    return time.perf_counter() - started, memory.peak, proc.returncode, out or "", err


def run_pipeline(corpus: Path, workers: int, batch_size: int) -> tuple[float, int, str]:
    out = OUT / "run"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "flows.cli", "run", str(corpus), "--out", str(out),
           "--workers", str(workers), "--batch-size", str(batch_size), "--verbose"]  # verbose: the cross-document log line
    seconds, peak, code, _, err = timed(cmd)
    if code:
        sys.exit(f"pipeline failed:\n{err[-4000:]}")
    cross_document = CROSS_DOCUMENT_LOG.search(err)
    return seconds, peak, cross_document.group(1) if cross_document else "not logged"


def spacy_script(corpus: Path, workers: int) -> str:
    """Bare spaCy as a user would run it: load the model newsetl loads, read the bundle, nlp.pipe."""
    return (
        "import gzip, json, spacy\n"
        f"nlp = spacy.load({ENGLISH_MODEL!r}, exclude={UNUSED_PIPES!r})\n"
        "nlp.enable_pipe('senter')\n"
        f"texts = [json.loads(line)['text'] for line in gzip.open({str(corpus)!r}, 'rt', encoding='utf-8')]\n"
        "docs = ents = 0\n"
        f"for doc in nlp.pipe(texts, batch_size={SPACY_BATCH_SIZE}, n_process={workers}):\n"
        "    docs += 1; ents += len(doc.ents)\n"
        "print(docs, ents, '+'.join(nlp.pipe_names))\n"
    )


def run_bare_spacy(corpus: Path, workers: int) -> tuple[float, int, str]:
    seconds, peak, code, out, err = timed([sys.executable, "-c", spacy_script(corpus, workers)], subprocess.PIPE)
    if code:
        sys.exit(f"bare spaCy failed:\n{err[-4000:]}")
    docs, ents, pipes = out.split()
    return seconds, peak, f"{docs} docs, {ents} entities, pipes {pipes}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="newsetl --workers, and spaCy n_process (default: one per core)")
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side, interleaved (default: 3)")
    args = parser.parse_args()
    if min(args.articles, args.workers, args.batch_size, args.repeat) < 1:
        parser.error("--articles, --workers, --batch-size and --repeat must be at least 1")

    corpus = OUT / "corpus.jsonl.gz"
    n_docs, n_words = generate(ROOT / "data" / "seeds", corpus, args.articles)
    print(f"corpus: {n_docs} articles, {n_words} words ({corpus.stat().st_size / 1e6:.1f} MB gzipped), "
          f"{os.cpu_count()} cores; {args.repeat} interleaved runs of each side, "
          f"{args.workers} worker(s) / n_process={args.workers}", flush=True)

    sides = {
        "newsetl": (f"newsetl end to end (`flows.cli run --workers {args.workers} --batch-size {args.batch_size}`)",
                    lambda: run_pipeline(corpus, args.workers, args.batch_size)),
        "spacy": (f"bare spaCy senter+ner, nlp.pipe n_process={args.workers} (whole process)",
                  lambda: run_bare_spacy(corpus, args.workers)),
    }
    results: dict[str, list[tuple[float, int]]] = {side: [] for side in sides}
    notes: dict[str, str] = {}
    for i in range(1, args.repeat + 1):
        for side, (_, run) in sides.items():
            print(f"[{i}/{args.repeat}] {side:<7} running ...", flush=True)
            seconds, peak, note = run()
            results[side].append((seconds, peak))
            notes[side] = note
            print(f"[{i}/{args.repeat}] {side:<7} {seconds:7.1f} s  {peak / 2**20:6.0f} MB peak", flush=True)

    medians = {
        side: (statistics.median(s for s, _ in runs), statistics.median(p for _, p in runs))
        for side, runs in results.items()
    }
    print()
    print(f"medians of {args.repeat} run(s), wall time from spawn to exit, peak RSS of the process tree:")
    print(f"{'run':<72} {'seconds':>8} {'docs/s':>8} {'words/s':>9} {'peak MB':>8}  all runs (s)")
    for side, (name, _) in sides.items():
        seconds, peak = medians[side]
        runs = ", ".join(f"{s:.1f}" for s, _ in results[side])
        print(f"{name:<72} {seconds:8.1f} {n_docs / seconds:8.1f} {n_words / seconds:9.0f} "
              f"{peak / 2**20:8.0f}  {runs}")
    (t_n, m_n), (t_s, m_s) = medians["newsetl"], medians["spacy"]
    print(f"ratio newsetl/spaCy: wall time {t_n / t_s:.2f}x, peak memory {m_n / m_s:.2f}x")
    print(f"bare spaCy output check: {notes['spacy']}")
    print(f"cross-document step of the last end-to-end run: {notes['newsetl']}", flush=True)


if __name__ == "__main__":
    main()
