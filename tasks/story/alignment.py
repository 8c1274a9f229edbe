"""Sentence alignment across the documents of a bundle, and claims.

* exact links: sentences with the same norm_hash (case, quotes, dashes, hyphens and
  punctuation folded: 'Yoon Suk-yeol' = 'Yoon Suk Yeol') in different documents; each
  copy links to the first occurrence in bundle order (one vectorised pass over the
  wording codes);
* near links: distinct sentence variants whose word sequences match with a difflib
  ratio ≥ NEAR_THRESHOLD (small edits, a changed word), looked for only between two
  documents that LSH found similar (so unrelated articles never link, and nothing is
  indexed bundle-wide): for each such pair, the wordings one document has and the other
  lacks are compared (length and word-set filters first), plus the near variants inside
  either document; each pair of variants gives one link, from the first occurrence (in
  bundle order) of one variant that has an occurrence of the other, earlier, in a
  document paired with its own;
* a claim is a connected group of linked sentences; its id is 'doc_id:sent_id' of its
  first sentence in bundle order. Unlinked sentences are claims of their own.
Headings take no part: they are not claims.

Cost is linear in sentences plus document pairs (LSH caps the pairs inside blocks of
near-identical documents); the state is numpy arrays over sentences, and the words of
at most DOC_CACHE documents at a time.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from tasks.text.normalize import normalize_sentence

NEAR_THRESHOLD = 0.8
MIN_WORDS = 4  # shorter sentences only link exactly
_SET_PREFILTER = 0.5  # word-set Jaccard below this cannot reach NEAR_THRESHOLD in practice
DOC_CACHE = 1024  # documents whose words are kept between document pairs (about 50 KB each)


@dataclass(frozen=True)
class SentenceRef:
    doc_id: str
    sent_id: int
    text: str
    norm_hash: str


@dataclass(frozen=True)
class Link:
    doc_id: str
    sent_id: int
    other_doc_id: str  # the earlier document in bundle order
    other_sent_id: int
    kind: str  # 'exact' or 'near'
    similarity: float


@dataclass
class Alignment:
    links: list[Link]
    claim_of: dict[tuple[str, int], str]


@dataclass
class Body:
    """Body sentences in bundle order (documents, then sent_id), as arrays: row r is
    sentence sent_id[r] of document doc_ids[doc[r]]; code[r] numbers its norm_hash so
    that codes sort as the hashes do; text_of(d) gives document d's sentence texts."""

    doc_ids: list[str]
    doc: np.ndarray  # int64 per row
    sent_id: np.ndarray  # int64 per row
    code: np.ndarray  # int64 per row
    text_of: Callable[[int], Sequence[str]]

    @property
    def starts(self) -> np.ndarray:
        return np.searchsorted(self.doc, np.arange(len(self.doc_ids) + 1))


@dataclass
class Links:
    """Links as arrays of rows (row → other, earlier row), sorted by row, exact first."""

    row: np.ndarray
    other: np.ndarray
    near: np.ndarray  # bool: kind 'near'
    similarity: np.ndarray


def hex_values(array) -> np.ndarray | None:
    """16-hex-digit norm_hashes (a pyarrow string array) as uint64 numbers, without a
    Python string per row; None if some hash has another form."""
    import pyarrow as pa

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pa.string() or array.null_count:
        return None
    if not len(array):
        return np.empty(0, np.uint64)
    offsets = np.frombuffer(array.buffers()[1], np.int32)[array.offset : array.offset + len(array) + 1]
    if not (np.diff(offsets) == 16).all():
        return None
    data = np.frombuffer(array.buffers()[2], np.uint8)[offsets[0] : offsets[-1]].reshape(-1, 16)
    values = np.zeros(len(array), np.uint64)
    for column in range(16):  # a column at a time: working memory of 8 bytes a row
        digits = data[:, column]
        letter = (digits >= ord("a")) & (digits <= ord("f"))
        if not (letter | (digits >= ord("0")) & (digits <= ord("9"))).all():
            return None
        nibble = np.where(letter, digits - (ord("a") - 10), digits - ord("0")).astype(np.uint64)
        values = values << np.uint64(4) | nibble
    return values


def wording_codes(hashes) -> np.ndarray:
    """int64 code of each norm_hash (a sequence of strings, a pyarrow string array, or a
    list of per-part results of hex_values / pyarrow string arrays): equal hashes, equal
    codes; codes sort as the hashes do."""
    import pyarrow as pa

    parts = hashes if isinstance(hashes, list) and hashes and not isinstance(hashes[0], str) else [hashes]
    parts = [p if isinstance(p, np.ndarray) else pa.array(p, pa.string()) if not isinstance(p, (pa.Array, pa.ChunkedArray)) else p for p in parts]
    numbers = [p if isinstance(p, np.ndarray) else hex_values(p) for p in parts]
    if all(n is not None for n in numbers):
        values = np.concatenate(numbers) if numbers else np.empty(0, np.uint64)
    else:  # not all 16 hex digits: compare as strings
        values = np.array(
            [s for p, n in zip(parts, numbers) for s in (p.to_pylist() if n is None else [f"{v:016x}" for v in n.tolist()])],
            dtype=object,
        ).astype(str)
    if not len(values):
        return np.empty(0, np.int64)
    return np.unique(values, return_inverse=True)[1].astype(np.int64).ravel()


