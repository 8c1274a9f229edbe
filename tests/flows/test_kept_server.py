"""The Prefect server a run leaves up for the next one (flows/kept_server.py): reused by the next run, shared by
runs starting together, stopped when idle or on request, never mistaken for another process, and a keeper another
run has joined is never stopped under it."""
from __future__ import annotations

import json
import os
import signal
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
JOIN = (  # a run of its own (its own pid, so its own lease) that joins the kept server and holds it a while
    "import sys, time; from pathlib import Path; from flows import kept_server; "
    "s = kept_server.acquire(Path(sys.argv[1]), 600); s.wait_ready(120); print(s.keeper_pid, flush=True); "
    "time.sleep(float(sys.argv[2])); s.stop()"
)


def _environment(home: Path, idle: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), kept_server.IDLE_VARIABLE: str(idle)}


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


def _join(home: Path, hold_seconds: float, python: str = sys.executable) -> subprocess.Popen:
    return subprocess.Popen([python, "-c", JOIN, str(home), str(hold_seconds)], cwd=REPO,
                            env=_environment(home, 600), stdout=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_the_next_run_uses_the_server_the_run_before_left_and_it_stops_when_idle(home, tmp_path):
    first = _newsetl(home, 8, "run", str(SEEDS), "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert "Prefect's server stays up for the next run until unused for 8 s" in first.stdout
    record = kept_server.read_record(home)
    api_url = kept_server.server_state(home, record["pid"])["api_url"]
    with urllib.request.urlopen(f"{api_url}/health", timeout=10) as response:
        assert response.status == 200

    second = _newsetl(home, 8, "run", str(SEEDS), "--out", str(tmp_path / "b"))
    assert second.returncode == 0, second.stderr
    assert "stays up" not in second.stdout  # said once, by the run that started it
    assert kept_server.read_record(home) == record  # the same keeper and server
    assert kept_server.status(home)["leases"] == 0  # both runs gave their lease back

    assert kept_server.wait_gone(home, record["pid"], 8 + 30), "the keeper outlived its idle time"
    assert kept_server.read_record(home) is None and not (home / kept_server.KEEPERS / str(record["pid"])).exists()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{api_url}/health", timeout=2)


def test_server_status_and_stop(home):
    server = kept_server.acquire(home, 600)
    try:
        api_url = server.wait_ready(STARTUP)
        assert not server.reused and server.launched
        status = _newsetl(home, 600, "server", "status")
        assert f"Prefect server at {api_url} (ready)" in status.stdout and "runs using it now: 1" in status.stdout
    finally:
        server.stop()
    stopped = _newsetl(home, 600, "server", "stop")
    assert f"keeper pid {server.keeper_pid}" in stopped.stdout
    assert not kept_server.running(home, server.keeper_pid) and kept_server.read_record(home) is None
    assert "no Prefect server kept" in _newsetl(home, 600, "server", "status").stdout


def test_runs_starting_together_share_one_keeper_whichever_name_their_python_has(home):
    pythons = [sys.executable, str(Path(sys.executable).with_name("python3")), sys.executable]
    runs = [_join(home, 0, python) for python in pythons]
    pids = {int(run.communicate(timeout=STARTUP)[0]) for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(pids) == 1 and kept_server.read_record(home)["pid"] in pids
    assert len([p for p in (home / kept_server.KEEPERS).iterdir() if p.name.isdigit()]) == 1  # no other keeper


def test_a_dead_or_reused_pid_is_no_keeper(home):
    home.mkdir(parents=True)
    unrelated = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        record = {"pid": unrelated.pid, **kept_server.identity(), "idle_seconds": 600}
        (home / kept_server.RECORD).write_text(json.dumps(record))  # as after a reboot: its pid now someone else's
        assert kept_server.status(home) is None and kept_server.stop(home) == []
        server = kept_server.acquire(home, 600)
        assert server.launched and server.keeper_pid != unrelated.pid
        server.wait_ready(STARTUP)
        server.stop()
        assert unrelated.poll() is None  # never signalled
    finally:
        unrelated.kill()


def test_a_replaced_keeper_ends_when_its_runs_have(home):
    server = kept_server.acquire(home, 600)
    server.wait_ready(STARTUP)
    other = {**kept_server.read_record(home), "prefect": "0.0"}  # as if recorded by another Prefect version
    (home / kept_server.RECORD).write_text(json.dumps(other))
    newer = kept_server.acquire(home, 600)
    try:
        assert newer.launched and newer.keeper_pid != server.keeper_pid
        assert kept_server.running(home, server.keeper_pid)  # still serving the run that joined it
        server.stop()
        assert kept_server.wait_gone(home, server.keeper_pid, 20)
        assert kept_server.running(home, newer.keeper_pid)
    finally:
        newer.stop()


def test_discard_stops_a_keeper_this_run_started_unless_another_run_joined_it(home):
    server = kept_server.acquire(home, 600)  # as keep_if_needed does when Prefect's profile names an API
    joined = _join(home, 5)
    assert int(joined.stdout.readline()) == server.keeper_pid
    server.discard()
    assert kept_server.running(home, server.keeper_pid)  # the other run still uses it
    joined.wait(STARTUP)
    again = kept_server.acquire(home, 600)
    assert again.keeper_pid == server.keeper_pid
    again.launched = True  # had it started this keeper, with no other run using it
    again.discard()
    assert kept_server.wait_gone(home, server.keeper_pid, 20) and kept_server.read_record(home) is None


def test_a_server_that_cannot_start_is_reported_with_its_output(home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "sqlite+aiosqlite:////nonexistent/dir/prefect.db")
    server = kept_server.acquire(home, 600)
    with pytest.raises(ServerFailed, match="kept server could not start.*unable to open database"):
        server.wait_ready(STARTUP)
    server.stop()


def test_a_home_that_cannot_hold_the_record_falls_back_to_a_temporary_server(tmp_path, monkeypatch):
    from flows import temporary_server

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    monkeypatch.setenv("PREFECT_HOME", str(not_a_folder))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv(kept_server.IDLE_VARIABLE, "600")
    monkeypatch.setattr(temporary_server, "_prefect_wants_temporary_server", lambda: True)  # whatever ran before
    server = temporary_server.start_early()
    try:
        assert isinstance(server, temporary_server.TemporaryServer)
    finally:
        server.stop()


@pytest.mark.parametrize("command", ["run", "report"])
def test_a_bad_idle_setting_is_one_line_and_exit_2(home, tmp_path, command):
    args = ["run", str(SEEDS), "--out", str(tmp_path / "x")] if command == "run" else ["report", "--out", str(tmp_path)]
    env = {**_environment(home, 0), kept_server.IDLE_VARIABLE: "ten"}
    bad = subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip() == ("newsetl: NEWSETL_SERVER_IDLE_SECONDS must be a whole number of seconds "
                                  "(0: no kept server), not 'ten'")


def test_a_killed_keeper_is_replaced_and_its_leftovers_swept(home):
    first = kept_server.acquire(home, 600)
    first.wait_ready(STARTUP)
    first.stop()
    os.kill(first.keeper_pid, signal.SIGKILL)  # no cleanup at all; its server dies with it (PR_SET_PDEATHSIG)
    assert kept_server.wait_gone(home, first.keeper_pid, 10)
    assert (home / kept_server.KEEPERS / str(first.keeper_pid)).is_dir()
    second = kept_server.acquire(home, 600)
    try:
        assert second.launched and second.keeper_pid != first.keeper_pid
        second.wait_ready(STARTUP)
        leftovers = [p.name for p in (home / kept_server.KEEPERS).iterdir() if p.name.startswith(str(first.keeper_pid))]
        assert leftovers == []
    finally:
        second.stop()


def test_ctrl_c_of_a_run_stops_the_run_not_the_kept_server(home, tmp_path):
    run = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(SEEDS), "--out", str(tmp_path / "out")],
        cwd=REPO, env=_environment(home, 600), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline and run.poll() is None:
        now = kept_server.status(home)
        if now is not None and now.get("state") == "ready" and now["leases"] == 1:
            break
        time.sleep(0.05)
    assert run.poll() is None, "the run ended before it could be interrupted"
    run.send_signal(signal.SIGINT)
    assert run.wait(60) == 130
    now = kept_server.status(home)
    assert now is not None and now["leases"] == 0  # still up for the next run, used by nobody
    assert "newsetl: Prefect's server stays up for the next run until unused for 600 s" in run.stderr.read()  # and says so


@pytest.mark.slow
def test_a_first_run_stopped_while_running_says_once_that_its_server_stays_up(home, tmp_path):
    from tests.flows.test_interrupt import _make_bundle, _staging_being_written

    bundle = _make_bundle(tmp_path / "articles", 200)  # still transforming when its first part is staged
    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", str(bundle), "--out", str(out), "--batch-size", "8"],
        cwd=REPO, env=_environment(home, 600), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _staging_being_written(out, run)  # the flow runs: the signal handler of flows/interrupt.py is in charge
        run.send_signal(signal.SIGTERM)
        _, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 143, stderr[-2000:]
    assert "newsetl: interrupted by SIGTERM" in stderr
    assert stderr.count("Prefect's server stays up for the next run until unused for 600 s") == 1
    now = kept_server.status(home)
    assert now is not None and now["leases"] == 0  # still up, used by nobody
