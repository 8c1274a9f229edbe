"""Prefect's server kept between runs, so that the next run does not wait for it to boot.

With no `PREFECT_API_URL`, `newsetl run` needs a Prefect API, and booting Prefect's server
takes longer than everything else before the first document (2.9 s of its 3.6 s here,
`python -m bench.startup_bench`). So a run leaves the server it started up for the next one:
- the server (the same uvicorn command as the temporary server, flows/temporary_server.py) is
  supervised by a keeper process (`python -m flows.server_keeper`), detached from the run (a
  double fork in its own session: not a descendant, so the end of the run or its Ctrl-C does
  not stop it; the server dies with its keeper, PR_SET_PDEATHSIG);
- each keeper has a folder, KEEPERS/<its pid>/ in PREFECT_HOME: `alive` (locked by the keeper
  while it lives: a lock, unlike a pid, cannot be mistaken for another process after a crash or
  a reboot), `server.json` (state and API URL) and `leases/` (a file per run using it, locked by
  that run while it lives); its output goes to KEEPERS/<its pid>.log, removed when it ends well;
- RECORD names the keeper new runs join, with what it serves (Python, Prefect version, the
  server's settings): a run whose own match joins it, else starts a new keeper, which replaces
  the record; a replaced keeper ends as soon as the runs that joined it have;
- the keeper stops its server and itself once no run has held a lease for
  `NEWSETL_SERVER_IDLE_SECONDS` (default IDLE_SECONDS), at once when the server dies, and on
  SIGTERM (`newsetl server stop`); LOCK makes runs starting together share one keeper, and a
  keeper never ends while a run is joining it.
`NEWSETL_SERVER_IDLE_SECONDS=0` turns this off: each run starts and stops its own temporary server.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from importlib.metadata import version
from pathlib import Path

IDLE_SECONDS = 600
IDLE_VARIABLE = "NEWSETL_SERVER_IDLE_SECONDS"
RECORD = "newsetl-server.json"
LOCK = "newsetl-server.lock"
KEEPERS = "newsetl-server"
LAUNCH_LOG = "newsetl-server.log"  # what a keeper printed before it had its folder
TICK_SECONDS = 1.0  # how often the keeper looks at its server and leases
LAUNCH_SECONDS = 30  # for a keeper to record itself
STOP_SECONDS = 15
SERVER_SETTINGS = ("PREFECT_API_DATABASE_", "PREFECT_SERVER_")  # environment a server is started with
CLIENT_ONLY = frozenset({"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"})


def idle_seconds() -> int:
    """NEWSETL_SERVER_IDLE_SECONDS (0: no kept server), IDLE_SECONDS if unset; ValueError if not a whole number >= 0."""
    text = os.environ.get(IDLE_VARIABLE, "").strip()
    if not text:
        return IDLE_SECONDS
    if not text.isdigit():
        raise ValueError(f"{IDLE_VARIABLE} must be a whole number of seconds (0: no kept server), not {text!r}")
    return int(text)


def identity() -> dict:
    """What a kept server must match to be joined: this Python environment (venv), this Prefect, the same server
    settings."""
    settings = sorted(
        (k, v) for k, v in os.environ.items() if k.startswith(SERVER_SETTINGS) and k not in CLIENT_ONLY
    )
    digest = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]
    return {"python": os.path.realpath(sys.prefix), "prefect": version("prefect"), "settings": digest}


def keeper_dir(home: Path, pid: int) -> Path:
    return home / KEEPERS / str(pid)


def keeper_log(home: Path, pid: int) -> Path:
    return home / KEEPERS / f"{pid}.log"


def _held(path: Path) -> bool:
    """Whether a live process holds the lock of path (False when there is no such file)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also drops the lock if we got it
    return False


def hold_lock(path: Path) -> int:
    """A descriptor holding the lock of path (created), for as long as it stays open."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def running(home: Path, pid: int) -> bool:
    """Whether keeper pid of home is alive (it holds its lock)."""
    return _held(keeper_dir(home, pid) / "alive")


def _read_json(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_json(path: Path, value: dict) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(value), encoding="utf-8")
    partial.replace(path)


def read_record(home: Path) -> dict | None:
    """The record of the keeper new runs join, or None."""
    record = _read_json(home / RECORD)
    return record if record is not None and isinstance(record.get("pid"), int) else None


def server_state(home: Path, pid: int) -> dict:
    """Keeper pid's server: {'state': 'starting' | 'ready', 'api_url': ...}, or {} before it has one."""
    return _read_json(keeper_dir(home, pid) / "server.json") or {}


@contextmanager
def locked(home: Path):
    fd = hold_lock(home / LOCK)
    try:
        yield
    finally:
        os.close(fd)


def live_leases(home: Path, pid: int) -> int:
    """Runs holding a lease on keeper pid. The leases of runs gone stay until the keeper's folder goes: removing
    one could remove a lease a run has just created and is about to lock."""
    return sum(_held(lease) for lease in (keeper_dir(home, pid) / "leases").glob("[0-9]*"))


def _output_in(path: Path) -> str:
    """The last lines of the output written to path, on one line (temporary_server.last_lines)."""
    from flows.temporary_server import last_lines

    try:
        output = path.read_text("utf-8", "replace")
    except OSError:
        output = ""
    return last_lines(output)


