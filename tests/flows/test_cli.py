"""The `newsetl` command: argument checks, and a parallel (Dask) run printing its outputs."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from flows import temporary_server
from flows.cli import _stopped, main
from tests.conftest import SEEDS
from tests.invariants import bundle_rows, invariant_violations


def test_missing_bundle_is_a_clear_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "out")]) == 2
    assert "no such bundle" in capsys.readouterr().err


def test_bundle_id_needs_exactly_one_bundle(tmp_path, capsys):
    assert main(["run", str(SEEDS), str(SEEDS), "--bundle-id", "x", "--out", str(tmp_path)]) == 2
    assert "exactly one bundle" in capsys.readouterr().err


def test_report_needs_a_previous_run(tmp_path, capsys):
    assert main(["report", "--out", str(tmp_path)]) == 2
    assert "run `newsetl run` first" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("exc", "what", "code", "line"),
    [
        (KeyboardInterrupt(), "run", 130, "newsetl: interrupted"),
        (temporary_server.ServerFailed("the server could not start"), "report", 1, "newsetl: the server could not start"),
        (OSError("disk full"), "run", 1, "newsetl: the run failed: OSError: disk full"),
        (ValueError("bad"), "report", 1, "newsetl: the report failed: ValueError: bad"),
    ],
)
def test_what_stopped_a_run_or_report_is_one_line_and_an_exit_code(capsys, exc, what, code, line):
    assert _stopped(exc, what) == code
    assert capsys.readouterr().err == line + "\n"


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", "--batch-size", "many"])
    assert exc.value.code == 2
    assert main(["run"]) == 2 and "give one or more bundles, or --inbox DIR" in capsys.readouterr().err


def test_parallel_run_with_dask_workers(prefect_harness, tmp_path: Path, capsys, sample_out: Path):
    out = tmp_path / "out"
    code = main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "par", "--workers", "2", "--batch-size", "2"])
    assert code == 0
    printed = capsys.readouterr().out
    assert str(out.resolve()) in printed and "warehouse.duckdb" in printed and "Corpus summary" in printed
    rows = bundle_rows(out, "par")
    assert invariant_violations(rows) == []
    serial = bundle_rows(sample_out, "seeds")
    # doc ids derive from the bundle id (so do cluster and claim ids); everything else matches the serial run
    serial_ids = {d["source_path"]: d["doc_id"] for d in serial["documents"]}
    renamed = {d["doc_id"]: serial_ids[d["source_path"]] for d in rows["documents"]}

    def as_serial(key, value):
        if key == "bundle_id":
            return "seeds"
        if isinstance(value, str):
            for par_id, serial_id in renamed.items():
                value = value.replace(par_id, serial_id)
        return value

    for table in serial:
        assert [{k: as_serial(k, v) for k, v in r.items()} for r in rows[table]] == serial[table], table


@pytest.mark.parametrize(("given", "chars"), [("0", 0), ("5M", 5 * 2**20), ("20000000", 20_000_000)])
def test_nlp_cache_chars_option(given, chars):
    from flows.cli import _parser

    assert _parser().parse_args(["run", str(SEEDS), "--nlp-cache-chars", given]).nlp_cache_chars == chars


def test_nlp_cache_chars_refuses_negative(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SEEDS), "--nlp-cache-chars", "-1"])
    assert exc.value.code == 2 and "--nlp-cache-chars" in capsys.readouterr().err


def test_a_run_without_entities(prefect_harness, tmp_path: Path, sample_out: Path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "plain", "--no-entities"]) == 0
    rows = bundle_rows(out, "plain")
    assert rows["entities"] == [] and {d["ner_model"] for d in rows["documents"]} == {None}
    assert invariant_violations(rows) == []
    serial = bundle_rows(sample_out, "seeds")
    assert [d["text"] for d in rows["documents"]] == [d["text"] for d in serial["documents"]]
    assert len(rows["sentences"]) >= len(serial["sentences"])  # merges across entities are the only difference


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and re.fullmatch(r"newsetl \S+\n", capsys.readouterr().out)


def test_an_out_that_cannot_be_created_is_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main(["run", str(SEEDS), "--out", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot be created" in err and "is a file" in err


@pytest.mark.parametrize("command", ["run", "report"])
def test_an_out_that_is_a_file_is_one_line(tmp_path, capsys, command):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert main([command, *([str(SEEDS)] if command == "run" else []), "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file" in err


def test_quiet_verbose_and_json_are_options_of_both_commands():
    from flows.cli import _parser

    run = _parser().parse_args(["run", str(SEEDS), "-q", "--json"])
    report = _parser().parse_args(["report", "--verbose"])
    assert (run.quiet, run.verbose, run.json) == (True, False, True) and report.verbose
    with pytest.raises(SystemExit):
        _parser().parse_args(["run", str(SEEDS), "--quiet", "--verbose"])


def test_json_summary_on_stdout_and_progress_lines_on_stderr(prefect_harness, tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "js", "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout holds the JSON and nothing else
    [bundle] = summary["bundles"]
    assert (bundle["bundle_id"], bundle["outcome"], bundle["n_documents"], bundle["status_counts"]) == (
        "js", "published", 5, {"ok": 5}
    )
    assert summary["out"] == str(out.resolve()) and summary["outputs"]["warehouse"].endswith("warehouse.duckdb")
    assert [row["bundle_id"] for row in summary["corpus_summary"]] == ["js", "(all)"]
    assert summary["documents_by_status"] == [{"bundle_id": "js", "status": "ok", "n_documents": 5}]
    assert "newsetl: bundle js: 5 of 5 documents done (100%" in captured.err  # the size was counted up front

    assert main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "js", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "documents done" not in captured.err  # unchanged: skipped, and nothing said


def _two_bundles(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """Bundles 'good' and 'bad'; the transform fails on every batch of 'bad'."""
    import tasks.prefect_tasks as prefect_tasks

    folders = []
    for name in ("good", "bad"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "one.txt").write_text("The council met in Lisbon on Monday. Ministers agreed a new budget for schools.\n")
        folders.append(folder)
    real = prefect_tasks.transform_batch

    def failing_on_bad(raws, *args):
        if any(raw.bundle_id == "bad" for raw in raws):
            raise RuntimeError("transform exploded\non two lines")
        return real(raws, *args)

    monkeypatch.setattr(prefect_tasks, "transform_batch", failing_on_bad)
    return folders[0], folders[1]


def test_a_failed_bundle_still_shows_what_was_published(prefect_harness, tmp_path: Path, monkeypatch, capsys):
    good, bad = _two_bundles(tmp_path, monkeypatch)
    assert main(["run", str(good), str(bad), "--out", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "  good: published, 1 documents (new: no fingerprint published for this bundle)" in captured.out
    assert "  bad: failed: RuntimeError: transform exploded on two lines\n" in captured.out  # one line
    assert "Corpus summary" in captured.out and "Outputs in" in captured.out
    assert re.search(r"^\s+good\s+1\s+1\s", captured.out, re.M)  # the corpus summary's row of the published bundle
    [line] = [line for line in captured.err.splitlines() if line.startswith("newsetl: bundle(s) failed")]
    assert "bad (RuntimeError: transform exploded on two lines)" in line

    assert main(["run", str(good), str(bad), "--out", str(tmp_path / "out2"), "--json"]) == 1
    captured = capsys.readouterr()
    summary = json.loads(captured.out)  # stdout holds the JSON and nothing else
    assert [(b["bundle_id"], b["outcome"], b["n_documents"]) for b in summary["bundles"]] == [("good", "published", 1)]
    assert summary["failures"] == {"bad": "RuntimeError: transform exploded on two lines"}
    assert [row["bundle_id"] for row in summary["corpus_summary"]] == ["good", "(all)"]
    assert "newsetl: bundle(s) failed: bad (RuntimeError" in captured.err


def test_json_summary_of_a_run_without_failures_has_empty_failures(prefect_harness, tmp_path: Path, capsys):
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "out"), "--bundle-id", "ok", "--json", "-q"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["failures"] == {} and summary["left_for_next_run"] == []


def test_a_server_that_cannot_start_is_one_line_and_fails_fast(tmp_path: Path, monkeypatch, capsys):
    import sys
    import time

    script = "print('sqlite3.OperationalError: unable to open database file'); raise SystemExit(3)"
    monkeypatch.setattr(temporary_server.TemporaryServer, "_command", lambda self, root: [sys.executable, "-c", script])
    monkeypatch.setattr(temporary_server, "start_early", temporary_server.TemporaryServer)
    monkeypatch.setattr(temporary_server, "keep_if_needed", lambda server: server)
    started = time.monotonic()
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    assert time.monotonic() - started < 60  # models are loaded meanwhile; the server is not waited for until the timeout
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsetl: Prefect's temporary server could not start (it exited")
    assert "unable to open database file" in err
