"""Parquet output: stage a bundle's parts, then swap its partitions in atomically.

Layout: OUT/parquet/<table>/bundle_id=<id>/part-<n>.parquet (zstd). A run writes
every part under OUT/parquet/.staging/<run>/ first; only when the whole bundle is
transformed are the partitions swapped in, one rename per table, so readers see
either the old or the new partition and a failed run leaves the old one intact.

Each staging folder holds an `owner` file (host, pid, process start time). This
process remembers the folders it created (`active_staging_dirs`, for the interrupt
handler), and `sweep_stale_staging` removes folders whose owner process is gone,
e.g. after a `kill -9`. The renames of a publish are a critical section: an
interrupt handler defers its exit until it ends (`defer_while_publishing`).
"""
from __future__ import annotations

import ctypes
import json
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq

from tasks import schemas

STAGING = ".staging"
OWNER = "owner"  # in each staging folder: {"host", "pid", "started"} of the process that made it
UNOWNED_STALE_SECONDS = 600  # a staging folder without owner file is swept once untouched this long
COMPRESSION = "zstd"
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux >= 3.15)
_AT_FDCWD = -100


def parquet_root(out: str | Path) -> Path:
    return Path(out) / "parquet"


def partition_dir(root: Path, table: str, bundle_id: str) -> Path:
    return root / table / f"bundle_id={bundle_id}"


_active_staging: set[Path] = set()  # staging folders made by this process and not discarded yet
_state_lock = threading.RLock()  # reentrant: a signal handler may run while the main thread holds it
_publishing = 0  # publishes currently swapping partitions
_after_publish: list[Callable[[], None]] = []
_published: list[str] = []  # bundle ids this process has published


def _owner_record() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()}


def new_staging_dir(out: str | Path) -> Path:
    path = parquet_root(out) / STAGING / uuid.uuid4().hex
    with _state_lock:
        _active_staging.add(path)  # before it exists: an interrupt right after mkdir still removes it
    path.mkdir(parents=True)
    (path / OWNER).write_text(json.dumps(_owner_record()), encoding="utf-8")
    return path


def write_part(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp, compression=COMPRESSION)
    os.replace(tmp, path)


def part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def stage_batch(staging: Path, bundle_id: str, index: int, tables: dict[str, pa.Table]) -> None:
    """Write one transformed batch as part `index` of each table under staging."""
    for name, table in tables.items():
        write_part(table, partition_dir(staging, name, bundle_id) / part_name(index))


def staged_parts(staging: Path, table: str, bundle_id: str) -> list[Path]:
    return sorted(partition_dir(staging, table, bundle_id).glob("part-*.parquet"))


def read_staged(staging: Path, table: str, bundle_id: str, columns: list[str]) -> pa.Table:
    """Some columns of a staged table, in part (bundle) order."""
    parts = [pq.read_table(p, columns=columns) for p in staged_parts(staging, table, bundle_id)]
    return pa.concat_tables(parts) if parts else schemas.STAGED[table].empty_table().select(columns)


def add_column(staging: Path, bundle_id: str, table: str, column: str, compute: Callable[[pa.Table], list]) -> None:
    """Rewrite every staged part of table with one more column, computed from the part."""
    schema = schemas.TABLES[table]
    for part in staged_parts(staging, table, bundle_id):
        data = pq.read_table(part)
        values = pa.array(compute(data), schema.field(column).type)
        write_part(data.append_column(column, values).select(schema.names).cast(schema), part)


def add_canonical_names(staging: Path, bundle_id: str, canonical: dict[str, str]) -> None:
    """Bundle-wide names: entities.canonical and quotes.speaker."""
    add_column(staging, bundle_id, "entities", "canonical", lambda t: [canonical.get(x, x) for x in t["text"].to_pylist()])
    add_column(
        staging,
        bundle_id,
        "quotes",
        "speaker",
        lambda t: [canonical.get(x, x) if x else None for x in t["speaker_name"].to_pylist()],
    )


def ensure_every_table(staging: Path, bundle_id: str) -> None:
    """A bundle with no rows in a table still gets an empty part (views need one file)."""
    for name, schema in schemas.TABLES.items():
        folder = partition_dir(staging, name, bundle_id)
        if not any(folder.glob("part-*.parquet")):
            write_part(schema.empty_table(), folder / part_name(0))


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def publish_bundle(out: str | Path, staging: Path, bundle_id: str) -> None:
    """Swap the staged partitions of every table in place of the published ones."""
    root = parquet_root(out)
    with _publish_section(bundle_id):
        for name in schemas.TABLES:
            new = partition_dir(staging, name, bundle_id)
            final = partition_dir(root, name, bundle_id)
            final.parent.mkdir(parents=True, exist_ok=True)
            if not final.exists():
                os.rename(new, final)
            elif not _exchange(new, final):
                old = staging / f"old-{name}"
                os.rename(final, old)
                os.rename(new, final)
    shutil.rmtree(staging, ignore_errors=True)


def finish_bundle(out: str | Path, staging: Path, bundle_id: str, canonical: dict[str, str]) -> None:
    """After cross_document: add the canonical names, give every table a part, swap them in."""
    add_canonical_names(staging, bundle_id, canonical)
    ensure_every_table(staging, bundle_id)
    publish_bundle(out, staging, bundle_id)


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


def _owner_alive(owner: dict) -> bool:
    """Whether the process that wrote this owner record still runs (a reused pid does not count)."""
    if owner.get("host") != socket.gethostname():
        return True  # another machine's run (shared OUT): cannot tell, leave it alone
    try:
        process = psutil.Process(int(owner["pid"]))
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return abs(process.create_time() - float(owner["started"])) < 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _last_touched(path: Path) -> float:
    """The newest mtime in a folder tree (a run still writing parts keeps it recent)."""
    newest = path.stat().st_mtime
    for folder, _, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            try:
                newest = max(newest, os.stat(name).st_mtime)
            except OSError:
                pass
    return newest


def _is_stale(path: Path, unowned_after: float) -> bool:
    try:
        owner = json.loads((path / OWNER).read_text(encoding="utf-8"))
        return not _owner_alive(owner)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no (readable) owner file: made by an older newsetl, or killed right after mkdir
    try:
        return time.time() - _last_touched(path) > unowned_after
    except OSError:
        return False


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
        if path in mine or not path.is_dir() or path.is_symlink() or not _is_stale(path, unowned_after):
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


def read_table(out: str | Path, table: str, bundle_id: str) -> pa.Table:
    """All parts of one table's partition, in part order (for tests and tools)."""
    folder = partition_dir(parquet_root(out), table, bundle_id)
    parts = [pq.read_table(p) for p in sorted(folder.glob("part-*.parquet"))]
    return pa.concat_tables(parts) if parts else schemas.TABLES[table].empty_table()
