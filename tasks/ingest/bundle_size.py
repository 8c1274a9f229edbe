"""How many documents a bundle holds, counted cheaply before a run (for its progress and ETA).

Follows extract's rules (tasks/ingest/extract.py, archives.py) without decoding anything: a
file or archive member is one document, a `.jsonl[.gz]` file or member one per non-blank
line, hidden files, folders and members are skipped. Archives are listed (a zip from its
directory, a tar streamed once); only JSONL and a concatenated text file are read through.
Damaged or refused inputs may make the count differ from the run's by a few documents: it
is an estimate for a progress bar, never a check.
"""
from __future__ import annotations

import gzip
import tarfile
import zipfile
from pathlib import Path
from typing import IO

from tasks.config import DEFAULT
from tasks.ingest import extract
from tasks.ingest.pieces import CHUNK, FORMAT_ERRORS, is_hidden, member_path


def count_documents(path: str | Path) -> int:
    """Documents extract would produce from the bundle at path (estimate; see the module docstring)."""
    path = Path(path)
    if path.is_dir():
        return sum(_file_count(entry) for entry, _ in extract._walk(path, ""))  # extract's own listing
    name = path.name.lower()
    if name.endswith(extract.JSONL_SUFFIXES):
        return _file_count(path)
    if name.endswith(extract.ZIP_SUFFIXES):
        return _zip_count(path)
    if name.endswith(extract.TAR_SUFFIXES):
        return _tar_count(path)
    if name.endswith(extract.UNSUPPORTED_SUFFIXES):
        return 1  # one `unsupported_format` row
    return sum(1 for _ in extract.iter_bundle(path, "count", DEFAULT))  # a concatenated text file: split as the run does


def _jsonl(name: str) -> bool:
    return name.lower().endswith(extract.JSONL_SUFFIXES)


def _file_count(path: Path) -> int:
    if not _jsonl(path.name) or not path.is_file():
        return 1
    try:
        with open(path, "rb") as fh:
            return _lines(gzip.GzipFile(fileobj=fh) if path.name.lower().endswith(".gz") else fh)
    except OSError:
        return 1


def _lines(fh: IO[bytes]) -> int:
    """Non-blank lines of a stream, read in bounded parts (a damaged stream: those before the damage, plus one)."""
    count, blank = 0, True
    try:
        while part := fh.readline(CHUNK):
            blank = blank and not part.strip()
            if part.endswith(b"\n"):
                count += not blank
                blank = True
    except (*FORMAT_ERRORS, EOFError):
        return count + 1
    return count + (not blank)


def _member_count(name: str, open_member) -> int:
    if not _jsonl(name):
        return 1
    try:
        with open_member() as fh:
            return _lines(gzip.GzipFile(fileobj=fh) if name.lower().endswith(".gz") else fh)
    except (*FORMAT_ERRORS, NotImplementedError, RuntimeError, EOFError):
        return 1


def _zip_count(path: Path) -> int:
    try:
        archive = zipfile.ZipFile(path)
    except FORMAT_ERRORS:
        return 1
    with archive:
        total = 0
        for info in archive.infolist():
            name = member_path(info.filename)
            if info.is_dir() or is_hidden(name):
                continue
            encrypted = info.flag_bits & 0x1
            total += 1 if encrypted else _member_count(name, lambda info=info: archive.open(info))
        return total


def _tar_count(path: Path) -> int:
    total = 0
    try:
        with tarfile.open(path, "r|*") as archive:
            for member in archive:
                name = member_path(member.name)
                if member.isdir() or is_hidden(name):
                    continue
                if member.isfile():
                    total += _member_count(name, lambda member=member: archive.extractfile(member))
                else:
                    total += 1
    except (*FORMAT_ERRORS, EOFError):
        total += 1
    return total
