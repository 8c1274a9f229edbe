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
    run.add_argument(
        "bundles", nargs="*", help="directory, .zip/.tar/.tar.gz, .jsonl[.gz], or concatenated text file (or --inbox)"
    )
    run.add_argument(
        "--inbox",
        metavar="DIR",
        help="process every entry of DIR as a bundle: new or changed ones; unchanged ones are skipped, ones modified "
        f"in the last {DEFAULT.inbox_settle_seconds} s left for the next run",
    )
    run.add_argument(
        "--force", action="store_true", help="process bundles even when unchanged since they were published"
    )
    run.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        help="run the transform tasks on an existing Dask cluster (its workers need newsetl and OUT at the same path)",
    )
    run.add_argument("--out", default="data/out", help="output directory (default: data/out)")
    run.add_argument("--bundle-id", help="bundle id to use instead of the file/directory name (one bundle only)")
    run.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"documents per transform task (default: {DEFAULT_BATCH_SIZE})",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="parallel worker processes for transform (a local Dask cluster) (default: 1 = threads); with "
        "--dask-address, how many cluster workers to keep busy",
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


def _print_outcomes(summaries) -> None:
    """One line per bundle: published (with why) or skipped (unchanged)."""
    if summaries:
        print("\nBundles:")
    for s in summaries:
        what = s.outcome if s.outcome != "published" else f"published, {s.n_documents} documents ({s.reason})"
        print(f"  {s.bundle_id}: {what}")


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
    from flows.dask_cluster import check_dask_address
    from flows.inbox import check_inbox
    from tasks.ingest.extract import BundleError, check_bundle, check_bundle_id
    from tasks.warehouse import check_out_dir

    try:
        for bundle in args.bundles:
            check_bundle(bundle)
        if args.bundle_id:
            check_bundle_id(args.bundle_id)
        if args.inbox:
            check_inbox(args.inbox)
        check_dask_address(args.dask_address)
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
        if not args.bundles and not args.inbox:
            print("newsetl: give one or more bundles, or --inbox DIR", file=sys.stderr)
            return 2
        if args.bundle_id and (len(args.bundles) != 1 or args.inbox):
            print("newsetl: --bundle-id names a single bundle; give exactly one bundle with it", file=sys.stderr)
            return 2
        problem = _run_problem(args)
        if problem:
            print(f"newsetl: {problem}", file=sys.stderr)
            return 2
        from flows.etl import BundlesFailed, etl
        from flows.interrupt import stopping_cleanly

        flow = stopping_cleanly(etl)  # SIGINT/SIGTERM: stop within seconds, staging and child processes removed
        try:
            summaries = flow(
                bundles=[str(b) for b in args.bundles],
                out=args.out,
                bundle_id=args.bundle_id,
                batch_size=args.batch_size,
                workers=args.workers,
                dask_address=args.dask_address,
                inbox=args.inbox,
                force=args.force,
                max_document_bytes=args.max_document_bytes,
                max_line_bytes=args.max_line_bytes,
                nlp_cache_chars=args.nlp_cache_chars,
                nlp_entities=args.nlp_entities,
            )
        except BundlesFailed as exc:
            print(f"newsetl: {exc}", file=sys.stderr)
            return 1
        _print_outcomes(summaries)
        from tasks.warehouse import warehouse_path

        if not warehouse_path(args.out).is_file():
            return 0  # an inbox with nothing to read yet
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
