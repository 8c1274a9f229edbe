"""Prefect's temporary API server, started first thing so that it boots while the run imports and loads models.

Prefect 3.8 runs no flow or task without an API: with no `PREFECT_API_URL` it starts a
temporary server (a uvicorn subprocess importing Prefect's server: seconds) the moment
the flow begins, and only then does the flow reach its first document. `newsetl run` starts
the same server (the same command and settings as Prefect's own `SubprocessASGIServer`)
before anything heavy is imported, so both startups overlap, then points Prefect at it.

Nothing is started when an API is configured (`PREFECT_API_URL` in the environment or the
active Prefect profile, or a test harness) or when the profile forbids ephemeral mode. By
default the server outlives the run for the next one (flows/kept_server.py; flows/server_keeper.py runs this
class in a keeper process); with `NEWSETL_SERVER_IDLE_SECONDS=0` it is the run's own and is
stopped when the run ends (and by flows/interrupt on SIGINT/SIGTERM, with every other child
process).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows import kept_server

PORT_IN_USE = "address already in use"  # in uvicorn's output when the port was taken meanwhile (it exits with 3,
# as it does for every startup failure: an import error, a broken Prefect database…)
MAX_RELAUNCHES = 3  # new ports tried after such a clash, before giving up
OUTPUT_LINES = 5  # of the server's output, shown when it could not start
STOP_SECONDS = 10


class ServerFailed(RuntimeError):
    """Prefect's temporary server could not start; the message (one line) ends with its last output lines."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now (another process may take it before it is used)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(api_url: str, timeout: float) -> bool:
    """Whether the Prefect API at api_url answers /health within timeout seconds."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:  # URLError, ConnectionError, TimeoutError among them
        return False


def last_lines(output: str) -> str:
    """The last OUTPUT_LINES non-blank lines of a server's output, on one line (no traceback caret lines)."""
    lines = [line.strip() for line in output.splitlines() if line.strip(" ^~\t")]
    return " | ".join(lines[-OUTPUT_LINES:])[-2000:] or "(no output)"


def stop_process(process: subprocess.Popen, grace: float) -> None:
    """SIGTERM process, SIGKILL if it has not exited within grace seconds; returns once it has exited."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when newsetl dies, however it dies (even killed before it could stop us)."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class TemporaryServer:
    """A Prefect API server subprocess on 127.0.0.1, for the duration of one run."""

    def __init__(self) -> None:
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.launches = 0
        self._log = None
        self._launch()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> None:
        import tempfile
        from importlib.util import find_spec

        prefect_root = Path(find_spec("prefect").origin).parent.parent  # found, not imported
        self.port = free_port()
        if self._log is None:
            self._log = tempfile.TemporaryFile(mode="w+b")
        self._log.seek(0)
        self._log.truncate()  # only this launch's output
        self.launches += 1
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(
            self._command(str(prefect_root)),
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def _command(self, prefect_root: str) -> list[str]:
        return [
            sys.executable, "-m", "uvicorn",
            "--app-dir", prefect_root,
            "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(self.port),
            "--log-level", "error", "--lifespan", "on",
        ]

    def wait_ready(self, timeout: float) -> str:
        """Block until the server answers /health; its API URL. Relaunched on another port when its port was
        taken meanwhile (at most MAX_RELAUNCHES times); ServerFailed, with its last output lines, as soon as it
        exits for any other reason, or when it does not answer within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                clash = PORT_IN_USE in self._output().lower()
                if clash and self.launches <= MAX_RELAUNCHES:
                    self._launch()
                    continue
                why = f"its port was in use {self.launches} times" if clash else f"it exited with code {code}"
                raise ServerFailed(
                    f"Prefect's temporary server could not start ({why}); its output: {last_lines(self._output())}"
                )
            if answers(self.api_url, 2):
                return self.api_url
            time.sleep(0.1)
        raise ServerFailed(
            f"Prefect's temporary server did not answer within {timeout:.0f} s "
            f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS); its output: {last_lines(self._output())}"
        )

    def _output(self) -> str:
        """What the server printed since it was (re)launched."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def discard(self) -> None:
        """Not needed after all (Prefect's settings name an API): stopped."""
        self.stop()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_process(self.process, STOP_SECONDS)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def start_early() -> TemporaryServer | kept_server.KeptServer | None:
    """A server booting in the background (or already up: a kept one), unless the environment names an API already.

    Called before Prefect is imported (only the environment is looked at, so it costs
    nothing); `keep_if_needed` then asks Prefect's settings (profile, test harness)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    if "prefect.context" in sys.modules and not _prefect_wants_temporary_server():
        return None  # already imported (e.g. a test harness in charge): decide now
    idle = kept_server.idle_seconds()
    if idle > 0:  # the server a run leaves for the next one (flows/kept_server.py)
        try:
            return kept_server.acquire(prefect_home(), idle)
        except OSError:  # PREFECT_HOME cannot hold its record, lock or leases: a server of this run's own
            pass
    return TemporaryServer()


def prefect_home() -> Path:
    """PREFECT_HOME as Prefect reads it from the environment (its default when unset)."""
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _prefect_wants_temporary_server() -> bool:
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    return not PREFECT_API_URL.value() and bool(PREFECT_SERVER_EPHEMERAL_ENABLED.value())


def keep_if_needed(server: TemporaryServer | kept_server.KeptServer | None):
    """The server, or None (stopped) when Prefect's settings name an API or forbid ephemeral mode."""
    if server is not None and not _prefect_wants_temporary_server():
        server.discard()
        return None
    return server


def startup_timeout() -> float:
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    return float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())


@contextmanager
def using(api_url: str) -> Iterator[None]:
    """A context in which Prefect (this process, and processes it starts) talks to api_url."""
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

    # UI URL empty: no "View at http://…" line, the server has no UI and ends with the run
    values = {"PREFECT_API_URL": api_url, "PREFECT_UI_URL": ""}
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)  # for child processes (Dask workers)
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url, PREFECT_UI_URL: ""}):
            try:
                yield
            finally:
                _drain()  # send the run's last logs and events while the server still answers
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _drain() -> None:
    """Wait (a few seconds at most) for Prefect's log and event workers to deliver what they hold."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=5)
        except RuntimeError:  # never started
            pass
