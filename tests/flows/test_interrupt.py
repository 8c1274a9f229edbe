"""SIGINT / SIGTERM stop a real `newsetl run` within seconds, cleanly; a later run sweeps a `kill -9`'s staging.

Real subprocesses, each in its own session (so every process a run starts can be found
afterwards), on a generated bundle big enough to be mid-transform when signalled.
"""
from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tasks.store import load
from tests.conftest import REPO, SEEDS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and sessions")

N_ARTICLES = 600  # at 8 per batch, minutes of work: always still transforming when signalled
EXIT_BOUND = 60  # seconds: a hang detector, not a speed target (a run stops in well under 5 s)


def _make_bundle(folder: Path, n: int) -> Path:
    """n English articles of ~300-500 words, shuffled paragraphs of the sample bundle."""
    paragraphs = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    paragraphs = [p for p in paragraphs if len(p.split()) > 8]
    rng = random.Random(7)
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"article-{i:05d}.txt").write_text("\n\n".join(rng.sample(paragraphs, 8)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def run_env(tmp_path_factory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path_factory.mktemp("prefect-home")),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    }
    return env


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory) -> Path:
    return _make_bundle(tmp_path_factory.mktemp("generated") / "articles", N_ARTICLES)


def _start(bundle: Path, out: Path, env: dict, log: Path, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "flows.cli", "run", str(bundle), "--out", str(out), *options]
    with open(log, "wb") as sink:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)


def _staging_being_written(out: Path, proc: subprocess.Popen, timeout: float = 180) -> Path:
    """The run's staging folder, once it holds a first part (transform is under way)."""
    root = load.parquet_root(out) / load.STAGING
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the run ended early with {proc.returncode}"
        parts = list(root.glob("*/*/*/part-*.parquet")) if root.is_dir() else []
        if parts:
            return parts[0].parents[2]
        time.sleep(0.1)
    raise AssertionError("no staged part appeared")


def _session(sid: int) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == sid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (OSError, psutil.Error):
            pass
    return found


def _session_left(sid: int, settle: float = 10.0) -> list[str]:
    """Processes of the session still there after `settle` s (they are killed, then reported)."""
    deadline = time.monotonic() + settle
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    described = []
    for process in left:
        try:
            described.append(" ".join(process.cmdline())[:120])
            process.kill()
        except psutil.Error:
            pass
    return described


def _digest(out: Path) -> dict[str, str]:
    root = load.parquet_root(out)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and load.STAGING not in p.relative_to(root).parts
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory, run_env, big_bundle) -> Path:
    """OUT holding bundle `old`, published by a real run after a run on the same OUT was killed with -9."""
    base = tmp_path_factory.mktemp("published")
    out = base / "out"
    killed = _start(big_bundle, out, run_env, base / "killed.log", "--bundle-id", "old", "--batch-size", "8")
    try:
        left_behind = _staging_being_written(out, killed)
    finally:
        killed.kill()
        killed.wait()
        _session_left(killed.pid, settle=0)  # kill -9 cannot clean up: its Prefect server lives on
    assert left_behind.is_dir()
    done = subprocess.run(
        # --verbose: the sweep is logged at INFO, which the command shows only then
        [sys.executable, "-m", "flows.cli", "run", str(SEEDS), "--out", str(out), "--bundle-id", "old", "--verbose"],
        cwd=REPO,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert not left_behind.exists(), "the next run should remove the staging of the killed one"
    assert f"removed staging left by an interrupted run: {left_behind}" in done.stdout + done.stderr
    assert list(load.partition_dir(load.parquet_root(out), "documents", "old").glob("part-*.parquet"))
    return out


@pytest.mark.parametrize(
    ("signum", "workers"),
    [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
    ids=["SIGTERM-threads", "SIGINT-threads", "SIGTERM-dask"],
)
def test_a_signal_stops_the_run_cleanly(tmp_path, run_env, big_bundle, published, signum, workers):
    out = tmp_path / "out"
    shutil.copytree(load.parquet_root(published), load.parquet_root(out))
    before = _digest(out)
    log = tmp_path / "run.log"
    # same bundle id as the published partition: a run that published anyway would change it
    options = ["--bundle-id", "old", "--batch-size", "8", "--workers", str(workers)]
    proc = _start(big_bundle, out, run_env, log, *options)
    try:
        staging = _staging_being_written(out, proc)
        sent = time.monotonic()
        if signum == signal.SIGINT:
            os.killpg(proc.pid, signum)  # Ctrl-C: the whole foreground process group
        else:
            os.kill(proc.pid, signum)  # `kill PID`
        code = proc.wait(EXIT_BOUND)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
        left = _session_left(proc.pid)
    output = log.read_text(errors="replace")
    assert code == 128 + signum, output[-4000:]
    assert f"newsetl: interrupted by {signal.Signals(signum).name}: published data unchanged, staging removed" in output
    assert "stays up" not in output  # a temporary server (NEWSETL_SERVER_IDLE_SECONDS=0) stopped with the run
    assert not staging.exists()
    assert list((load.parquet_root(out) / load.STAGING).iterdir()) == []
    assert _digest(out) == before
    assert left == [], f"processes left by the run: {left}"
    assert took < EXIT_BOUND


def test_a_signal_during_a_publish_waits_for_its_renames(tmp_path):
    script = """
import os, signal, sys, time
from pathlib import Path
from flows.interrupt import stop_cleanly
from tasks.store import load

out = Path(sys.argv[1])
with stop_cleanly():
    load.new_staging_dir(out)
    with load._publish_section("b"):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.5)  # the renames
        (out / "renamed").write_text("all")
    time.sleep(60)
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=REPO, capture_output=True, text=True, timeout=EXIT_BOUND
    )
    assert done.returncode == 143, done.stderr
    assert (tmp_path / "renamed").read_text() == "all"
    assert list((load.parquet_root(tmp_path) / load.STAGING).iterdir()) == []
    assert "newsetl: interrupted by SIGTERM: bundle(s) b published complete" in done.stderr
