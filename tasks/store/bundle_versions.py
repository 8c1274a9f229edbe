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
that is still under the old names ROOT/<table>/bundle_id=<id> (`old_layout_tables`), or whose
ROOT/<table>/<id> are real directories (`legacy_tables`), is left alone by `recover` and
brought to today's layout by tasks/store/bundle_upgrade.py (at the start of a run:
tasks/store/load.py), so that readers never see parts of two layouts.
"""
from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import uuid
from collections.abc import Iterator, Sequence
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
            raise RuntimeError(f"{path} is a directory of the old layout: convert it first (bundle_upgrade.migrate_legacy)")
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


def complete_current(folder: Path) -> str | None:
    """The name of the bundle's `current` version if it is complete, else None."""
    current = version_of(folder, CURRENT)
    return current if current and is_complete(folder / current) else None


def published_fingerprint(root: Path, bundle_id: str) -> str | None:
    """The FINGERPRINT text of the bundle's published version, or None (none published, or none recorded)."""
    folder = bundle_dir(root, bundle_id)
    name = complete_current(folder)
    if name is None:
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


# bundles of an older layout, which recover leaves alone (converted by tasks/store/bundle_upgrade.py)


def legacy_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> list[str]:
    """Tables whose ROOT/<table>/<id> is a real directory (a copy of OUT that followed links)."""
    return [t for t in tables if link_path(root, t, bundle_id).is_dir() and not link_path(root, t, bundle_id).is_symlink()]


def old_layout_tables(root: Path, bundle_id: str, tables: Sequence[str]) -> list[str]:
    return [t for t in tables if os.path.lexists(old_link_path(root, t, bundle_id))]


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
        if old_layout_tables(root, folder.name, tables):  # upgraded first (bundle_upgrade.upgrade_layout)
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
