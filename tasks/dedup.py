"""Near-duplicate documents: MinHash over word shingles, LSH for candidate pairs.

Cost stays near-linear in the number of documents: each signature is computed once
(in the transform batches) and LSH banding only compares documents that share a band.
Similarity is the MinHash estimate of the Jaccard index of 5-word shingle sets.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from tasks.normalize import normalize_sentence
from tasks.union_find import DisjointSets

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; signatures are uint32
SHINGLE_WORDS = 5
SHINGLE_CHUNK = 10_000  # shingles hashed at once: bounds the hashing's working memory
_EMPTY = np.iinfo(np.uint32).max
PAIR_THRESHOLD = 0.2  # candidate pairs at or above this are reported in doc_pairs
DUPLICATE_THRESHOLD = 0.35  # pairs at or above this are near-duplicates and share a cluster


@dataclass(frozen=True)
class DocPair:
    doc_a: str  # the earlier document in bundle order
    doc_b: str
    similarity: float

    @property
    def is_near_duplicate(self) -> bool:
        return self.similarity >= DUPLICATE_THRESHOLD


def shingles(text: str) -> list[bytes]:
    words = normalize_sentence(text).split()
    if len(words) <= SHINGLE_WORDS:
        return [" ".join(words).encode("utf-8")] if words else []
    return [" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)]


def signatures(texts: Sequence[str]) -> list[np.ndarray]:
    """MinHash signature (NUM_PERM uint32 values) of each text; deterministic across runs.

    Shingles are hashed SHINGLE_CHUNK at a time (the minimum is the same): hashing all
    of a long text's shingles at once takes NUM_PERM x 8 bytes per shingle (320 MB for
    a 2 MB text).
    """
    template = MinHash(num_perm=NUM_PERM, hashfunc=zlib.crc32, scheme=SCHEME)
    result = []
    for text in texts:
        minhash = template.copy()
        found = shingles(text)
        for start in range(0, len(found), SHINGLE_CHUNK):
            minhash.update_batch(found[start : start + SHINGLE_CHUNK])
        result.append(minhash.hashvalues.astype(np.uint32))
    return result


def similar_pairs(doc_ids: Sequence[str], sigs: Sequence[np.ndarray]) -> list[DocPair]:
    """Pairs of documents with estimated similarity ≥ PAIR_THRESHOLD, in bundle order."""
    lsh = MinHashLSH(threshold=PAIR_THRESHOLD, num_perm=NUM_PERM)
    minhashes = [LeanMinHash(seed=1, hashvalues=s, scheme=SCHEME) for s in sigs]
    # a text without words has the empty signature; it resembles nothing
    has_words = [bool((s != _EMPTY).any()) for s in sigs]
    with lsh.insertion_session() as session:
        for index, minhash in enumerate(minhashes):
            if has_words[index]:
                session.insert(index, minhash, check_duplication=False)
    pairs = []
    for i, minhash in enumerate(minhashes):
        if not has_words[i]:
            continue
        for j in sorted(k for k in lsh.query(minhash) if k > i):
            similarity = float(np.mean(sigs[i] == sigs[j]))
            if similarity >= PAIR_THRESHOLD:
                pairs.append(DocPair(doc_ids[i], doc_ids[j], round(similarity, 4)))
    return pairs


def clusters(doc_ids: Sequence[str], pairs: Sequence[DocPair]) -> dict[str, str]:
    """Cluster id of each document: the first document (in bundle order) of its near-duplicate group."""
    order = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    groups = DisjointSets()
    for pair in pairs:
        if pair.is_near_duplicate:
            groups.union(order[pair.doc_a], order[pair.doc_b])
    return {doc_id: doc_ids[groups.find(i)] for i, doc_id in enumerate(doc_ids)}
