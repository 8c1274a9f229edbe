"""`newsetl` command line: run the flow on bundles, or re-run the reports.

Nothing heavy is imported before the arguments are checked; a run starts Prefect's
temporary server first thing (flows/temporary_server.py) and loads the pipeline's models
while it boots, then shows progress (flows/progress.py) and prints where the outputs are
and a summary (flows/run_summary.py; with --json, the run summary as JSON on stdout).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from flows import kept_server, progress, temporary_server
from flows.offline import apply_offline_defaults
from flows.run_summary import newsetl_version, one_line, print_outcomes, print_outputs, print_summary, run_summary
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


def _output_options() -> argparse.ArgumentParser:
    """--quiet / --verbose / --json, shared by the commands."""
    options = argparse.ArgumentParser(add_help=False)
    output = options.add_argument_group("output")
    loudness = output.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print nothing but warnings and errors")
    loudness.add_argument("-v", "--verbose", action="store_true", help="also print everything Prefect logs")
    output.add_argument(
        "--json", action="store_true", help="print the run summary as JSON on stdout (progress and logs stay on stderr)"
    )
    return options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsetl", description="News bundles → Parquet + DuckDB, with Prefect.")
    parser.add_argument("--version", action="version", version=f"newsetl {newsetl_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", parents=[_output_options()], help="extract, transform, load and report one or more bundles"
    )
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
    report = sub.add_parser(
        "report", parents=[_output_options()], help="refresh the DuckDB views and re-run sql/reports over OUT"
    )
    report.add_argument("--out", default="data/out")
    server = sub.add_parser(
        "server",
        help="the Prefect server runs leave up for the next run (in PREFECT_HOME): status, or stop it now",
        description=f"A run with no PREFECT_API_URL leaves Prefect's server up until no run has used it for "
        f"{kept_server.IDLE_VARIABLE} seconds (default {kept_server.IDLE_SECONDS}; 0: each run starts and stops "
        "its own).",
    )
    server.add_argument("action", choices=("status", "stop"))
    return parser


def _run_problem(args) -> str | None:
    """Why `newsetl run` cannot start with these arguments (one line), or None."""
    from tasks.ingest.extract import BundleError, check_bundle, check_bundle_id
    from tasks.store.warehouse import check_out_dir

    try:
        for bundle in args.bundles:
            check_bundle(bundle)
        if args.bundle_id:
            check_bundle_id(args.bundle_id)
        if args.inbox:
            from flows.inbox import check_inbox  # imports Prefect: only when needed (fast start)

            check_inbox(args.inbox)
        if args.dask_address:
            from flows.dask_cluster import check_dask_address  # imports Prefect and Dask

            check_dask_address(args.dask_address)
        check_out_dir(args.out)
        check_creatable(args.out)
    except (BundleError, ValueError) as exc:
        return str(exc)
    return None


def check_creatable(out: str) -> None:
    """ValueError unless OUT is a folder or can be made one (its nearest existing parent a writable folder)."""
    path = Path(out).absolute()
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is None or existing == path:
        return
    if not existing.is_dir():
        raise ValueError(f"output directory {out!r} cannot be created: {str(existing)!r} is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ValueError(f"output directory {out!r} cannot be created: no permission to write in {str(existing)!r}")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = _parser().parse_args(argv)
    apply_offline_defaults()
    try:
        kept_server.idle_seconds()
    except ValueError as exc:
        print(f"newsetl: {exc}", file=sys.stderr)
        return 2
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
        try:
            server = temporary_server.start_early()  # boots while the checks and imports below run
        except temporary_server.ServerFailed as exc:
            print(f"newsetl: {exc}", file=sys.stderr)
            return 1
        try:
            problem = _run_problem(args)
            if problem:
                print(f"newsetl: {problem}", file=sys.stderr)
                return 2
            return _run(args, server, started)
        finally:
            if server is not None:
                server.stop()
    if args.command == "server":
        return _server(args.action)
    if Path(args.out).exists() and not Path(args.out).is_dir():
        print(f"newsetl: output directory {args.out!r} is a file", file=sys.stderr)
        return 2
    if not (Path(args.out) / "parquet").is_dir():
        print(f"newsetl: {args.out} holds no Parquet output; run `newsetl run` first", file=sys.stderr)
        return 2
    return _report(args, started)


def _server(action: str) -> int:
    """`newsetl server status|stop`: the kept Prefect server of PREFECT_HOME."""
    home = temporary_server.prefect_home()
    if action == "stop":
        pids = kept_server.stop(home)
        said = f"stopped the Prefect server kept in {home} (keeper pid {', '.join(map(str, pids))})"
        print(said if pids else f"no Prefect server kept in {home}")
        return 0
    now = kept_server.status(home)
    if now is None:
        print(f"no Prefect server kept in {home}")
    else:
        print(f"Prefect server at {now.get('api_url')} ({now.get('state')}), kept in {home} by pid {now['pid']} "
              f"until no run has used it for {now['idle_seconds']} s; runs using it now: {now['leases']}")
    return 0


def _flow_kwargs(args) -> dict:
    return dict(
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


def _display(args):
    if args.quiet:
        return None
    return progress.BarDisplay() if sys.stderr.isatty() and os.environ.get("TERM") != "dumb" else progress.LineDisplay()


def _count_sizes(args) -> None:
    """Each bundle's document count for the progress totals, in a background thread (they arrive when ready)."""
    import threading

    from tasks.ingest.bundle_size import count_documents
    from tasks.ingest.extract import bundle_id_for

    def count() -> None:
        for bundle in args.bundles:
            try:
                progress.expect(args.bundle_id or bundle_id_for(bundle), count_documents(bundle))
            except Exception:  # noqa: BLE001 - only an ETA is lost
                continue

    threading.Thread(target=count, name="newsetl-count", daemon=True).start()


