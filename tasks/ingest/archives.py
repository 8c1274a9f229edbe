"""Zip and tar bundles, member by member, never extracted to disk and never read whole.

Every member that is not a folder or hidden becomes exactly one piece: its bytes, or a
status saying why not (unsafe name, link or device, encrypted, unsupported compression,
too large, damaged). A damaged archive keeps the members read before the damage; the
damage itself is one `corrupt_archive` piece (the member being read, or the archive).
"""
from __future__ import annotations

import gzip
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from tasks.config import Config
from tasks.ingest.jsonl import jsonl_pieces
from tasks.ingest.pieces import (
    CORRUPT_ARCHIVE,
    ENCRYPTED,
    FORMAT_ERRORS,
    SPECIAL_FILE,
    UNSAFE_PATH,
    UNSUPPORTED_COMPRESSION,
    Piece,
    error_detail,
    escape_name,
    is_hidden,
    member_path,
    read_bounded,
    status_piece,
    too_large,
    unsafe_member,
)

ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
TAR_KINDS = {
    tarfile.SYMTYPE: "symbolic link",
    tarfile.LNKTYPE: "hard link",
    tarfile.CHRTYPE: "character device",
    tarfile.BLKTYPE: "block device",
    tarfile.FIFOTYPE: "FIFO",
}


def member_pieces(name: str, fh: IO[bytes], config: Config) -> Iterator[Piece]:
    """One member's bytes: expanded line by line when JSONL, else one bounded document."""
    lowered = name.lower()
    if lowered.endswith(".jsonl.gz"):
        yield from jsonl_pieces(gzip.GzipFile(fileobj=fh), name, config.max_line_bytes)
    elif lowered.endswith(".jsonl"):
        yield from jsonl_pieces(fh, name, config.max_line_bytes)
    else:
        data = read_bounded(fh, config.max_document_bytes)
        yield (name, data, {}) if data is not None else too_large(name, config.max_document_bytes, "--max-document-bytes")


def _refused(name: str, raw_name: str) -> Piece | None:
    why = unsafe_member(raw_name)
    return status_piece(name, UNSAFE_PATH, f"{why}: not read") if why else None


def _unique(pieces: Iterator[Piece]) -> Iterator[Piece]:
    """An archive may repeat a member name: the repeats get `~N` so doc ids stay unique."""
    seen: dict[str, int] = {}
    for source_path, payload, meta in pieces:
        n = seen[source_path] = seen.get(source_path, 0) + 1
        yield (source_path if n == 1 else f"{source_path}~{n}"), payload, meta


def zip_pieces(path: Path, config: Config) -> Iterator[Piece]:
    return _unique(_zip_pieces(path, config))


def tar_pieces(path: Path, config: Config) -> Iterator[Piece]:
    return _unique(_tar_pieces(path, config))


def _zip_pieces(path: Path, config: Config) -> Iterator[Piece]:
    try:
        archive = zipfile.ZipFile(path)
    except FORMAT_ERRORS as exc:
        yield status_piece(escape_name(path.name), CORRUPT_ARCHIVE, f"not a readable zip archive: {error_detail(exc)}")
        return
    with archive:
        for info in archive.infolist():
            name = escape_name(member_path(info.filename))
            if info.is_dir() or (is_hidden(name) and not unsafe_member(name)):
                continue
            yield from _zip_member(archive, info, name, config)


def _zip_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, config: Config) -> Iterator[Piece]:
    refused = _refused(name, info.filename)
    if refused:
        yield refused
    elif stat.S_ISLNK(info.external_attr >> 16):
        yield status_piece(name, SPECIAL_FILE, "symbolic link member: not followed")
    elif info.flag_bits & 0x1:
        yield status_piece(name, ENCRYPTED, "encrypted member: no password is tried")
    elif info.compress_type not in ZIP_METHODS:
        yield status_piece(name, UNSUPPORTED_COMPRESSION, f"zip compression method {info.compress_type}")
    else:
        try:
            with archive.open(info) as fh:
                yield from member_pieces(name, fh, config)
        except NotImplementedError as exc:
            yield status_piece(name, UNSUPPORTED_COMPRESSION, error_detail(exc))
        except (*FORMAT_ERRORS, RuntimeError) as exc:
            yield status_piece(name, CORRUPT_ARCHIVE, f"damaged member: {error_detail(exc)}")


def _tar_pieces(path: Path, config: Config) -> Iterator[Piece]:
    """Members in archive order, streamed (`r|*`): the archive is read once, front to back."""
    try:
        archive = tarfile.open(path, "r|*")
    except FORMAT_ERRORS as exc:
        yield status_piece(escape_name(path.name), CORRUPT_ARCHIVE, f"not a readable tar archive: {error_detail(exc)}")
        return
    with archive:
        n_read = 0
        while True:
            try:
                member = archive.next()
            except FORMAT_ERRORS as exc:
                detail = f"archive damaged after {n_read} members: {error_detail(exc)}"
                yield status_piece(escape_name(path.name), CORRUPT_ARCHIVE, detail)
                return
            if member is None:
                return
            n_read += 1
            name = escape_name(member_path(member.name))
            if member.isdir() or (is_hidden(name) and not unsafe_member(name)):
                continue
            damaged = False
            for piece in _tar_member(archive, member, name, config):
                damaged = piece[2].get("status") == CORRUPT_ARCHIVE
                yield piece
            if damaged:
                return  # a stream cannot be read past a damaged member


def _tar_member(archive: tarfile.TarFile, member: tarfile.TarInfo, name: str, config: Config) -> Iterator[Piece]:
    refused = _refused(name, member.name)
    if refused:
        yield refused
    elif member.type in TAR_KINDS:
        target = f" to {escape_name(member.linkname)}" if member.issym() or member.islnk() else ""
        yield status_piece(name, SPECIAL_FILE, f"{TAR_KINDS[member.type]}{target}: not read")
    elif not member.isfile():
        yield status_piece(name, SPECIAL_FILE, f"tar member type {member.type!r}: not read")
    else:
        try:
            yield from member_pieces(name, archive.extractfile(member), config)
        except FORMAT_ERRORS as exc:
            yield status_piece(name, CORRUPT_ARCHIVE, f"archive damaged inside this member: {error_detail(exc)}")
