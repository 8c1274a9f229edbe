"""What extract yields, the statuses it gives to inputs it cannot read, and bounded reading.

A piece is (source_path, payload, meta). An input that cannot or must not be read still
becomes a piece: empty payload, meta {'status': ..., 'status_detail': ...}, so every
file, member and line gets exactly one documents row.
"""
from __future__ import annotations

import gzip
import lzma
import tarfile
import zipfile
import zlib
from typing import IO

Piece = tuple[str, "bytes | str", dict]  # (source_path, payload, meta)

# Statuses given by extract (decode and transform add their own; README lists them all).
UNSAFE_PATH = "unsafe_path"  # a link leaving the bundle, an absolute or '..' member name
SPECIAL_FILE = "special_file"  # FIFO, socket, device; link or device member of an archive
UNREADABLE = "unreadable"  # the operating system refused to read it
ENCRYPTED = "encrypted"  # an encrypted archive member
UNSUPPORTED_COMPRESSION = "unsupported_compression"  # e.g. a deflate64 zip member
UNSUPPORTED_FORMAT = "unsupported_format"  # a compressed single file (.gz, .7z, ...)
CORRUPT_ARCHIVE = "corrupt_archive"  # a corrupt or truncated archive or compressed stream
TOO_LARGE = "too_large"  # over Config.max_document_bytes / max_line_bytes

# What a damaged archive or compressed stream raises while being read.
FORMAT_ERRORS = (
    tarfile.TarError,
    zipfile.BadZipFile,
    gzip.BadGzipFile,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    OSError,
)
CHUNK = 1 << 20  # bytes read at a time when a size limit is checked


def status_piece(source_path: str, status: str, detail: str) -> Piece:
    return source_path, b"", {"status": status, "status_detail": detail}


def too_large(source_path: str, limit: int, option: str, size: int | None = None) -> Piece:
    size_text = f"{size:,} bytes: " if size is not None else ""
    return status_piece(source_path, TOO_LARGE, f"{size_text}over the limit of {limit:,} bytes ({option}); not read")


def error_detail(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def escape_name(name: str) -> str:
    """A file or member name as valid UTF-8 text, losslessly.

    Bytes that are not UTF-8 (surrogate-escaped by Python) become `\\xNN`, other lone
    surrogates `\\uNNNN`, and a backslash is doubled, so the original is recoverable.
    """
    if name.isascii() and "\\" not in name:
        return name
    out = []
    for ch in name:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


def read_bounded(fh: IO[bytes], limit: int) -> bytes | None:
    """All bytes of fh if there are at most limit of them, else None (read no further)."""
    chunks, size = [], 0
    while size <= limit:
        chunk = fh.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    return None


def member_path(name: str) -> str:
    while name.startswith("./"):
        name = name[2:]
    return name


def unsafe_member(name: str) -> str | None:
    """Why an archive member name is unsafe (absolute, drive, '..'), or None."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":" and name[0].isalpha()):
        return "absolute member name"
    if ".." in parts:
        return "member name with '..'"
    return None


def is_hidden(relative: str) -> bool:
    return any(part.startswith(".") and part != "." for part in relative.split("/"))
