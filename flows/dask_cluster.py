"""Where the transform tasks run: threads in this process, a local Dask cluster, or an existing one.

* `dask_address` (tcp://HOST:PORT): every bundle's subflow submits its transform tasks to
  that cluster (prefect-dask's DaskTaskRunner(address=...)); the cluster's workers must
  import this project (same environment) and see OUT at the same path.
* `workers` > 1 without an address: one local cluster of that many worker processes,
  started when the first bundle needs it (not at all when every bundle is skipped) and
  shared by all the bundles of the run, so models load once per worker process.
* otherwise: Prefect's default thread pool in this process.
"""
from __future__ import annotations

import threading

from prefect_dask import DaskTaskRunner


class LazyLocalCluster:
    """A distributed.LocalCluster of `workers` processes, started on first use, closed by close()."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._cluster = None
        self._lock = threading.Lock()

    def address(self) -> str:
        with self._lock:
            if self._cluster is None:
                from distributed import LocalCluster

                self._cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
            return self._cluster.scheduler_address

    def close(self) -> None:
        with self._lock:
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None


class SharedClusterTaskRunner(DaskTaskRunner):
    """A DaskTaskRunner that connects to a LazyLocalCluster the first time a task is submitted."""

    def __init__(self, cluster: LazyLocalCluster) -> None:
        super().__init__()
        self._shared = cluster

    def duplicate(self) -> SharedClusterTaskRunner:  # Prefect duplicates a flow's runner for each run
        return type(self)(self._shared)

    def __getstate__(self) -> dict:
        # The flow (and so its task runner) travels with every task to the Dask workers, which
        # never start a cluster: the local cluster (locks, event loop) stays in this process.
        return {**self.__dict__, "_shared": None}

    @property
    def client(self):
        if self._client is None and self.address is None:
            self.address = self._shared.address()
        return DaskTaskRunner.client.fget(self)


def check_dask_address(address: str | None) -> str | None:
    """The address as given, or ValueError for one Dask cannot connect to (checked before any work)."""
    if address is None:
        return None
    scheme, sep, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    if not sep or scheme not in ("tcp", "tls", "ucx", "ws", "wss") or not host or not colon or not port.isdigit():
        raise ValueError(f"not a Dask scheduler address: {address!r} (expected tcp://HOST:PORT)")
    return address


def task_runner(workers: int, dask_address: str | None, local: LazyLocalCluster | None):
    """The task runner of each bundle's subflow, or None for Prefect's default (threads)."""
    if dask_address:
        return DaskTaskRunner(address=dask_address)
    if local is not None:
        return SharedClusterTaskRunner(local)
    return None
