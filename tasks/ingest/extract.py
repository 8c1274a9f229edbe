"""Split a bundle into raw documents, streaming: one document in memory at a time.

Bundle forms:

* a directory, walked recursively in sorted name order; every regular file is one
  document, except `.jsonl`/`.jsonl.gz` files, expanded line by line;
* a `.zip` or `.tar` / `.tar.gz` / `.tgz` (also `.tar.bz2`, `.tar.xz`) archive, member
  by member in archive order; `.jsonl[.gz]` members are expanded like files;
* a `.jsonl` / `.jsonl.gz` file: one article per line;
* any other file: a text holding several articles separated by `|||||` lines, form
  feeds, or lines of ≥ 5 '=' or '-' (one document when there is no separator).

Hidden files and folders (a path part starting with '.') are skipped, in directories
and in archives alike (this also drops macOS `._*` / `.DS_Store` junk). Anything else
becomes a document, binary files included: decode decides what is usable.
Payloads stay bytes (str for JSONL `text`); nothing is decoded or stripped here.
"""
from __future__ import annotations

import codecs
import gzip
import json
import lzma
import re
import tarfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from tasks.ingest.raw_document import RawDocument

TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar")
ZIP_SUFFIXES = (".zip",)
JSONL_SUFFIXES = (".jsonl.gz", ".jsonl")
UNSUPPORTED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".7z", ".rar")  # compressed single files
KNOWN_SUFFIXES = TAR_SUFFIXES + ZIP_SUFFIXES + JSONL_SUFFIXES
SEPARATOR = re.compile(rb"\s*(?:\|{5}|={5,}|-{5,})\s*")
JSONL_META = ("title", "url", "source", "published")
NUL_PROBE = 4096  # bytes looked at to tell a byte-splittable text file from UTF-16/32 or binary
FORMAT_ERRORS = (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError)

Piece = tuple[str, "bytes | str", dict]  # (source_path, payload, meta)


class BundleError(ValueError):
    """A bundle path that does not exist or whose form is not supported."""


def bundle_id_for(path: str | Path) -> str:
    """The bundle's file or directory name without its extension(s)."""
    path = Path(path)
    name = path.name or path.resolve().name
    if path.is_dir():
        return name
    lowered = name.lower()
    for suffix in KNOWN_SUFFIXES:
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def iter_bundle(path: str | Path, bundle_id: str) -> Iterator[RawDocument]:
    """RawDocuments of the bundle in a deterministic order, ordinals counting from 0.

    The path is checked at once (BundleError); documents are produced lazily.
    """
    pieces = _pieces(Path(path))
    return (
        RawDocument(bundle_id, source_path, ordinal, payload, meta)
        for ordinal, (source_path, payload, meta) in enumerate(pieces)
    )


def _pieces(path: Path) -> Iterator[Piece]:
    """Pick the reader for the bundle's form; raise BundleError before any reading."""
    if not path.exists():
        raise BundleError(f"bundle not found: {path}")
    name = path.name.lower()
    if path.is_dir():
        return _directory(path)
    if not path.is_file():
        raise BundleError(f"bundle is neither a regular file nor a directory: {path}")
    if name.endswith(JSONL_SUFFIXES):
        return _guarded(path, _jsonl_file(path, path.name))
    if name.endswith(TAR_SUFFIXES):
        if not tarfile.is_tarfile(path):
            raise BundleError(f"not a readable tar archive: {path}")
        return _guarded(path, _tar(path))
    if name.endswith(ZIP_SUFFIXES):
        if not zipfile.is_zipfile(path):
            raise BundleError(f"not a readable zip archive: {path}")
        return _guarded(path, _zip(path))
    if name.endswith(UNSUPPORTED_SUFFIXES):
        raise BundleError(
            f"unsupported compressed bundle {path}: use a directory, .zip, .tar[.gz|.bz2|.xz], "
            ".tgz, .jsonl[.gz], or an uncompressed text file"
        )
    return _separated(path)


def _guarded(path: Path, pieces: Iterator[Piece]) -> Iterator[Piece]:
    """Turn a corrupt archive / compressed stream found mid-way into a BundleError."""
    try:
        yield from pieces
    except FORMAT_ERRORS as exc:
        raise BundleError(f"cannot read bundle {path}: {exc}") from exc


def _is_hidden(relative: str) -> bool:
    return any(part.startswith(".") and part != "." for part in relative.split("/"))


