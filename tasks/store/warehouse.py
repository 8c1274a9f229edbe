"""DuckDB warehouse over the Parquet tables: views from sql/views, reports from sql/reports.

The warehouse is portable: its views name the Parquet files by paths relative to its own
folder (`parquet/<table>/...`), so a moved or copied OUT keeps working, and it is written in
DuckDB's v1.0.0 storage format, which every DuckDB since 1.0 opens. DuckDB resolves a
relative path against the current directory or the `file_search_path` setting: newsetl's
own connections (`connect`) set file_search_path to OUT; a user opens the file from OUT or
sets it (README: Outputs). Every view guards against another folder's files: OUT/warehouse.id
holds an id written once per OUT; a view read where the relative paths lead to another OUT
(another id, or no warehouse.id there) fails with a message saying so instead of showing that
OUT's rows. Where they lead to no Parquet files at all, DuckDB's own "No files found that match
the pattern" error comes first.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from tasks.config import DEFAULT
from tasks.report import page as report_page
from tasks.store import owners, schemas
from tasks.store.data_dictionary import comment_statements, sql_string

# sql/ of a checkout (and an editable install), or tasks/sql/ where a wheel installs it (setup.py)
_INSTALLED_SQL = Path(__file__).resolve().parents[1] / "sql"  # tasks/sql/ of a wheel
SQL_DIR = _INSTALLED_SQL if _INSTALLED_SQL.is_dir() else Path(__file__).resolve().parents[2] / "sql"
WAREHOUSE = "warehouse.duckdb"
WAREHOUSE_ID = "warehouse.id"  # OUT/warehouse.id: which OUT the relative paths of the views must lead to
BUILD_PREFIX = ".warehouse-"  # OUT/.warehouse-<uuid>/: a warehouse being built, swapped in when complete
STORAGE_VERSION = "v1.0.0"  # DuckDB's storage format of the warehouse: readable by DuckDB 1.0 and later


@dataclass(frozen=True)
class Report:
    name: str
    head: pa.Table  # the first HEAD_ROWS rows (the whole report is in csv_path)
    n_rows: int
    csv_path: Path


def sql_files(kind: str) -> list[Path]:
    return sorted((SQL_DIR / kind).glob("*.sql"))


def view_bodies() -> dict[str, str]:
    """view name -> its SQL, of every sql/views/*.sql."""
    return {path.stem: path.read_text() for path in sql_files("views")}


def warehouse_path(out: str | Path) -> Path:
    return Path(out) / WAREHOUSE


def check_out_dir(out: str | Path) -> None:
    """ValueError for an OUT the warehouse cannot use: a file, or a path with a backslash
    (DuckDB's glob treats it as a separator) or a comma (DuckDB's file_search_path, which
    the views' relative paths need, is a comma-separated list). Quotes, brackets, spaces,
    non-ASCII are fine."""
    resolved = str(Path(out).resolve())
    for char, why in (("\\", "DuckDB's glob treats it as a separator"), (",", "DuckDB's file_search_path splits at commas")):
        if char in resolved:
            raise ValueError(f"output directory {str(out)!r}: a path with {char!r} cannot be read back by DuckDB ({why})")
    if Path(out).exists() and not Path(out).is_dir():
        raise ValueError(f"output directory {str(out)!r} is a file")


def connect(out: str | Path, read_only: bool = True, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to OUT's warehouse whose views find their files wherever the process runs."""
    check_out_dir(out)
    con = duckdb.connect(str(warehouse_path(out)), read_only=read_only, config=config or {})
    con.execute(f"set file_search_path = {sql_string(str(Path(out).resolve()))}")
    return con


def warehouse_id(out: str | Path) -> str:
    """OUT's warehouse id (OUT/warehouse.id), written once: a copy of OUT keeps it, another OUT has its own.

    Created atomically: the id is written to a temporary file, then hard-linked to the name, which
    fails if the name exists; two runs starting on a fresh OUT at once thus both return the id of
    whichever linked first (a rename would let the second overwrite the id the first one's views
    already check). A file system without hard links falls back to a rename."""
    path = Path(out) / WAREHOUSE_ID
    found = _read_id(path)
    if found:
        return found
    tmp = path.with_name(f".{WAREHOUSE_ID}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(uuid.uuid4().hex + "\n", encoding="utf-8")
    try:
        os.link(tmp, path)
    except FileExistsError:
        if not _read_id(path):  # an empty file, not an id another run wrote (it appears whole): replace it
            os.replace(tmp, path)
    except OSError:  # no hard links here (some network or FUSE file systems)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return _read_id(path)


def _read_id(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def guarded_view(name: str, body: str, out_id: str) -> str:
    """CREATE VIEW for a view body whose relative paths must lead to the OUT with id out_id.
    A body may name the Parquet folder `{parquet_root}` (it becomes the relative `parquet`)."""
    body = body.strip().rstrip(";").replace("{parquet_root}", "parquet")
    advice = "open warehouse.duckdb from its own folder, or SET file_search_path to that folder"
    differs = (
        f"view {name}: the relative paths of this warehouse lead to another folder's files "
        f"(their {WAREHOUSE_ID} differs); {advice}"
    )
    missing = (
        f"view {name}: no {WAREHOUSE_ID} where the relative paths of this warehouse lead; {advice}; "
        "if it was deleted from the warehouse's folder, `newsetl report <that folder>` rebuilds the views"
        " with a new one"
    )
    # read_text over a pattern that matches only the id file: a missing file gives no rows (so the
    # message above), where read_csv('warehouse.id') would fail with "No files found". The whole
    # check is one subquery, so DuckDB runs it even when the body has no rows.
    pattern = WAREHOUSE_ID[:-1] + f"[{WAREHOUSE_ID[-1]}]"
    content = "trim(content, chr(32) || chr(9) || chr(10) || chr(13))"  # trim() alone keeps the newline
    check = (
        f"(select case when max({content}) = {sql_string(out_id)} then true"
        f" when max(content) is null then error({sql_string(missing)}) else error({sql_string(differs)}) end"
        f" from read_text({sql_string(pattern)}))"
    )
    return f'create or replace view "{name}" as\nselect * from (\n{body}\n) as rows_of_{name}\nwhere {check}'


def view_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """view -> [(column, DuckDB type)], in the current database of con."""
    rows = con.execute(
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() c join duckdb_views() v"
        " on c.database_name = v.database_name and c.schema_name = v.schema_name and c.table_name = v.view_name"
        " where c.database_name = current_database() and not v.internal order by c.table_name, c.column_index"
    ).fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for view, column, dtype in rows:
        columns.setdefault(view, []).append((column, dtype))
    return columns


def create_views(con: duckdb.DuckDBPyConnection, bodies: dict[str, str], out_id: str) -> list[str]:
    """Create every view (name -> body), a view that reads others after them: a view whose
    body names a view not made yet fails with a CatalogException and is tried again once
    some other view is made. The names, in name order; the last error if some never bind."""
    pending = dict(sorted(bodies.items()))
    while pending:
        failed: dict[str, str] = {}
        error: duckdb.CatalogException | None = None
        for name, body in pending.items():
            try:
                con.execute(guarded_view(name, body, out_id))
            except duckdb.CatalogException as exc:
                failed[name], error = body, exc
        if error is not None and len(failed) == len(pending):
            raise error  # no progress: a view reads something that does not exist
        pending = failed
    return sorted(bodies)


def describe_views() -> dict[str, list[tuple[str, str]]]:
    """view -> [(column, DuckDB type)] of every sql/views/*.sql, as the warehouse has them
    (the views made over an empty table of each schema in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="newsetl-views-") as tmp:
        for table, schema in schemas.TABLES.items():
            folder = Path(tmp) / "parquet" / table / "bundle"
            folder.mkdir(parents=True)
            pq.write_table(schema.empty_table(), folder / "part-00000.parquet")
        with duckdb.connect() as con:
            con.execute(f"set file_search_path = {sql_string(tmp)}")
            create_views(con, view_bodies(), warehouse_id(tmp))
            return view_columns(con)


def refresh_views(out: str | Path) -> list[str]:
    """(Re)build the warehouse: one view per sql/views/*.sql over the Parquet files of OUT.

    The new warehouse is built complete in a folder beside the old one
    (OUT/.warehouse-<uuid>/warehouse.duckdb, with an owner record like a staging folder),
    checkpointed and closed, then renamed over OUT/warehouse.duckdb. Nothing needs the old
    file's lock, so a reader holding it open (read-only, or read-write as DuckDB's default
    is) never fails the refresh: it keeps its old snapshot until it reconnects. A write-ahead
    log left at OUT/warehouse.duckdb.wal belonged to the old file and is removed (DuckDB
    would refuse to open the new file next to it). Temp folders of crashed runs are swept.
    """
    check_out_dir(out)
    out_id = warehouse_id(out)
    sweep_stale_builds(out)
    build = Path(out) / f"{BUILD_PREFIX}{uuid.uuid4().hex}"
    build.mkdir()
    try:
        owners.write_owner(build)
        new_file = build / WAREHOUSE
        with duckdb.connect() as con:
            con.execute(f"set file_search_path = {sql_string(str(Path(out).resolve()))}")
            con.execute(f"attach {sql_string(str(new_file))} as warehouse (storage_version {sql_string(STORAGE_VERSION)})")
            con.execute("use warehouse")
            names = create_views(con, view_bodies(), out_id)
            columns = {view: [name for name, _ in cols] for view, cols in view_columns(con).items()}
            for statement in comment_statements(columns):
                con.execute(statement)
            con.execute("checkpoint warehouse")  # everything in the file itself, no write-ahead log to carry over
            con.execute("use memory")
            con.execute("detach warehouse")
        target = warehouse_path(out)
        wal = target.with_name(target.name + ".wal")
        old_wal = _inode(wal)
        os.replace(new_file, target)
        _fsync_dir(target.parent)
        if old_wal is not None and _inode(wal) == old_wal:
            wal.unlink(missing_ok=True)  # the replaced file's log: nobody can use it any more
        return names
    finally:
        shutil.rmtree(build, ignore_errors=True)  # a .wal or DuckDB's spill folder of the build go too


def sweep_stale_builds(out: str | Path, unowned_after: float = owners.UNOWNED_STALE_SECONDS) -> list[Path]:
    """Remove OUT/.warehouse-* build folders whose owner process is gone (see tasks/store/owners.py)."""
    removed = []
    for path in sorted(Path(out).glob(f"{BUILD_PREFIX}*")):
        if not path.is_dir() or path.is_symlink() or not owners.is_stale(path, unowned_after):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


HEAD_ROWS = 200  # rows of each report kept in memory (for the index page and Prefect artifacts)
REPORT_BATCH_ROWS = 10_000


def run_reports(out: str | Path, memory_mb: int = DEFAULT.report_memory_mb) -> list[Report]:
    """Run every sql/reports/*.sql against the warehouse; save each as OUT/reports/<name>.csv.

    Each report streams from DuckDB to its CSV in batches; only its first HEAD_ROWS rows
    stay in memory, and DuckDB works within memory_mb (spilling to disk beyond), so the
    memory does not grow with the corpus."""
    folder = Path(out) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    reports = []
    config = {"memory_limit": f"{memory_mb}MB"}
    with connect(out, read_only=True, config=config) as con:
        for path in sql_files("reports"):
            reader = con.sql(path.read_text()).to_arrow_reader(REPORT_BATCH_ROWS)
            csv_path = folder / f"{path.stem}.csv"
            head, n_rows = [], 0
            with pacsv.CSVWriter(csv_path, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    if n_rows < HEAD_ROWS:
                        head.append(batch.slice(0, HEAD_ROWS - n_rows))
                    n_rows += batch.num_rows
            reports.append(Report(path.stem, pa.Table.from_batches(head, schema=reader.schema), n_rows, csv_path))
    (folder / "index.html").write_text(render_index(reports), encoding="utf-8")
    return reports


def render_index(reports: list[Report]) -> str:
    """The report page: overview, charts and tables of every report (tasks/report/page.py)."""
    return report_page.render_page(reports)
