"""Normalized forms and hashes used to match text across documents."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")


def normalize_sentence(text: str) -> str:
    """Case-, quote-, dash- and punctuation-insensitive form of a sentence."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def norm_hash(text: str) -> str:
    """16 hex digits identifying the normalized sentence."""
    return hashlib.blake2b(normalize_sentence(text).encode("utf-8"), digest_size=8).hexdigest()


def content_hash(text: str) -> str:
    """SHA-256 of the cleaned text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
