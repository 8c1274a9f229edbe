"""Incremental runs: unchanged bundles are skipped with their partitions untouched; an inbox folder's
bundles are each processed once; every bundle is a subflow named by its id."""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from flows.cli import main
from tasks.store import bundle_upgrade
from tasks.store import bundle_versions as versions
from tasks.store.load import parquet_root
from tests.conftest import SEEDS
from tests.invariants import bundle_rows

OLD = time.time() - 3600  # an inbox entry last modified an hour ago: settled


def _files(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime_ns) of every published Parquet part and report: rewritten files change."""
    found = {}
    for path in [*parquet_root(out).joinpath(versions.BUNDLES).rglob("*.parquet"), *(out / "reports").iterdir()]:
        info = path.stat()
        found[str(path.relative_to(out))] = (info.st_ino, info.st_mtime_ns)
    return found


def _small_bundle(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "one.txt").write_text("The council met in Lisbon on Monday. Ministers agreed a new budget for schools.\n")
    (folder / "two.txt").write_text("Officials in Nairobi said on Friday that the new rail line will open in May.\n")
    return folder


def _outcomes(summaries) -> list[tuple[str, str, str]]:
    return [(s.bundle_id, s.outcome, s.reason) for s in summaries]


class RunLog(logging.Handler):
    """The messages of Prefect's loggers from start() on (Prefect's logging config leaves caplog out, and
    replaces the handlers of its loggers when a process's first flow runs: start after that)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())

    def start(self) -> None:
        self.messages.clear()
        logging.getLogger("prefect").addHandler(self)

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


@pytest.fixture
def run_log():
    keeper = RunLog()
    yield keeper
    logging.getLogger("prefect").removeHandler(keeper)


def test_unchanged_bundle_is_skipped_and_untouched(prefect_harness, tmp_path: Path, run_log):
    from flows.etl import etl

    bundle, out = _small_bundle(tmp_path / "wire"), tmp_path / "out"
    first = etl(bundles=[str(bundle)], out=str(out))
    assert _outcomes(first) == [("wire", "published", "new: no fingerprint published for this bundle")]
    rows, files = bundle_rows(out, "wire"), _files(out)

    run_log.start()
    again = etl(bundles=[str(bundle)], out=str(out))
    logged = run_log.text
    assert _outcomes(again) == [("wire", "skipped (unchanged)", "same content and pipeline")]
    assert again[0].n_documents == 0 and again[0].n_batches == 0
    assert _files(out) == files and bundle_rows(out, "wire") == rows
    assert "bundle wire (" in logged and "skipped (unchanged), its partitions untouched" in logged
    assert "views and reports left as they are" in logged

    forced = etl(bundles=[str(bundle)], out=str(out), force=True)
    assert _outcomes(forced) == [("wire", "published", "unchanged, reprocessed (--force)")]
    assert bundle_rows(out, "wire") == rows and _files(out) != files

    # a setting that cannot change rows: still skipped; one that can: processed again
    assert _outcomes(etl(bundles=[str(bundle)], out=str(out), nlp_cache_chars=0))[0][1] == "skipped (unchanged)"
    plain = etl(bundles=[str(bundle)], out=str(out), nlp_entities=False)
    assert _outcomes(plain) == [("wire", "published", "changed: pipeline (config)")]
    assert bundle_rows(out, "wire")["entities"] == []
    assert _outcomes(etl(bundles=[str(bundle)], out=str(out), nlp_entities=False))[0][1] == "skipped (unchanged)"

    (bundle / "two.txt").write_text("Officials in Nairobi said on Friday that the new rail line will open in June.\n")
    changed = etl(bundles=[str(bundle)], out=str(out), nlp_entities=False)
    assert _outcomes(changed) == [("wire", "published", "changed: content")]
    assert "June" in bundle_rows(out, "wire")["documents"][1]["text"]


