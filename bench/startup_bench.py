"""Start-up: seconds from `newsetl run` starting to its first transform task reaching its documents.

Each run is a new process on the sample bundle into a new OUT (bench/first_document.py prints
the moment). First the bench times Prefect's server alone (launch to answering); then three
settings:
- temporary server: nothing configured and NEWSETL_SERVER_IDLE_SECONDS=0: the run starts
  Prefect's temporary server itself and stops it at its end (a first `make run`);
- kept server: nothing configured: each run uses the server the run before it left up
  (flows/kept_server.py; a second `make run`); a first run starts it and is not counted;
- running server: a Prefect server started by this bench (`prefect server start`) and given
  to the runs as PREFECT_API_URL, as scheduled deployments run.
With `--against REV`, the same runs are made with the code of git revision REV (a temporary
worktree, the same venv), alternating with this tree's runs so that a load that comes and goes
falls on both, and the ratio of the medians (this tree / REV) is printed. (A revision before
flows/kept_server.py knows no kept server: it starts its temporary server in that setting too.)
Usage: python -m bench.startup_bench [--runs N] [--against REV] [--bundle PATH]
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

from flows.kept_server import IDLE_VARIABLE
from flows.kept_server import status as kept_server_status
from flows.kept_server import stop as stop_kept_server
from flows.temporary_server import answers, free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bench" / "first_document.py"
FIRST = re.compile(r"^FIRST_DOCUMENT (\d+(?:\.\d+)?)$", re.M)
SERVER_SECONDS = 120
RUN_SECONDS = 600
KEPT_SECONDS = 300  # the kept server's idle time in the bench (stopped at its end anyway)


def _environment(prefect_home: Path, api_url: str | None, kept: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=str(SERVER_SECONDS),
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env[IDLE_VARIABLE] = str(KEPT_SECONDS if kept else 0)
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
    port = free_port()
    prefect = Path(sys.executable).with_name("prefect")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(prefect_home, None), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    api_url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_SECONDS
        while not answers(api_url, 2):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Prefect server for the bench did not start (exit code {server.poll()})")
            time.sleep(0.2)
        yield api_url
    finally:
        stop_process(server, 30)


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
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def server_boot(home: Path, runs: int) -> float:
    """Median seconds from launching Prefect's server (as a run does: flows/temporary_server.py) to its /health
    answering, with nothing else running."""
    code = (
        "import time; t = time.perf_counter(); from flows.temporary_server import TemporaryServer; "
        f"s = TemporaryServer(); s.wait_ready({SERVER_SECONDS}); print(time.perf_counter() - t); s.stop()"
    )
    seconds = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_environment(home, None),
                              capture_output=True, text=True, timeout=SERVER_SECONDS + 30, check=True)
        seconds.append(float(done.stdout.split()[-1]))
    return statistics.median(seconds)


def measure(trees: dict[str, Path], bundle: Path, runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Seconds to the first document, per tree, runs alternating between the trees."""
    seconds: dict[str, list[float]] = {name: [] for name in trees}
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
            (worktree(args.against) if args.against else nullcontext()) as old:
        trees = {"this tree": ROOT, **({args.against: old} if old else {})}
        bundle, home = args.bundle.resolve(), Path(home)
        for name in trees:  # a first run apiece: Prefect's database created and migrated, bytecode compiled
            first_document(trees[name], bundle, _environment(home, None))
        print(f"  Prefect's server alone, from launch to answering: median {server_boot(home, args.runs):.2f} s", flush=True)
        print("  temporary server (a first `make run`):", flush=True)
        report("temporary server", measure(trees, bundle, args.runs, _environment(home, None)))
        try:
            first_document(ROOT, bundle, _environment(home, None, kept=True))  # leaves the server up
            keeper = kept_server_status(home)
            if keeper is None or keeper.get("state") != "ready":
                raise RuntimeError("the first run left no kept server up: the kept setting would time new servers")
            print("  kept server (a second `make run`: the server the run before left up):", flush=True)
            report("kept server", measure(trees, bundle, args.runs, _environment(home, None, kept=True)))
            if (kept_server_status(home) or {}).get("pid") != keeper["pid"]:
                raise RuntimeError("the kept server changed during the runs: they did not all use it")
        finally:
            stop_kept_server(home)
        with running_server(home) as api_url:
            print(f"  running server ({api_url}):", flush=True)
            report("running server", measure(trees, bundle, args.runs, _environment(home, api_url)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
