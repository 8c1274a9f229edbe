"""Read a bundle's files for its fingerprint (tasks/fingerprint.py): names, sizes and bytes, streamed.

Every entry under a bundle folder counts (hidden files too: hashing more than is read only
costs a reprocess, never a wrong skip); symlinks are hashed by their link text and never
followed, other special files by their type. Files are read in CHUNK-byte pieces, so a
bundle of any size is hashed in constant memory.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from tasks.fingerprint import ContentDigest, InboxEntry
from tasks.ingest.extract import OPEN_FLAGS
from tasks.ingest.pieces import CHUNK

_KINDS = {stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket", stat.S_IFCHR: "char-device", stat.S_IFBLK: "block-device"}


def _entries(path: Path) -> Iterator[tuple[str, Path, os.stat_result]]:
    """(name relative to the bundle, path, lstat) of every non-directory entry, in sorted name order."""
    if not path.is_dir():
        yield path.name, path, path.lstat()
        return
    stack = [(path, "")]  # a folder's files come before its subfolders': a fixed order is all the digest needs
    while stack:
        folder, prefix = stack.pop()
        children = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        for entry in children:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
        for entry in sorted(children, key=lambda e: e.name):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISDIR(info.st_mode):
                yield prefix + entry.name, Path(entry.path), info


def _chunks(fd: int) -> Iterator[bytes]:
    try:
        while chunk := os.read(fd, CHUNK):
            yield chunk
    finally:
        os.close(fd)


def content_digest(path: str | Path) -> ContentDigest:
    """The bundle's ContentDigest; raises fingerprint.ChangedWhileReading if a file changes size meanwhile."""
    digest = ContentDigest()
    for name, entry, info in _entries(Path(path)):
        if stat.S_ISLNK(info.st_mode):
            target = os.fsencode(os.readlink(entry))
            digest.add(name, "symlink", len(target), [target])
        elif stat.S_ISREG(info.st_mode):
            try:
                fd = os.open(entry, OPEN_FLAGS)
            except OSError as exc:  # unreadable: the run gives it an `unreadable` row; its state is part of the content
                digest.add(name, f"unreadable:{errno.errorcode.get(exc.errno, exc.errno)}", info.st_size)
            else:
                digest.add(name, "file", info.st_size, _chunks(fd))
        else:
            digest.add(name, _KINDS.get(stat.S_IFMT(info.st_mode), "other"), 0)
    return digest


def stat_signature(path: str | Path) -> tuple:
    """Names, sizes and modification times of the bundle's entries: cheap, to tell whether it
    changed while a run was reading it (the content digest decides whether it changed since)."""
    return tuple((name, info.st_size, info.st_mtime_ns) for name, _, info in _entries(Path(path)))


def newest_mtime(path: str | Path) -> float:
    """The latest modification time of path or anything under it (folders included: a new file changes its folder's)."""
    path = Path(path)
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                try:
                    newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime)
                except FileNotFoundError:  # removed while we look: the next run sees what is left
                    continue
    return newest


def inbox_listing(inbox: str | Path) -> list[InboxEntry]:
    """Every immediate child of the inbox folder with its newest modification time."""
    entries = []
    for child in sorted(Path(inbox).iterdir()):
        try:
            entries.append(InboxEntry(child.name, newest_mtime(child)))
        except FileNotFoundError:
            continue
    return entries
