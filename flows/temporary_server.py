"""Prefect's temporary API server, started first thing so that it boots while the run imports and loads models.

Prefect 3.8 runs no flow or task without an API: with no `PREFECT_API_URL` it starts a
temporary server (a uvicorn subprocess importing Prefect's server, about 8-10 s) the moment
the flow begins, and only then does the flow reach its first document. `newsetl run` starts
the same server (the same command and settings as Prefect's own `SubprocessASGIServer`)
before anything heavy is imported, so both startups overlap, then points Prefect at it.

Nothing is started when an API is configured (`PREFECT_API_URL` in the environment or the
active Prefect profile, or a test harness) or when the profile forbids ephemeral mode; the
server is stopped when the run ends (and by flows/interrupt on SIGINT/SIGTERM, with every
other child process).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PORT_IN_USE_EXIT = 3  # uvicorn's exit code when the port was taken meanwhile
STOP_SECONDS = 10


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        self._log = None
        self._launch()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> None:
        import tempfile
        from importlib.util import find_spec

        prefect_root = Path(find_spec("prefect").origin).parent.parent  # found, not imported
        self.port = _free_port()
        if self._log is None:
            self._log = tempfile.TemporaryFile(mode="w+b")
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn",
                "--app-dir", str(prefect_root),
                "--factory", "prefect.server.api.server:create_app",
                "--host", "127.0.0.1", "--port", str(self.port),
                "--log-level", "error", "--lifespan", "on",
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )

    def wait_ready(self, timeout: float) -> str:
        """Block until the server answers /health; its API URL. RuntimeError (with its output) if it cannot start."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code == PORT_IN_USE_EXIT:
                self._launch()
                continue
            if code is not None:
                raise RuntimeError(f"Prefect's temporary server exited with code {code}: {self._output()}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return self.api_url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"Prefect's temporary server did not answer within {timeout:.0f} s "
            f"(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS): {self._output()}"
        )

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return text[-2000:] or "(no output)"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def start_early() -> TemporaryServer | None:
    """A server booting in the background, unless the environment names an API already.

    Called before Prefect is imported (only the environment is looked at, so it costs
    nothing); `keep_if_needed` then asks Prefect's settings (profile, test harness)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    if "prefect.context" in sys.modules and not _prefect_wants_temporary_server():
        return None  # already imported (e.g. a test harness in charge): decide now
    return TemporaryServer()


def _prefect_wants_temporary_server() -> bool:
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    return not PREFECT_API_URL.value() and bool(PREFECT_SERVER_EPHEMERAL_ENABLED.value())


def keep_if_needed(server: TemporaryServer | None) -> TemporaryServer | None:
    """The server, or None (stopped) when Prefect's settings name an API or forbid ephemeral mode."""
    if server is not None and not _prefect_wants_temporary_server():
        server.stop()
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
