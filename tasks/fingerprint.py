"""A bundle's fingerprint: what it holds and what pipeline would process it (pure: no I/O, no Prefect).

fingerprint = hash(content digest, pipeline version). The content digest is built by
`ContentDigest` from every file of the bundle (relative name, kind, size, bytes), fed to it
as a stream by tasks/ingest/bundle_content.py; the pipeline version is the package
version, the spaCy model packages, a hash of the run's Config, the stored tables' layout
and a digest of newsetl's own .py and .sql files (`pipeline_version`; the files are read
by tasks/package_source.py), so a newer newsetl reprocesses an unchanged bundle once. A
run publishes a bundle with its fingerprint (tasks/store/bundle_versions.py) and skips the
bundle next time when both are equal (`decide`).

Inbox selection (`inbox_entries`) is pure too: the caller lists DIR's children with
their newest modification time; entries touched in the last few seconds are left for
the next run (still being written).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Config fields that cannot change a bundle's rows, left out of the pipeline version so that
# changing them does not reprocess every bundle: memory of the reports (reports are rebuilt
# on every run), the size of the parse cache (it only avoids parsing a paragraph twice: same
# output), and how long an inbox entry must be left alone before it is read.
RUN_ONLY_SETTINGS = frozenset({"report_memory_mb", "nlp_cache_chars", "inbox_settle_seconds"})
_SEP = b"\x00"


def _digest(payload: object) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


PIPELINE_PARTS = ("newsetl", "models", "config", "layout", "code")


def pipeline_version(
    settings: Mapping[str, object], package_version: str, models: Mapping[str, str], layout: str, code: str
) -> dict:
    """What decides how a bundle is processed: newsetl's version, the model packages'
    versions (name → version), a hash of the settings that can change rows, the stored
    tables' layout (`layout_version`) and newsetl's own source and SQL (`source_digest`):
    the package version alone stays the same across most code changes."""
    kept = {k: v for k, v in settings.items() if k not in RUN_ONLY_SETTINGS}
    return {
        "newsetl": package_version,
        "models": dict(sorted(models.items())),
        "config": _digest(kept)[:16],
        "layout": layout,
        "code": code,
    }


def layout_version(tables: Mapping[str, Iterable]) -> str:
    """The stored tables' layout as a short digest: every table's name and its columns' names
    and types, in order (table name → pyarrow schema; descriptions do not count). Recorded in
    each published version (tasks/store/bundle_versions.py), so a bundle of another layout is upgraded."""
    return _digest({name: [[f.name, str(f.type)] for f in schema] for name, schema in tables.items()})[:16]


def source_digest(files: Iterable[tuple[str, bytes]]) -> str:
    """A short digest of (relative path, bytes) pairs, in path order (the package's .py and .sql files)."""
    digest = hashlib.sha256()
    for path, data in sorted(files):
        encoded = path.encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s%s%d%s" % (len(encoded), encoded, _SEP, len(data), _SEP))
        digest.update(data)
    return digest.hexdigest()[:16]


class ContentDigest:
    """SHA-256 over a bundle's entries, each as (relative name, kind, size, bytes).

    Feed entries in a fixed order (sorted names): `add(name, kind, size, chunks)`; the name
    and size are framed so that no two different bundles can feed the same byte stream.
    `kind` is 'file', 'symlink' (chunks: the link text) or another file type (no chunks).
    """

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.n_entries = 0
        self.n_bytes = 0

    def add(self, name: str, kind: str, size: int, chunks: Iterable[bytes] = ()) -> None:
        encoded = name.encode("utf-8", "surrogateescape")
        self._hash.update(b"%d:%s%s%s%s%d%s" % (len(encoded), encoded, _SEP, kind.encode(), _SEP, size, _SEP))
        seen = 0
        for chunk in chunks:
            self._hash.update(chunk)
            seen += len(chunk)
        if seen != size and kind in ("file", "symlink"):
            raise ChangedWhileReading(f"{name}: {size} bytes when listed, {seen} read (the bundle is being written)")
        self._hash.update(_SEP)
        self.n_entries += 1
        self.n_bytes += seen

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class ChangedWhileReading(RuntimeError):
    """A file's size changed between listing and reading it."""


@dataclass(frozen=True)
class Fingerprint:
    content: str  # ContentDigest.hexdigest()
    pipeline: dict  # pipeline_version(...)

    @property
    def value(self) -> str:
        return _digest({"content": self.content, "pipeline": self.pipeline})

    def to_json(self) -> str:
        return json.dumps({"fingerprint": self.value, "content": self.content, "pipeline": self.pipeline}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Fingerprint | None:
        """The fingerprint recorded as to_json wrote it; None if absent or unreadable (then the bundle is reprocessed)."""
        if not text:
            return None
        try:
            data = json.loads(text)
            found = cls(str(data["content"]), dict(data["pipeline"]))
        except (ValueError, KeyError, TypeError):
            return None
        return found if found.value == data.get("fingerprint") else None


SKIPPED = "skipped (unchanged)"


def decide(published: Fingerprint | None, current: Fingerprint, force: bool = False) -> tuple[bool, str]:
    """(skip?, why): skip only when the published fingerprint equals the current one and not force."""
    if published is None:
        return False, "new: no fingerprint published for this bundle"
    if published.value == current.value:
        return (False, "unchanged, reprocessed (--force)") if force else (True, SKIPPED)
    changed = [part for part in ("content", "pipeline") if getattr(published, part) != getattr(current, part)]
    if "pipeline" in changed:
        detail = [k for k in PIPELINE_PARTS if published.pipeline.get(k) != current.pipeline.get(k)]
        changed[changed.index("pipeline")] = f"pipeline ({', '.join(detail)})"
    return False, f"changed: {' and '.join(changed)}"


@dataclass(frozen=True)
class InboxEntry:
    name: str
    newest_mtime: float  # the latest modification time in the entry (for a folder: of anything in it)


def inbox_entries(entries: Iterable[InboxEntry], now: float, settle_seconds: float) -> tuple[list[str], list[str]]:
    """(ready, settling) entry names, each sorted: hidden names ('.x', e.g. a partial download
    some tools write) are neither; an entry modified less than settle_seconds ago is settling."""
    ready, settling = [], []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        (settling if now - entry.newest_mtime < settle_seconds else ready).append(entry.name)
    return sorted(ready), sorted(settling)
