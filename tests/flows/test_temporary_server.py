"""Prefect's temporary server as `newsetl` starts it: answers, is used, is stopped; not started when an API is set."""
from __future__ import annotations

import os
import urllib.request

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
