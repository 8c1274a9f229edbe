"""Records passed between pipeline steps, and the stable document id."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def make_doc_id(bundle_id: str, source_path: str) -> str:
    """Stable id of a document: a hash of the bundle id and the path inside the bundle."""
    digest = hashlib.sha256(f"{bundle_id}\x1f{source_path}".encode("utf-8")).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class RawDocument:
    """One document as extract found it, before decoding.

    payload is bytes for files and archive members, str for JSONL `text` values.
    meta holds optional fields given by the bundle (title, url, source, published,
    author, external_id) and, when extract already knows the document is unusable, a
    `status` (e.g. 'invalid_json', 'missing_text') with `status_detail`.
    """

    bundle_id: str
    source_path: str
    ordinal: int
    payload: bytes | str
    meta: dict = field(default_factory=dict)

    @property
    def doc_id(self) -> str:
        return make_doc_id(self.bundle_id, self.source_path)
