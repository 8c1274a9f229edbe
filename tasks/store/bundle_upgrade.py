"""Bundles written by an older newsetl brought to today's layout, each as a new version (bundle_versions.py).

What an older newsetl, or a copy of OUT, left under ROOT = OUT/parquet, and what converts it:

    ROOT/<table>/<id> as real directories    a copy of OUT made with links followed: `migrate_legacy`
    ROOT/<table>/bundle_id=<id>              the old names, symlinks or, older still, real
                                             directories: `upgrade_layout`
    ROOT/.bundles/<id>/v-<name>              published with another table layout recorded
                                             (LAYOUT), or none: `upgrade_layout`

Either builds a complete new version from the bundle's parts (hard-linked as they are, or
rewritten by the caller's function in today's layout: tasks/store/load.py with
tasks/store/table_upgrade.py), makes it `current`, then gives each table its link
ROOT/<table>/<id>: a real directory is swapped with that symlink in one
renameat2(RENAME_EXCHANGE) (Linux), an old name is renamed. A reader sees each table under
one name and in one layout at any moment, and every step is safe to run again after a crash.
The caller holds the bundle's lock (bundle_versions.bundle_lock). `bundles_to_upgrade` lists
the bundles upgrade_layout has work for (at the start of a run: tasks/store/load.py);
bundle_versions.recover leaves a bundle in an older layout alone. No Prefect, no DuckDB here.
"""
from __future__ import annotations

import ctypes
import errno
import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from tasks.store import bundle_versions as versions

_RENAME_EXCHANGE = 2  # renameat2 flag (Linux >= 3.15); only to convert an OUT of the old layout
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> None:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE), or raise OSError."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        raise OSError(
            errno.ENOSYS,
            "converting an OUT written by an older newsetl needs renameat2(RENAME_EXCHANGE) (Linux >= 3.15, glibc >= 2.28)",
        ) from None
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, f"renameat2 exchange of {a} and {b}: {os.strerror(code)}")


def _publish_version_from(
    root: Path,
    bundle_id: str,
    tables: Sequence[str],
    kind: str,
    sources: Callable[[str], Path | None],
    fill: Callable[[Path | None, Path, str], None],
    layout: str | None,
    fingerprint: str | None = None,
) -> None:
    """Build a new complete version `v-<kind>-<uuid>`, table by table: fill(sources(table),
    version/<table>, table) (the source folder or None), with `fingerprint` as its FINGERPRINT
    if given, then make it `current`."""
    name = f"{versions.VERSION_PREFIX}{kind}-{uuid.uuid4().hex}"
    version = versions.bundle_dir(root, bundle_id) / name
    for table in tables:
        (version / table).mkdir(parents=True)
        fill(sources(table), version / table, table)
    if fingerprint is not None:
        (version / versions.FINGERPRINT).write_text(fingerprint, encoding="utf-8")
    versions.mark_complete(version, layout)
    versions.switch_current(root, bundle_id, name)


def _directory_to_symlink(root: Path, bundle_id: str, table: str, path: Path, kind: str) -> None:
    """Replace the real directory at path by a symlink to the table's `current` in one exchange;
    the directory goes."""
    tmp = versions.bundle_dir(root, bundle_id) / f".{kind}-{table}.{uuid.uuid4().hex}.tmp"
    os.symlink(versions.link_target(table, bundle_id), tmp)
    exchange(tmp, path)
    versions.fsync_path(path.parent)
    versions.remove(tmp)  # now the old directory


def migrate_legacy(root: Path, bundle_id: str, tables: Sequence[str]) -> bool:
    """Convert a bundle of the old layout (one real directory per table); the caller holds the lock.

    The parts are hard-linked into a new complete version that becomes `current`, then each
    directory is exchanged with its symlink in one renameat2: readers see the same rows
    throughout. The version records no layout (its parts are as they were): the next
    `upgrade_layout` rewrites it. Safe to run again after a crash at any step. True if
    there was work to do.
    """
    legacy = versions.legacy_tables(root, bundle_id, tables)
    if not legacy:
        return False
    folder = versions.bundle_dir(root, bundle_id)
    for link in (versions.CURRENT, versions.PREVIOUS):
        if (folder / link).exists() and not (folder / link).is_symlink():
            versions.remove(folder / link)  # a copy of the tree made with links followed (cp -r, shutil.copytree)
    current = versions.complete_current(folder)

    def source(table: str) -> Path | None:
        if table in legacy:
            return versions.link_path(root, table, bundle_id)
        return folder / current / table if current else None

    def hard_link(src: Path | None, dst: Path, table: str) -> None:
        for part in sorted(src.iterdir()) if src is not None and src.is_dir() else []:
            if part.is_file():
                versions.link_or_copy(part, dst / part.name)

    _publish_version_from(root, bundle_id, tables, "migrated", source, hard_link, None)
    for table in legacy:
        _directory_to_symlink(root, bundle_id, table, versions.link_path(root, table, bundle_id), "legacy")
    versions.link_tables(root, bundle_id, tables)
    return True


