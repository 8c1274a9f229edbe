"""What `newsetl` prints after a command: each bundle's outcome, where the outputs are and the
corpus summary, or (--json) the same as data on stdout (flows/cli.py decides which)."""
from __future__ import annotations

from pathlib import Path


def newsetl_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsetl")
    except PackageNotFoundError:
        return "(not installed)"


def one_line(text) -> str:
    return " ".join(str(text).split())


def print_outcomes(summaries, failures: dict | None = None, left: dict | None = None) -> None:
    """One line per bundle: published (with why), skipped (unchanged) or failed (why); then one per
    inbox entry left for the next run (still being written)."""
    failures, left = failures or {}, left or {}
    if summaries or failures or left:
        print("\nBundles:")
    for s in summaries:
        what = s.outcome if s.outcome != "published" else f"published, {s.n_documents} documents ({s.reason})"
        print(f"  {s.bundle_id}: {what}")
    for bundle, why in failures.items():
        print(f"  {bundle}: failed: {one_line(why)}")
    for entry, seconds in left.items():
        print(f"  {entry}: left for the next run (modified {seconds} s ago)")


def print_outputs(out: str) -> None:
    from tasks.store import schemas, warehouse

    out_path = Path(out).resolve()
    print(f"\nOutputs in {out_path}")
    print(f"  Parquet:   {out_path / 'parquet'}/<table>/<bundle id>/part-*.parquet")
    views = [p.stem for p in warehouse.sql_files("views")]  # the tables' views and the computed ones
    ordered = [*(t for t in schemas.TABLES if t in views), *sorted(v for v in views if v not in schemas.TABLES)]
    print(f"  DuckDB:    {warehouse.warehouse_path(out_path)}  (views: {', '.join(ordered)})")
    print(f"  Reports:   {out_path / 'reports'}/*.csv and index.html")


def summary_tables(out: str):
    """The corpus summary (sql/reports/corpus_summary.sql, main columns) and documents per status, as Arrow tables."""
    from tasks.store import warehouse

    with warehouse.connect(out) as con:
        report = (warehouse.SQL_DIR / "reports" / "corpus_summary.sql").read_text()
        summary = con.sql(
            "select bundle_id, n_documents, n_ok, n_not_ok, n_chars, removed_char_share, n_removed_parts, "
            f"n_sentences, n_entities from ({report})"
        ).to_arrow_table()
        statuses = con.sql(
            "select bundle_id, status, count(*) as n_documents from documents group by all order by bundle_id, status"
        ).to_arrow_table()
    return summary, statuses


def print_summary(out: str) -> None:
    summary, statuses = summary_tables(out)
    print("\nCorpus summary:")
    print(summary.to_pandas().to_string(index=False))
    print("\nDocuments by status (README: Statuses):")
    print(statuses.to_pandas().to_string(index=False))


def plain(value):
    """A summary value as JSON: dataclasses and counters as objects, paths as strings."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def run_summary(
    out: str, summaries, has_warehouse: bool, seconds: float, failures: dict | None = None, left: dict | None = None
) -> dict:
    """What the command printed, as data: bundles (outcome, counts), failures {bundle: why} and inbox entries
    left for the next run (a run's only), outputs, corpus summary, statuses."""
    from tasks.store import schemas, warehouse

    out_path = Path(out).resolve()
    summary: dict = {"newsetl": newsetl_version(), "out": str(out_path), "seconds": round(seconds, 2)}
    if summaries is not None:
        summary["bundles"] = plain(summaries)
        summary["failures"] = {str(bundle): one_line(why) for bundle, why in (failures or {}).items()}
        summary["left_for_next_run"] = [
            {"entry": entry, "modified_seconds_ago": seconds_ago} for entry, seconds_ago in (left or {}).items()
        ]
    if has_warehouse:
        summary["outputs"] = {
            "parquet": str(out_path / "parquet"),
            "warehouse": str(warehouse.warehouse_path(out_path)),
            "views": list(schemas.TABLES),
            "reports": str(out_path / "reports"),
        }
        corpus, statuses = summary_tables(out)
        summary["corpus_summary"] = plain(corpus.to_pylist())
        summary["documents_by_status"] = plain(statuses.to_pylist())
    return summary
