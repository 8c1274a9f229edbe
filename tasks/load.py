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


def _add_canonical(table: pa.Table, canonical: dict[str, str]) -> pa.Table:
    names = [canonical.get(text, text) for text in table.column("text").to_pylist()]
    return table.append_column("canonical", pa.array(names, pa.string())).cast(schemas.ENTITIES)


def finalize_entities(staging: Path, bundle_id: str, canonical: dict[str, str]) -> None:
    """Add the bundle-wide canonical name to every staged entity part."""
    folder = partition_dir(staging, "entities", bundle_id)
    for part in sorted(folder.glob("part-*.parquet")):
        write_part(_add_canonical(pq.read_table(part), canonical), part)


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


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def read_table(out: str | Path, table: str, bundle_id: str) -> pa.Table:
    """All parts of one table's partition, in part order (for tests and tools)."""
    folder = partition_dir(parquet_root(out), table, bundle_id)
    parts = [pq.read_table(p) for p in sorted(folder.glob("part-*.parquet"))]
    return pa.concat_tables(parts) if parts else schemas.TABLES[table].empty_table()
