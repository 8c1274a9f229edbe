"""Near-duplicate documents: MinHash over word shingles, LSH for candidate pairs.

Cost stays near-linear in the number of documents: each signature is computed once
(in the transform batches) and LSH banding only compares documents that share a band;
inside a block of near-identical documents (an LSH bucket of more than CLUSTER_PAIR_CAP
members: templates, mass syndication) each document is compared with at most
CLUSTER_PAIR_CAP earlier members, so the block gives a linear number of pairs and its
membership is carried by the cluster ids.
Similarity is the MinHash estimate of the Jaccard index of 5-word shingle sets.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from tasks.story.union_find import DisjointSets
from tasks.text.normalize import normalize_sentence

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2's default; signatures are uint32
SHINGLE_WORDS = 5
SHINGLE_CHUNK = 10_000  # shingles hashed at once: bounds the hashing's working memory
_EMPTY = np.iinfo(np.uint32).max
PAIR_THRESHOLD = 0.2  # candidate pairs at or above this are reported in doc_pairs
DUPLICATE_THRESHOLD = 0.35  # pairs at or above this are near-duplicates and share a cluster
CLUSTER_PAIR_CAP = 32  # in a bigger LSH bucket each document pairs with this many earlier members only


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


def _band_params() -> tuple[int, int]:
    """datasketch's banding for PAIR_THRESHOLD: b bands of r values (28 x 2 for 0.2)."""
    lsh = MinHashLSH(threshold=PAIR_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def _keep_first(a: np.ndarray, b: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs (a, b) with, for each b, only its cap smallest a."""
    key = np.unique(b.astype(np.int64) << 32 | a.astype(np.int64))
    a, b = (key & 0xFFFFFFFF).astype(np.int64), key >> 32
    start = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
    rank = np.arange(len(b)) - np.repeat(start, np.diff(np.r_[start, len(b)]))
    keep = rank < cap
    return a[keep], b[keep]


def candidate_pairs(sigs: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j, sorted) of documents sharing an LSH band: the candidates
    datasketch's MinHashLSH finds at PAIR_THRESHOLD, except inside a band bucket of more
    than CLUSTER_PAIR_CAP documents (a block of near-identical documents: templates,
    mass syndication), where each document is paired with at most CLUSTER_PAIR_CAP
    earlier members of such buckets (the first ones in bundle order), so 10,000
    copies give 10,000 x CLUSTER_PAIR_CAP candidates, not 50 million."""
    if not len(sigs):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    matrix = np.asarray(np.stack(sigs), dtype=np.uint32)
    # a text without words has the empty signature; it resembles nothing
    has_words = np.flatnonzero((matrix != _EMPTY).any(axis=1))
    bands, rows = _band_params()
    small_a, small_b = [], []
    big_a, big_b = np.empty(0, np.int64), np.empty(0, np.int64)
    for band in range(bands):
        values = np.ascontiguousarray(matrix[has_words, band * rows : (band + 1) * rows])
        keys = values.view(np.dtype((np.void, values.dtype.itemsize * rows))).ravel()
        _, bucket, counts = np.unique(keys, return_inverse=True, return_counts=True)
        order = np.argsort(bucket, kind="stable")  # members of a bucket in bundle order
        bounds = np.r_[0, np.cumsum(counts)]
        for number in np.flatnonzero(counts > 1):
            members = has_words[order[bounds[number] : bounds[number + 1]]]
            if len(members) <= CLUSTER_PAIR_CAP:
                i, j = np.triu_indices(len(members), 1)
                small_a.append(members[i])
                small_b.append(members[j])
            else:
                firsts = members[:CLUSTER_PAIR_CAP]
                i, j = np.triu_indices(CLUSTER_PAIR_CAP, 1)
                rest = members[CLUSTER_PAIR_CAP:]
                new_a = np.r_[firsts[i], np.tile(firsts, len(rest))]
                new_b = np.r_[firsts[j], np.repeat(rest, CLUSTER_PAIR_CAP)]
                big_a, big_b = _keep_first(np.r_[big_a, new_a], np.r_[big_b, new_b], CLUSTER_PAIR_CAP)
    a = np.concatenate(small_a + [big_a]).astype(np.int64)
    b = np.concatenate(small_b + [big_b]).astype(np.int64)
    key = np.unique(a << 32 | b)
    return key >> 32, key & 0xFFFFFFFF


def similar_pairs(doc_ids: Sequence[str], sigs: Sequence[np.ndarray]) -> list[DocPair]:
    """Pairs of documents with estimated similarity ≥ PAIR_THRESHOLD, in bundle order
    (among the LSH candidates: see candidate_pairs for the cap inside big blocks)."""
    a, b = candidate_pairs(sigs)
    pairs = []
    if not len(a):
        return pairs
    matrix = np.asarray(np.stack(sigs), dtype=np.uint32)
    for start in range(0, len(a), 100_000):
        i, j = a[start : start + 100_000], b[start : start + 100_000]
        equal = (matrix[i] == matrix[j]).sum(axis=1)
        for x, y, n in zip(i.tolist(), j.tolist(), equal.tolist()):
            similarity = n / NUM_PERM
            if similarity >= PAIR_THRESHOLD:
                pairs.append(DocPair(doc_ids[x], doc_ids[y], round(similarity, 4)))
    return pairs


def clusters(doc_ids: Sequence[str], pairs: Sequence[DocPair]) -> dict[str, str]:
    """Cluster id of each document: the first document (in bundle order) of its near-duplicate group."""
    order = {doc_id: i for i, doc_id in enumerate(doc_ids)}
    groups = DisjointSets()
    for pair in pairs:
        if pair.is_near_duplicate:
            groups.union(order[pair.doc_a], order[pair.doc_b])
    return {doc_id: doc_ids[groups.find(i)] for i, doc_id in enumerate(doc_ids)}
