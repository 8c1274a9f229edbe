"""Parquet output: stage a bundle's parts, then publish all its tables in one atomic step.

Readers' layout: OUT/parquet/<table>/<id>/part-NNNNN.parquet (zstd; bundle_id is the first
column of every file, a string; the folder name is plain so that no reader infers a partition
key from it). Each `<id>` is a symlink into the bundle's published version
(tasks/store/bundle_versions.py): a publish builds a complete new version, then switches the
bundle's single `current` symlink, so every table changes at once and a crash at any
moment leaves the old or the new bundle; `recover_bundles` (start of a run) tidies up.
A run writes every part under OUT/parquet/.staging/<run>/ first and never rewrites a
staged part: `finish_bundle` writes each final table once, from the staged parts and the
bundle-wide results (cluster and claim ids, canonical names, doc_pairs, sentence_links),
and can run any number of times.

Each staging folder holds an `owner` file (host, pid, process start time). This
process remembers the folders it created (`active_staging_dirs`, for the interrupt
handler), and `sweep_stale_staging` removes folders whose owner process is gone,
e.g. after a `kill -9`. The switch of a publish is a critical section: an
interrupt handler defers its exit until it ends (`defer_while_publishing`).
"""
from __future__ import annotations

import os
import pickle
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from tasks.fingerprint import layout_version
from tasks.store import bundle_upgrade, owners, schemas, table_upgrade
from tasks.store import bundle_versions as versions
from tasks.story.crossdoc import CrossDoc
from tasks.story.state import STORY_DOCUMENTS, STORY_TERMS

if TYPE_CHECKING:
    from tasks.story.stories import Assignment

STAGING = ".staging"
OWNER = owners.OWNER
UNOWNED_STALE_SECONDS = owners.UNOWNED_STALE_SECONDS
COMPRESSION = "zstd"
LAYOUT = layout_version(schemas.TABLES)  # recorded in every version published (bundle_versions.LAYOUT)


def parquet_root(out: str | Path) -> Path:
    return Path(out) / "parquet"


def partition_dir(root: Path, table: str, bundle_id: str) -> Path:
    return versions.link_path(root, table, bundle_id)


def any_published(out: str | Path) -> bool:
    """Whether some bundle is published in OUT (in the current layout or an older one)."""
    root = parquet_root(out)
    return any(any((root / table).glob("*")) for table in schemas.TABLES)


_active_staging: set[Path] = set()  # staging folders made by this process and not discarded yet
_state_lock = threading.RLock()  # reentrant: a signal handler may run while the main thread holds it
_publishing = 0  # publishes currently swapping partitions
_after_publish: list[Callable[[], None]] = []
_published: list[str] = []  # bundle ids this process has published


def new_staging_dir(out: str | Path) -> Path:
    path = parquet_root(out) / STAGING / uuid.uuid4().hex
    with _state_lock:
        _active_staging.add(path)  # before it exists: an interrupt right after mkdir still removes it
    path.mkdir(parents=True)
    owners.write_owner(path)
    return path


def write_part(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, compression=COMPRESSION)
    os.replace(tmp, path)


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def stage_batch(staging: Path, bundle_id: str, index: int, tables: dict[str, pa.Table]) -> None:
    """Write one transformed batch as part `index` of each table under staging: bundle_id
    first, then the columns of schemas.STAGED, with their descriptions as metadata."""
    for name, table in tables.items():
        table = schemas.add_bundle_id(table.cast(schemas.STAGED[name]), name, bundle_id)
        write_part(table, partition_dir(staging, name, bundle_id) / part_name(index))


def staged_parts(staging: Path, table: str, bundle_id: str) -> list[Path]:
    return sorted(partition_dir(staging, table, bundle_id).glob("part-*.parquet"))


PARSES = "parses"  # model outputs handed between worker processes (tasks/text/parse_cache.py)


