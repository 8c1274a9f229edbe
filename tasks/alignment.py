"""Sentence alignment across the documents of a bundle, and claims.

* exact links: sentences with the same norm_hash (case, quotes, dashes, hyphens and
  punctuation folded: 'Yoon Suk-yeol' = 'Yoon Suk Yeol') in different documents; each
  copy links to the first occurrence in bundle order;
* near links: within document pairs that LSH found similar, sentences whose word
  sequences match with a difflib ratio ≥ NEAR_THRESHOLD (small edits, a changed word);
* a claim is a connected group of linked sentences; its id is 'doc_id:sent_id' of its
  first sentence in bundle order. Unlinked sentences are claims of their own.
Headings take no part: they are not claims.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from tasks.normalize import normalize_sentence

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


def _near_links(
    by_doc: dict[str, list[SentenceRef]], doc_pairs: Iterable[tuple[str, str]], exact_hashes: set[tuple[str, str]]
) -> list[Link]:
    words = {}
    links = []
    for doc_a, doc_b in doc_pairs:
        for b in by_doc.get(doc_b, ()):
            wb = words.setdefault((b.doc_id, b.sent_id), normalize_sentence(b.text).split())
            if len(wb) < MIN_WORDS:
                continue
            best, best_ratio = None, NEAR_THRESHOLD
            for a in by_doc.get(doc_a, ()):
                if a.norm_hash == b.norm_hash or (doc_b, a.norm_hash) in exact_hashes:
                    continue
                wa = words.setdefault((a.doc_id, a.sent_id), normalize_sentence(a.text).split())
                if len(wa) < MIN_WORDS or min(len(wa), len(wb)) / max(len(wa), len(wb)) < NEAR_THRESHOLD:
                    continue
                sa, sb = set(wa), set(wb)
                if len(sa & sb) / len(sa | sb) < _SET_PREFILTER:
                    continue
                ratio = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
                if ratio >= best_ratio:
                    best, best_ratio = a, ratio
            if best is not None:
                links.append(Link(b.doc_id, b.sent_id, best.doc_id, best.sent_id, "near", round(best_ratio, 4)))
    return links


def align(sentences: Sequence[SentenceRef], doc_pairs: Iterable[tuple[str, str]]) -> Alignment:
    """Links and claims for body sentences given in bundle order (documents, then sent_id)."""
    by_doc: dict[str, list[SentenceRef]] = defaultdict(list)
    for s in sentences:
        by_doc[s.doc_id].append(s)
    exact = _exact_links(sentences)
    present = {(s.doc_id, s.norm_hash) for s in sentences}
    links = exact + _near_links(by_doc, doc_pairs, present)

    keys = [(s.doc_id, s.sent_id) for s in sentences]
    index = {k: i for i, k in enumerate(keys)}
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in links:
        a, b = find(index[(link.doc_id, link.sent_id)]), find(index[(link.other_doc_id, link.other_sent_id)])
        parent[max(a, b)] = min(a, b)
    claim_of = {}
    for i, (doc_id, sent_id) in enumerate(keys):
        root_doc, root_sent = keys[find(i)]
        claim_of[(doc_id, sent_id)] = f"{root_doc}:{root_sent}"
    links.sort(key=lambda link: (index[(link.doc_id, link.sent_id)], link.kind))
    return Alignment(links, claim_of)
