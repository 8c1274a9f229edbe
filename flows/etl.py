"""The newsetl flow: extract → transform (batches, in parallel) → load → report."""
from __future__ import annotations

import time
from collections import Counter, deque
from pathlib import Path

from prefect import flow, get_run_logger

from flows.interrupt import reclaim_signals
from tasks import load
from tasks.config import DEFAULT, Config
from tasks.ingest.batching import DEFAULT_BATCH_SIZE, batched
from tasks.ingest.extract import bundle_id_for, check_bundle, check_bundle_id, iter_bundle
from tasks.prefect_tasks import (
    BundleSummary,
    bundle_canonical_names,
    link_documents,
    publish_bundle,
    publish_run_summary,
    refresh_views,
    run_reports,
    transform_and_stage,
)
from tasks.warehouse import check_out_dir


def _etl_bundle(source: str, bundle_id: str, out: str, batch_size: int, in_flight: int, config: Config) -> BundleSummary:
    """Stream one bundle through transform + staging, then publish it atomically."""
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
        rate = summary.n_documents / max(time.perf_counter() - started, 1e-9)
        logger.info("bundle %s: %d documents done (%.1f docs/s)", bundle_id, summary.n_documents, rate)

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
        publish_bundle(out, staging, bundle_id, cross, canonical)
    finally:
        load.discard_staging(staging)
    if summary.n_documents == 0:
        logger.warning("bundle %s (%s) holds no documents", bundle_id, source)
    return summary


@flow(name="newsetl-etl")
def etl(
    bundles: list[str],
    out: str = "data/out",
    bundle_id: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    in_flight: int = 4,
    max_document_bytes: int = DEFAULT.max_document_bytes,
    max_line_bytes: int = DEFAULT.max_line_bytes,
    nlp_cache_chars: int = DEFAULT.nlp_cache_chars,
    nlp_entities: bool = DEFAULT.nlp_entities,
) -> list[BundleSummary]:
    """Run every bundle into OUT, then refresh the DuckDB views and the reports."""
    reclaim_signals()  # Prefect's flow engine just put its own SIGTERM handler in place of ours
    config = Config(
        max_document_bytes=max_document_bytes,
        max_line_bytes=max_line_bytes,
        nlp_cache_chars=nlp_cache_chars,
        nlp_entities=nlp_entities,
    )
    get_run_logger().info("settings: %s", config.as_dict())
    if bundle_id and len(bundles) != 1:
        raise ValueError("--bundle-id names a single bundle; give exactly one bundle with it")
    check_out_dir(out)
    for source in bundles:
        check_bundle(source)
    ids = [check_bundle_id(bundle_id) if bundle_id else bundle_id_for(b) for b in bundles]
    duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicated:
        raise ValueError(f"several bundles would share the bundle id(s) {duplicated}; run them separately")
    Path(out).mkdir(parents=True, exist_ok=True)
    for stale in load.sweep_stale_staging(out):
        get_run_logger().info("removed staging left by an interrupted run: %s", stale)
    for note in load.recover_bundles(out):
        get_run_logger().info("publish recovery: %s", note)
    summaries = [_etl_bundle(b, i, out, batch_size, max(1, in_flight), config) for b, i in zip(bundles, ids)]
    refresh_views(out)
    run_reports(out)
    publish_run_summary(out, summaries, config)
    return summaries
