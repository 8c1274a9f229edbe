"""Parquet output: stage a bundle's parts, then swap its partitions in atomically.

Layout: OUT/parquet/<table>/bundle_id=<id>/part-<n>.parquet (zstd). A run writes
every part under OUT/parquet/.staging/<run>/ first; only when the whole bundle is
transformed are the partitions swapped in, one rename per table, so readers see
either the old or the new partition and a failed run leaves the old one intact.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from tasks import schemas

STAGING = ".staging"
COMPRESSION = "zstd"
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux >= 3.15)
_AT_FDCWD = -100


def parquet_root(out: str | Path) -> Path:
    return Path(out) / "parquet"


def partition_dir(root: Path, table: str, bundle_id: str) -> Path:
    return root / table / f"bundle_id={bundle_id}"


def new_staging_dir(out: str | Path) -> Path:
    path = parquet_root(out) / STAGING / uuid.uuid4().hex
    path.mkdir(parents=True)
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


def read_table(out: str | Path, table: str, bundle_id: str) -> pa.Table:
    """All parts of one table's partition, in part order (for tests and tools)."""
    folder = partition_dir(parquet_root(out), table, bundle_id)
    parts = [pq.read_table(p) for p in sorted(folder.glob("part-*.parquet"))]
    return pa.concat_tables(parts) if parts else schemas.TABLES[table].empty_table()
