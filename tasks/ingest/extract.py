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
becomes exactly one document row per file, member or line — binary files included
(decode decides what is usable), and inputs that must not or cannot be read, with a
status (tasks.ingest.pieces): nothing outside the bundle root is ever read, and sizes
are checked while reading (Config.max_document_bytes, max_line_bytes).
Payloads stay bytes (str for JSONL `text`); nothing is decoded or stripped here.
"""
from __future__ import annotations

import codecs
import errno
import gzip
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from tasks.config import DEFAULT, Config
from tasks.ingest.archives import tar_pieces, zip_pieces
from tasks.ingest.jsonl import jsonl_pieces
from tasks.ingest.pieces import (
    CHUNK,
    SPECIAL_FILE,
    UNREADABLE,
    UNSAFE_PATH,
    UNSUPPORTED_FORMAT,
    Piece,
    error_detail,
    escape_name,
    read_bounded,
    status_piece,
    too_large,
)
from tasks.ingest.raw_document import RawDocument

TAR_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar")
ZIP_SUFFIXES = (".zip",)
JSONL_SUFFIXES = (".jsonl.gz", ".jsonl")
UNSUPPORTED_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".7z", ".rar")  # compressed single files
KNOWN_SUFFIXES = TAR_SUFFIXES + ZIP_SUFFIXES + JSONL_SUFFIXES
SEPARATOR = re.compile(rb"\s*(?:\|{5}|={5,}|-{5,})\s*")
NUL_PROBE = 4096  # bytes looked at to tell a byte-splittable text file from UTF-16/32 or binary
BUNDLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
BUNDLE_ID_RULE = "1-100 characters: letters A-Z a-z, digits, '.', '_', '-', starting with a letter or digit"
OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
FILE_KINDS = {
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
}


class BundleError(ValueError):
    """A bundle path that does not exist or is neither a file nor a directory."""


def check_bundle_id(bundle_id: str) -> str:
    """The id itself, or ValueError: ids become folder names and must stay inside OUT."""
    if not BUNDLE_ID.fullmatch(bundle_id):
        raise ValueError(f"invalid bundle id {bundle_id!r}: use {BUNDLE_ID_RULE}")
    return bundle_id


def bundle_id_for(path: str | Path) -> str:
    """The bundle's file or directory name without its extension(s), made a valid id.

    Accents are dropped and other characters outside the allowed set become '_'
    ('my news.zip' → 'my_news', 'été 2024.zip' → 'ete_2024').
    """
    path = Path(path)
    name = path.name or path.resolve().name
    if not path.is_dir():
        lowered = name.lower()
        suffix = next((s for s in KNOWN_SUFFIXES if lowered.endswith(s) and len(name) > len(s)), None)
        name = name[: -len(suffix)] if suffix else (Path(name).stem or name)
    ascii_name = unicodedata.normalize("NFKD", escape_name(name)).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", ascii_name).lstrip("._-")[:100]
    return cleaned or "bundle"


def check_bundle(path: str | Path) -> None:
    """BundleError unless path is an existing directory or regular file."""
    path = Path(path)
    if not path.exists():
        raise BundleError(f"bundle not found: {path}")
    if not (path.is_dir() or path.is_file()):
        raise BundleError(f"bundle is neither a regular file nor a directory: {path}")


def iter_bundle(path: str | Path, bundle_id: str, config: Config = DEFAULT) -> Iterator[RawDocument]:
    """RawDocuments of the bundle in a deterministic order, ordinals counting from 0.

    The path is checked at once (BundleError); documents are produced lazily.
    """
    check_bundle(path)
    pieces = _pieces(Path(path), config)
    return (
        RawDocument(bundle_id, source_path, ordinal, payload, meta)
        for ordinal, (source_path, payload, meta) in enumerate(pieces)
    )


def _pieces(path: Path, config: Config) -> Iterator[Piece]:
    name = path.name.lower()
    if path.is_dir():
        return _directory(path, config)
    if name.endswith(JSONL_SUFFIXES):
        return _file_pieces(path, escape_name(path.name), config)
    if name.endswith(TAR_SUFFIXES):
        return tar_pieces(path, config)
    if name.endswith(ZIP_SUFFIXES):
        return zip_pieces(path, config)
    if name.endswith(UNSUPPORTED_SUFFIXES):
        detail = "compressed single file: use a directory, .zip, .tar[.gz|.bz2|.xz], .tgz, .jsonl[.gz] or a text file"
        return iter([status_piece(escape_name(path.name), UNSUPPORTED_FORMAT, detail)])
    return _file_pieces(path, escape_name(path.name), config, split=True)


def _directory(root: Path, config: Config) -> Iterator[Piece]:
    real_root = Path(os.path.realpath(root))
    for entry, relative in _walk(root, ""):
        yield from _entry_pieces(entry, relative, real_root, config)


def _walk(folder: Path, prefix: str) -> Iterator[tuple[Path, str]]:
    """(path, path relative to the root) of every non-hidden entry but real folders,
    sorted by name at each level; real folders are walked into. A link to a folder is
    an entry (never walked: inside the root its files are read where they are)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return  # an unreadable folder: its entry was reported by the caller
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path, relative = Path(entry.path), f"{prefix}{entry.name}"
        if entry.is_dir(follow_symlinks=False) and _listable(path):
            yield from _walk(path, f"{relative}/")
        else:
            yield path, relative


