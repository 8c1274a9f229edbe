import json
import os
import shutil
import socket
import subprocess
import sys
import time

import duckdb
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks.store import load, schemas, table_descriptions, warehouse
from tasks.story.crossdoc import cross_document

NOTHING = cross_document([], [], [])
VIEWS = {path.stem for path in warehouse.sql_files("views")}


def _publish_fixture(out):
    docs = [
        {name: None for name in schemas.DOCUMENTS_STAGED.names}
        | {"doc_id": f"d{i}", "text": "Ann met Bob in Rome.", "status": "ok", "lang": "en", "lang_prob": 0.99,
           "n_chars": 20, "n_chars_raw": 30, "n_sentences": 1, "n_headings": 0, "n_entities": 3, "n_removed": 1}
        for i in range(2)
    ]
    ents = [
        {"doc_id": f"d{i}", "sent_id": 0, "ent_id": j, "start_char": s, "end_char": e, "text": t, "label": l}
        for i in range(2)
        for j, (s, e, t, l) in enumerate([(0, 3, "Ann", "PERSON"), (8, 11, "Bob", "PERSON"), (15, 19, "Rome", "GPE")])
    ]
    staging = load.new_staging_dir(out)
    load.stage_batch(
        staging,
        "2024",  # a numeric-looking bundle id must stay a string
        0,
        {
            "documents": pa.Table.from_pylist(docs, schema=schemas.DOCUMENTS_STAGED),
            "removed": pa.Table.from_pylist(
                [{"doc_id": "d0", "line_no": 1, "col": 0, "text": "Ad", "reason": "advertisement"}], schema=schemas.REMOVED
            ),
            "sentences": schemas.SENTENCES_STAGED.empty_table(),
            "entities": pa.Table.from_pylist(ents, schema=schemas.ENTITIES_STAGED),
        },
    )
    load.finish_bundle(out, staging, "2024", NOTHING, {})


def test_views_and_reports(tmp_path):
    _publish_fixture(tmp_path)
    assert warehouse.refresh_views(tmp_path) == sorted(VIEWS)
    with warehouse.connect(tmp_path) as con:
        assert con.execute("select typeof(bundle_id), count(*) from documents group by 1").fetchall() == [("VARCHAR", 2)]
    reports = {r.name: r for r in warehouse.run_reports(tmp_path)}
    assert set(reports) == {path.stem for path in warehouse.sql_files("reports")} >= {
        "corpus_summary", "languages", "top_entities", "entity_cooccurrence", "syndication", "consensus",
        "unique_contributions", "conflicting_amounts", "quotes_by_speaker",
    }
    for report in reports.values():
        assert report.csv_path.exists()
    top = reports["top_entities"].head.to_pylist()
    assert {(r["label"], r["canonical"], r["n_documents"], r["n_mentions"]) for r in top} == {
        ("PERSON", "Ann", 2, 2), ("PERSON", "Bob", 2, 2), ("GPE", "Rome", 2, 2)
    }
    pairs = {(r["entity_a"], r["entity_b"]): r["n_sentences"] for r in reports["entity_cooccurrence"].head.to_pylist()}
    assert pairs == {("Ann", "Bob"): 2, ("Ann", "Rome"): 2, ("Bob", "Rome"): 2}
    summary = reports["corpus_summary"].head.to_pylist()
    assert [r["bundle_id"] for r in summary] == ["2024", "(all)"]
    assert summary[1]["n_documents"] == 2 and summary[1]["n_removed_parts"] == 2
    langs = reports["languages"].head.to_pylist()
    assert langs == [{"lang": "en", "n_documents": 2, "share": 1.0, "n_chars": 40, "avg_lang_prob": 0.99}]
    html = (tmp_path / "reports" / "index.html").read_text()
    assert "<h2 id='top_entities'>" in html and "Rome" in html


# A separate process holding the warehouse open, the way an analyst's session does. It runs
# each SQL line it reads on stdin against its connection and prints the rows (or the error).
_HOLDER = """
import duckdb, os, sys
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
con.execute("set file_search_path = '" + os.path.dirname(sys.argv[1]).replace("'", "''") + "'")
print("open", flush=True)
for line in sys.stdin:
    if line.strip() == "quit":
        break
    try:
        print(repr(con.execute(line).fetchall()), flush=True)
    except Exception as exc:
        print("error", type(exc).__name__, exc, flush=True)
con.close()
print("closed", flush=True)
"""


class _Holder:
    def __init__(self, path, mode):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path), mode],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert self.proc.stdout.readline().strip() == "open"

    def ask(self, sql):
        self.proc.stdin.write(sql + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            assert self.proc.stdout.readline().strip() == "closed"
            self.proc.wait(timeout=30)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)


def _leftovers(out):
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".warehouse-") or p.suffix in {".wal", ".tmp"})


