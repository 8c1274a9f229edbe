"""Published bundles as immutable versions behind one symlink: every table of a bundle switches at once.

Layout under ROOT = OUT/parquet:

    ROOT/<table>/<id>            -> ../.bundles/<id>/current/<table>   (made once, never changed)
    ROOT/.bundles/<id>/current   -> v-<name>    the published version
    ROOT/.bundles/<id>/previous  -> v-<name>    the one it replaced (kept for readers that resolved its paths)
    ROOT/.bundles/<id>/v-<name>/<table>/part-NNNNN.parquet, and v-<name>/COMPLETE (written last)
    ROOT/.bundles/<id>/v-<name>/FINGERPRINT  what the version was made from (tasks/fingerprint.py), once published
    ROOT/.bundles/<id>/v-<name>/LAYOUT       the table layout its parts have (fingerprint.layout_version)
    ROOT/.bundles/<id>/lock      flock'd by whoever changes the bundle (released by the kernel on kill -9)

A publish builds v-<name> completely (files and folders fsync'd, then COMPLETE), then
replaces `current` by rename(2) of a fresh symlink: one atomic step for all tables.
Anything else in ROOT/.bundles/<id> (versions older than `previous`, a version a dead
run never switched to, temporary links) is garbage that the next publish of the bundle,
or `recover` at the start of a run, removes. No Prefect, no DuckDB here.

A run records the bundle's fingerprint in the version it just published
(`record_fingerprint`); the next run reads it (`published_fingerprint`) and skips the
bundle when nothing changed. A version without one (published before fingerprints, by
a run killed between the switch and the record, or converted from the old layout) is
simply processed again.

A version records the layout of its tables (LAYOUT, written before COMPLETE). A bundle
whose published version records another layout, or none (written by an older newsetl), or
that is still under the old names ROOT/<table>/bundle_id=<id>, is rewritten in today's
layout by `upgrade_layout` (at the start of a run: tasks/store/load.py), so that readers never
see parts of two layouts.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

BUNDLES = ".bundles"
CURRENT = "current"
PREVIOUS = "previous"
COMPLETE = "COMPLETE"
LOCK = "lock"
FINGERPRINT = "FINGERPRINT"
LAYOUT = "LAYOUT"
VERSION_PREFIX = "v-"
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux >= 3.15); only to convert an OUT of the old layout
_AT_FDCWD = -100


def bundle_dir(root: Path, bundle_id: str) -> Path:
    return root / BUNDLES / bundle_id


def link_path(root: Path, table: str, bundle_id: str) -> Path:
    """ROOT/<table>/<id>: a plain folder name, so that no reader takes a partition key from it
    (a hive name `bundle_id=20241025` is read as a number); bundle_id is a column of the files."""
    return root / table / bundle_id


OLD_LINK_PREFIX = "bundle_id="  # ROOT/<table>/bundle_id=<id>: the name of a bundle's table before


def old_link_path(root: Path, table: str, bundle_id: str) -> Path:
    return root / table / f"{OLD_LINK_PREFIX}{bundle_id}"


def link_target(table: str, bundle_id: str) -> str:
    """Relative to ROOT/<table>/, so a moved or copied OUT keeps working."""
    return f"../{BUNDLES}/{bundle_id}/{CURRENT}/{table}"


def check_platform() -> None:
    if os.name != "posix":
        raise OSError(
            errno.ENOTSUP,
            f"newsetl publishes a bundle by renaming a symlink over another (POSIX rename(2)); {sys.platform} is not supported",
        )


def version_of(folder: Path, link: str) -> str | None:
    """The version folder name a `current`/`previous` symlink names, or None."""
    path = folder / link
    return os.readlink(path) if path.is_symlink() else None


def is_complete(version: Path) -> bool:
    return (version / COMPLETE).is_file()


def fsync_path(path: Path | str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mark_complete(version: Path, layout: str | None) -> None:
    """Record the layout of version's parts (None: unknown, so upgraded later), make every file
    and folder of version durable, then write its COMPLETE marker (last)."""
    if layout is not None:
        (version / LAYOUT).write_text(layout + "\n", encoding="utf-8")
    for folder, _, files in os.walk(version):
        for name in files:
            fsync_path(os.path.join(folder, name))
        fsync_path(folder)
    marker = version / COMPLETE
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write("complete\n")
        fh.flush()
        os.fsync(fh.fileno())
    fsync_path(version)


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link (staged and published parts are never rewritten in place), or a copy."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def _replace_symlink(path: Path, target: str, tmp_dir: Path) -> None:
    """Point path at target in one rename; the temporary link lives in tmp_dir (never in a table folder)."""
    tmp = tmp_dir / f".{path.name}.{uuid.uuid4().hex}.tmp"
    os.symlink(target, tmp)
    os.replace(tmp, path)


def switch_current(root: Path, bundle_id: str, name: str) -> None:
    """Publish version `name`: `previous` keeps the old one, then one rename switches `current`."""
    folder = bundle_dir(root, bundle_id)
    old = version_of(folder, CURRENT)
    if old == name:
        return
    if old is not None:
        _replace_symlink(folder / PREVIOUS, old, folder)
    _replace_symlink(folder / CURRENT, name, folder)
    fsync_path(folder)


def link_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> None:
    """Make ROOT/<table>/<id> -> ../.bundles/<id>/current/<table> for every table."""
    for table in tables:
        path, target = link_path(root, table, bundle_id), link_target(table, bundle_id)
        if path.is_symlink():
            if os.readlink(path) != target:
                _replace_symlink(path, target, bundle_dir(root, bundle_id))
                fsync_path(path.parent)
        elif path.exists():
            raise RuntimeError(f"{path} is a directory of the old layout: convert it first (migrate_legacy)")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(target, path)
            fsync_path(path.parent)


def record_fingerprint(root: Path, bundle_id: str, name: str, text: str) -> bool:
    """Write text as the FINGERPRINT of version `name` if it is still the bundle's `current`
    (under the bundle's lock; written whole, then renamed); False if another run published since."""
    folder = bundle_dir(root, bundle_id)
    with bundle_lock(root, bundle_id):
        if version_of(folder, CURRENT) != name or not is_complete(folder / name):
            return False
        path = folder / name / FINGERPRINT
        tmp = folder / name / f".{FINGERPRINT}.{uuid.uuid4().hex}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_path(folder / name)
        return True


def published_fingerprint(root: Path, bundle_id: str) -> str | None:
    """The FINGERPRINT text of the bundle's published version, or None (none published, or none recorded)."""
    folder = bundle_dir(root, bundle_id)
    name = version_of(folder, CURRENT)
    if name is None or not is_complete(folder / name):
        return None
    try:
        return (folder / name / FINGERPRINT).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def recorded_layout(version: Path) -> str | None:
    """The layout version records (mark_complete), or None (none recorded: an older newsetl's)."""
    try:
        return (version / LAYOUT).read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def unlink_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> None:
    for table in tables:
        path = link_path(root, table, bundle_id)
        if path.is_symlink():
            path.unlink()


def remove_unused(root: Path, bundle_id: str) -> list[Path]:
    """Remove all but `current`, `previous`, the lock and the two versions they name."""
    folder = bundle_dir(root, bundle_id)
    keep = {CURRENT, PREVIOUS, LOCK, version_of(folder, CURRENT), version_of(folder, PREVIOUS)}
    removed = []
    for entry in sorted(folder.iterdir()):
        if entry.name not in keep:
            remove(entry)
            removed.append(entry)
    return removed


@contextmanager
def bundle_lock(root: Path, bundle_id: str, blocking: bool = True) -> Iterator[bool]:
    """Hold the bundle's lock (yields True), or yield False at once if another process holds it."""
    folder = bundle_dir(root, bundle_id)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the flock


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


def legacy_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> list[str]:
    """Tables whose ROOT/<table>/<id> is a real directory (a copy of OUT that followed links)."""
    return [t for t in tables if link_path(root, t, bundle_id).is_dir() and not link_path(root, t, bundle_id).is_symlink()]


def _complete_current(folder: Path) -> str | None:
    """The name of the bundle's `current` version if it is complete, else None."""
    current = version_of(folder, CURRENT)
    return current if current and is_complete(folder / current) else None


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
    name = f"{VERSION_PREFIX}{kind}-{uuid.uuid4().hex}"
    version = bundle_dir(root, bundle_id) / name
    for table in tables:
        (version / table).mkdir(parents=True)
        fill(sources(table), version / table, table)
    if fingerprint is not None:
        (version / FINGERPRINT).write_text(fingerprint, encoding="utf-8")
    mark_complete(version, layout)
    switch_current(root, bundle_id, name)


def _directory_to_symlink(root: Path, bundle_id: str, table: str, path: Path, kind: str) -> None:
    """Replace the real directory at path by a symlink to the table's `current` in one exchange;
    the directory goes."""
    tmp = bundle_dir(root, bundle_id) / f".{kind}-{table}.{uuid.uuid4().hex}.tmp"
    os.symlink(link_target(table, bundle_id), tmp)
    exchange(tmp, path)
    fsync_path(path.parent)
    remove(tmp)  # now the old directory


def migrate_legacy(root: Path, bundle_id: str, tables: Sequence[str]) -> bool:
    """Convert a bundle of the old layout (one real directory per table); the caller holds the lock.

    The parts are hard-linked into a new complete version that becomes `current`, then each
    directory is exchanged with its symlink in one renameat2: readers see the same rows
    throughout. The version records no layout (its parts are as they were): the next
    `upgrade_layout` rewrites it. Safe to run again after a crash at any step. True if
    there was work to do.
    """
    legacy = legacy_tables(root, bundle_id, tables)
    if not legacy:
        return False
    folder = bundle_dir(root, bundle_id)
    for link in (CURRENT, PREVIOUS):
        if (folder / link).exists() and not (folder / link).is_symlink():
            remove(folder / link)  # a copy of the tree made with links followed (cp -r, shutil.copytree)
    current = _complete_current(folder)

    def source(table: str) -> Path | None:
        return link_path(root, table, bundle_id) if table in legacy else (folder / current / table if current else None)

    def hard_link(src: Path | None, dst: Path, table: str) -> None:
        for part in sorted(src.iterdir()) if src is not None and src.is_dir() else []:
            if part.is_file():
                link_or_copy(part, dst / part.name)

    _publish_version_from(root, bundle_id, tables, "migrated", source, hard_link, None)
    for table in legacy:
        _directory_to_symlink(root, bundle_id, table, link_path(root, table, bundle_id), "legacy")
    link_tables(root, bundle_id, tables)
    return True


def old_layout_bundles(root: Path, tables: Sequence[str]) -> list[str]:
    """Bundles with a ROOT/<table>/bundle_id=<id> entry (symlink, or real directory before that)."""
    found = set()
    for table in tables:
        folder = root / table
        if folder.is_dir():
            found.update(p.name[len(OLD_LINK_PREFIX):] for p in folder.iterdir() if p.name.startswith(OLD_LINK_PREFIX))
    return sorted(found)


def old_layout_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> list[str]:
    return [t for t in tables if os.path.lexists(old_link_path(root, t, bundle_id))]


def stale_layout(root: Path, bundle_id: str, tables: Sequence[str], layout: str) -> bool:
    """Whether the bundle's published version records another layout than `layout`, or none.
    A bundle of real directories (legacy_tables) is left to migrate_legacy first."""
    folder = bundle_dir(root, bundle_id)
    current = _complete_current(folder)
    if current is None or legacy_tables(root, bundle_id, tables):
        return False
    return recorded_layout(folder / current) != layout


def bundles_to_upgrade(root: Path, tables: Sequence[str], layout: str) -> list[str]:
    """Bundles upgrade_layout has work for: under the old names, or published in another layout."""
    found = set(old_layout_bundles(root, tables))
    base = root / BUNDLES
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
    old = old_layout_tables(root, bundle_id, tables)
    if not old and not stale_layout(root, bundle_id, tables, layout):
        return False
    folder = bundle_dir(root, bundle_id)
    folder.mkdir(parents=True, exist_ok=True)
    current = _complete_current(folder)

    def source(table: str) -> Path | None:
        if table in old:
            return old_link_path(root, table, bundle_id)
        return folder / current / table if current else None

    def rewrite_parts(src: Path | None, dst: Path, table: str) -> None:
        parts = sorted(src.glob("part-*.parquet")) if src is not None and src.is_dir() else []
        for part in parts:
            rewrite(part, dst / part.name, table)
        if not parts:
            rewrite(None, dst / "part-00000.parquet", table)

    # the rows are still those of the recorded fingerprint, whose pipeline names the older layout
    # (or none): the next run reprocesses the bundle and says why ("changed: pipeline (layout)")
    kept = published_fingerprint(root, bundle_id)
    _publish_version_from(root, bundle_id, tables, "upgraded", source, rewrite_parts, layout, kept)
    for table in old:
        path, new = old_link_path(root, table, bundle_id), link_path(root, table, bundle_id)
        if not path.is_symlink():  # a real directory: becomes a symlink in one exchange
            _directory_to_symlink(root, bundle_id, table, path, "old")
        if os.path.lexists(new):
            path.unlink()  # the new name is there already (a crash after a rename)
        else:
            os.rename(path, new)
        fsync_path(path.parent)
    link_tables(root, bundle_id, tables)
    return True


def recover(root: Path, tables: Sequence[str]) -> list[str]:
    """At the start of a run: finish or roll back what a dead publish left; return what was done.

    Per bundle (skipped while another process holds its lock): `current` must name a
    complete version (else back to `previous` or the newest complete one, else the
    bundle's links go), every table link must exist, and garbage versions go. A bundle
    still in the old layout is left as it is (consistent) and converted when next published.
    """
    base = root / BUNDLES
    if not base.is_dir():
        return []
    notes = []
    for folder in sorted(base.iterdir()):
        if not folder.is_dir() or folder.is_symlink() or legacy_tables(root, folder.name, tables):
            continue
        if old_layout_tables(root, folder.name, tables):  # upgraded first (upgrade_layout)
            continue
        with bundle_lock(root, folder.name, blocking=False) as locked:
            if locked:
                notes += _recover_bundle(root, folder.name, tables)
    return notes


def _recover_bundle(root: Path, bundle_id: str, tables: Sequence[str]) -> list[str]:
    folder = bundle_dir(root, bundle_id)
    notes = []
    current = version_of(folder, CURRENT)
    if current is None or not is_complete(folder / current):
        versions = sorted(
            (p for p in folder.glob(f"{VERSION_PREFIX}*") if p.is_dir() and is_complete(p)),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        previous = version_of(folder, PREVIOUS)
        candidates = ([folder / previous] if previous and is_complete(folder / previous) else []) + versions
        if candidates:
            _replace_symlink(folder / CURRENT, candidates[0].name, folder)
            fsync_path(folder)
            notes.append(f"bundle {bundle_id}: current version {current} incomplete, back to {candidates[0].name}")
        else:
            unlink_tables(root, bundle_id, tables)
            for link in (CURRENT, PREVIOUS):
                if (folder / link).is_symlink():
                    (folder / link).unlink()
            if current is not None:
                notes.append(f"bundle {bundle_id}: no complete version, unpublished")
    if version_of(folder, CURRENT) is not None:
        link_tables(root, bundle_id, tables)
    notes += [f"bundle {bundle_id}: removed {p.name}" for p in remove_unused(root, bundle_id)]
    return notes
