"""JSONL articles: one piece per non-blank line, read with a bound on the line length.

A bad line (not JSON, no `text`, too long) becomes a piece with a status; a stream that
breaks mid-way (truncated gzip) keeps the lines read before and adds one
`corrupt_archive` piece for the damage.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO

from tasks.ingest.pieces import (
    CHUNK,
    CORRUPT_ARCHIVE,
    FORMAT_ERRORS,
    Piece,
    error_detail,
    status_piece,
    too_large,
)

JSONL_META = ("title", "url", "source", "published")
# Author fields feeds use: a name, or a list of names (joined with "; ").
JSONL_AUTHOR = ("author", "authors", "byline")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BYLINE_WORD = re.compile(r"^(?:by|par|von|por)\s+", re.IGNORECASE)  # "By Jane Doe" -> "Jane Doe"


def jsonl_pieces(fh: IO[bytes], name: str, max_line_bytes: int) -> Iterator[Piece]:
    line_no = 0
    try:
        while line := fh.readline(max_line_bytes + 1):
            line_no += 1
            if len(line) > max_line_bytes:
                size = len(line) + (0 if line.endswith(b"\n") else _skip_line(fh))
                yield too_large(f"{name}:{line_no}", max_line_bytes, "--max-line-bytes", size)
            elif line.strip():
                yield (f"{name}:{line_no}", *_record(line))
    except FORMAT_ERRORS as exc:
        yield status_piece(f"{name}:{line_no + 1}", CORRUPT_ARCHIVE, f"stream broken after line {line_no}: {error_detail(exc)}")


def _skip_line(fh: IO[bytes]) -> int:
    """Read through the rest of a line in bounded chunks; the number of bytes skipped."""
    skipped = 0
    while part := fh.readline(CHUNK):
        skipped += len(part)
        if part.endswith(b"\n"):
            break
    return skipped


def _text(value: str) -> str:
    """JSON may encode lone surrogates ("\\ud800"), which no UTF-8 writer accepts: U+FFFD."""
    return value if value.isascii() else LONE_SURROGATE.sub("\ufffd", value)


def _record(line: bytes) -> tuple[str, dict]:
    try:
        record = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return "", {"status": "invalid_json", "status_detail": error_detail(exc)}
    if not isinstance(record, dict):
        return "", {"status": "missing_text", "status_detail": f"not a JSON object: {type(record).__name__}"}
    if not isinstance(record.get("text"), str):
        return "", {"status": "missing_text", "status_detail": "no string 'text' field"}
    meta = {key: _text(str(record[key])) for key in JSONL_META if record.get(key) is not None}
    if record.get("id") is not None:
        meta["external_id"] = _text(str(record["id"]))
    if author := _author(record):
        meta["author"] = author
    return _text(record["text"]), meta


def _author(record: dict) -> str | None:
    """The first author field present: a string, or the non-blank strings of a list."""
    for key in JSONL_AUTHOR:
        value = record.get(key)
        if isinstance(value, list):
            value = "; ".join(str(name).strip() for name in value if isinstance(name, str) and name.strip())
        if isinstance(value, str) and value.strip():
            return _text(BYLINE_WORD.sub("", value.strip()))
    return None