class KeptServer:
    """A run's use of a kept server: its lease, and the server's API URL once it answers."""

    def __init__(self, home: Path, keeper_pid: int, *, reused: bool, launched: bool, idle: int) -> None:
        self.home = home
        self.keeper_pid = keeper_pid
        self.reused = reused  # it answered already when the run began
        self.launched = launched  # this run started its keeper
        self.idle = idle
        leases = keeper_dir(home, keeper_pid) / "leases"
        leases.mkdir(parents=True, exist_ok=True)
        self.lease = leases / str(os.getpid())
        self._lease_fd: int | None = hold_lock(self.lease)

    def wait_ready(self, timeout: float) -> str:
        """The API URL once the server answers; ServerFailed (with the keeper's last output) if its keeper ends first
        or it does not answer within timeout seconds."""
        from flows.temporary_server import ServerFailed, answers

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not running(self.home, self.keeper_pid):
                raise ServerFailed(f"Prefect's kept server could not start; its output: {self._output()}")
            state = server_state(self.home, self.keeper_pid)
            if state.get("state") == "ready" and answers(state["api_url"], 2.0):
                return state["api_url"]
            time.sleep(0.1)
        raise ServerFailed(
            f"Prefect's kept server did not answer within {timeout:.0f} s "
            f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); its output: {self._output()}"
        )

    def _output(self) -> str:
        log = keeper_log(self.home, self.keeper_pid)
        return _output_in(log if log.exists() else self.home / LAUNCH_LOG)

    def stop(self) -> None:
        """This run no longer uses the server (the keeper stops it once it has been idle long enough)."""
        if self._lease_fd is not None:
            with suppress(FileNotFoundError):
                self.lease.unlink()
            os.close(self._lease_fd)
            self._lease_fd = None

    def discard(self) -> None:
        """Not needed after all (Prefect's settings name an API): the lease given back, and a keeper this run
        started stopped rather than left idle, unless another run has joined it."""
        self.stop()
        if self.launched:
            with locked(self.home):
                signalled = not live_leases(self.home, self.keeper_pid) and _signal(self.home, self.keeper_pid)
            if signalled:  # waited for without LOCK, which the keeper takes as it ends
                wait_gone(self.home, self.keeper_pid)


def acquire(home: Path, idle: int) -> KeptServer:
    """This run's use of home's kept server: the recorded keeper when it lives and serves what this run needs
    (ready or still starting), else a new keeper."""
    home = home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    with locked(home):
        _sweep(home)
        record = read_record(home)
        if record is not None and running(home, record["pid"]) and _matches(record):
            ready = server_state(home, record["pid"]).get("state") == "ready"
            return KeptServer(home, record["pid"], reused=ready, launched=False, idle=record.get("idle_seconds", idle))
        return KeptServer(home, _launch_keeper(home, idle), reused=False, launched=True, idle=idle)


def _sweep(home: Path) -> None:
    """Remove the folders of keepers gone without cleaning up (killed, or the machine restarted), and the output
    of keepers gone."""
    for path in (home / KEEPERS).glob("[0-9]*"):
        pid = path.name.removesuffix(".log")
        if pid.isdigit() and not running(home, int(pid)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _matches(record: dict) -> bool:
    return all(record.get(key) == value for key, value in identity().items())


def _launch_keeper(home: Path, idle: int) -> int:
    """Start a keeper detached from this process (it is not our child); its pid once it has recorded itself. The
    caller holds LOCK, so the keeper writes the record without it."""
    previous = read_record(home)
    with open(home / LAUNCH_LOG, "wb") as log:  # only this launch's output (launches hold LOCK)
        subprocess.run(
            [sys.executable, "-m", "flows.server_keeper", "--home", str(home), "--idle", str(idle), "--detach"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, check=True,
            cwd=str(home), env=_keeper_environment(home),
        )
    deadline = time.monotonic() + LAUNCH_SECONDS
    while time.monotonic() < deadline:
        record = read_record(home)
        if record is not None and record != previous and running(home, record["pid"]):
            return record["pid"]
        time.sleep(0.02)
    from flows.temporary_server import ServerFailed

    raise ServerFailed(f"Prefect's kept server was not launched; its output: {_output_in(home / LAUNCH_LOG)}")


def _keeper_environment(home: Path) -> dict[str, str]:
    """The run's environment, with PREFECT_HOME absolute (the keeper runs in it) and newsetl importable."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PREFECT_HOME": str(home), "PYTHONPATH": path}


def _signal(home: Path, pid: int) -> bool:
    """SIGTERM keeper pid if it is alive (its lock proves the pid is still that keeper); whether it was."""
    if not running(home, pid):
        return False
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    return True


def wait_gone(home: Path, pid: int, timeout: float = STOP_SECONDS) -> bool:
    """Wait (timeout seconds at most) for keeper pid to end; whether it has."""
    deadline = time.monotonic() + timeout
    while running(home, pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _terminate(home: Path, pid: int) -> bool:
    """Stop keeper pid if it is alive and wait for it to end; whether it was alive."""
    if not _signal(home, pid):
        return False
    wait_gone(home, pid)
    return True


def stop(home: Path) -> list[int]:
    """Stop every keeper of home (and its server), whether runs use it or not; their pids."""
    home = home.resolve()
    pids = sorted(int(p.name) for p in (home / KEEPERS).glob("[0-9]*") if p.name.isdigit())
    return [pid for pid in pids if _terminate(home, pid)]


def status(home: Path) -> dict | None:
    """The keeper new runs join and its server ({pid, state, api_url, idle_seconds, leases}), or None."""
    home = home.resolve()
    record = read_record(home)
    if record is None or not running(home, record["pid"]):
        return None
    return {**record, **server_state(home, record["pid"]), "leases": live_leases(home, record["pid"])}
