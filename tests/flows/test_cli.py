"""The `newsetl` command: argument checks, and a parallel (Dask) run printing its outputs."""
from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
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


def test_usage_error_exits_nonzero():
    with pytest.raises(SystemExit) as exc:
        main(["run"])
    assert exc.value.code == 2


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

    def as_serial(value):
        if isinstance(value, str):
            for par_id, serial_id in renamed.items():
                value = value.replace(par_id, serial_id)
        return value

    for table in serial:
        assert [{k: as_serial(v) for k, v in r.items()} for r in rows[table]] == serial[table], table


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
