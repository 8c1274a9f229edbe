"""Split a bundle into raw documents, streaming: one document in memory at a time.

Forms: a directory (recursive; hidden files skipped; .jsonl[.gz] files expanded), a
.zip/.tar/.tar.gz/.tgz archive (member by member; .jsonl members expanded), a
.jsonl/.jsonl.gz file, or any other file: one text holding several articles separated
by `|||||` lines, form feeds, or lines of ≥ 5 '=' or '-' (one document when none).
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tasks.records import RawDocument

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
JSONL_SUFFIXES = (".jsonl.gz", ".jsonl")
STRIP_SUFFIXES = ARCHIVE_SUFFIXES + JSONL_SUFFIXES
SEPARATOR_LINE = re.compile(rb"^[ \t]*(?:\|{5}|={5,}|-{5,})[ \t]*\r?\n?$")
META_FIELDS = ("title", "url", "source", "published")


class BundleError(ValueError):
    """A bundle path that does not exist or whose form is not supported."""


def bundle_id_for(path: str | Path) -> str:
    path = Path(path)
    name = path.name
    if path.is_dir():
        return name
    for suffix in STRIP_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem or name


def iter_bundle(path: str | Path, bundle_id: str) -> Iterator[RawDocument]:
    """RawDocuments of the bundle in a deterministic order, with running ordinals."""
    path = Path(path)
    if not path.exists():
        raise BundleError(f"bundle not found: {path}")
    for ordinal, (source_path, payload, meta) in enumerate(_pieces(path)):
        yield RawDocument(bundle_id, source_path, ordinal, payload, meta)


def _pieces(path: Path) -> Iterator[tuple[str, bytes | str, dict]]:
    name = path.name.lower()
    if path.is_dir():
        yield from _directory(path)
    elif name.endswith(JSONL_SUFFIXES):
        with _open_maybe_gzip(path, name) as fh:
            yield from _jsonl(fh, path.name)
    elif name.endswith((".tar.gz", ".tgz", ".tar")):
        yield from _tar(path)
    elif name.endswith(".zip"):
        yield from _zip(path)
    elif path.is_file():
        with path.open("rb") as fh:
            yield from _separated(fh, path.name)
    else:
        raise BundleError(f"not a file or directory: {path}")


def _open_maybe_gzip(path: Path, name: str) -> IO[bytes]:
    return gzip.open(path, "rb") if name.endswith(".gz") else path.open("rb")


def _directory(root: Path) -> Iterator[tuple[str, bytes | str, dict]]:
    def walk(folder: Path) -> Iterator[Path]:
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from walk(entry)
            elif entry.is_file():
                yield entry

    for file in walk(root):
        rel = file.relative_to(root).as_posix()
        if file.name.lower().endswith(JSONL_SUFFIXES):
            with _open_maybe_gzip(file, file.name.lower()) as fh:
                yield from _jsonl(fh, rel)
        else:
            yield rel, file.read_bytes(), {}


def _tar(path: Path) -> Iterator[tuple[str, bytes | str, dict]]:
    try:
        with tarfile.open(path, "r|*") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                fh = archive.extractfile(member)
                if member.name.lower().endswith(JSONL_SUFFIXES):
                    stream = gzip.GzipFile(fileobj=fh) if member.name.lower().endswith(".gz") else fh
                    yield from _jsonl(stream, member.name)
                else:
                    yield member.name, fh.read(), {}
    except tarfile.TarError as exc:
        raise BundleError(f"cannot read tar archive {path}: {exc}") from exc


def _zip(path: Path) -> Iterator[tuple[str, bytes | str, dict]]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BundleError(f"cannot read zip archive {path}: {exc}") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            with archive.open(info) as fh:
                if info.filename.lower().endswith(JSONL_SUFFIXES):
                    stream = gzip.GzipFile(fileobj=fh) if info.filename.lower().endswith(".gz") else fh
                    yield from _jsonl(stream, info.filename)
                else:
                    yield info.filename, fh.read(), {}


def _jsonl(fh: IO[bytes], name: str) -> Iterator[tuple[str, bytes | str, dict]]:
    for line_no, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        source_path = f"{name}:{line_no}"
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield source_path, "", {"status": "invalid_json", "status_detail": str(exc)}
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield source_path, "", {"status": "missing_text", "status_detail": "no string 'text' field"}
            continue
        meta = {key: str(record[key]) for key in META_FIELDS if record.get(key) is not None}
        if record.get("id") is not None:
            meta["external_id"] = str(record["id"])
        yield source_path, record["text"], meta


def _separated(fh: IO[bytes], name: str) -> Iterator[tuple[str, bytes | str, dict]]:
    """Pieces of a concatenated file, split on separator lines and form feeds, line by line.

    Pieces holding only whitespace (between adjacent separators, or before the first /
    after the last one) are skipped: there is nothing in them to lose.
    """
    head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        yield name, head + fh.read(), {}  # separators cannot be found byte-wise in UTF-16
        return
    stream = io.BufferedReader(_Prefixed(head, fh)) if head else fh
    current: list[bytes] = []
    index = 0
    split = False
    for line in stream:
        for i, part in enumerate(line.split(b"\f")):
            boundary = i > 0 or bool(SEPARATOR_LINE.match(part))
            if boundary:
                split = True
                data, current = b"".join(current), []
                if data.strip():
                    yield f"{name}#{index}", data, {}
                    index += 1
            if not SEPARATOR_LINE.match(part):
                current.append(part)
    data = b"".join(current)
    if not split:
        yield name, data, {}
    elif data.strip():
        yield f"{name}#{index}", data, {}


class _Prefixed(io.RawIOBase):
    """A raw stream that replays bytes already read before the rest of fh."""

    def __init__(self, prefix: bytes, fh: IO[bytes]):
        self._prefix, self._fh = prefix, fh

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n], self._prefix = self._prefix[:n], self._prefix[n:]
            return n
        data = self._fh.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