def exact_links(body: Body) -> tuple[np.ndarray, np.ndarray]:
    """(rows, their first occurrences) for every sentence whose wording first occurs in
    another document."""
    if not len(body.code):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    _, first_of_code = np.unique(body.code, return_index=True)
    dense = np.searchsorted(np.unique(body.code), body.code)
    head = first_of_code[dense]
    rows = np.flatnonzero(body.doc[head] != body.doc)
    return rows, head[rows]


class _Doc:
    """One document's wordings: first row of each code, words of the long ones, and the
    pairs of near variants inside the document."""

    __slots__ = ("first", "words", "sets", "internal")

    def __init__(self, body: Body, d: int, start: int, end: int) -> None:
        self.first: dict[int, int] = {}
        self.words: dict[int, list[str]] = {}
        self.sets: dict[int, frozenset] = {}
        codes = body.code[start:end].tolist()
        texts = body.text_of(d)
        for offset, (code, text) in enumerate(zip(codes, texts)):
            if code in self.first:
                continue
            self.first[code] = start + offset
            words = normalize_sentence(text).split()
            if len(words) >= MIN_WORDS:
                self.words[code] = words
                self.sets[code] = frozenset(words)
        self.internal = _near(self, list(self.words), self, list(self.words), same=True)


def _pair_key(x: int, y: int) -> int:
    """One int for an unordered pair of wording codes (codes < 2**32)."""
    return (min(x, y) << 32) | max(x, y)


def _key(doc: _Doc, code: int) -> tuple[int, int]:
    return (len(doc.sets[code]), code)


def _near(left: _Doc, left_codes: list[int], right: _Doc, right_codes: list[int], same: bool = False, skip=frozenset()):
    """(left code, right code, (ratio, tie)) for the near variants among the given
    wordings (with same: the pairs inside one list); unordered code pairs in skip are
    not compared. Only wordings of compatible lengths meet (sorted by length)."""
    found = []
    if not left_codes or not right_codes:
        return found
    right_sorted = sorted(right_codes, key=lambda c: (len(right.words[c]), c))
    lengths = [len(right.words[c]) for c in right_sorted]
    rank = {c: i for i, c in enumerate(right_sorted)} if same else None
    for x in left_codes:
        wx, sx = left.words[x], left.sets[x]
        n = len(wx)
        lo = bisect_left(lengths, n * NEAR_THRESHOLD - 1e-6)  # min/max length ratio ≥ NEAR_THRESHOLD (checked below)
        hi = bisect_right(lengths, n / NEAR_THRESHOLD + 1e-6)
        if same:
            lo = max(lo, rank[x] + 1)
        for y in right_sorted[lo:hi]:
            wy, sy = right.words[y], right.sets[y]
            if min(n, len(wy)) / max(n, len(wy)) < NEAR_THRESHOLD:
                continue
            shared = len(sx & sy)
            if shared / (len(sx) + len(sy) - shared) < _SET_PREFILTER:
                continue
            if skip and _pair_key(x, y) in skip:
                continue
            # the order of the original prefix-filtering pass: fewer distinct words first
            # (its output order, kept for links of one sentence: later variant, earlier one)
            if (len(sx), x) < (len(sy), y):
                ratio = SequenceMatcher(None, wx, wy, autojunk=False).ratio()
                tie = (len(sy), y, x)
            else:
                ratio = SequenceMatcher(None, wy, wx, autojunk=False).ratio()
                tie = (len(sx), x, y)
            if ratio >= NEAR_THRESHOLD:
                found.append((x, y, (ratio, tie)))
    return found