def _old_warehouse(out):
    """A warehouse as an older run left it: one view `documents` that tells itself apart."""
    with duckdb.connect(str(warehouse.warehouse_path(out))) as con:
        con.execute("create view documents as select 'old' as generation")


@pytest.mark.parametrize("mode, writes", [("ro", False), ("rw", False), ("rw", True)])
def test_refresh_while_another_process_holds_the_warehouse(tmp_path, mode, writes):
    _publish_fixture(tmp_path)
    _old_warehouse(tmp_path)
    holder = _Holder(warehouse.warehouse_path(tmp_path), mode)
    try:
        if writes:  # an analyst who created something in the warehouse: its log sits beside the file
            assert holder.ask("create table mine as select 1 as x") == "[(1,)]"
            assert (tmp_path / "warehouse.duckdb.wal").exists()
        assert holder.ask("select * from documents") == "[('old',)]"
        assert warehouse.refresh_views(tmp_path) == sorted(VIEWS)
        assert _leftovers(tmp_path) == []
        with warehouse.connect(tmp_path) as con:
            assert con.execute("select count(*) from documents").fetchall() == [(2,)]
            views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
            assert views == VIEWS
        reports = warehouse.run_reports(tmp_path)
        assert {r.name for r in reports} == {p.stem for p in warehouse.sql_files("reports")}
        # the holder keeps the snapshot it opened, until it reconnects
        assert holder.ask("select * from documents") == "[('old',)]"
        holder.close()
        assert _leftovers(tmp_path) == []
        with warehouse.connect(tmp_path) as con:
            assert con.execute("select count(*) from documents").fetchall() == [(2,)]
    finally:
        holder.kill()


def test_log_of_a_killed_writer_does_not_break_the_new_warehouse(tmp_path):
    _publish_fixture(tmp_path)
    _old_warehouse(tmp_path)
    holder = _Holder(warehouse.warehouse_path(tmp_path), "rw")
    assert holder.ask("create table mine as select 1 as x") == "[(1,)]"
    holder.kill()
    assert (tmp_path / "warehouse.duckdb.wal").exists()
    warehouse.refresh_views(tmp_path)
    assert _leftovers(tmp_path) == []
    assert len(warehouse.run_reports(tmp_path)) == len(warehouse.sql_files("reports"))


def test_failed_build_keeps_the_old_warehouse(tmp_path, monkeypatch):
    _publish_fixture(tmp_path)
    _old_warehouse(tmp_path)
    bad = tmp_path / "bad.sql"
    bad.write_text("select * from no_such_table")
    monkeypatch.setattr(warehouse, "sql_files", lambda kind: [bad])
    with pytest.raises(duckdb.Error):
        warehouse.refresh_views(tmp_path)
    assert _leftovers(tmp_path) == []
    with warehouse.connect(tmp_path) as con:
        assert con.execute("select * from documents").fetchall() == [("old",)]


