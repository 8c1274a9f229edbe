"""Start-up: seconds from `newsetl run` starting to its first transform task reaching its documents.

Each run is a new process on the sample bundle into a new OUT (bench/first_document.py prints
the moment). Two settings:
- temporary server: nothing configured, as `make run` does (newsetl starts Prefect's
  temporary server itself);
- running server: a Prefect server started once by this bench (`prefect server start`) and
  given to the runs as PREFECT_API_URL, as scheduled deployments run.
With `--against REV`, the same runs are made with the code of git revision REV (a temporary
worktree, the same venv), alternating with this tree's runs so that a load that comes and goes
falls on both, and the ratio of the medians (this tree / REV) is printed.
Usage: python -m bench.startup_bench [--runs N] [--against REV] [--bundle PATH]
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "first_document.py"
FIRST = re.compile(r"^FIRST_DOCUMENT (\d+(?:\.\d+)?)$", re.M)
SERVER_SECONDS = 120
RUN_SECONDS = 600


def _environment(prefect_home: Path, api_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=str(SERVER_SECONDS),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def first_document(tree: Path, bundle: Path, env: dict[str, str]) -> float:
    """Seconds to the first document of one `newsetl run` of tree's code (a new OUT each time)."""
    with tempfile.TemporaryDirectory(prefix="newsetl-startup-") as out:
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(tree), "run", str(bundle), "--out", str(Path(out) / "out")],
            cwd=tree, env=env, capture_output=True, text=True, timeout=RUN_SECONDS,
        )
    found = FIRST.search(done.stderr)
    if done.returncode != 0 or not found:
        tail = " | ".join(done.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"newsetl run of {tree} exited with {done.returncode} and no first document: {tail}")
    return float(found.group(1))


@contextmanager
def running_server(prefect_home: Path):
    """A Prefect server on a free port of 127.0.0.1 for the duration; its API URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefect = Path(sys.executable).with_name("prefect")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(prefect_home, None), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{api_url}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Prefect server for the bench did not start (exit code {server.poll()})")
                time.sleep(0.2)
        yield api_url
    finally:
        server.terminate()
        server.wait(30)


@contextmanager
def worktree(rev: str):
    """A temporary git worktree of rev (removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="newsetl-rev-") as parent:
        path = Path(parent) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev],
                       check=True, capture_output=True)
        try:
            yield path
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)], capture_output=True)


def measure(trees: dict[str, Path], bundle: Path, runs: int, prefect_home: Path, api_url: str | None) -> dict[str, list[float]]:
    """Seconds to the first document, per tree, runs alternating between the trees."""
    seconds: dict[str, list[float]] = {name: [] for name in trees}
    env = _environment(prefect_home, api_url)
    for i in range(runs):
        for name, tree in trees.items():
            seconds[name].append(first_document(tree, bundle, env))
            print(f"    run {i + 1}/{runs}, {name}: first document at {seconds[name][-1]:.2f} s", flush=True)
    return seconds


def report(setting: str, seconds: dict[str, list[float]]) -> None:
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, values in seconds.items():
        print(f"  {setting}, {name}: median {medians[name]:.2f} s (min {min(values):.2f}, max {max(values):.2f})")
    if len(medians) == 2:
        (new, a), (old, b) = medians.items()
        print(f"  {setting}: {new} / {old} = {a / b:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", metavar="REV", help="also time git revision REV's code, alternating")
    parser.add_argument("--bundle", type=Path, default=ROOT / "data" / "seeds")
    args = parser.parse_args(argv)
    print(f"start-up bench: {args.runs} runs per setting on {args.bundle}; seconds to the first document", flush=True)
    with tempfile.TemporaryDirectory(prefix="newsetl-prefect-") as home, \
            (worktree(args.against) if args.against else _no_tree()) as old:
        trees = {"this tree": ROOT, **({args.against: old} if old else {})}
        for name in trees:  # a first run apiece: Prefect's database created and migrated, bytecode compiled
            first_document(trees[name], args.bundle.resolve(), _environment(Path(home), None))
        print("  temporary server (as `make run`):", flush=True)
        report("temporary server", measure(trees, args.bundle.resolve(), args.runs, Path(home), None))
        with running_server(Path(home)) as api_url:
            print(f"  running server ({api_url}):", flush=True)
            report("running server", measure(trees, args.bundle.resolve(), args.runs, Path(home), api_url))
    return 0


@contextmanager
def _no_tree():
    yield None


if __name__ == "__main__":
    sys.exit(main())
