"""The Prefect server a run leaves up for the next one (flows/kept_server.py): reused by the next run, shared by
runs starting together, stopped when idle or on request, never reused when stale or of another Prefect."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows import kept_server
from flows.temporary_server import ServerFailed
from tests.conftest import REPO, SEEDS

STARTUP = 120


def _environment(home: Path, idle: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), kept_server.IDLE_VARIABLE: str(idle)}


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not kept_server._alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A PREFECT_HOME of its own; whatever keeper a test leaves there is stopped."""
    path = tmp_path / "prefect"
    monkeypatch.setenv("PREFECT_HOME", str(path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    yield path
    kept_server.stop(path)


def _newsetl(home: Path, idle: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=_environment(home, idle),
        capture_output=True, text=True, timeout=600,
    )


@pytest.mark.slow
def test_the_next_run_uses_the_server_the_run_before_left_and_it_stops_when_idle(home, tmp_path):
    first = _newsetl(home, 8, "run", str(SEEDS), "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert "Prefect's server stays up for the next run until unused for 8 s" in first.stdout
    record = kept_server.read_record(home)
    assert record["state"] == "ready" and kept_server.running(record)
    with urllib.request.urlopen(f"{record['api_url']}/health", timeout=10) as response:
        assert response.status == 200

    second = _newsetl(home, 8, "run", str(SEEDS), "--out", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr
    assert "stays up" not in second.stdout  # said once, by the run that started it
    assert kept_server.read_record(home) == record  # the same keeper and server
    assert not list((home / kept_server.LEASES).iterdir())  # both runs gave their lease back

    assert _gone(record["pid"], 8 + 30), "the keeper outlived its idle time"
    assert kept_server.read_record(home) is None
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{record['api_url']}/health", timeout=2)


def test_server_status_and_stop(home):
    server = kept_server.acquire(home, 600)
    try:
        api_url = server.wait_ready(STARTUP)
        assert not server.reused
        status = _newsetl(home, 600, "server", "status")
        assert f"Prefect server at {api_url} (ready)" in status.stdout
    finally:
        server.stop()
    stopped = _newsetl(home, 600, "server", "stop")
    assert f"keeper pid {server.keeper_pid}" in stopped.stdout
    assert not kept_server._alive(server.keeper_pid) and kept_server.read_record(home) is None
    assert "no Prefect server kept" in _newsetl(home, 600, "server", "status").stdout


def test_runs_starting_together_share_one_keeper(home):
    script = (
        "import sys; from pathlib import Path; from flows import kept_server; "
        "s = kept_server.acquire(Path(sys.argv[1]), 600); s.wait_ready(120); print(s.keeper_pid); s.stop()"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(home)], cwd=REPO, env=_environment(home, 600),
                         stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    pids = {int(run.communicate(timeout=STARTUP)[0]) for run in runs}
    assert len(pids) == 1 and kept_server.read_record(home)["pid"] in pids


def test_a_stale_record_or_another_prefect_is_not_reused(home):
    home.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = {"pid": int(dead.stdout), "python": sys.executable, "prefect": "0.0", "idle_seconds": 600,
             "state": "ready", "api_url": "http://127.0.0.1:9/api"}
    (home / kept_server.RECORD).write_text(json.dumps(stale))
    server = kept_server.acquire(home, 600)
    try:
        assert not server.reused and server.keeper_pid != stale["pid"]
        server.wait_ready(STARTUP)
        other = {**kept_server.read_record(home), "prefect": "0.0"}  # the same keeper, recorded for another Prefect
        (home / kept_server.RECORD).write_text(json.dumps(other))
        again = kept_server.acquire(home, 600)
        assert not again.reused and again.keeper_pid not in (server.keeper_pid, stale["pid"])
        again.stop()
    finally:
        server.stop()
        kept_server.stop(home)
        os.kill(server.keeper_pid, 15)  # the replaced keeper: its record is gone, so stop() cannot find it
        assert _gone(server.keeper_pid, 15)


def test_a_server_that_cannot_start_is_reported_with_its_output(home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:////nonexistent/dir/prefect.db")
    server = kept_server.acquire(home, 600)
    with pytest.raises(ServerFailed, match="kept server could not start.*unable to open database"):
        server.wait_ready(STARTUP)
    server.stop()


def test_a_bad_idle_setting_is_one_line_and_exit_2(home, tmp_path):
    done = _newsetl(home, 0, "run", str(SEEDS), "--out", str(tmp_path / "out"))  # a valid 0 first: no keeper
    assert done.returncode == 0 and kept_server.read_record(home) is None
    env = {**_environment(home, 0), kept_server.IDLE_VARIABLE: "ten"}
    bad = subprocess.run([sys.executable, "-m", "flows.cli", "run", str(SEEDS), "--out", str(tmp_path / "x")],
                         cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("newsetl: NEWSETL_SERVER_IDLE_SECONDS must be a whole number of seconds "
                                  "(0: no kept server), not 'ten'")


def test_a_keeper_not_needed_after_all_is_stopped_not_left_idle(home):
    server = kept_server.acquire(home, 600)  # as keep_if_needed does when Prefect's profile names an API
    server.discard()
    assert _gone(server.keeper_pid, 20) and kept_server.read_record(home) is None


def test_a_home_that_cannot_hold_the_record_falls_back_to_a_temporary_server(tmp_path, monkeypatch):
    from flows import temporary_server

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("PREFECT_HOME", str(not_a_folder))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv(kept_server.IDLE_VARIABLE, "600")
    server = temporary_server.start_early()
    try:
        assert isinstance(server, temporary_server.TemporaryServer)
    finally:
        server.stop()
