"""Stop a `newsetl run` promptly and cleanly on SIGINT / SIGTERM.

Without this, Prefect turns SIGTERM into an exception in the flow, which then waits
for the task runner to finish the batches in flight (minutes with spaCy), and the
process dies by the signal without stopping Prefect's temporary server. Here the
handler, at once (or right after a publish that is swapping partitions, which takes
milliseconds):

1. removes this process's staging folders (published partitions are never touched),
2. terminates every descendant process (Prefect's temporary server, Dask's worker
   processes and whatever they started), killing what is left after a few seconds,
3. prints one line to stderr (and the one given to `saying_on_interrupt`, such as
   the Prefect server this run started staying up) and leaves with `os._exit(128 + signum)` (130 / 143):
   worker threads busy in spaCy cannot keep the process alive.

Prefect's flow engine installs its own SIGTERM handler for the duration of a flow run
(`prefect.utilities.engine.capture_sigterm`); the flow calls `reclaim_signals()` first
thing so ours stays in charge. Prefect restores ours when the run ends.
"""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import resource_tracker

import psutil  # imported here, not in the handler: an import there could wait on a busy thread's import lock

from tasks.store import load

SIGNALS = (signal.SIGINT, signal.SIGTERM)
TERMINATE_GRACE_SECONDS = 3.0

_installed = False
_stopping = False
_note = None  # a callable giving a line (or None) to print after the interrupt message


def _tracker_pid() -> int | None:
    return getattr(getattr(resource_tracker, "_resource_tracker", None), "_pid", None)


def _descendants() -> list[psutil.Process]:
    """Every process below this one, except multiprocessing's resource tracker (Dask starts one).

    The tracker ignores SIGINT and SIGTERM by design: it exits by itself, after unlinking
    the semaphores the killed workers leaked, once the last holder of its pipe is gone
    (this process and the workers). Killed instead, it would leave them in /dev/shm.
    """
    tracker = _tracker_pid()
    try:
        return [p for p in psutil.Process().children(recursive=True) if p.pid != tracker]
    except psutil.Error:
        return []


def _terminate_descendants(grace: float = TERMINATE_GRACE_SECONDS) -> None:
    """SIGTERM every descendant, then SIGKILL those still there after `grace` seconds."""
    # A second pass for what started meanwhile: Dask's nannies (threads of this process) restart
    # a killed worker. One restarted later exits by itself once this process is gone.
    for _ in range(2):
        processes = _descendants()
        if not processes:
            break
        for process in processes:
            try:
                process.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(processes, timeout=grace)
        for process in alive:
            try:
                process.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=1.0)


def _remove_staging() -> list[str]:
    """Remove this process's staging folders; return those that could not be removed."""
    left = []
    for path in load.active_staging_dirs():
        shutil.rmtree(path, ignore_errors=True)
        if path.exists():
            left.append(str(path))
    return left


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # e.g. a reentrant call: the main thread was inside a write
            stream.flush()


def _shutdown(signum: int) -> None:
    """Clean up and leave the process; never returns, whatever fails on the way.

    (An exception escaping a signal handler surfaces wherever the main thread happened to
    be; inside a Dask client wait one was seen to vanish, and the run went on.)
    """
    problems = []
    try:
        for step in (_remove_staging, _terminate_descendants):  # staging first: nothing half-written outlives us
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - go on with the other steps
                problems.append(f"{step.__name__}: {exc!r}")
        left = _remove_staging()  # again: a worker may have recreated a folder while it was being stopped
        published = load.published_bundles()
        data = (
            f"bundle(s) {', '.join(published)} published complete, other published data unchanged"
            if published
            else "published data unchanged"
        )
        staging = f"staging left in {', '.join(left)}" if left else "staging removed"
        extra = f" ({'; '.join(problems)})" if problems else ""
        message = f"newsetl: interrupted by {signal.Signals(signum).name}: {data}, {staging}{extra}\n"
    except BaseException as exc:  # noqa: BLE001
        message = f"newsetl: interrupted by signal {signum} (cleanup failed: {exc!r})\n"
    try:
        line = _note() if _note is not None else None
    except BaseException:  # noqa: BLE001 - a note never stops the exit
        line = None
    message += f"newsetl: {line}\n" if line else ""
    try:
        _flush()
        os.write(2, message.encode())
    finally:
        os._exit(128 + signum)


@contextmanager
def saying_on_interrupt(note) -> Iterator[None]:
    """While inside, an interrupt also prints note()'s line after its message, if note is not
    None and gives one (evaluated then)."""
    global _note
    _note = note
    try:
        yield
    finally:
        _note = None


def _on_signal(signum: int, frame) -> None:
    global _stopping
    if _stopping:  # a second signal while stopping (or waiting for a publish): the first one finishes the job
        return
    _stopping = True
    if load.defer_while_publishing(functools.partial(_shutdown, signum)):
        return  # the publish's renames end in milliseconds, then _shutdown runs in its thread
    _shutdown(signum)


def reclaim_signals() -> None:
    """Put our handlers back if something (Prefect's flow engine) replaced them; no-op outside `stop_cleanly`."""
    if not _installed or threading.current_thread() is not threading.main_thread():
        return
    for signum in SIGNALS:
        if signal.getsignal(signum) is not _on_signal:
            signal.signal(signum, _on_signal)


@contextmanager
def stop_cleanly() -> Iterator[None]:
    """Around a flow run: SIGINT / SIGTERM stop it promptly (see the module docstring)."""
    global _installed
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    _installed = True
    try:
        yield
    finally:
        _installed = False
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def stopping_cleanly(run):
    """`run` (e.g. a flow) wrapped so that it runs inside `stop_cleanly()`."""

    @functools.wraps(run)
    def wrapper(*args, **kwargs):
        with stop_cleanly():
            return run(*args, **kwargs)

    return wrapper