def test_builds_left_by_dead_runs_are_swept(tmp_path):
    _publish_fixture(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    owners = {
        "dead": {"host": socket.gethostname(), "pid": int(dead.stdout), "started": time.time() - 5},
        "live": {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()},
        "elsewhere": {"host": "another-host", "pid": 1, "started": 0.0},
    }
    for name, owner in owners.items():
        build = tmp_path / f".warehouse-{name}"
        build.mkdir()
        (build / "owner").write_text(json.dumps(owner))
        (build / "warehouse.duckdb").write_bytes(b"half")
        (build / "warehouse.duckdb.wal").write_bytes(b"log")
    unowned_old, unowned_new = tmp_path / ".warehouse-unowned-old", tmp_path / ".warehouse-unowned-new"
    for build in (unowned_old, unowned_new):
        build.mkdir()
        (build / "warehouse.duckdb").write_bytes(b"half")
    for path in (unowned_old, unowned_old / "warehouse.duckdb"):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    warehouse.refresh_views(tmp_path)
    assert _leftovers(tmp_path) == [".warehouse-elsewhere", ".warehouse-live", ".warehouse-unowned-new"]


# A plain DuckDB session: no file_search_path, paths resolve against its current directory.
_ONE_QUERY = """
import duckdb, sys
try:
    print(repr(duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall()))
except duckdb.Error as exc:
    print(type(exc).__name__, exc)
    sys.exit(1)
"""


def _sql_cli(cwd, sql, db="warehouse.duckdb", cli=(sys.executable, "-c", _ONE_QUERY)):
    """Run one query as a user's separate DuckDB session started in cwd: (return code, output)."""
    done = subprocess.run([*map(str, cli), str(db), sql], cwd=cwd, capture_output=True, text=True, timeout=120)
    return done.returncode, (done.stdout + done.stderr).strip()


def test_moved_and_copied_out_keep_working(tmp_path):
    first = tmp_path / "first"
    _publish_fixture(first)
    warehouse.refresh_views(first)
    copy = tmp_path / "copy"
    shutil.copytree(first, copy, symlinks=True)
    moved = tmp_path / "moved"
    first.rename(moved)
    other = tmp_path / "other"  # another OUT, with its own files
    _publish_fixture(other)
    load.finish_bundle(other, load.new_staging_dir(other), "2024", NOTHING, {})  # same bundle id, no rows
    warehouse.refresh_views(other)
    for out in (moved, copy):
        with warehouse.connect(out) as con:
            assert con.execute("select bundle_id, count(*) from documents group by 1").fetchall() == [("2024", 2)]
        assert _sql_cli(out, "select count(*) from documents") == (0, "[(2,)]")
    with warehouse.connect(other) as con:
        assert con.execute("select count(*) from documents").fetchall() == [(0,)]
    shutil.rmtree(moved / "parquet")  # the copy never read the original's files
    assert _sql_cli(copy, "select count(*) from entities") == (0, "[(6,)]")
    # opened from another OUT's folder: an error that says why, never the other OUT's rows
    code, output = _sql_cli(other, "select count(*) from documents", db=copy / "warehouse.duckdb")
    assert code == 1 and "open warehouse.duckdb from its own folder" in output
    code, output = _sql_cli(tmp_path, "select count(*) from documents", db=copy / "warehouse.duckdb")
    assert code == 1 and "No files found" in output
    # from anywhere, with DuckDB's file_search_path set to the warehouse's folder
    fsp = f"set file_search_path = '{copy}'; select count(*) from documents"
    assert _sql_cli(tmp_path, fsp, db=copy / "warehouse.duckdb") == (0, "[(2,)]")


def test_out_paths_duckdb_cannot_read_back_are_refused(tmp_path):
    for name in ("a,b", "a\\b"):
        with pytest.raises(ValueError, match="cannot be read back by DuckDB"):
            warehouse.check_out_dir(tmp_path / name)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="is a file"):
        warehouse.check_out_dir(tmp_path / "file")


def test_views_and_columns_carry_the_descriptions_of_the_parquet_files(tmp_path):
    _publish_fixture(tmp_path)
    warehouse.refresh_views(tmp_path)
    expected = {
        view: [(name, dtype, table_descriptions.column(view, name)) for name, dtype in columns]
        for view, columns in warehouse.describe_views().items()
    }
    with warehouse.connect(tmp_path) as con:
        views = dict(con.execute("select view_name, comment from duckdb_views() where not internal").fetchall())
        columns = con.execute(
            "select table_name, column_name, data_type, comment from duckdb_columns() "
            "where table_name in (select view_name from duckdb_views() where not internal) order by table_name, column_index"
        ).fetchall()
    assert views == {p.stem: table_descriptions.TABLES[p.stem] for p in warehouse.sql_files("views")}
    found: dict[str, list] = {}
    for view, name, dtype, comment in columns:
        found.setdefault(view, []).append((name, dtype, comment))
    assert found == expected  # names, DuckDB types, descriptions
    for table, schema in schemas.TABLES.items():
        for part in sorted((load.parquet_root(tmp_path) / table).glob("*/*.parquet")):
            written = pq.read_schema(part)
            for field in written:
                text = field.metadata[schemas.DESCRIPTION].decode()
                assert text == table_descriptions.column(table, field.name) == dict(
                    (n, c) for n, _, c in found[table]
                )[field.name]
            assert written.metadata[schemas.DESCRIPTION].decode() == table_descriptions.TABLES[table]


DUCKDB_1X_CLI = "duckdb-cli==1.5.*"  # the DuckDB command line on PyPI, of the 1.x line


@pytest.fixture(scope="module")
def duckdb_1x_cli(tmp_path_factory):
    """The `duckdb` program of DuckDB 1.x, installed into a throwaway venv (about 10 s)."""
    venv = tmp_path_factory.mktemp("duckdb-1x")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    done = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", DUCKDB_1X_CLI],
        capture_output=True, text=True, timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot install {DUCKDB_1X_CLI} from the package index: {done.stderr.strip()[-400:]}")
    return venv / "bin" / "duckdb"


