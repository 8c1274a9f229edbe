"""Prefect's server kept between runs, so that the next run does not wait for it to boot.

With no `PREFECT_API_URL`, `newsetl run` needs a Prefect API, and booting Prefect's server
takes longer than everything else before the first document (about 2.7 s of its 3.6 s here,
`python -m bench.startup_bench`). So a run leaves the server it started up for the next one:
- the server (the same uvicorn command as the temporary server, flows/temporary_server.py) is
  supervised by a keeper process (`python -m flows.kept_server`), detached from the run (its
  own session; not a descendant, so Ctrl-C or the end of the run does not stop it);
- the keeper records the server in PREFECT_HOME (RECORD: its pid, API URL, Python and Prefect
  version); a run whose Python and Prefect match and whose /health answers uses it;
- each run using it holds a lease (a file named after its pid under LEASES); the keeper stops
  the server and itself once no live run has held one for `NEWSETL_SERVER_IDLE_SECONDS`
  (default IDLE_SECONDS), and at once when the server dies; `newsetl server stop` stops it;
- a lock (LOCK) makes runs starting together share one keeper.
`NEWSETL_SERVER_IDLE_SECONDS=0` turns this off: each run starts and stops its own temporary server.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from importlib.metadata import version
from pathlib import Path

IDLE_SECONDS = 600
IDLE_VARIABLE = "NEWSETL_SERVER_IDLE_SECONDS"
RECORD = "newsetl-server.json"
LEASES = "newsetl-server.leases"
LOCK = "newsetl-server.lock"
LOG = "newsetl-server.log"
TICK_SECONDS = 1.0  # how often the keeper looks at the server and the leases
LAUNCH_SECONDS = 30  # for a keeper to record the server it launches
OUTPUT_LINES = 5


def idle_seconds() -> int:
    """NEWSETL_SERVER_IDLE_SECONDS (0: no kept server), IDLE_SECONDS if unset; ValueError if not a whole number >= 0."""
    text = os.environ.get(IDLE_VARIABLE, "").strip()
    if not text:
        return IDLE_SECONDS
    if not text.isdigit():
        raise ValueError(f"{IDLE_VARIABLE} must be a whole number of seconds (0: no kept server), not {text!r}")
    return int(text)


def _identity() -> dict:
    return {"python": sys.executable, "prefect": version("prefect")}


def read_record(home: Path) -> dict | None:
    """The keeper's record in home, or None when there is none (or it is unreadable)."""
    try:
        record = json.loads((home / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("pid"), int) else None


def _write_record(home: Path, record: dict) -> None:
    partial = home / f"{RECORD}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(record), encoding="utf-8")
    partial.replace(home / RECORD)


def running(record: dict) -> bool:
    """Whether the keeper of a record is still running."""
    return _alive(record["pid"])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(api_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def _locked(home: Path):
    import fcntl

    with open(home / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class KeptServer:
    """A run's use of the kept server: its lease, and the server's API URL once it answers."""

    def __init__(self, home: Path, keeper_pid: int, reused: bool, idle: int) -> None:
        self.home = home
        self.idle = idle
        self.keeper_pid = keeper_pid
        self.reused = reused  # it answered already when the run began
        self.lease = home / LEASES / str(os.getpid())
        self.lease.parent.mkdir(parents=True, exist_ok=True)
        self.lease.touch()

    def wait_ready(self, timeout: float) -> str:
        """The API URL once the server answers; ServerFailed (with the keeper's last output) if its keeper exits first
        or it does not answer within timeout seconds."""
        from flows.temporary_server import ServerFailed

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            record = read_record(self.home)
            if not _alive(self.keeper_pid) or record is None or record["pid"] != self.keeper_pid:
                raise ServerFailed(f"Prefect's kept server could not start; its output: {last_lines(self.home)}")
            if record.get("state") == "ready" and _answers(record["api_url"], 2.0):
                return record["api_url"]
            time.sleep(0.1)
        raise ServerFailed(
            f"Prefect's kept server did not answer within {timeout:.0f} s "
            f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); its output: {last_lines(self.home)}"
        )

    def stop(self) -> None:
        """This run no longer uses the server (the keeper stops it once it has been idle long enough)."""
        with suppress(FileNotFoundError):
            self.lease.unlink()


    def discard(self) -> None:
        """Not needed after all (Prefect's settings name an API): the lease given back, and a keeper this run
        launched stopped rather than left idle."""
        self.stop()
        if not self.reused:
            record = read_record(self.home)
            if record is not None and record["pid"] == self.keeper_pid:
                stop(self.home)


def acquire(home: Path, idle: int) -> KeptServer:
    """The kept server of home for this run: the recorded one when it is ours to use and answers, else a new keeper."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home):
        record = read_record(home)
        if (
            record is not None
            and all(record.get(key) == value for key, value in _identity().items())
            and _alive(record["pid"])
            and (record.get("state") == "starting" or _answers(record["api_url"]))  # starting: wait for it
        ):
            ready = record.get("state") == "ready"
            return KeptServer(home, record["pid"], ready, record.get("idle_seconds", idle))
        return KeptServer(home, _launch_keeper(home, idle), False, idle)


def _launch_keeper(home: Path, idle: int) -> int:
    """Start a keeper detached from this process (double fork: it is not our child); its pid once it has recorded
    the server it launched."""
    previous = read_record(home)
    log = open(home / LOG, "wb")  # noqa: SIM115 - handed to the keeper
    try:
        subprocess.run(
            [sys.executable, "-m", "flows.kept_server", "--home", str(home), "--idle", str(idle), "--detach"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, check=True,
            cwd=str(home), env=_keeper_environment(home),
        )
    finally:
        log.close()
    deadline = time.monotonic() + LAUNCH_SECONDS
    while time.monotonic() < deadline:
        record = read_record(home)
        if record is not None and record != previous:
            return record["pid"]
        time.sleep(0.02)
    from flows.temporary_server import ServerFailed

    raise ServerFailed(f"Prefect's kept server was not launched; its output: {last_lines(home)}")


def _keeper_environment(home: Path) -> dict[str, str]:
    """The run's environment, with PREFECT_HOME absolute (the keeper runs in it) and newsetl importable."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PREFECT_HOME": str(home), "PYTHONPATH": path}


def last_lines(home: Path) -> str:
    try:
        lines = [line.strip() for line in (home / LOG).read_text("utf-8", "replace").splitlines() if line.strip()]
    except OSError:
        return "(no output)"
    return " | ".join(lines[-OUTPUT_LINES:])[-2000:] or "(no output)"


def stop(home: Path, timeout: float = 15.0) -> int | None:
    """Stop home's keeper (and its server) whether runs use it or not; its pid, or None if none was running."""
    record = read_record(home)
    if record is None or not _alive(record["pid"]):
        return None
    with suppress(ProcessLookupError):
        os.kill(record["pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(record["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return record["pid"]


def _live_leases(home: Path) -> int:
    """Leases of runs still alive; those of dead runs are removed."""
    live = 0
    for lease in (home / LEASES).glob("*"):
        if lease.name.isdigit() and _alive(int(lease.name)):
            live += 1
        else:
            with suppress(FileNotFoundError):
                lease.unlink()
    return live


class Stopped(Exception):
    """The keeper was asked to stop (SIGTERM, SIGINT, SIGHUP)."""


def _stop_now(signum, frame) -> None:
    raise Stopped(signum)


def keep(home: Path, idle: int) -> int:
    """The keeper: launch the server, record it, serve until idle for `idle` seconds or stopped; an exit code."""
    from flows.temporary_server import ServerFailed, TemporaryServer

    (home / LEASES).mkdir(parents=True, exist_ok=True)
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, _stop_now)
    server = TemporaryServer()
    mine = {"pid": os.getpid(), **_identity(), "idle_seconds": idle}
    try:
        _write_record(home, {**mine, "state": "starting", "api_url": server.api_url})
        timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "60"))
        try:
            api_url = server.wait_ready(timeout)
        except ServerFailed as exc:
            print(exc, flush=True)
            return 1
        _write_record(home, {**mine, "state": "ready", "api_url": api_url})
        print(f"Prefect server at {api_url}, kept until no run has used it for {idle} s", flush=True)
        idle_since = time.monotonic()
        while True:
            time.sleep(TICK_SECONDS)
            if server.process.poll() is not None:
                print(f"the server exited with code {server.process.returncode}; its output: {server._last_lines()}")
                return 1
            if _live_leases(home):
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= idle:
                with _locked(home):  # no run may take a lease between this look and the record's removal
                    if _live_leases(home):
                        idle_since = time.monotonic()
                        continue
                    _forget(home)
                print(f"no run for {idle} s: stopped", flush=True)
                return 0
    except Stopped:
        print("stopped", flush=True)
        return 0
    finally:
        _forget(home)
        server.stop()


def _forget(home: Path) -> None:
    """Remove the record if it is this keeper's (a newer keeper may have replaced it)."""
    record = read_record(home)
    if record is not None and record["pid"] == os.getpid():
        with suppress(FileNotFoundError):
            (home / RECORD).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.kept_server", description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="PREFECT_HOME: where the record and leases live")
    parser.add_argument("--idle", type=int, required=True, help="seconds with no run before the server is stopped")
    parser.add_argument("--detach", action="store_true", help="fork: the keeper runs in a grandchild")
    args = parser.parse_args(argv)
    if args.detach and os.fork() > 0:
        return 0
    return keep(args.home.resolve(), args.idle)


if __name__ == "__main__":
    sys.exit(main())
