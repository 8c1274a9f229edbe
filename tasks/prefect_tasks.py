"""Thin Prefect wrappers around the pure steps: retries, logging, artifacts.

Task inputs are batches of documents, so input-hash caching is off (hashing
megabytes per call costs more than it saves); re-runs are cheap and idempotent.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE

from tasks import package_source
from tasks.config import DEFAULT, Config
from tasks.fingerprint import SKIPPED, Fingerprint, pipeline_version
from tasks.ingest.bundle_content import content_digest
from tasks.ingest.raw_document import RawDocument
from tasks.store import load, story_state, warehouse
from tasks.story.canonical import canonical_names
from tasks.story.crossdoc import SENTENCE_COLUMNS, CrossDoc, CrossDocSummary, cross_document
from tasks.story.stories import Assignment, StoryBatch, assign_stories, state_window, story_documents
from tasks.text.nlp import PARSE_CACHE
from tasks.transform import transform_batch


@dataclass
class BatchSummary:
    """What the flow keeps of a staged batch (its tables stay on disk)."""

    n_documents: int
    n_words: int
    entity_counts: Counter
    status_counts: Counter
    text_doc_ids: list[str]
    signatures: list


@dataclass
class BundleSummary:
    bundle_id: str
    source: str
    n_documents: int = 0
    n_words: int = 0
    n_batches: int = 0
    status_counts: Counter = field(default_factory=Counter)
    n_entity_forms: int = 0
    crossdoc: CrossDocSummary | None = None
    outcome: str = "published"  # or fingerprint.SKIPPED ("skipped (unchanged)")
    reason: str = ""  # why it was processed or skipped (fingerprint.decide)


_shared_seen: dict[Path, set[str]] = {}  # per staging folder: parse files this process has read or written


@task(name="transform-and-stage", cache_policy=NONE, retries=2, retry_delay_seconds=1)
def transform_and_stage(
    raws: list[RawDocument], staging: Path, bundle_id: str, index: int, config: Config = DEFAULT
) -> BatchSummary:
    """transform_batch, then the batch's tables staged as part `index`; only the small summary
    goes back to the flow (the tables never travel to the flow process). Paragraphs parsed by
    other worker processes of the run are taken in first and this batch's new ones handed over
    after (tasks/text/parse_cache.py). Safe to retry: staging a part replaces it."""
    sharing = bool(config.nlp_cache_chars)
    seen = _shared_seen.setdefault(staging, set())
    if sharing:
        PARSE_CACHE.resize(config.nlp_cache_chars)
        PARSE_CACHE.sharing = True
        for entries in load.shared_parses(staging, seen):
            PARSE_CACHE.absorb(entries)
    batch = transform_batch(raws, config)
    if sharing:
        written = load.share_parses(staging, PARSE_CACHE.take_new())
        if written is not None:
            seen.add(written.name)
    load.stage_batch(staging, bundle_id, index, batch.tables)
    return BatchSummary(
        batch.tables["documents"].num_rows,
        batch.n_words,
        batch.entity_counts,
        batch.status_counts,
        batch.text_doc_ids,
        batch.signatures,
    )


@task(name="fingerprint-bundle", cache_policy=NONE)
def fingerprint_bundle(source: str, config: Config = DEFAULT) -> Fingerprint:
    """The bundle's content (every file's name, size and bytes, streamed) and the pipeline that would process it."""
    from importlib.metadata import PackageNotFoundError, version

    from tasks.text.models import NER_MODELS

    def installed(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "absent"

    started = time.perf_counter()
    digest = content_digest(source)
    models = {m.package: installed(m.package) for m in NER_MODELS.values()} | {"spacy": installed("spacy")}
    pipeline = pipeline_version(
        config.as_dict(), installed("newsetl"), models, load.LAYOUT, package_source.code_digest()
    )
    found = Fingerprint(digest.hexdigest(), pipeline)
    get_run_logger().info(
        "%s: %d files, %d bytes hashed in %.2f s", source, digest.n_entries, digest.n_bytes, time.perf_counter() - started
    )
    return found


@task(name="canonical-names", cache_policy=NONE)
def bundle_canonical_names(entity_counts: Counter) -> dict[str, str]:
    return canonical_names((text, label, n) for (text, label), n in entity_counts.items())


@task(name="cross-document", cache_policy=NONE)
def link_documents(staging: Path, bundle_id: str, doc_ids: list[str], signatures: list) -> CrossDoc:
    started = time.perf_counter()
    sentences = load.iter_staged(staging, "sentences", bundle_id, SENTENCE_COLUMNS)
    cross = cross_document(sentences, doc_ids, signatures)
    summary = cross.summary
    get_run_logger().info(
        "bundle %s: %d similar document pairs (%d near-duplicates), %d sentence links in %.1f s",
        bundle_id,
        summary.n_pairs,
        summary.n_near_duplicate_pairs,
        summary.n_links,
        time.perf_counter() - started,
    )
    return cross


@task(name="assign-stories", cache_policy=NONE)
def assign_bundle_stories(out: str, staging: Path, bundle_id: str, config: Config = DEFAULT) -> Assignment:
    """documents.story_id for the staged bundle: grouped with each other and with the stories
    of every other bundle published in OUT (tasks/store/story_state.py)."""
    started = time.perf_counter()
    batches, notices = [], []
    entity_parts = {p.name: p for p in load.staged_parts(staging, "entities", bundle_id)}
    for part in load.staged_parts(staging, "documents", bundle_id):  # part by part: only terms are kept
        documents = pq.read_table(part, columns=["doc_id", "text", "lang", "title", "published", "status"])
        entities = pq.read_table(entity_parts[part.name], columns=["doc_id", "text", "label"]) if part.name in entity_parts else None
        found, noticed = story_documents(documents, entities if entities is not None else _NO_ENTITIES, config)
        batches.append(StoryBatch.of(found))
        notices += noticed
    grouped = StoryBatch.concat(batches)
    run_date = datetime.now(timezone.utc).date()
    state_documents = story_state.read_documents(out, leave_out=bundle_id)
    near = state_window(state_documents, grouped.published, run_date, config.story_window_days)
    state_terms = story_state.read_terms(out, near["doc_id"], leave_out=bundle_id)
    result = assign_stories(grouped, state_documents, state_terms, run_date, config)
    get_run_logger().info(
        "bundle %s: %d documents in %d stories (%d new; %d documents joined a story of an earlier run, "
        "compared with %d earlier documents of %d read), %d notices without a story, %d candidate pairs, in %.1f s",
        bundle_id,
        len(grouped.doc_ids),
        len(set(result.story_of.values())),
        result.n_new_stories,
        result.n_joined,
        near.num_rows,
        state_documents.num_rows,
        len(notices),
        result.n_candidate_pairs,
        time.perf_counter() - started,
    )
    return result


_NO_ENTITIES = pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string()), "label": pa.array([], pa.string())})


@task(name="publish-bundle", cache_policy=NONE, retries=2, retry_delay_seconds=1)
def publish_bundle(
    out: str, staging: Path, bundle_id: str, cross: CrossDoc, canonical: dict[str, str], stories: Assignment | None = None
) -> None:
    load.finish_bundle(out, staging, bundle_id, cross, canonical, stories)
    get_run_logger().info("published bundle %s to %s", bundle_id, load.parquet_root(out))


@task(name="refresh-views", cache_policy=NONE, retries=2, retry_delay_seconds=1)
def refresh_views(out: str) -> list[str]:
    return warehouse.refresh_views(out)


@task(name="run-reports", cache_policy=NONE)
def run_reports(out: str) -> list[warehouse.Report]:
    reports = warehouse.run_reports(out)
    for report in reports:
        rows = report.head.to_pylist()  # the first warehouse.HEAD_ROWS rows
        create_table_artifact(
            table=[{k: _plain(v) for k, v in row.items()} for row in rows],
            key=f"newsetl-{report.name.replace('_', '-')}",
            description=f"{report.name}: first {len(rows)} of {report.n_rows} rows ({report.csv_path})",
        )
    return reports


@task(name="run-summary", cache_policy=NONE)
def publish_run_summary(out: str, bundles: list[BundleSummary], config: Config = DEFAULT) -> str:
    lines = [
        "# newsetl run",
        "",
        f"Outputs in `{Path(out).resolve()}`",
        "",
        "| bundle | source | outcome | documents | words | statuses | similar pairs | near-duplicate pairs | sentence links |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for b in bundles:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(b.status_counts.items()))
        x = b.crossdoc
        story = f"{x.n_pairs} | {x.n_near_duplicate_pairs} | {x.n_links}" if x else "- | - | -"
        counts = "- | - | -" if b.outcome == SKIPPED else f"{b.n_documents} | {b.n_words} | {statuses}"
        lines.append(f"| {b.bundle_id} | {b.source} | {b.outcome} ({b.reason}) | {counts} | {story} |")
    lines += ["", "Settings: " + ", ".join(f"`{k}` = {v if isinstance(v, bool) else f'{v:,}'}" for k, v in config.as_dict().items())]
    markdown = "\n".join(lines)
    create_markdown_artifact(markdown, key="newsetl-run-summary")
    return markdown


def _plain(value):
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)