def share_parses(staging: Path, entries: list) -> Path | None:
    """Write what this process parsed since it last did into staging/parses/ (one file,
    written whole then renamed); None when there is nothing to write."""
    if not entries:
        return None
    folder = staging / PARSES
    folder.mkdir(exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.pkl"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(tmp, path)
    return path


def shared_parses(staging: Path, seen: set[str]) -> Iterator[list]:
    """The entries of every file in staging/parses/ whose name is not in seen (added to it).
    Only this run's own processes write there."""
    folder = staging / PARSES
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.pkl")):
        if path.name in seen:
            continue
        seen.add(path.name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # the staging folder went away (run interrupted)
            return
        yield pickle.loads(data)


def iter_staged(staging: Path, table: str, bundle_id: str, columns: list[str]) -> Iterator[pa.Table]:
    """Some columns of a staged table, part by part in bundle order (one part in memory at a time)."""
    for part in staged_parts(staging, table, bundle_id):
        yield pq.read_table(part, columns=columns)


def _set_column(data: pa.Table, table: str, column: str, values: list) -> pa.Table:
    """data with `column` (typed as in TABLES[table]) set to values, replaced if present, last."""
    if column in data.column_names:
        data = data.drop_columns([column])
    return data.append_column(column, pa.array(values, schemas.TABLES[table].field(column).type))


def _canonical_columns(canonical: dict[str, str]) -> dict[str, tuple[str, Callable[[pa.Table], list]]]:
    """Bundle-wide names added at publish: entities.canonical and quotes.speaker."""
    return {
        "entities": ("canonical", lambda t: [canonical.get(x, x) for x in t["text"].to_pylist()]),
        # a one-word speaker keeps its form: bundle-wide, a surname may be several people
        "quotes": ("speaker", lambda t: [_speaker(canonical, x) for x in t["speaker_name"].to_pylist()]),
    }


ColumnFn = Callable[[pa.Table], list]


def _speaker(canonical: dict[str, str], name: str | None) -> str | None:
    if not name:
        return None
    return canonical.get(name, name) if len(name.split()) > 1 else name


def write_version(
    staging: Path,
    bundle_id: str,
    version: Path,
    columns: dict[str, list[tuple[str, ColumnFn]]],
    whole: dict[str, pa.Table],
) -> None:
    """The final parts of every table under version/<table>/, each written once.

    whole: tables computed bundle-wide, written as they are (doc_pairs, sentence_links,
    story_documents, story_terms).
    columns: for tables that get bundle-wide columns, [(column, values for a staged part)];
    their staged parts are read, completed and written, in part order. The other staged
    parts are final as staged and are hard-linked. Staged parts are never changed, so this
    can run again. A table without rows gets an empty part (views need one file).
    """
    for name, schema in schemas.TABLES.items():
        folder = version / name
        folder.mkdir(parents=True)
        parts = staged_parts(staging, name, bundle_id)
        if name in whole:
            table = schemas.add_bundle_id(whole[name], name, bundle_id).cast(schema)
            pq.write_table(table, folder / part_name(0), compression=COMPRESSION)
            continue
        if not parts:
            pq.write_table(schema.empty_table(), folder / part_name(0), compression=COMPRESSION)
        for part in parts:
            if name in columns:
                data = pq.read_table(part)
                for column, compute in columns[name]:
                    data = _set_column(data, name, column, compute(data))
                pq.write_table(data.select(schema.names).cast(schema), folder / part.name, compression=COMPRESSION)
            else:
                versions.link_or_copy(part, folder / part.name)


def _columns(cross: CrossDoc, canonical: dict[str, str], stories: Assignment | None) -> dict[str, list[tuple[str, ColumnFn]]]:
    columns: dict[str, list[tuple[str, ColumnFn]]] = {}
    for table, column in (cross.columns() | _canonical_columns(canonical)).items():
        columns.setdefault(table, []).append(column)
    story_of = stories.story_of if stories is not None else {}
    columns.setdefault("documents", []).append(("story_id", lambda t: [story_of.get(d) for d in t["doc_id"].to_pylist()]))
    return columns


def _story_tables(stories: Assignment | None) -> dict[str, pa.Table]:
    """The bundle's rows of the story state (empty without stories)."""
    if stories is None:
        return {"story_documents": STORY_DOCUMENTS.empty_table(), "story_terms": STORY_TERMS.empty_table()}
    return {"story_documents": stories.documents, "story_terms": stories.terms}


def version_name(staging: Path) -> str:
    """One staging folder publishes as one version: a retry recognises its own work."""
    return versions.VERSION_PREFIX + staging.name


def finish_bundle(
    out: str | Path,
    staging: Path,
    bundle_id: str,
    cross: CrossDoc,
    canonical: dict[str, str],
    stories: Assignment | None = None,
) -> None:
    """After the bundle-wide steps (cross, canonical, stories): write the bundle's final tables
    as a new version and publish it. stories: the bundle's story ids and story state
    (tasks/story/stories.py); None: no story ids and no state rows.

    Safe to run again after a failure at any step or after success (a Prefect retry): the
    version of this staging folder ends up published exactly once. Steps, under the
    bundle's lock: convert an old-layout bundle; build the version (unless a complete one
    is there); make sure the table links exist; switch `current`; remove old versions.
    """
    versions.check_platform()
    root = parquet_root(out)
    tables = list(schemas.TABLES)
    name = version_name(staging)
    with versions.bundle_lock(root, bundle_id):
        bundle_upgrade.upgrade_layout(root, bundle_id, tables, _upgrade_part(bundle_id), LAYOUT)
        bundle_upgrade.migrate_legacy(root, bundle_id, tables)
        folder = versions.bundle_dir(root, bundle_id)
        if versions.version_of(folder, versions.CURRENT) != name:
            version = folder / name
            if not versions.is_complete(version):
                if not staging.is_dir():
                    raise FileNotFoundError(f"staging {staging} of bundle {bundle_id} is gone: nothing to publish")
                versions.remove(version)  # what a failed attempt left
                columns = _columns(cross, canonical, stories)  # fresh: claim ids follow the parts
                write_version(staging, bundle_id, version, columns, cross.tables() | _story_tables(stories))
                versions.mark_complete(version, LAYOUT)
            versions.link_tables(root, bundle_id, tables)  # a new bundle: links first, so all tables appear at once
            with _publish_section(bundle_id):
                versions.switch_current(root, bundle_id, name)
        with _state_lock:  # switched by an attempt that failed just after the rename
            if bundle_id not in _published:
                _published.append(bundle_id)
        versions.link_tables(root, bundle_id, tables)
        versions.remove_unused(root, bundle_id)


def recover_bundles(out: str | Path) -> list[str]:
    """Bring bundles written by an older newsetl to today's layout (upgrade_old_bundles), then
    complete or roll back what a killed publish left (see bundle_versions.recover); what was done."""
    if os.name != "posix":
        return []
    notes = upgrade_old_bundles(out)
    return notes + versions.recover(parquet_root(out), list(schemas.TABLES))


def upgrade_old_bundles(out: str | Path) -> list[str]:
    """Rewrite every bundle still at OUT/parquet/<table>/bundle_id=<id>, or published in
    another table layout than LAYOUT (or with none recorded: an older newsetl's), in today's
    layout (tasks/store/bundle_upgrade.py, table_upgrade.py) as a new version at <table>/<id>;
    a bundle another process holds is left for later (its next publish upgrades it)."""
    root = parquet_root(out)
    tables = list(schemas.TABLES)
    notes = []
    for bundle_id in bundle_upgrade.bundles_to_upgrade(root, tables, LAYOUT):
        with versions.bundle_lock(root, bundle_id, blocking=False) as locked:
            if locked and bundle_upgrade.upgrade_layout(root, bundle_id, tables, _upgrade_part(bundle_id), LAYOUT):
                notes.append(f"bundle {bundle_id}: upgraded to the current table layout")
    return notes


def _upgrade_part(bundle_id: str) -> Callable[[Path | None, Path, str], None]:
    def rewrite(part: Path | None, new_part: Path, table: str) -> None:
        data = pq.read_table(part) if part is not None else schemas.TABLES[table].empty_table()
        pq.write_table(table_upgrade.upgrade(table, data, bundle_id), new_part, compression=COMPRESSION)

    return rewrite


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    with _state_lock:
        _active_staging.discard(staging)


def active_staging_dirs() -> list[Path]:
    """Staging folders this process made and has not discarded (for the interrupt handler)."""
    with _state_lock:
        return sorted(_active_staging)


def published_bundles() -> list[str]:
    """Bundle ids this process has published so far."""
    with _state_lock:
        return list(_published)


def sweep_stale_staging(out: str | Path, unowned_after: float = UNOWNED_STALE_SECONDS) -> list[Path]:
    """Remove staging folders left by runs that are gone; return what was removed.

    A folder is stale when its owner process no longer runs (same pid with another
    start time counts as gone), or when it has no owner file and nothing in it changed
    for `unowned_after` seconds. Live runs' folders, on this host or another, stay.
    """
    root = parquet_root(out) / STAGING
    if not root.is_dir():
        return []
    mine = set(active_staging_dirs())
    removed = []
    for path in sorted(root.iterdir()):
        if path in mine or not path.is_dir() or path.is_symlink() or not owners.is_stale(path, unowned_after):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed.append(path)
    return removed


@contextmanager
def _publish_section(bundle_id: str) -> Iterator[None]:
    """Mark the renames of a publish: interrupt handlers wait for it (see defer_while_publishing)."""
    global _publishing
    with _state_lock:
        _publishing += 1
    try:
        yield
        with _state_lock:
            _published.append(bundle_id)
    finally:
        with _state_lock:
            _publishing -= 1
            callbacks = [] if _publishing else list(_after_publish)
            if callbacks:
                _after_publish.clear()
        for callback in callbacks:
            callback()


def defer_while_publishing(callback: Callable[[], None]) -> bool:
    """If a publish is swapping partitions, run callback when it ends and return True; else False."""
    with _state_lock:
        if _publishing:
            _after_publish.append(callback)
            return True
        return False


def bundle_snapshot(out: str | Path, bundle_id: str) -> Path | None:
    """The published version folder of a bundle (one <table>/ folder each), resolved now:
    read every table from it for a consistent bundle even while a publish switches versions.
    It stays readable until the second publish after this one."""
    link = versions.bundle_dir(parquet_root(out), bundle_id) / versions.CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read_table(out: str | Path, table: str, bundle_id: str) -> pa.Table:
    """All parts of one table's partition, in part order (for tests and tools).

    The partition link is resolved once, so the parts all come from one version."""
    folder = partition_dir(parquet_root(out), table, bundle_id).resolve()
    parts = [pq.read_table(p) for p in sorted(folder.glob("part-*.parquet"))]
    return pa.concat_tables(parts) if parts else schemas.TABLES[table].empty_table()