def _warm_up(args, server) -> None:
    """Load what the first batch needs (language id, the English model, inflect) while Prefect's
    temporary server boots: a small English document, no parse kept. Only when there is such a
    wait and the transform runs in this process (threads, not Dask workers)."""
    if server is None or getattr(server, "reused", False) or args.workers > 1 or args.dask_address:
        return  # no wait: a kept server answers already
    from tasks.config import Config
    from tasks.ingest.raw_document import RawDocument
    from tasks.transform import transform_batch

    text = (  # longer than Config.lang_short_chars: the language models long documents need, no others
        b"WARSAW, Oct 24 (Reuters) - The minister said on Thursday that 300 troops would leave the border region "
        b"next month and that talks with the German government would resume after the elections in the spring.\n"
    )
    try:
        transform_batch([RawDocument("warm-up", "warm-up.txt", 0, text)], Config(nlp_entities=args.nlp_entities, nlp_cache_chars=0))
    except Exception:  # noqa: BLE001 - the run itself reports whatever is wrong
        pass


def _stopped(exc: BaseException, what: str) -> int:
    """One line on stderr for what stopped the run or report (what), and the exit code: 130 for Ctrl-C, else 1."""
    if isinstance(exc, KeyboardInterrupt):
        print("newsetl: interrupted", file=sys.stderr)
        return 130
    if isinstance(exc, temporary_server.ServerFailed):
        print(f"newsetl: {exc}", file=sys.stderr)
    else:
        print(f"newsetl: the {what} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def _kept_note(server) -> str | None:
    """The line saying that the server this run started stays up for the next run, else None."""
    if isinstance(server, kept_server.KeptServer) and server.launched:
        return (f"Prefect's server stays up for the next run until unused for {server.idle} s "
                f"(`newsetl server stop` stops it; {kept_server.IDLE_VARIABLE}=0: none kept)")
    return None


def _kept_note_if_up(server) -> str | None:
    """_kept_note, when that server's keeper still runs (said when a run stops early)."""
    note = _kept_note(server)
    try:
        return note if note and kept_server.running(server.home, server.keeper_pid) else None
    except OSError:  # its folder unreadable: say nothing rather than fail the exit
        return None


def _run(args, server, started: float) -> int:
    display = _display(args)
    if display:
        display.note("importing")
    progress.show(display)
    _count_sizes(args)
    try:
        from flows.etl import BundlesFailed, etl
        from flows.interrupt import saying_on_interrupt, stopping_cleanly

        server = temporary_server.keep_if_needed(server)
        kept_note = None if args.quiet else lambda: _kept_note_if_up(server)
        with progress.console_logs(args.verbose, args.quiet, display), saying_on_interrupt(kept_note):
            if display:
                display.note("loading models")
            _warm_up(args, server)
            api_url = None
            if server is not None:
                if display:
                    display.note("waiting for Prefect's server")
                api_url = server.wait_ready(temporary_server.startup_timeout())
                if args.verbose:
                    kind = "kept" if isinstance(server, kept_server.KeptServer) else "temporary"
                    print(f"newsetl: Prefect's {kind} server at {api_url}", file=sys.stderr)
            if display:
                display.note("running")
            failed = None
            with temporary_server.using(api_url) if api_url else nullcontext():
                flow = stopping_cleanly(etl)  # SIGINT/SIGTERM: stop within seconds, staging and child processes removed
                try:
                    summaries = flow(**_flow_kwargs(args))
                except BundlesFailed as exc:  # the others were published: said below, then exit 1
                    failed, summaries = exc, exc.summaries
            left = progress.left_entries()  # inbox entries still being written
            if display:
                for summary in summaries:
                    if summary.outcome != "published":
                        display.outcome(summary.bundle_id, summary.outcome)
                for bundle in failed.failures if failed else {}:
                    display.outcome(bundle, "failed")
                display.note(f"done in {time.perf_counter() - started:.1f} s")
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - one line; Prefect logged the traceback (see --verbose)
        code = _stopped(exc, "run")
        note = None if args.quiet else _kept_note_if_up(server)
        if note:
            print(f"newsetl: {note}", file=sys.stderr)  # a stopped first run leaves its server up too
        return code
    finally:
        progress.show(None)
        if display:
            display.close()
    from tasks.store.warehouse import warehouse_path

    has_warehouse = warehouse_path(args.out).is_file()  # not when an inbox had nothing to read yet
    failures = failed.failures if failed else {}
    if args.json:
        seconds = time.perf_counter() - started
        print(json.dumps(run_summary(args.out, summaries, has_warehouse, seconds, failures, left), indent=2))
    elif not args.quiet:
        print_outcomes(summaries, failures, left)
        if has_warehouse:
            print_outputs(args.out)
            print_summary(args.out)
        if note := _kept_note(server):
            print(note)
    if failed:
        print(f"newsetl: {one_line(failed)}", file=sys.stderr)
        return 1
    return 0


def _report(args, started: float) -> int:
    server = None
    try:
        server = temporary_server.start_early()
        from flows.report import report

        server = temporary_server.keep_if_needed(server)
        with progress.console_logs(args.verbose, args.quiet, None):
            api_url = server.wait_ready(temporary_server.startup_timeout()) if server is not None else None
            with temporary_server.using(api_url) if api_url else nullcontext():
                report(out=args.out)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001
        return _stopped(exc, "report")
    finally:
        if server is not None:
            server.stop()
    if args.json:
        print(json.dumps(run_summary(args.out, None, True, time.perf_counter() - started), indent=2))
    elif not args.quiet:
        print_outputs(args.out)
        print_summary(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
