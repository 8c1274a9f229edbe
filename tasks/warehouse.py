"""DuckDB warehouse over the Parquet tables: views from sql/views, reports from sql/reports."""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from tasks.load import parquet_root

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
WAREHOUSE = "warehouse.duckdb"


@dataclass(frozen=True)
class Report:
    name: str
    table: pa.Table
    csv_path: Path


def sql_files(kind: str) -> list[Path]:
    return sorted((SQL_DIR / kind).glob("*.sql"))


def warehouse_path(out: str | Path) -> Path:
    return Path(out) / WAREHOUSE


def check_out_dir(out: str | Path) -> None:
    """ValueError for an OUT the warehouse cannot use: a file, or a path with a backslash
    (DuckDB's glob treats it as a separator). Quotes, brackets, spaces, non-ASCII are fine."""
    if "\\" in str(Path(out).resolve()):
        raise ValueError(f"output directory {str(out)!r}: a path with a backslash cannot be read back by DuckDB")
    if Path(out).exists() and not Path(out).is_dir():
        raise ValueError(f"output directory {str(out)!r} is a file")


def glob_literal(path: str) -> str:
    """path inside a DuckDB glob, as a SQL string body: glob characters bracketed, quotes doubled."""
    return "".join(f"[{ch}]" if ch in "[*?{}" else ch for ch in path).replace("'", "''")


def refresh_views(out: str | Path) -> list[str]:
    """(Re)create one view per sql/views/*.sql over the Parquet files of OUT."""
    root = glob_literal(parquet_root(out).resolve().as_posix())
    names = []
    with duckdb.connect(str(warehouse_path(out))) as con:
        for path in sql_files("views"):
            body = path.read_text().replace("{parquet_root}", root)
            con.execute(f'create or replace view "{path.stem}" as {body}')
            names.append(path.stem)
    return names


def run_reports(out: str | Path) -> list[Report]:
    """Run every sql/reports/*.sql against the warehouse; save each as OUT/reports/<name>.csv."""
    folder = Path(out) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    reports = []
    with duckdb.connect(str(warehouse_path(out)), read_only=True) as con:
        for path in sql_files("reports"):
            table = con.sql(path.read_text()).to_arrow_table()
            csv_path = folder / f"{path.stem}.csv"
            pacsv.write_csv(table, csv_path)
            reports.append(Report(path.stem, table, csv_path))
    (folder / "index.html").write_text(render_index(reports), encoding="utf-8")
    return reports


def render_index(reports: list[Report], max_rows: int = 50) -> str:
    """A static HTML page with the first rows of every report."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>newsetl reports</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}th{background:#eee}</style></head><body>",
        "<h1>newsetl reports</h1>",
    ]
    for report in reports:
        rows = report.table.slice(0, max_rows).to_pylist()
        parts.append(f"<h2 id='{report.name}'>{html.escape(report.name)}</h2>")
        parts.append(
            f"<p>{report.table.num_rows} rows; full data: <a href='{report.csv_path.name}'>{report.csv_path.name}</a></p>"
        )
        header = "".join(f"<th>{html.escape(c)}</th>" for c in report.table.column_names)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row.values()) + "</tr>"
            for row in rows
        )
        parts.append(f"<table><tr>{header}</tr>{body}</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