def _directory(root: Path) -> Iterator[Piece]:
    for file in _walk(root, set()):
        relative = file.relative_to(root).as_posix()
        if file.name.lower().endswith(JSONL_SUFFIXES):
            yield from _guarded(file, _jsonl_file(file, relative))
        else:
            yield relative, file.read_bytes(), {}


def _walk(folder: Path, seen: set[Path]) -> Iterator[Path]:
    """Regular files under folder, sorted by name at each level, hidden entries skipped.

    Symlinked folders are followed once (a cycle is not entered twice); sockets,
    FIFOs and devices are skipped since reading them could block.
    """
    seen.add(folder.resolve())
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.resolve() not in seen:
                yield from _walk(entry, seen)
        elif entry.is_file():
            yield entry


def _member_path(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name


def _member_pieces(name: str, fh: IO[bytes]) -> Iterator[Piece]:
    """One archive member: expanded when JSONL, else one document of its bytes."""
    lowered = name.lower()
    if lowered.endswith(".jsonl.gz"):
        yield from _jsonl(gzip.GzipFile(fileobj=fh), name)
    elif lowered.endswith(".jsonl"):
        yield from _jsonl(fh, name)
    else:
        yield name, fh.read(), {}


def _tar(path: Path) -> Iterator[Piece]:
    with tarfile.open(path, "r|*") as archive:  # stream mode: members in archive order
        for member in archive:
            name = _member_path(member.name)
            if member.isfile() and not _is_hidden(name):
                yield from _member_pieces(name, archive.extractfile(member))


def _zip(path: Path) -> Iterator[Piece]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = _member_path(info.filename)
            if info.is_dir() or _is_hidden(name):
                continue
            with archive.open(info) as fh:
                yield from _member_pieces(name, fh)


def _jsonl_file(path: Path, name: str) -> Iterator[Piece]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as fh:
        yield from _jsonl(fh, name)


def _jsonl(lines: Iterable[bytes], name: str) -> Iterator[Piece]:
    """One piece per non-blank line; a bad line becomes a piece with a status, never an error."""
    for line_no, line in enumerate(lines, start=1):
        if line.strip():
            yield (f"{name}:{line_no}", *_jsonl_record(line))


def _jsonl_record(line: bytes) -> tuple[str, dict]:
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError) as exc:
        return "", {"status": "invalid_json", "status_detail": str(exc)}
    if not isinstance(record, dict):
        return "", {"status": "missing_text", "status_detail": f"not a JSON object: {type(record).__name__}"}
    if not isinstance(record.get("text"), str):
        return "", {"status": "missing_text", "status_detail": "no string 'text' field"}
    meta = {key: str(record[key]) for key in JSONL_META if record.get(key) is not None}
    if record.get("id") is not None:
        meta["external_id"] = str(record["id"])
    return record["text"], meta


def _separated(path: Path) -> Iterator[Piece]:
    """Pieces of a possibly concatenated text file, read line by line in binary mode.

    A file starting with a UTF-16/32 BOM, or holding NUL bytes early on (UTF-16/32
    without BOM, binary), cannot be split byte-wise and is one document.
    """
    with path.open("rb") as fh:
        head = fh.read(NUL_PROBE)
        fh.seek(0)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
            yield path.name, fh.read(), {}
        else:
            yield from _split(fh, path.name)


def _split(lines: Iterable[bytes], name: str) -> Iterator[Piece]:
    """Split at separators: pieces `name#k` (k from 0), or `name` alone when none is found.

    Separator lines belong to no piece. Pieces holding only whitespace (adjacent
    separators, a separator at the start or end) are skipped: nothing is lost.
    """
    buffer: list[bytes] = []
    index, split = 0, False
    for chunk in _chunks(lines):
        if chunk is not None:
            buffer.append(chunk)
            continue
        split = True
        piece, buffer = b"".join(buffer), []
        if piece.strip():
            yield f"{name}#{index}", piece, {}
            index += 1
    piece = b"".join(buffer)
    if not split:
        yield name, piece, {}
    elif piece.strip():
        yield f"{name}#{index}", piece, {}


def _chunks(lines: Iterable[bytes]) -> Iterator[bytes | None]:
    """Content bytes of each line, with None for every separator (line or form feed).

    Around a form feed, whitespace-only line parts are dropped with it: a form feed
    on a line of its own is a separator line.
    """
    for line in lines:
        chunks = line.split(b"\f")
        for i, chunk in enumerate(chunks):
            if i:
                yield None
            if SEPARATOR.fullmatch(chunk):
                yield None
            elif chunk and (len(chunks) == 1 or chunk.strip()):
                yield chunk