@pytest.mark.slow  # installs DuckDB 1.x with pip: 10 to 35 s
def test_duckdb_1x_cli_reads_a_moved_warehouse(tmp_path, duckdb_1x_cli):
    version = subprocess.run([duckdb_1x_cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v1."), version
    built = tmp_path / "built"
    _publish_fixture(built)
    warehouse.refresh_views(built)
    moved = tmp_path / "moved"
    built.rename(moved)

    def cli(cwd, sql, *options):
        done = subprocess.run(
            [duckdb_1x_cli, "-readonly", "-json", *options, str(moved / "warehouse.duckdb"), "-c", sql],
            cwd=cwd, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    count = "select bundle_id, typeof(bundle_id) as type, count(*) as n from documents group by all"
    assert cli(moved, count) == [{"bundle_id": "2024", "type": "VARCHAR", "n": 2}]
    elsewhere = ("-cmd", f"set file_search_path = '{moved}'")
    assert cli(tmp_path, count, *elsewhere) == [{"bundle_id": "2024", "type": "VARCHAR", "n": 2}]
    assert cli(moved, "select count(*) as n from entities where end_char > start_char") == [{"n": 6}]
    comments = cli(
        moved,
        "select 1 as k, comment from duckdb_views() where view_name = 'entities' union all "
        "select 2, comment from duckdb_columns() where table_name = 'entities' and column_name = 'canonical' order by k",
    )
    assert [r["comment"] for r in comments] == [
        table_descriptions.TABLES["entities"], table_descriptions.column("entities", "canonical")
    ]


def test_bundle_id_is_a_string_for_every_reader(tmp_path):
    """A numeric-looking bundle id ('2024') read straight from the Parquet files by pyarrow
    and DuckDB (hive partitioning on or off) stays a string."""
    import pyarrow.dataset as ds

    _publish_fixture(tmp_path)
    folder = load.parquet_root(tmp_path) / "documents"
    assert [p.name for p in folder.iterdir()] == ["2024"]  # no key=value folder name to infer a number from
    types = {
        "pyarrow.dataset": ds.dataset(folder).schema.field("bundle_id").type,
        "pyarrow.dataset hive": ds.dataset(folder, partitioning="hive").schema.field("bundle_id").type,
        "pyarrow.parquet.read_table": pq.read_table(folder).schema.field("bundle_id").type,
    }
    assert set(types.values()) == {pa.string()}, types
    for hive in ("true", "false"):
        sql = f"select distinct bundle_id, typeof(bundle_id) from read_parquet(?, hive_partitioning = {hive})"
        assert duckdb.execute(sql, [f"{folder}/*/*.parquet"]).fetchall() == [("2024", "VARCHAR")]


def test_bundle_id_is_a_string_for_polars(tmp_path):
    polars = pytest.importorskip("polars", reason="polars is not installed (not a dependency): its reading is not checked")
    _publish_fixture(tmp_path)
    folder = load.parquet_root(tmp_path) / "documents"
    frame = polars.read_parquet(f"{folder}/**/*.parquet", hive_partitioning=True)
    assert frame.schema["bundle_id"] == polars.String and frame["bundle_id"].to_list() == ["2024", "2024"]


def test_two_first_runs_on_a_fresh_out_get_the_same_id(tmp_path):
    """Creators starting at once on a fresh OUT: every one returns the id that ends up in the file."""
    import threading

    for attempt in range(20):
        out = tmp_path / f"out{attempt}"
        out.mkdir()
        start = threading.Barrier(4)
        ids = []

        def first_run():
            start.wait()
            ids.append(warehouse.warehouse_id(out))

        threads = [threading.Thread(target=first_run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        on_disk = (out / warehouse.WAREHOUSE_ID).read_text(encoding="utf-8").strip()
        assert ids == [on_disk] * 4
        assert sorted(p.name for p in out.iterdir()) == [warehouse.WAREHOUSE_ID]  # no temporary file left


def test_an_id_written_while_creating_one_is_kept(tmp_path, monkeypatch):
    """The race itself: another run writes OUT's id after this one found none and before it links its
    own: this one returns the other's id and leaves it in place (the other's views check it)."""
    real_link = os.link
    others = []

    def link_after_another_run(src, dst):
        monkeypatch.setattr(warehouse.os, "link", real_link)
        others.append(warehouse.warehouse_id(tmp_path))  # the other run, complete before this one links
        real_link(src, dst)

    monkeypatch.setattr(warehouse.os, "link", link_after_another_run)
    mine = warehouse.warehouse_id(tmp_path)
    assert others and mine == others[0] == (tmp_path / warehouse.WAREHOUSE_ID).read_text(encoding="utf-8").strip()
    assert warehouse.warehouse_id(tmp_path) == mine


def test_a_missing_warehouse_id_gives_the_guard_message(tmp_path):
    out = tmp_path / "out"
    _publish_fixture(out)
    warehouse.refresh_views(out)
    (out / warehouse.WAREHOUSE_ID).unlink()
    with warehouse.connect(out) as con:
        with pytest.raises(duckdb.Error, match=r"view documents: no warehouse\.id where the relative paths"):
            con.execute("select count(*) from documents").fetchall()
    code, output = _sql_cli(out, "select count(*) from entities")
    assert code == 1 and "no warehouse.id" in output and "No files found" not in output
    warehouse.refresh_views(out)  # a new id, and views that check it
    with warehouse.connect(out) as con:
        assert con.execute("select count(*) from documents").fetchall() == [(2,)]