def old_layout_bundles(root: Path, tables: Sequence[str]) -> list[str]:
    """Bundles with a ROOT/<table>/bundle_id=<id> entry (symlink, or real directory before that)."""
    found = set()
    for table in tables:
        folder = root / table
        if folder.is_dir():
            prefix = versions.OLD_LINK_PREFIX
            found.update(p.name[len(prefix):] for p in folder.iterdir() if p.name.startswith(prefix))
    return sorted(found)


def stale_layout(root: Path, bundle_id: str, tables: Sequence[str], layout: str) -> bool:
    """Whether the bundle's published version records another layout than `layout`, or none.
    A bundle of real directories (legacy_tables) is left to migrate_legacy first."""
    folder = versions.bundle_dir(root, bundle_id)
    current = versions.complete_current(folder)
    if current is None or versions.legacy_tables(root, bundle_id, tables):
        return False
    return versions.recorded_layout(folder / current) != layout


def bundles_to_upgrade(root: Path, tables: Sequence[str], layout: str) -> list[str]:
    """Bundles upgrade_layout has work for: under the old names, or published in another layout."""
    found = set(old_layout_bundles(root, tables))
    base = root / versions.BUNDLES
    if base.is_dir():
        folders = (p for p in base.iterdir() if p.is_dir() and not p.is_symlink())
        found.update(p.name for p in folders if stale_layout(root, p.name, tables, layout))
    return sorted(found)


def upgrade_layout(
    root: Path, bundle_id: str, tables: Sequence[str], rewrite: Callable[[Path | None, Path, str], None], layout: str
) -> bool:
    """Bring a bundle to today's table layout `layout`; the caller holds the lock. Work when its
    tables are at ROOT/<table>/bundle_id=<id> (a symlink into its versions, or before that a
    real directory), or when its published version records another layout or none.

    Every part is rewritten by rewrite(part, new_part, table) (rewrite(None, new_part, table):
    an empty part for a table without one) into a new complete version, recording `layout`,
    that becomes `current`; then each old entry takes its new name ROOT/<table>/<id> in one
    rename (a real directory is first exchanged with a symlink), so a reader sees each table
    under one name and in one layout at any moment. The new version keeps the FINGERPRINT
    of the one it upgrades (its pipeline names the older layout). Safe to run again after a crash at any
    step. True if there was work to do.
    """
    old = versions.old_layout_tables(root, bundle_id, tables)
    if not old and not stale_layout(root, bundle_id, tables, layout):
        return False
    folder = versions.bundle_dir(root, bundle_id)
    folder.mkdir(parents=True, exist_ok=True)
    current = versions.complete_current(folder)

    def source(table: str) -> Path | None:
        if table in old:
            return versions.old_link_path(root, table, bundle_id)
        return folder / current / table if current else None

    def rewrite_parts(src: Path | None, dst: Path, table: str) -> None:
        parts = sorted(src.glob("part-*.parquet")) if src is not None and src.is_dir() else []
        for part in parts:
            rewrite(part, dst / part.name, table)
        if not parts:
            rewrite(None, dst / "part-00000.parquet", table)

    # the rows are still those of the recorded fingerprint, whose pipeline names the older layout
    # (or none): the next run reprocesses the bundle and says why ("changed: pipeline (layout)")
    kept = versions.published_fingerprint(root, bundle_id)
    _publish_version_from(root, bundle_id, tables, "upgraded", source, rewrite_parts, layout, kept)
    for table in old:
        path, new = versions.old_link_path(root, table, bundle_id), versions.link_path(root, table, bundle_id)
        if not path.is_symlink():  # a real directory: becomes a symlink in one exchange
            _directory_to_symlink(root, bundle_id, table, path, "old")
        if os.path.lexists(new):
            path.unlink()  # the new name is there already (a crash after a rename)
        else:
            os.rename(path, new)
        versions.fsync_path(path.parent)
    versions.link_tables(root, bundle_id, tables)
    return True
