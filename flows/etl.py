"""The newsetl flow: extract → transform (batches, in parallel) → load → report.

Each bundle is its own subflow `newsetl-bundle` (flow run name = bundle id: its own
state, logs and retries). It first fingerprints the bundle (content + pipeline version,
tasks/fingerprint.py) and skips it, partitions untouched, when the published version
was made from the same fingerprint; otherwise it transforms, publishes, and records the
fingerprint with the published version (tasks/store/bundle_versions.py). A bundle that fails
does not stop the others: the run publishes what it can, then fails naming it.
"""
from __future__ import annotations

import time
from collections import Counter, deque
from pathlib import Path

from prefect import flow, get_run_logger

from flows import progress
from flows.inbox import inbox_bundles
from flows.interrupt import reclaim_signals
from tasks.config import DEFAULT, Config
from tasks.fingerprint import SKIPPED, Fingerprint, decide
from tasks.ingest.batching import DEFAULT_BATCH_SIZE, batched
from tasks.ingest.bundle_content import stat_signature
from tasks.ingest.extract import bundle_id_for, check_bundle, check_bundle_id, iter_bundle
from tasks.prefect_tasks import (
    BundleSummary,
    assign_bundle_stories,
    bundle_canonical_names,
    fingerprint_bundle,
    link_documents,
    publish_bundle,
    publish_run_summary,
    refresh_views,
    run_reports,
    transform_and_stage,
)
from tasks.store import bundle_versions, load
from tasks.store.warehouse import check_out_dir, warehouse_path


class BundlesFailed(RuntimeError):
    """Some bundles of the run failed: `failures` {bundle id or inbox entry: why}; the others' `summaries`."""

    def __init__(self, message: str, summaries: list | None = None, failures: dict | None = None) -> None:
        super().__init__(message)
        self.summaries, self.failures = list(summaries or []), dict(failures or {})

    def __reduce__(self):  # pickled with its summaries (Prefect may persist a flow's exception)
        return type(self), (str(self), self.summaries, self.failures)


@flow(name="newsetl-bundle", flow_run_name="{bundle_id}")
def etl_bundle(
    source: str, bundle_id: str, out: str, batch_size: int, in_flight: int, config: Config, force: bool = False
) -> BundleSummary:
    """One bundle: skipped when unchanged since it was published, else transformed, published and fingerprinted."""
    reclaim_signals()  # each flow run's engine puts its own SIGTERM handler in place of ours
    logger = get_run_logger()
    root = load.parquet_root(out)
    before = stat_signature(source)  # before reading: a change while it is hashed or transformed shows
    fingerprint = fingerprint_bundle(source, config)
    published = Fingerprint.from_json(bundle_versions.published_fingerprint(root, bundle_id))
    skip, reason = decide(published, fingerprint, force)
    if skip:
        logger.info("bundle %s (%s): %s, its partitions untouched", bundle_id, source, SKIPPED)
        return BundleSummary(bundle_id=bundle_id, source=source, outcome=SKIPPED, reason="same content and pipeline")
    logger.info("bundle %s (%s): %s", bundle_id, source, reason)
    summary, version = _etl_bundle(source, bundle_id, out, batch_size, in_flight, config)
    summary.reason = reason
    if stat_signature(source) != before:
        logger.warning(
            "bundle %s changed while it was read: published as read, no fingerprint recorded (the next run reads it again)",
            bundle_id,
        )
    elif not bundle_versions.record_fingerprint(root, bundle_id, version, fingerprint.to_json()):
        logger.warning("bundle %s was published again by another run meanwhile: no fingerprint recorded", bundle_id)
    return summary


def _etl_bundle(
    source: str, bundle_id: str, out: str, batch_size: int, in_flight: int, config: Config
) -> tuple[BundleSummary, str]:
    """Stream one bundle through transform + staging, then publish it atomically; (summary, published version)."""
    logger = get_run_logger()
    summary = BundleSummary(bundle_id=bundle_id, source=source)
    entity_counts: Counter = Counter()
    text_doc_ids: list[str] = []
    signatures: list = []
    staging = load.new_staging_dir(out)
    pending: deque = deque()
    started = time.perf_counter()

    def collect(future) -> None:
        batch = future.result()  # a BatchSummary: the batch's tables were staged by the task
        summary.n_documents += batch.n_documents
        summary.n_words += batch.n_words
        summary.n_batches += 1
        summary.status_counts.update(batch.status_counts)
        entity_counts.update(batch.entity_counts)
        text_doc_ids.extend(batch.text_doc_ids)
        signatures.extend(batch.signatures)
        progress.documents_done(bundle_id, summary.n_documents, time.perf_counter() - started)

    try:
        for index, raws in enumerate(batched(iter_bundle(source, bundle_id, config), batch_size)):
            pending.append(transform_and_stage.submit(raws, staging, bundle_id, index, config))
            while len(pending) >= in_flight:
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
        cross = link_documents(staging, bundle_id, text_doc_ids, signatures)
        summary.crossdoc = cross.summary
        canonical = bundle_canonical_names(entity_counts)
        summary.n_entity_forms = len(canonical)
        stories = assign_bundle_stories(out, staging, bundle_id, config)
        publish_bundle(out, staging, bundle_id, cross, canonical, stories)
    finally:
        load.discard_staging(staging)
    if summary.n_documents == 0:
        logger.warning("bundle %s (%s) holds no documents", bundle_id, source)
    return summary, load.version_name(staging)


