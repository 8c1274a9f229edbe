"""Progress lines, ETA, the two displays, and what reaches Prefect's console during a command."""
from __future__ import annotations

import io
import logging
import os

import pytest

from flows import progress


def test_progress_line_with_and_without_a_size():
    assert progress.progress_line("b", 120, 15.0, 500) == "bundle b: 120 of 500 documents done (24%, 8.0 docs/s, ETA 0:00:48)"
    assert progress.progress_line("b", 120, 15.0, None) == "bundle b: 120 documents done (8.0 docs/s)"
    # a count that turned out low never shows more than 100% nor a negative ETA
    assert progress.progress_line("b", 12, 3.0, 10) == "bundle b: 12 of 12 documents done (100%, 4.0 docs/s, ETA 0:00:00)"


def test_eta_is_unknown_before_anything_is_done_or_without_a_size():
    assert progress.eta_seconds(0, 100, 5.0) is None
    assert progress.eta_seconds(10, None, 5.0) is None
    assert progress.eta_seconds(25, 100, 10.0) == pytest.approx(30.0)


def test_line_display_prints_timestamped_lines():
    out = io.StringIO()
    display = progress.LineDisplay(out)
    display.note("running")
    display.update("seeds", 5, 2.0, 5)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("newsetl: running")
    assert lines[1].endswith("newsetl: bundle seeds: 5 of 5 documents done (100%, 2.5 docs/s, ETA 0:00:00)")


def test_bar_display_shows_documents_rate_eta_and_outcomes():
    from rich.console import Console

    screen = io.StringIO()
    display = progress.BarDisplay(Console(file=screen, force_terminal=True, width=150))
    display.expect("a", 400)
    display.expect("b", 10)
    display.update("a", 100, 10.0, 400)
    display.outcome("b", "skipped (unchanged)")
    display.note("done in 12.0 s")
    display.close()
    shown = screen.getvalue()
    assert "100/400 documents" in shown and "10.0 docs/s, ETA 0:00:30" in shown
    assert "skipped (unchanged)" in shown and "done in 12.0 s" in shown


@pytest.fixture
def console_handler():
    """A Prefect console handler on a prefect logger, writing to a string."""
    from prefect.logging.handlers import PrefectConsoleHandler

    stream = io.StringIO()
    handler = PrefectConsoleHandler(stream=stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("prefect.test_progress")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, stream
    logger.removeHandler(handler)


def _emit_all(logger):
    logger.info("Finished in state Completed()")
    logger.info("bundle seeds: 5 documents done (1.0 docs/s)", extra={progress.PROGRESS_RECORD: True})
    logger.warning("bundle x holds no documents")
    try:
        raise KeyError("boom")
    except KeyError:
        logger.error("Task run failed", exc_info=True)


def test_default_console_shows_warnings_and_errors_in_one_line(console_handler):
    logger, stream = console_handler
    with progress.console_logs(verbose=False, quiet=False, display=progress.LineDisplay(io.StringIO())):
        _emit_all(logger)
    assert stream.getvalue().splitlines() == ["WARNING bundle x holds no documents", "ERROR Task run failed"]


def test_verbose_console_shows_everything_but_progress_a_display_shows(console_handler):
    logger, stream = console_handler
    with progress.console_logs(verbose=True, quiet=False, display=progress.LineDisplay(io.StringIO())):
        _emit_all(logger)
    shown = stream.getvalue()
    assert "Finished in state Completed()" in shown and "Traceback" in shown and "KeyError: 'boom'" in shown
    assert "documents done" not in shown


def test_quiet_console_shows_no_progress_and_everything_comes_back_after(console_handler):
    logger, stream = console_handler
    with progress.console_logs(verbose=False, quiet=True, display=None):
        _emit_all(logger)
    assert stream.getvalue().splitlines() == ["WARNING bundle x holds no documents", "ERROR Task run failed"]
    stream.truncate(0)
    stream.seek(0)
    _emit_all(logger)  # outside a command: as Prefect shows it
    shown = stream.getvalue()
    assert "Finished in state" in shown and "documents done" in shown and "Traceback" in shown


def test_processes_started_during_a_command_log_warnings_only_unless_verbose(monkeypatch):
    monkeypatch.delenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", raising=False)
    with progress.console_logs(verbose=False, quiet=False, display=None):
        assert os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] == "WARNING"  # Dask workers inherit it
    assert "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL" not in os.environ
    with progress.console_logs(verbose=True, quiet=False, display=None):
        assert "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL" not in os.environ


def test_inbox_entries_left_for_the_next_run_are_kept_until_the_next_run():
    progress.show(None)
    progress.left_for_next_run("zeta.jsonl", 3.7)
    progress.left_for_next_run("alpha", -0.2)  # a clock a little ahead: never a negative age
    assert progress.left_entries() == {"alpha": 0, "zeta.jsonl": 3}
    progress.show(None)  # a new run forgets them
    assert progress.left_entries() == {}
