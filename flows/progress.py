"""Progress of a run: documents done per bundle, docs/s and, when the bundle's size is known, an ETA.

The flow reports after every batch through `documents_done` (flows/etl.py). That line is
always logged to the flow run (Prefect's UI, and its console when nothing else shows
progress). The `newsetl` command adds a display (flows/cli.py): a bar on a terminal
(`BarDisplay`, rich), timestamped plain lines otherwise (`LineDisplay`), nothing with
--quiet; it also hands over the bundles' sizes (`expect`) once counted, and takes the inbox
entries left for the next run (`left_for_next_run`) for the command to print.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

PROGRESS_RECORD = "newsetl_progress"  # attribute marking progress log records (the display shows them instead)

_expected: dict[str, int] = {}  # bundle id → documents expected
_left: dict[str, int] = {}  # inbox entry left for the next run (still being written) → seconds since modified
_lock = threading.Lock()
_display = None


def expect(bundle_id: str, total: int) -> None:
    """The bundle holds about `total` documents (may arrive while the run has started)."""
    with _lock:
        _expected[bundle_id] = total
    if _display is not None:
        _display.expect(bundle_id, total)


def expected(bundle_id: str) -> int | None:
    with _lock:
        return _expected.get(bundle_id)


def eta_seconds(done: int, total: int | None, elapsed: float) -> float | None:
    """Seconds left at the rate so far, or None when unknown (no size, nothing done yet)."""
    if total is None or done <= 0 or elapsed <= 0:
        return None
    return max(total - done, 0) * elapsed / done


def clock(seconds: float | None) -> str:
    return "?" if seconds is None else str(timedelta(seconds=round(seconds)))


def progress_line(bundle_id: str, done: int, elapsed: float, total: int | None) -> str:
    """'bundle seeds: 120 of 500 documents done (24%, 8.1 docs/s, ETA 0:00:47)'."""
    rate = done / max(elapsed, 1e-9)
    if total is None:
        return f"bundle {bundle_id}: {done} documents done ({rate:.1f} docs/s)"
    total = max(total, done)
    share = done / total if total else 1.0
    return (
        f"bundle {bundle_id}: {done} of {total} documents done "
        f"({share:.0%}, {rate:.1f} docs/s, ETA {clock(eta_seconds(done, total, elapsed))})"
    )


def documents_done(bundle_id: str, done: int, elapsed: float) -> None:
    """Called by the flow after each batch: `done` documents of the bundle in `elapsed` seconds."""
    from prefect import get_run_logger

    total = expected(bundle_id)
    get_run_logger().info(progress_line(bundle_id, done, elapsed, total), extra={PROGRESS_RECORD: True})
    if _display is not None:
        _display.update(bundle_id, done, elapsed, total)


def left_for_next_run(entry: str, seconds_ago: float) -> None:
    """Called by the flow (flows/inbox.py): an inbox entry modified `seconds_ago` is still being written."""
    with _lock:
        _left[entry] = max(int(seconds_ago), 0)


def left_entries() -> dict[str, int]:
    """The inbox entries left for the next run since `show` was last called, with their seconds since modified."""
    with _lock:
        return dict(sorted(_left.items()))


def show(display) -> None:
    """Route progress to `display` (None: only the flow run's log), forgetting the sizes and the
    inbox entries left for the next run of an earlier run."""
    global _display
    with _lock:
        _expected.clear()
        _left.clear()
    _display = display


class LineDisplay:
    """Plain timestamped lines on stderr (a pipe, a log file, CI)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr

    def note(self, text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} newsetl: {text}", file=self.stream, flush=True)

    def expect(self, bundle_id: str, total: int) -> None:
        pass

    def update(self, bundle_id: str, done: int, elapsed: float, total: int | None) -> None:
        self.note(progress_line(bundle_id, done, elapsed, total))

    def outcome(self, bundle_id: str, text: str) -> None:
        pass  # the command prints each bundle's outcome after the run

    def close(self) -> None:
        pass


class BarDisplay:
    """On stderr, a status line (what the run is doing, time elapsed) above a bar per bundle
    (documents done of the bundle's size, docs/s, ETA)."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class BundleBar(BarColumn):
            def render(self, task):
                return super().render(task) if task.fields.get("bundle") else Text("")

        class StatusElapsed(TimeElapsedColumn):
            def render(self, task):
                return Text("") if task.fields.get("bundle") else super().render(task)

        self.console = console or Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(finished_text=" "),
            TextColumn("{task.description}"),
            BundleBar(),
            TextColumn("{task.fields[counts]}"),
            TextColumn("{task.fields[speed]}"),
            StatusElapsed(),
            console=self.console,
        )
        self.status = self.progress.add_task("starting", total=None, counts="", speed="", bundle=False)
        self.rows: dict[str, int] = {}  # bundle id → its row
        self.done: dict[str, int] = {}  # bundle id → documents done
        self.lock = threading.Lock()
        self.progress.start()
        self.console.show_cursor(True)  # a run stopped by a signal exits at once: never leave the cursor hidden

    def note(self, text: str) -> None:
        self.progress.update(self.status, description=text)

    def _row(self, bundle_id: str, total: int | None) -> int:
        with self.lock:  # sizes arrive from another thread than progress
            if bundle_id not in self.rows:
                counts = f"0/{total} documents" if total is not None else "0 documents"
                self.rows[bundle_id] = self.progress.add_task(
                    f"bundle {bundle_id}", total=total, counts=counts, speed="", bundle=True
                )
            return self.rows[bundle_id]

    def expect(self, bundle_id: str, total: int) -> None:
        row = self._row(bundle_id, total)
        if not self.done.get(bundle_id):
            self.progress.update(row, total=total, counts=f"0/{total} documents")

    def outcome(self, bundle_id: str, text: str) -> None:
        if bundle_id in self.rows:
            self.progress.update(self.rows[bundle_id], counts=text, speed="")

    def update(self, bundle_id: str, done: int, elapsed: float, total: int | None) -> None:
        row = self._row(bundle_id, total)
        self.done[bundle_id] = done
        total = None if total is None else max(total, done)
        rate = done / max(elapsed, 1e-9)
        eta = eta_seconds(done, total, elapsed)
        self.progress.update(
            row,
            completed=done,
            total=total,
            counts=f"{done}/{total} documents" if total is not None else f"{done} documents",
            speed=f"{rate:.1f} docs/s" + (f", ETA {clock(eta)}" if eta is not None else ""),
        )

    def close(self) -> None:
        self.progress.update(self.status, total=1, completed=1)
        self.progress.stop()


@contextmanager
def console_logs(verbose: bool, quiet: bool, display) -> Iterator[None]:
    """Prefect's console output during a `newsetl` command (the flow run's own log is unchanged).

    Default and --quiet: warnings and errors only, in one line each (none of the engine's
    chatter), progress through `display` (none with --quiet); --verbose: everything Prefect
    logs, tracebacks included. With a bar on screen, log lines are printed above it.
    Processes started meanwhile (Dask workers) configure their own logging: unless
    --verbose, their console shows warnings and errors only. Put back as it was on exit."""
    from prefect.logging.handlers import PrefectConsoleHandler

    floor = logging.DEBUG if verbose else logging.WARNING

    def keep(record: logging.LogRecord) -> bool:
        if getattr(record, PROGRESS_RECORD, False):
            return display is None and not quiet  # else the display shows it
        return record.levelno >= floor

    changed = []
    for logger in [logging.getLogger(), *_prefect_loggers()]:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and all(h is not handler for h, _, _ in changed):
                changed.append((handler, handler.console, handler.formatter))
                handler.addFilter(keep)
                if not verbose:
                    handler.setFormatter(_OneLine(handler.formatter))
                if isinstance(display, BarDisplay):
                    handler.console = display.console
    child_level = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"  # Prefect's logging.yml, overridden from the environment
    set_for_children = not verbose and child_level not in os.environ
    if set_for_children:
        os.environ[child_level] = "WARNING"
    try:
        yield
    finally:
        if set_for_children:
            os.environ.pop(child_level, None)
        for handler, console, formatter in changed:
            handler.removeFilter(keep)
            handler.console = console
            handler.setFormatter(formatter)


class _OneLine(logging.Formatter):
    """A record as its formatter shows it, without the traceback (--verbose shows it; the flow run's log keeps it)."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord(record.__dict__)
        bare.exc_info = bare.exc_text = bare.stack_info = None
        return self.inner.format(bare)


def _prefect_loggers() -> list[logging.Logger]:
    manager = logging.Logger.manager
    return [
        logger
        for name, logger in list(manager.loggerDict.items())
        if isinstance(logger, logging.Logger) and (name == "prefect" or name.startswith("prefect."))
    ]