def test_a_newer_newsetl_reprocesses_an_unchanged_bundle_once(prefect_harness, tmp_path: Path, monkeypatch):
    """Other code (its .py/.sql digest) or another table layout: the pipeline version changes even
    when the package version does not; a bundle published in another layout is upgraded first."""
    from flows.etl import etl
    from tasks import package_source
    from tasks.store import load

    bundle, out = _small_bundle(tmp_path / "wire"), tmp_path / "out"
    etl(bundles=[str(bundle)], out=str(out))
    monkeypatch.setattr(package_source, "code_digest", lambda: "0000000000000000")
    assert _outcomes(etl(bundles=[str(bundle)], out=str(out))) == [("wire", "published", "changed: pipeline (code)")]
    assert _outcomes(etl(bundles=[str(bundle)], out=str(out)))[0][1] == "skipped (unchanged)"

    monkeypatch.setattr(load, "LAYOUT", "a-newer-layout")
    assert bundle_upgrade.bundles_to_upgrade(parquet_root(out), list(load.schemas.TABLES), load.LAYOUT) == ["wire"]
    changed = etl(bundles=[str(bundle)], out=str(out))
    assert _outcomes(changed) == [("wire", "published", "changed: pipeline (layout)")]
    assert versions.recorded_layout(load.bundle_snapshot(out, "wire")) == "a-newer-layout"
    assert bundle_upgrade.bundles_to_upgrade(parquet_root(out), list(load.schemas.TABLES), load.LAYOUT) == []


def test_a_bundle_changed_while_read_is_read_again_next_time(prefect_harness, tmp_path: Path, monkeypatch):
    import flows.etl

    bundle, out = _small_bundle(tmp_path / "wire"), tmp_path / "out"
    signatures = iter(range(100))
    monkeypatch.setattr(flows.etl, "stat_signature", lambda path: next(signatures))  # differs before and after
    assert flows.etl.etl(bundles=[str(bundle)], out=str(out))[0].outcome == "published"
    assert versions.published_fingerprint(parquet_root(out), "wire") is None
    monkeypatch.undo()
    assert flows.etl.etl(bundles=[str(bundle)], out=str(out))[0].outcome == "published"
    assert flows.etl.etl(bundles=[str(bundle)], out=str(out))[0].outcome == "skipped (unchanged)"


def _settle(path: Path) -> None:
    for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
        os.utime(item, (OLD, OLD))


