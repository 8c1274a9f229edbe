"""Sentence alignment across the documents of a bundle, and claims.

* exact links: sentences with the same norm_hash (case, quotes, dashes, hyphens and
  punctuation folded: 'Yoon Suk-yeol' = 'Yoon Suk Yeol') in different documents; each
  copy links to the first occurrence in bundle order;
* near links: distinct sentence variants whose word sequences match with a difflib
  ratio ≥ NEAR_THRESHOLD (small edits, a changed word), found by prefix filtering over
  the whole bundle; each such pair of variants gives one link, between occurrences in
  two documents that LSH found similar (so unrelated articles never link);
* a claim is a connected group of linked sentences; its id is 'doc_id:sent_id' of its
  first sentence in bundle order. Unlinked sentences are claims of their own.
Headings take no part: they are not claims.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from tasks.normalize import normalize_sentence
from tasks.union_find import DisjointSets

NEAR_THRESHOLD = 0.8
MIN_WORDS = 4  # shorter sentences only link exactly
_SET_PREFILTER = 0.5  # word-set Jaccard below this cannot reach NEAR_THRESHOLD in practice


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


def _exact_links(sentences: Sequence[SentenceRef]) -> list[Link]:
    first: dict[str, SentenceRef] = {}
    links = []
    for s in sentences:
        head = first.setdefault(s.norm_hash, s)
        if head.doc_id != s.doc_id:
            links.append(Link(s.doc_id, s.sent_id, head.doc_id, head.sent_id, "exact", 1.0))
    return links


def _near_variant_pairs(words_of: dict[str, list[str]]) -> list[tuple[str, str, float]]:
    """Pairs of distinct sentence variants (norm_hash → words) with a difflib ratio ≥
    NEAR_THRESHOLD. Candidates come from AllPairs prefix filtering on the word sets (rare
    words first): two sets with Jaccard ≥ _SET_PREFILTER share a word of their prefixes,
    so nothing is compared with everything."""
    sets = {h: set(w) for h, w in words_of.items()}
    df = Counter(word for s in sets.values() for word in s)
    index: dict[str, list[str]] = defaultdict(list)
    pairs = []
    for h in sorted(sets, key=lambda k: (len(sets[k]), k)):
        s, words = sets[h], words_of[h]
        ordered = sorted(s, key=lambda word: (df[word], word))
        prefix = ordered[: len(s) - math.ceil(_SET_PREFILTER * len(s)) + 1]
        candidates = {other for word in prefix for other in index[word]}
        for word in prefix:
            index[word].append(h)
        for other in sorted(candidates):
            wo, so = words_of[other], sets[other]
            if min(len(wo), len(words)) / max(len(wo), len(words)) < NEAR_THRESHOLD:
                continue
            if len(s & so) / len(s | so) < _SET_PREFILTER:
                continue
            ratio = SequenceMatcher(None, wo, words, autojunk=False).ratio()
            if ratio >= NEAR_THRESHOLD:
                pairs.append((other, h, ratio))
    return pairs


def _near_links(sentences: Sequence[SentenceRef], doc_pairs: Iterable[tuple[str, str]]) -> list[Link]:
    """One link per pair of near variants: from the first occurrence of one variant that
    has an occurrence of the other, earlier, in a document LSH paired with its own."""
    occurrences: dict[str, list[tuple[int, SentenceRef]]] = defaultdict(list)
    words_of = {}
    for pos, s in enumerate(sentences):
        occurrences[s.norm_hash].append((pos, s))
        if s.norm_hash not in words_of:
            words = normalize_sentence(s.text).split()
            if len(words) >= MIN_WORDS:
                words_of[s.norm_hash] = words
    partners: dict[str, set[str]] = defaultdict(set)
    for a, b in doc_pairs:
        partners[a].add(b)
        partners[b].add(a)
    first_in_doc: dict[str, dict[str, tuple[int, SentenceRef]]] = defaultdict(dict)
    for h, occ in occurrences.items():
        for pos, s in occ:
            first_in_doc[h].setdefault(s.doc_id, (pos, s))
    links = []
    for h1, h2, ratio in _near_variant_pairs(words_of):
        meetings = [
            m
            for m in (
                _first_meeting(occurrences[h1], first_in_doc[h2], partners),
                _first_meeting(occurrences[h2], first_in_doc[h1], partners),
            )
            if m is not None
        ]
        if meetings:
            _, s, other = min(meetings, key=lambda m: m[0])
            links.append(Link(s.doc_id, s.sent_id, other.doc_id, other.sent_id, "near", round(ratio, 4)))
    return links


def _first_meeting(later, earlier_by_doc, partners) -> tuple[int, SentenceRef, SentenceRef] | None:
    """The first occurrence of one wording that has an earlier occurrence of the other in
    a document LSH paired with its own: (its position, it, the earliest such occurrence)."""
    for pos, s in later:
        mine = partners[s.doc_id]
        smaller, larger = (mine, earlier_by_doc.keys()) if len(mine) < len(earlier_by_doc) else (earlier_by_doc.keys(), mine)
        earlier = [earlier_by_doc[d] for d in smaller if d in larger and earlier_by_doc[d][0] < pos]
        if earlier:
            return pos, s, min(earlier, key=lambda e: e[0])[1]
    return None


def align(sentences: Sequence[SentenceRef], doc_pairs: Iterable[tuple[str, str]]) -> Alignment:
    """Links and claims for body sentences given in bundle order (documents, then sent_id)."""
    links = _exact_links(sentences) + _near_links(sentences, doc_pairs)

    keys = [(s.doc_id, s.sent_id) for s in sentences]
    index = {k: i for i, k in enumerate(keys)}
    claims = DisjointSets()
    for link in links:
        claims.union(index[(link.doc_id, link.sent_id)], index[(link.other_doc_id, link.other_sent_id)])
    claim_of = {key: "{}:{}".format(*keys[claims.find(i)]) for i, key in enumerate(keys)}
    links.sort(key=lambda link: (index[(link.doc_id, link.sent_id)], link.kind))
    return Alignment(links, claim_of)