def _listable(folder: Path) -> bool:
    return os.access(folder, os.R_OK | os.X_OK)


def _inside(real: Path, real_root: Path) -> bool:
    return real == real_root or real_root in real.parents


def _entry_pieces(path: Path, relative: str, real_root: Path, config: Config) -> Iterator[Piece]:
    """One directory entry: refused when it leads outside the root, else its pieces."""
    name = escape_name(relative)
    real = Path(os.path.realpath(path))
    if not _inside(real, real_root):
        yield status_piece(name, UNSAFE_PATH, "symbolic link leading outside the bundle: not read")
    elif not real.exists():
        yield status_piece(name, UNREADABLE, "broken symbolic link")
    elif real.is_dir() and path.is_symlink():
        where = real.relative_to(real_root).as_posix() or "."
        yield status_piece(name, SPECIAL_FILE, f"symbolic link to the folder {escape_name(where)!r} of the bundle: its files are read there")
    elif real.is_dir():
        yield status_piece(name, UNREADABLE, "folder that cannot be listed")
    else:
        yield from _file_pieces(real, name, config, split=False)


def _open_regular(path: Path) -> tuple[int | None, Piece | None]:
    """(fd, None) for a regular file opened without following a link, else (None, status piece)."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, status_piece("", UNSAFE_PATH, "symbolic link: not followed")
        return None, status_piece("", UNREADABLE, error_detail(exc))
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
        return None, status_piece("", SPECIAL_FILE, f"{kind}: not read")
    os.set_blocking(fd, True)
    return fd, None


def _file_pieces(path: Path, name: str, config: Config, split: bool = False) -> Iterator[Piece]:
    """A regular file: JSONL lines, separated pieces (split) or one bounded document."""
    fd, refused = _open_regular(path)
    if refused:
        yield (name, *refused[1:])
        return
    size = os.fstat(fd).st_size
    with os.fdopen(fd, "rb") as fh:
        try:
            if name.lower().endswith(JSONL_SUFFIXES):
                stream = gzip.GzipFile(fileobj=fh) if name.lower().endswith(".gz") else fh
                yield from jsonl_pieces(stream, name, config.max_line_bytes)
            elif split:
                yield from _separated(fh, name, config.max_document_bytes)
            elif size > config.max_document_bytes:
                yield too_large(name, config.max_document_bytes, "--max-document-bytes", size)
            else:
                data = read_bounded(fh, config.max_document_bytes)
                yield (name, data, {}) if data is not None else too_large(name, config.max_document_bytes, "--max-document-bytes")
        except OSError as exc:  # a read error before anything of the file was yielded
            yield status_piece(name, UNREADABLE, error_detail(exc))


def _separated(fh, name: str, limit: int) -> Iterator[Piece]:
    """Pieces of a possibly concatenated text file, read in bounded lines.

    A file starting with a UTF-16/32 BOM, or holding NUL bytes early on (UTF-16/32
    without BOM, binary), cannot be split byte-wise and is one document.
    """
    head = fh.read(NUL_PROBE)
    fh.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        data = read_bounded(fh, limit)
        yield (name, data, {}) if data is not None else too_large(name, limit, "--max-document-bytes")
    else:
        yield from _split(_bounded_lines(fh), name, limit)


def _bounded_lines(fh) -> Iterator[tuple[bytes, bool]]:
    """(part, whole) for every line, a long line coming in parts of at most CHUNK bytes;
    whole is True when the part is a complete line by itself."""
    fresh = True
    while part := fh.readline(CHUNK):
        ends = part.endswith(b"\n")
        yield part, fresh and ends
        fresh = ends


def _split(lines: Iterable[tuple[bytes, bool]], name: str, limit: int) -> Iterator[Piece]:
    """Split at separators: pieces `name#k` (k from 0), or `name` alone when none is found.

    Separator lines belong to no piece. Pieces holding only whitespace (adjacent
    separators, a separator at the start or end) are skipped: nothing is lost. A piece
    over limit bytes is dropped while being read and becomes a `too_large` piece.
    """
    buffer: list[bytes] = []
    size, overflow, index, split = 0, 0, 0, False

    def finish(path: str) -> Piece | None:
        if overflow:
            return too_large(path, limit, "--max-document-bytes", overflow)
        piece = b"".join(buffer)
        return (path, piece, {}) if (piece.strip() or not split and path == name) else None

    for chunk in _chunks(lines):
        if chunk is not None:
            if overflow:
                overflow += len(chunk)
            elif size + len(chunk) > limit:
                overflow, buffer, size = size + len(chunk), [], 0
            else:
                buffer.append(chunk)
                size += len(chunk)
            continue
        split = True
        found = finish(f"{name}#{index}")
        if found:
            yield found
            index += 1
        buffer, size, overflow = [], 0, 0
    found = finish(name if not split else f"{name}#{index}")
    if found:
        yield found


def _chunks(lines: Iterable[tuple[bytes, bool]]) -> Iterator[bytes | None]:
    """Content bytes of each line, with None for every separator (line or form feed).

    Around a form feed, whitespace-only line parts are dropped with it: a form feed
    on a line of its own is a separator line. Only a whole line can be a separator line.
    """
    for line, whole in lines:
        chunks = line.split(b"\f")
        for i, chunk in enumerate(chunks):
            if i:
                yield None
            if whole and SEPARATOR.fullmatch(chunk):
                yield None
            elif chunk and (len(chunks) == 1 or chunk.strip()):
                yield chunk
