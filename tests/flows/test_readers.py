"""An analyst holding the warehouse open never breaks a run (README: Outputs)."""
from __future__ import annotations

import csv
from pathlib import Path

from flows.cli import main
from tasks.store import warehouse
from tests.conftest import SEEDS
from tests.tasks.store.test_warehouse import _Holder, _leftovers


def _summary_bundles(out: Path) -> list[str]:
    with open(out / "reports" / "corpus_summary.csv", newline="", encoding="utf-8") as f:
        return [row["bundle_id"] for row in csv.DictReader(f)]


def test_runs_and_reports_while_the_warehouse_is_held_open(prefect_harness, tmp_path: Path):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "first"]) == 0
    assert _summary_bundles(out) == ["first", "(all)"]
    reader = _Holder(warehouse.warehouse_path(out), "ro")
    try:
        before = reader.ask("select count(*) from documents")
        assert main(["run", str(SEEDS), "--out", str(out), "--bundle-id", "second"]) == 0
        assert _summary_bundles(out) == ["first", "second", "(all)"]  # views and reports are fresh
        assert reader.ask("select count(*) from documents").startswith("[(")  # the reader still answers
        assert before.startswith("[(")
    finally:
        reader.kill()
    writer = _Holder(warehouse.warehouse_path(out), "rw")  # DuckDB's default mode holds the file's lock
    try:
        assert writer.ask("create table notes as select 1 as x") == "[(1,)]"
        report_csv = out / "reports" / "corpus_summary.csv"
        report_csv.unlink()
        assert main(["report", "--out", str(out)]) == 0
        assert _summary_bundles(out) == ["first", "second", "(all)"]
    finally:
        writer.kill()
    assert _leftovers(out) == []
