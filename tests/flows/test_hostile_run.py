"""One `newsetl run` over every hostile bundle, then a good one, into an awkward OUT path.

Asserts the exit code, one documents row per entry with its status, that nothing outside
the bundles was read and nothing was written outside OUT, the invariants of every
bundle, and that the DuckDB views work whatever characters OUT holds.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from flows.cli import main
from tasks.ingest.pieces import (
    CORRUPT_ARCHIVE,
    ENCRYPTED,
    SPECIAL_FILE,
    TOO_LARGE,
    UNREADABLE,
    UNSAFE_PATH,
    UNSUPPORTED_COMPRESSION,
)
from tasks.store import warehouse
from tests import hostile
from tests.conftest import SEEDS
from tests.invariants import bundle_rows, invariant_violations

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")
LIMIT = 2 << 20  # 2 MiB: the long paragraph below fits, the bombs do not
EXTRACT_STATUSES = {CORRUPT_ARCHIVE, ENCRYPTED, SPECIAL_FILE, TOO_LARGE, UNREADABLE, UNSAFE_PATH, UNSUPPORTED_COMPRESSION}
LONG_SENTENCE = "The committee met again on Tuesday in Geneva to review the draft. "
OUT_NAME = "o'ut [1] é {x}"


def _tree(root: Path, skip: Path) -> set[str]:
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == skip:
            dirnames.clear()
            continue
        found.update(os.path.join(dirpath, n) for n in dirnames + filenames)
    return found - {str(skip)}


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    bundles = {}
    bundles["hostile_dir"] = hostile.directory_bundle(tmp, LIMIT)
    root = bundles["hostile_dir"][0]
    long_text = LONG_SENTENCE * (1_500_000 // len(LONG_SENTENCE))  # one 1.5-million-character paragraph
    (root / "long_paragraph.txt").write_text(long_text)
    bundles["hostile_dir"][1]["long_paragraph.txt"] = "ok"
    bundles["hostile"] = hostile.zip_bundle(tmp, LIMIT)
    tar, expected = hostile.tar_bundle(tmp, limit=LIMIT)
    bundles["hostile_tar"] = (tar.rename(tmp / "hostile_tar.tar.gz"), expected)  # beside hostile.zip
    bundles["truncated"] = hostile.tar_bundle(tmp, truncated=True, limit=LIMIT)
    bundles["corrupt"] = hostile.corrupt_zip(tmp)
    good = tmp / "good"
    shutil.copytree(SEEDS, good)
    out = tmp / OUT_NAME
    before = _tree(tmp, out)
    paths = [str(path) for path, _ in bundles.values()] + [str(good)]
    code = main(["run", *paths, "--out", str(out), "--max-document-bytes", str(LIMIT), "--max-line-bytes", "2M"])
    return code, out, bundles, before, _tree(tmp, out), tmp


def test_the_run_goes_on_and_exits_0(hostile_run):
    code, out, *_ = hostile_run
    assert code == 0
    assert len(bundle_rows(out, "good")["documents"]) == 5  # the bundle after the broken ones


def test_one_row_per_entry_with_its_status(hostile_run):
    _, out, bundles, *_ = hostile_run
    for bundle_id, (path, expected) in bundles.items():
        rows = {d["source_path"]: d for d in bundle_rows(out, bundle_id)["documents"]}
        assert set(rows) == set(expected), bundle_id
        for source_path, status in expected.items():
            row = rows[source_path]
            if status == "ok":
                assert row["status"] not in EXTRACT_STATUSES, (bundle_id, source_path)
            else:
                assert (row["status"], row["text"]) == (status, ""), (bundle_id, source_path)
                assert row["status_detail"], (bundle_id, source_path)


def test_invariants_hold_for_every_bundle(hostile_run):
    _, out, *_ = hostile_run
    for bundle_id in ("hostile_dir", "hostile", "hostile_tar", "truncated", "corrupt", "good"):
        assert invariant_violations(bundle_rows(out, bundle_id)) == [], bundle_id


def test_nothing_outside_the_bundles_was_read(hostile_run):
    _, out, *_ = hostile_run
    with warehouse.connect(out) as con:
        leaked = con.execute(
            "select count(*) from documents where text like ? or text like '%root:x:0:0%'", [f"%{hostile.SECRET}%"]
        ).fetchone()[0]
        removed = con.execute("select count(*) from removed where text like ?", [f"%{hostile.SECRET}%"]).fetchone()[0]
    assert (leaked, removed) == (0, 0)


def test_nothing_written_outside_out(hostile_run):
    _, out, _, before, after, _ = hostile_run
    assert after == before
    assert not any((out / "parquet" / ".staging").iterdir())


def test_long_paragraph_is_processed_with_exact_offsets(hostile_run):
    _, out, *_ = hostile_run
    rows = bundle_rows(out, "hostile_dir")
    (doc,) = [d for d in rows["documents"] if d["source_path"] == "long_paragraph.txt"]
    assert doc["status"] == "ok" and doc["n_chars"] > 1_000_000 and doc["n_sentences"] > 1000
    sentences = [s for s in rows["sentences"] if s["doc_id"] == doc["doc_id"]]
    assert all(doc["text"][s["start_char"] : s["end_char"]] == s["text"] for s in sentences)
    assert max(s["end_char"] - s["start_char"] for s in sentences) < 1000


def test_views_work_under_an_awkward_out_path(hostile_run):
    _, out, *_ = hostile_run
    assert out.name == OUT_NAME
    with warehouse.connect(out) as con:
        per_bundle = dict(con.execute("select bundle_id, count(*) from documents group by all").fetchall())
    assert per_bundle["good"] == 5 and set(per_bundle) == {"hostile_dir", "hostile", "hostile_tar", "truncated", "corrupt", "good"}
    assert (out / "reports" / "corpus_summary.csv").stat().st_size > 0


@pytest.mark.parametrize("bundle_id", ["x/../../../tmp/ESCAPED", "a/b", "..", "a b"])
def test_unsafe_bundle_ids_are_refused_before_anything_runs(tmp_path, capsys, bundle_id):
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--bundle-id", bundle_id, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "letters A-Z a-z, digits" in err[0]
    assert not out.exists() and not Path("/tmp/ESCAPED").exists()


@pytest.mark.parametrize("out_name", ["back\\slash", "a_file"])
def test_unusable_out_is_a_one_line_error(tmp_path, capsys, out_name):
    (tmp_path / "a_file").write_text("not a folder")
    assert main(["run", str(SEEDS), "--out", str(tmp_path / out_name)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "output directory" in err[0]


@pytest.mark.parametrize("size", ["0", "-5", "lots"])
def test_limits_must_be_positive_sizes(capsys, size):
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SEEDS), "--max-document-bytes", size])
    assert exc.value.code == 2 and "--max-document-bytes" in capsys.readouterr().err