@flow(name="newsetl-etl")
def etl(
    bundles: list[str] | None = None,
    out: str = "data/out",
    bundle_id: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1,
    dask_address: str | None = None,
    inbox: str | None = None,
    force: bool = False,
    in_flight: int | None = None,
    bundle_retries: int = 0,
    max_document_bytes: int = DEFAULT.max_document_bytes,
    max_line_bytes: int = DEFAULT.max_line_bytes,
    nlp_cache_chars: int = DEFAULT.nlp_cache_chars,
    nlp_entities: bool = DEFAULT.nlp_entities,
    inbox_settle_seconds: int = DEFAULT.inbox_settle_seconds,
) -> list[BundleSummary]:
    """Run every bundle into OUT (each as its own subflow), then refresh the DuckDB views and the reports.

    A bundle whose content and pipeline version (newsetl, models, settings) are those of its
    published version is skipped: "skipped (unchanged)".

    Args:
        bundles: Bundles to process: folders, .zip/.tar[.gz] archives, .jsonl[.gz] files or concatenated text files.
        out: Output folder (Parquet partitions, warehouse.duckdb, reports).
        bundle_id: Bundle id to use instead of the file or folder name (one bundle only).
        batch_size: Documents per transform task: the unit of parallel work and of memory per task.
        workers: Worker processes for the transform tasks: 1 runs them in threads of the flow process, more start a
            local Dask cluster of that many processes. With dask_address: how many cluster workers to keep busy
            (2 batches in flight per worker).
        dask_address: Scheduler of an existing Dask cluster (tcp://HOST:PORT) to run the transform tasks on instead
            of this machine. Its workers need newsetl installed and OUT at the same path.
        inbox: A folder whose every entry (folder, archive, .jsonl, text file) is a bundle: new or changed ones are
            processed, unchanged ones skipped, ones still being written left for the next run.
        force: Process bundles even when unchanged since they were published.
        in_flight: Batches submitted and not yet collected (default: 2 per worker).
        bundle_retries: How many times a failed bundle's subflow runs again from the start (its tasks retry twice).
        max_document_bytes: Largest document read; larger ones become `too_large` rows.
        max_line_bytes: Longest JSONL line read; longer ones become `too_large` rows.
        nlp_cache_chars: Characters of paragraph text whose model output each process keeps (0 = off).
        nlp_entities: Whether named entities are recognised (False: sentences only).
        inbox_settle_seconds: An inbox entry modified less than this many seconds ago is left for the next run.
    """
    reclaim_signals()  # Prefect's flow engine just put its own SIGTERM handler in place of ours
    logger = get_run_logger()
    config = Config(
        max_document_bytes=max_document_bytes,
        max_line_bytes=max_line_bytes,
        nlp_cache_chars=nlp_cache_chars,
        nlp_entities=nlp_entities,
        inbox_settle_seconds=inbox_settle_seconds,
    )
    logger.info("settings: %s", config.as_dict())
    bundles = list(bundles or [])
    if bundle_id and (len(bundles) != 1 or inbox):
        raise ValueError("--bundle-id names a single bundle; give exactly one bundle with it")
    if batch_size < 1 or workers < 1 or bundle_retries < 0 or (in_flight is not None and in_flight < 1):
        raise ValueError("batch_size, workers and in_flight must be at least 1, bundle_retries at least 0")
    check_out_dir(out)
    for source in bundles:
        check_bundle(source)
    ids = [check_bundle_id(bundle_id) if bundle_id else bundle_id_for(b) for b in bundles]
    failures: dict[str, str] = {}
    if inbox:
        ready, failures = inbox_bundles(inbox, config.inbox_settle_seconds, taken=ids)
        bundles, ids = bundles + [source for source, _ in ready], ids + [i for _, i in ready]
    elif not bundles:
        raise ValueError("no bundles given (give bundles, or an inbox folder)")
    duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicated:
        raise ValueError(f"several bundles would share the bundle id(s) {duplicated}; run them separately")
    Path(out).mkdir(parents=True, exist_ok=True)
    for stale in load.sweep_stale_staging(out):
        logger.info("removed staging left by an interrupted run: %s", stale)
    recovered = load.recover_bundles(out)
    for note in recovered:
        logger.info("publish recovery: %s", note)

    from flows import dask_cluster

    dask_cluster.check_dask_address(dask_address)
    local = dask_cluster.LazyLocalCluster(workers) if workers > 1 and not dask_address else None
    runner = dask_cluster.task_runner(workers, dask_address, local)
    subflow = etl_bundle.with_options(retries=bundle_retries, **({"task_runner": runner} if runner else {}))
    summaries = []
    try:
        for source, i in zip(bundles, ids):
            state = subflow(source, i, out, batch_size, in_flight or 2 * workers, config, force, return_state=True)
            if state.is_completed():
                summaries.append(state.result())
            else:
                error = state.result(raise_on_failure=False)
                failures[i] = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else str(state.message)
                logger.error("bundle %s (%s) failed: %s", i, source, failures[i])
    finally:
        if local is not None:
            local.close()
    published = [s for s in summaries if s.outcome != SKIPPED]
    if not load.any_published(out):
        logger.info("no bundle published in %s yet: no views or reports", out)
    elif published or recovered or not _reports_exist(out):
        refresh_views(out)
        run_reports(out)
    else:
        logger.info("nothing published by this run: views and reports left as they are")
    publish_run_summary(out, summaries, config)
    if failures:
        message = "bundle(s) failed: " + "; ".join(f"{i} ({why})" for i, why in failures.items())
        raise BundlesFailed(message, summaries, failures)
    return summaries


def _reports_exist(out: str) -> bool:
    return warehouse_path(out).is_file() and (Path(out) / "reports" / "index.html").is_file()
