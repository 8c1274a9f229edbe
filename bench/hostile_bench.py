"""`make bench`: peak memory of `newsetl run` on hostile inputs, next to the sample run.

Each input is its own bundle and its own run (default limits), measured as the peak
resident memory of the whole process tree (the CLI, its Prefect server, workers). The
target (issue 7): every hostile input within 1.5x of the sample run's peak.
Usage: python -m bench.hostile_bench [--gib 1]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import progress
from bench.run_bench import OUT, ROOT, PeakMemory
from tasks.config import DEFAULT
from tests import hostile

WORK = OUT / "hostile"
SENTENCE = b"The committee met again on Tuesday in Geneva to review the draft agreement. "


def _big_document(path: Path, size: int) -> Path:
    """One text file of `size` bytes of prose with no newline (one paragraph)."""
    with path.open("wb") as fh:
        block = SENTENCE * ((1 << 20) // len(SENTENCE))
        written = 0
        while written < size:
            fh.write(block[: size - written])
            written += min(len(block), size - written)
    return path


def inputs(gib: float) -> dict[str, Path]:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    big = int(gib * (1 << 30))
    made = {}
    folder = WORK / "zip_bomb"
    folder.mkdir()
    made[f"zip holding {gib:g} GiB of zeros"] = hostile.bomb_zip(folder, big)
    folder = WORK / "jsonl_bomb"
    folder.mkdir()
    made[f".jsonl.gz with one {gib:g} GiB line"] = hostile.bomb_jsonl_gz(folder, big)
    made["one 200 MB document"] = _big_document(WORK / "doc_200mb.txt", 200 * 10**6)
    limit = DEFAULT.max_document_bytes
    made[f"one document just under the limit ({limit >> 20} MiB, one paragraph)"] = _big_document(
        WORK / "doc_at_limit.txt", limit - 1
    )
    return made


def run(bundle: Path) -> tuple[float, int, int]:
    out = WORK / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "flows.cli", "run", str(bundle), "--out", str(out)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as memory:
        err = progress.communicate(proc)  # newsetl's progress lines shown as they come
    if proc.returncode:
        sys.exit(f"run on {bundle} failed ({proc.returncode}):\n{err[-4000:]}")
    return time.perf_counter() - started, memory.peak, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=1.0, help="size of the decompression bombs (default: 1)")
    args = parser.parse_args()
    cases = {"sample bundle (baseline)": ROOT / "data" / "seeds", **inputs(args.gib)}
    print(f"hostile inputs, default limits ({DEFAULT.as_dict()})", flush=True)
    print(f"{'input':<60} {'seconds':>8} {'peak MB':>8} {'x sample':>9}", flush=True)
    baseline = None
    for name, bundle in cases.items():
        seconds, peak, _ = run(bundle)
        baseline = baseline or peak
        print(f"{name:<60} {seconds:8.1f} {peak / 2**20:8.0f} {peak / baseline:9.2f}", flush=True)


if __name__ == "__main__":
    main()
