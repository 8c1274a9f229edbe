"""`newsetl` command line: run the flow on bundles, or re-run the reports."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.offline import apply_offline_defaults
from tasks.config import DEFAULT, MiB
from tasks.ingest.batching import DEFAULT_BATCH_SIZE

SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30}


def _size(text: str) -> int:
    """A byte count: 1048576, 512K, 50M, 1G (binary units)."""
    number, unit = text.strip().upper().rstrip("IB"), ""
    if number and number[-1] in SIZE_UNITS:
        number, unit = number[:-1], number[-1]
    try:
        value = int(float(number) * SIZE_UNITS[unit])
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 1048576, 512K, 50M)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a size must be positive: {text!r}")
    return value


def _size_or_zero(text: str) -> int:
    """A size as _size, or 0 (off)."""
    return 0 if text.strip() == "0" else _size(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description="News bundles → Parquet + DuckDB, with Prefect.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract, transform, load and report one or more bundles")
    run.add_argument("bundles", nargs="+", help="directory, .zip/.tar/.tar.gz, .jsonl[.gz], or concatenated text file")
    run.add_argument("--out", default="data/out", help="output directory (default: data/out)")
    run.add_argument("--bundle-id", help="bundle id to use instead of the file/directory name (one bundle only)")
    run.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"documents per transform task (default: {DEFAULT_BATCH_SIZE})",
    )
    run.add_argument(
        "--workers", type=int, default=1, help="parallel worker processes for transform (Dask) (default: 1 = threads)"
    )
    run.add_argument(
        "--max-document-bytes",
        type=_size,
        default=DEFAULT.max_document_bytes,
        help=f"largest document read (file, archive member); larger ones become `too_large` rows "
        f"(default: {DEFAULT.max_document_bytes // MiB}M)",
    )
    run.add_argument(
        "--max-line-bytes",
        type=_size,
        default=DEFAULT.max_line_bytes,
        help=f"longest JSONL line read; longer ones become `too_large` rows (default: {DEFAULT.max_line_bytes // MiB}M)",
    )
    run.add_argument(
        "--nlp-cache-chars",
        type=_size_or_zero,
        default=DEFAULT.nlp_cache_chars,
        help="characters of paragraph text whose model output each process keeps, so repeated paragraphs "
        f"are parsed once; 0 = off (default: {DEFAULT.nlp_cache_chars:,})",
    )
    run.add_argument(
        "--no-entities",
        dest="nlp_entities",
        action="store_false",
        help="skip named-entity recognition: sentences only, no entities (faster; ner_model null)",
    )
    report = sub.add_parser("report", help="refresh the DuckDB views and re-run sql/reports over OUT")
    report.add_argument("--out", default="data/out")
    return parser


def _task_runner(workers: int):
    if workers <= 1:
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(
        cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )


def _print_outputs(out: str) -> None:
    from tasks import schemas, warehouse

    out_path = Path(out).resolve()
    print(f"\nOutputs in {out_path}")
    print(f"  Parquet:   {out_path / 'parquet'}/<table>/bundle_id=<id>/part-*.parquet")
    print(f"  DuckDB:    {warehouse.warehouse_path(out_path)}  (views: {', '.join(schemas.TABLES)})")
    print(f"  Reports:   {out_path / 'reports'}/*.csv and index.html")


def _print_summary(out: str) -> None:
    import duckdb

    from tasks import warehouse

    with duckdb.connect(str(warehouse.warehouse_path(out)), read_only=True) as con:
        report = (warehouse.SQL_DIR / "reports" / "corpus_summary.sql").read_text()
        summary = con.sql(
            "select bundle_id, n_documents, n_ok, n_not_ok, n_chars, removed_char_share, n_removed_parts, "
            f"n_sentences, n_entities from ({report})"
        )
        print("\nCorpus summary:")
        print(summary.to_arrow_table().to_pandas().to_string(index=False))
        statuses = con.sql(
            "select bundle_id, status, count(*) as n_documents from documents group by all order by bundle_id, status"
        )
        print("\nDocuments by status (README: Statuses):")
        print(statuses.to_arrow_table().to_pandas().to_string(index=False))


def _run_problem(args) -> str | None:
    """Why `newsetl run` cannot start with these arguments (one line), or None."""
    from tasks.ingest.extract import BundleError, check_bundle, check_bundle_id
    from tasks.warehouse import check_out_dir

    try:
        for bundle in args.bundles:
            check_bundle(bundle)
        if args.bundle_id:
            check_bundle_id(args.bundle_id)
        check_out_dir(args.out)
    except (BundleError, ValueError) as exc:
        return str(exc)
    return None


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    apply_offline_defaults()
    if args.command == "run":
        missing = [b for b in args.bundles if not Path(b).exists()]
        if missing:
            print(f"newsetl: no such bundle: {', '.join(missing)}", file=sys.stderr)
            return 2
        if args.batch_size < 1 or args.workers < 1:
            print("newsetl: --batch-size and --workers must be at least 1", file=sys.stderr)
            return 2
        if args.bundle_id and len(args.bundles) != 1:
            print("newsetl: --bundle-id names a single bundle; give exactly one bundle with it", file=sys.stderr)
            return 2
        problem = _run_problem(args)
        if problem:
            print(f"newsetl: {problem}", file=sys.stderr)
            return 2
        from flows.etl import etl
        from flows.interrupt import stopping_cleanly

        flow = etl
        runner = _task_runner(args.workers)
        if runner is not None:
            flow = etl.with_options(task_runner=runner)
        flow = stopping_cleanly(flow)  # SIGINT/SIGTERM: stop within seconds, staging and child processes removed
        flow(
            bundles=[str(b) for b in args.bundles],
            out=args.out,
            bundle_id=args.bundle_id,
            batch_size=args.batch_size,
            in_flight=2 * args.workers,
            max_document_bytes=args.max_document_bytes,
            max_line_bytes=args.max_line_bytes,
            nlp_cache_chars=args.nlp_cache_chars,
            nlp_entities=args.nlp_entities,
        )
    else:
        if not (Path(args.out) / "parquet").is_dir():
            print(f"newsetl: {args.out} holds no Parquet output; run `newsetl run` first", file=sys.stderr)
            return 2
        from flows.report import report

        report(out=args.out)
    _print_outputs(args.out)
    _print_summary(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