def near_links(body: Body, doc_pairs: Iterable[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, other earlier rows, ratios rounded to 4 places, ties (n x 3)), one per pair of
    near variants (see the module docstring), for documents paired by index. Documents are
    visited in bundle order, each with its earlier partners, so the first meeting of two
    variants is the link. Links are kept in flat arrays (about 50 bytes each)."""
    pairs = np.array([(min(a, b), max(a, b)) for a, b in doc_pairs if a != b], dtype=np.int64).reshape(-1, 2)
    rows, others, ratios, ties = array("q"), array("q"), array("d"), array("q")

    def result():
        return (
            np.frombuffer(rows, np.int64).copy() if rows else np.empty(0, np.int64),
            np.frombuffer(others, np.int64).copy() if others else np.empty(0, np.int64),
            np.frombuffer(ratios, np.float64).copy() if ratios else np.empty(0, np.float64),
            np.frombuffer(ties, np.int64).reshape(-1, 3).copy() if ties else np.empty((0, 3), np.int64),
        )

    if not len(pairs):
        return result()
    pairs = np.unique(pairs, axis=0)
    pairs = pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))]  # by later document, then earlier
    starts = body.starts
    cache: OrderedDict[int, _Doc] = OrderedDict()

    def doc(d: int) -> _Doc:
        found = cache.get(d)
        if found is None:
            found = cache[d] = _Doc(body, d, int(starts[d]), int(starts[d + 1]))
            if len(cache) > DOC_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(d)
        return found

    linked: set[int] = set()  # _pair_key of the variant pairs already linked
    bounds = np.flatnonzero(np.r_[True, pairs[1:, 1] != pairs[:-1, 1], True])
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        b = int(pairs[lo, 1])
        later = doc(b)
        candidates = []
        for a in pairs[lo:hi, 0].tolist():
            earlier = doc(a)
            only_b = [c for c in later.words if c not in earlier.first]
            only_a = [c for c in earlier.words if c not in later.first]
            found = {(x, y): r for x, y, r in _near(later, only_b, earlier, only_a, skip=linked)}
            for internal in (earlier.internal, later.internal):
                for x, y, r in internal:
                    for w, o in ((x, y), (y, x)):
                        if w in later.first and o in earlier.first:
                            found.setdefault((w, o), r)
            for (w, o), r in found.items():
                key = _pair_key(w, o)
                if key not in linked:
                    candidates.append((later.first[w], earlier.first[o], key, r))
        candidates.sort(key=lambda c: (c[0], c[1]))
        for row, other, key, (ratio, tie) in candidates:
            if key not in linked:
                linked.add(key)
                rows.append(row)
                others.append(other)
                ratios.append(round(ratio, 4))
                ties.extend(tie)
    return result()


def link_rows(body: Body, doc_pairs: Iterable[tuple[int, int]]) -> Links:
    rows, heads = exact_links(body)
    near_row, near_other, near_ratio, near_ties = near_links(body, doc_pairs)
    row = np.r_[rows, near_row].astype(np.int64)
    other = np.r_[heads, near_other].astype(np.int64)
    is_near = np.r_[np.zeros(len(rows), bool), np.ones(len(near_row), bool)]
    similarity = np.r_[np.ones(len(rows)), near_ratio]
    ties = [np.r_[np.zeros(len(rows), np.int64), near_ties[:, k]] for k in range(3)]
    order = np.lexsort((ties[2], ties[1], ties[0], is_near, row))
    return Links(row[order], other[order], is_near[order], similarity[order])


def claim_roots(n_rows: int, links: Links) -> np.ndarray:
    """For each row, the first row (in bundle order) of its connected group of links."""
    parent = np.arange(n_rows, dtype=np.int64)
    exact = ~links.near
    parent[links.row[exact]] = links.other[exact]  # first occurrences are their own roots

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for a, b in zip(links.row[links.near].tolist(), links.other[links.near].tolist()):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    while True:
        jumped = parent[parent]
        if (jumped == parent).all():
            return parent
        parent = jumped


def align(sentences: Sequence[SentenceRef], doc_pairs: Iterable[tuple[str, str]]) -> Alignment:
    """Links and claims for body sentences given in bundle order (documents, then sent_id)."""
    doc_ids: list[str] = []
    doc = []
    for s in sentences:
        if not doc_ids or doc_ids[-1] != s.doc_id:
            doc_ids.append(s.doc_id)
        doc.append(len(doc_ids) - 1)
    texts = [s.text for s in sentences]
    body = Body(
        doc_ids,
        np.array(doc, np.int64),
        np.array([s.sent_id for s in sentences], np.int64),
        wording_codes([s.norm_hash for s in sentences]),
        lambda d: texts[starts[d] : starts[d + 1]],
    )
    starts = body.starts
    index = {d: i for i, d in enumerate(doc_ids)}
    pairs = [(index[a], index[b]) for a, b in doc_pairs if a in index and b in index]
    links = link_rows(body, pairs)
    keys = [(s.doc_id, s.sent_id) for s in sentences]
    result = [
        Link(*keys[r], *keys[o], "near" if n else "exact", float(sim))
        for r, o, n, sim in zip(links.row.tolist(), links.other.tolist(), links.near.tolist(), links.similarity.tolist())
    ]
    roots = claim_roots(len(keys), links)
    claim_of = {key: "{}:{}".format(*keys[root]) for key, root in zip(keys, roots.tolist())}
    return Alignment(result, claim_of)