def _bundle_flow_runs(parent_names: set[str] | None = None) -> dict[str, list[str]]:
    """Subflow runs of newsetl-bundle: {run name: [state names]}."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["newsetl-bundle"])), limit=200)
    found: dict[str, list[str]] = {}
    for run in runs:
        if run.parent_task_run_id is not None:  # a subflow run
            found.setdefault(run.name, []).append(run.state.name)
    return found


def test_inbox_processes_each_bundle_once(prefect_harness, tmp_path: Path, run_log):
    from flows.etl import etl

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _small_bundle(inbox / "monday-folder")
    (inbox / "tuesday.jsonl").write_text(
        json.dumps({"id": "t1", "text": "Farmers in Lyon protested on Tuesday against the new water rules."}) + "\n"
    )
    (inbox / ".partial.jsonl").write_text("{")  # hidden: not a bundle
    for entry in inbox.iterdir():
        _settle(entry)
    shutil.copytree(SEEDS, inbox / "being-copied")
    (inbox / "being-copied" / "zz-arriving.txt").write_text("Half of an art")  # modified just now: still being written

    run_log.start()
    first = etl(inbox=str(inbox), out=str(out))
    assert [(s.bundle_id, s.outcome) for s in first] == [("monday-folder", "published"), ("tuesday", "published")]
    logged = run_log.text
    assert "being-copied modified less than 60 s ago, still being written: left for the next run" in logged
    assert not versions.link_path(parquet_root(out), "documents", "being-copied").exists()
    runs = _bundle_flow_runs()
    assert {"monday-folder", "tuesday"} <= runs.keys() and runs["tuesday"] == ["Completed"]

    _settle(inbox / "being-copied")
    files = _files(out)
    second = etl(inbox=str(inbox), out=str(out))
    assert [(s.bundle_id, s.outcome) for s in second] == [
        ("being-copied", "published"),
        ("monday-folder", "skipped (unchanged)"),
        ("tuesday", "skipped (unchanged)"),
    ]
    assert len(bundle_rows(out, "being-copied")["documents"]) == 6
    assert {k: v for k, v in _files(out).items() if "being-copied" not in k and k.startswith("parquet")} == {
        k: v for k, v in files.items() if k.startswith("parquet")
    }
    assert _bundle_flow_runs()["tuesday"] == ["Completed", "Completed"]  # its own subflow each run

    third = etl(inbox=str(inbox), out=str(out))
    assert {s.outcome for s in third} == {"skipped (unchanged)"}


def test_inbox_entries_that_cannot_be_bundles_fail_the_run_but_not_the_others(prefect_harness, tmp_path: Path):
    from flows.etl import BundlesFailed, etl

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _small_bundle(inbox / "wire")
    (inbox / "wire.jsonl").write_text(json.dumps({"text": "A second wire with the same name."}) + "\n")
    _small_bundle(inbox / "good")
    os.mkfifo(inbox / "pipe")
    for entry in inbox.iterdir():
        _settle(entry)
    with pytest.raises(BundlesFailed) as failed:
        etl(inbox=str(inbox), out=str(out))
    message = str(failed.value)
    assert "wire, wire.jsonl would share the bundle id 'wire': rename one" in message
    assert "pipe (bundle is neither a regular file nor a directory" in message
    assert len(bundle_rows(out, "good")["documents"]) == 2
    assert not versions.link_path(parquet_root(out), "documents", "wire").exists()


def test_cli_inbox_says_skipped(prefect_harness, tmp_path: Path, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _small_bundle(inbox / "wire")
    _settle(inbox / "wire")
    assert main(["run", "--inbox", str(inbox), "--out", str(out)]) == 0
    assert "  wire: published, 2 documents (new: no fingerprint published for this bundle)" in capsys.readouterr().out
    assert main(["run", "--inbox", str(inbox), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "  wire: skipped (unchanged)" in printed and "Corpus summary" in printed
    assert main(["run", "--inbox", str(inbox), "--out", str(out), "--force"]) == 0
    assert "  wire: published, 2 documents (unchanged, reprocessed (--force))" in capsys.readouterr().out

    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["run", "--inbox", str(empty), "--out", str(tmp_path / "out2")]) == 0  # nothing yet: no outputs
    assert "Corpus summary" not in capsys.readouterr().out and not (tmp_path / "out2" / "reports").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give one or more bundles, or --inbox DIR"),
        (["--inbox", "/nonexistent/inbox"], "inbox is not a folder: /nonexistent/inbox"),
        ([str(SEEDS), "--dask-address", "localhost"], "not a Dask scheduler address: 'localhost'"),
        (["--inbox", str(SEEDS), "--bundle-id", "x"], "exactly one bundle"),
    ],
)
def test_cli_refuses(args, message, tmp_path: Path, capsys):
    assert main(["run", *args, "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err


def test_cli_says_which_inbox_entries_are_left_for_the_next_run(prefect_harness, tmp_path: Path, capsys):
    import re

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _small_bundle(inbox / "arriving")  # modified just now: still being written
    assert main(["run", "--inbox", str(inbox), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"^Bundles:\n  arriving: left for the next run \(modified \d+ s ago\)$", printed.strip(), re.M)
    assert "Corpus summary" not in printed  # nothing published yet

    _small_bundle(inbox / "wire")
    _settle(inbox / "wire")
    assert main(["run", "--inbox", str(inbox), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert [(b["bundle_id"], b["outcome"]) for b in summary["bundles"]] == [("wire", "published")]
    [left] = summary["left_for_next_run"]
    assert left["entry"] == "arriving" and 0 <= left["modified_seconds_ago"] < 60
