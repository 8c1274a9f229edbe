"""Shared fixtures: offline Prefect settings, a Prefect test server, and one sample run."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from flows.offline import apply_offline_defaults

REPO = Path(__file__).resolve().parents[1]
apply_offline_defaults(REPO)  # before anything imports prefect
# Each run starts and stops its own temporary server (no process outlives a test);
# tests/flows/test_kept_server.py sets its own value to test the kept server.
os.environ["NEWSETL_SERVER_IDLE_SECONDS"] = "0"

SEEDS = REPO / "data" / "seeds"
GOLD = REPO / "data" / "seeds-gold.json"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def sample_out(prefect_harness, tmp_path_factory) -> Path:
    """The flow run once on the sample bundle; tests only read its outputs."""
    from flows.etl import etl

    out = tmp_path_factory.mktemp("sample") / "out"
    etl(bundles=[str(SEEDS)], out=str(out))
    return out
