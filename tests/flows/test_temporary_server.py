"""Prefect's temporary server as `newsetl` starts it: answers, is used, is stopped; not started when an API is set;
a startup failure is reported at once (only a port taken meanwhile is retried, on another port)."""
from __future__ import annotations

import os
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flows import temporary_server


def test_started_used_and_stopped(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server = temporary_server.TemporaryServer()
    try:
        api_url = server.wait_ready(timeout=120)
        with urllib.request.urlopen(f"{api_url}/health", timeout=10) as response:
            assert response.status == 200
        with temporary_server.using(api_url):
            from prefect.settings import PREFECT_API_URL

            assert PREFECT_API_URL.value() == api_url == os.environ["PREFECT_API_URL"]
        assert "PREFECT_API_URL" not in os.environ  # put back as it was
    finally:
        process = server.process
        server.stop()
    assert process.poll() is not None and server.process is None


def test_not_started_when_the_environment_names_an_api(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert temporary_server.start_early() is None


def _fake_server(monkeypatch, tmp_path, script: str) -> Path:
    """TemporaryServer with its command replaced by `script` (Python); the launches are counted in a file."""
    launches = tmp_path / "launches"
    launches.write_text("")
    code = f"open({str(launches)!r}, 'a').write('x')\n" + script

    monkeypatch.setattr(temporary_server.TemporaryServer, "_command", lambda self, root: [sys.executable, "-c", code])
    return launches


def _failed_start(timeout: float, match: str | None = None) -> tuple[temporary_server.TemporaryServer, str, float]:
    """A TemporaryServer whose wait_ready raises ServerFailed (matching `match`): the server (stopped), the message,
    and the seconds wait_ready took to fail."""
    server = temporary_server.TemporaryServer()
    started = time.monotonic()
    try:
        with pytest.raises(temporary_server.ServerFailed, match=match) as failed:
            server.wait_ready(timeout)
    finally:
        server.stop()
    return server, str(failed.value), time.monotonic() - started


def test_a_startup_failure_is_reported_at_once_with_the_servers_output(monkeypatch, tmp_path):
    launches = _fake_server(
        monkeypatch, tmp_path, "import sys\nprint('sqlite3.OperationalError: unable to open database file')\n"
        "print('ERROR: Application startup failed. Exiting.')\nsys.exit(3)",
    )
    _, message, seconds = _failed_start(timeout=120)
    assert seconds < 10  # not retried until the timeout (uvicorn exits with 3 for any startup failure)
    assert "\n" not in message and "could not start (it exited with code 3)" in message
    assert "unable to open database file | ERROR: Application startup failed. Exiting." in message
    assert launches.read_text() == "x"


def test_a_port_taken_meanwhile_is_retried_on_another_port_at_most_3_times(monkeypatch, tmp_path):
    launches = _fake_server(
        monkeypatch, tmp_path,
        "import sys\nprint(\"ERROR: [Errno 98] error while attempting to bind on address ('127.0.0.1', 1): "
        "address already in use\")\nsys.exit(3)",
    )
    _failed_start(timeout=120, match="its port was in use 4 times.*address already in use")
    assert launches.read_text() == "xxxx"  # the first launch and 3 relaunches


def test_a_real_server_with_a_broken_database_fails_fast(monkeypatch, tmp_path):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/prefect.db")
    server, _, seconds = _failed_start(timeout=300, match="exited with code 3.*unable to open database file")
    assert seconds < 120  # its import alone takes seconds on a busy machine: loosely, not the timeout
    assert server.launches == 1
