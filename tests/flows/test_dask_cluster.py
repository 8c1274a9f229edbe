"""A real Dask cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1, the transform tasks
run on them through --dask-address, every table's rows identical to the serial run of the sample."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS
from tests.invariants import bundle_rows

DASK = Path(sys.executable).with_name("dask")  # the project's environment: workers must import newsetl
STARTUP_SECONDS = 120


def _start(args: list[str], log: Path, env: dict) -> subprocess.Popen:
    with open(log, "wb") as fh:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [str(DASK), *args], cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM the process group this test started (the worker's nanny and its worker process), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            os.killpg(process.pid, signal.SIGKILL)  # whatever of the group is left
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue
        return


def _wait_for_file(path: Path, process: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dask scheduler exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            return json.loads(path.read_text())
        except (FileNotFoundError, ValueError):  # not there yet, or half-written
            time.sleep(0.2)
    pytest.fail(f"no scheduler file after {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def dask_cluster(prefect_harness, tmp_path: Path):
    """(scheduler address, log folder) of a scheduler and two single-thread workers, killed in teardown."""
    from distributed import Client
    from prefect.settings import PREFECT_API_URL

    env = dict(os.environ, PREFECT_API_URL=PREFECT_API_URL.value())  # workers report task runs to the test server
    scheduler_file = tmp_path / "scheduler.json"
    processes = []
    try:
        log = tmp_path / "scheduler.log"
        processes.append(
            _start(
                ["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                log,
                env,
            )
        )
        address = _wait_for_file(scheduler_file, processes[0], log)["address"]
        for name in ("w1", "w2"):
            worker = ["worker", "--scheduler-file", str(scheduler_file), "--name", name, "--nthreads", "1"]
            processes.append(_start([*worker, "--no-dashboard", "--host", "127.0.0.1"], tmp_path / f"{name}.log", env))
        with Client(address, timeout=STARTUP_SECONDS) as client:
            client.wait_for_workers(2, timeout=STARTUP_SECONDS)
        yield address, tmp_path
    finally:
        for process in reversed(processes):
            _stop(process)


def _worker_ran_transforms() -> bool:
    return "tasks.transform" in sys.modules  # imported by the transform task only when it runs there


def test_transform_tasks_on_an_existing_dask_cluster(dask_cluster, sample_out: Path, tmp_path: Path):
    from distributed import Client

    from flows.etl import etl

    address, logs = dask_cluster
    out = tmp_path / "out"
    summaries = etl(bundles=[str(SEEDS)], out=str(out), dask_address=address, batch_size=1, in_flight=4)
    assert [(s.bundle_id, s.outcome, s.n_batches) for s in summaries] == [("seeds", "published", 5)]
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests/
    with Client(address) as client:
        ran = client.run(_worker_ran_transforms)
    assert sorted(ran.values()) == [True, True], ran  # both workers transformed batches
    serial = bundle_rows(sample_out, "seeds")
    distributed = bundle_rows(out, "seeds")
    assert distributed.keys() == serial.keys()
    for table in serial:
        assert distributed[table] == serial[table], table
