"""The story state in OUT: what earlier runs kept of their documents' stories.

The state is two tables written with each bundle and published with it, all or nothing
(tasks/store/load.py: story_documents and story_terms, layouts in tasks/story/state.py). This
module reads them back for the next bundle's story step: every published bundle's documents,
and the terms only of those the time window lets the bundle be compared with,
each bundle read from its published version resolved once (a consistent snapshot even
while another run publishes), the bundle being run left out (its documents are grouped
again). A bundle published before stories existed has no state rows: its documents have no
story until it is run again.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks.store import bundle_versions as versions
from tasks.store import load
from tasks.story.state import STORY_DOCUMENTS, STORY_TERMS


def published_bundles(out: str | Path) -> list[str]:
    """Ids of the bundles published in OUT (sorted)."""
    folder = load.parquet_root(out) / versions.BUNDLES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def _read(version: Path, table: str, schema: pa.Schema) -> list[pa.Table]:
    return [pq.read_table(part, columns=schema.names).cast(schema) for part in sorted((version / table).glob("part-*.parquet"))]


def _versions(out: str | Path, leave_out: str | None):
    for bundle_id in published_bundles(out):
        if bundle_id == leave_out:
            continue
        version = load.bundle_snapshot(out, bundle_id)
        if version is not None and (version / "story_documents").is_dir():
            yield version


def read_documents(out: str | Path, leave_out: str | None = None) -> pa.Table:
    """story_documents of every published bundle of OUT but `leave_out` (a few columns a
    document: read whole), in the layout of tasks/story/state.py (no bundle_id column)."""
    documents = [t for version in _versions(out, leave_out) for t in _read(version, "story_documents", STORY_DOCUMENTS)]
    return pa.concat_tables(documents) if documents else STORY_DOCUMENTS.empty_table()


def read_terms(out: str | Path, doc_ids: pa.Array, leave_out: str | None = None) -> pa.Table:
    """story_terms of the documents `doc_ids` (those the story step may compare: up to
    Config.story_max_terms rows each), read part by part so that memory follows the time
    window, not the whole corpus kept in OUT."""
    wanted = pa.array(doc_ids, pa.string())
    terms: list[pa.Table] = []
    if len(wanted):
        for version in _versions(out, leave_out):
            for part in _read(version, "story_terms", STORY_TERMS):
                kept = part.filter(pc.is_in(part["doc_id"], wanted))
                if kept.num_rows:
                    terms.append(kept)
    return pa.concat_tables(terms) if terms else STORY_TERMS.empty_table()
