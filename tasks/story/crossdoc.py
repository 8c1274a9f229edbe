"""Bundle-wide cross-document work: near-duplicates, sentence links, claims. Pure: no file I/O.

`cross_document` takes the bundle's staged sentences as Arrow tables (in bundle order,
from any source: the caller reads them) and the documents' MinHash signatures, and
returns doc_pairs and sentence_links as Arrow tables plus what completes the staged
tables: documents.cluster_id and sentences.claim_id (`CrossDoc.columns`, computed for
each staged part while the final tables are written, tasks/store/load.py).

Near-linear in the bundle: LSH gives the candidate document pairs (capped inside blocks
of near-identical documents, whose membership the cluster ids carry), sentences are
compared only within those pairs, and the bundle's sentences are held as numpy arrays
(codes of their norm_hash, document, sent_id); texts are kept only for documents that
have a pair.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tasks.story.alignment import Body, claim_roots, hex_values, link_rows, wording_codes
from tasks.story.crossdoc_tables import DOC_PAIRS, SENTENCE_LINKS
from tasks.story.dedup import clusters, similar_pairs


@dataclass
class CrossDocSummary:
    n_pairs: int
    n_near_duplicate_pairs: int
    n_clusters_with_copies: int
    n_links: int


SENTENCE_COLUMNS = ["doc_id", "sent_id", "text", "norm_hash", "is_heading"]
# A sentence with fewer words than this (runs of letters: '12,000 - 3', ')', '"[', 'Anti',
# 'No' have 0 or 1) is never linked across documents: it is a claim of its own.
MIN_CLAIM_WORDS = 3


def _body(sentence_parts: Iterable[pa.Table], paired: set[str]) -> Body:
    """The bundle's body sentences (headings left out) as a Body. Texts are kept only for
    documents in `paired`. A document continued from one part to the next stays one."""
    doc_ids: list[str] = []
    docs, sent_ids, hashes, texts, trivial = [], [], [], [], []
    text_runs: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # document → (chunk, start, end)
    wanted = pa.array(sorted(paired), pa.string())
    for data in sentence_parts:
        data = data.select(SENTENCE_COLUMNS)
        data = data.filter(pc.invert(pc.fill_null(data["is_heading"], False)))
        if not data.num_rows:
            continue
        ids = data["doc_id"].combine_chunks()
        starts = np.flatnonzero(np.r_[True, pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)])
        ends = np.r_[starts[1:], data.num_rows]
        run_doc = []
        for doc_id in ids.take(pa.array(starts)).to_pylist():
            if not (doc_ids and doc_ids[-1] == doc_id):
                doc_ids.append(doc_id)
            run_doc.append(len(doc_ids) - 1)
        docs.append(np.repeat(np.array(run_doc, np.int64), ends - starts))
        sent_ids.append(data["sent_id"].to_numpy())
        words = pc.count_substring_regex(data["text"], r"\pL+")
        trivial.append(pc.less(pc.fill_null(words, 0), MIN_CLAIM_WORDS).to_numpy(zero_copy_only=False))
        strings = data["norm_hash"].combine_chunks()
        numbers = hex_values(strings)  # 8 bytes a row instead of a string
        hashes.append(strings if numbers is None else numbers)
        mask = pc.is_in(ids, wanted)
        if len(wanted) and pc.any(mask).as_py():  # only the texts of paired documents are kept
            texts.append(data["text"].filter(mask).combine_chunks())
            keep = pc.is_in(ids.take(pa.array(starts)), wanted).to_numpy(zero_copy_only=False)
            lengths = (ends - starts)[keep]
            offsets = np.r_[0, np.cumsum(lengths)]
            for d, start, end in zip(np.array(run_doc)[keep].tolist(), offsets[:-1].tolist(), offsets[1:].tolist()):
                text_runs[d].append((len(texts) - 1, start, end))
    code = wording_codes(hashes)
    if trivial:  # a code of its own: no exact link; near links need MIN_WORDS anyway
        rows = np.flatnonzero(np.concatenate(trivial))
        code[rows] = code.max(initial=-1) + 1 + np.arange(len(rows))

    def text_of(d: int) -> list[str]:
        return [t for chunk, start, end in text_runs[d] for t in texts[chunk][start:end].to_pylist()]

    doc = np.concatenate(docs) if docs else np.empty(0, np.int64)
    sent_id = np.concatenate(sent_ids).astype(np.int64) if sent_ids else np.empty(0, np.int64)
    return Body(doc_ids, doc.astype(np.int64), sent_id, code, text_of)


def _shared_claims(body: Body, roots: np.ndarray, pairs: list[tuple[int, int]]) -> list[int]:
    """For each document pair, the number of claims both documents carry."""
    linked = np.flatnonzero(roots != np.arange(len(roots)))
    rows = np.unique(np.r_[linked, roots[linked]])
    keys = np.unique(body.doc[rows] << 32 | roots[rows])  # (document, claim), sorted by document
    doc_of_key = keys >> 32
    counts = []
    for a, b in pairs:
        if a < 0 or b < 0:
            counts.append(0)
            continue
        ka = keys[np.searchsorted(doc_of_key, a) : np.searchsorted(doc_of_key, a, side="right")] & 0xFFFFFFFF
        kb = keys[np.searchsorted(doc_of_key, b) : np.searchsorted(doc_of_key, b, side="right")] & 0xFFFFFFFF
        counts.append(len(np.intersect1d(ka, kb, assume_unique=True)) if len(ka) and len(kb) else 0)
    return counts


@dataclass
class CrossDoc:
    """What the cross-document step found: two whole tables and two columns to add."""

    doc_pairs: pa.Table
    sentence_links: pa.Table
    cluster_of: dict[str, str]  # doc_id → cluster_id, for documents with text
    claim_doc: pa.Array  # for each body sentence in bundle order: the document of its claim's first sentence
    claim_sent: np.ndarray  # and that sentence's sent_id
    summary: CrossDocSummary

    def tables(self) -> dict[str, pa.Table]:
        return {"doc_pairs": self.doc_pairs, "sentence_links": self.sentence_links}

    def columns(self) -> dict[str, tuple[str, Callable[[pa.Table], list]]]:
        """(column, values for a staged part) per table. The sentences' values follow the
        staged parts in bundle order: call again for another pass over the parts."""
        next_row = [0]

        def claim_ids(t: pa.Table) -> list:
            heading = pc.fill_null(t["is_heading"], False).to_numpy(zero_copy_only=False)
            start = next_row[0]
            n_body = int((~heading).sum())
            next_row[0] = start + n_body
            if next_row[0] > len(self.claim_sent):
                raise ValueError("the staged sentences are not the ones cross_document saw")
            docs = self.claim_doc[start : start + n_body].to_pylist()
            sents = self.claim_sent[start : start + n_body].tolist()
            body_ids = iter(f"{d}:{s}" for d, s in zip(docs, sents))
            return [None if h else next(body_ids) for h in heading.tolist()]

        return {
            "documents": ("cluster_id", lambda t: [self.cluster_of.get(d) for d in t["doc_id"].to_pylist()]),
            "sentences": ("claim_id", claim_ids),
        }


def cross_document(sentence_parts: Iterable[pa.Table], doc_ids: Sequence[str], sigs: Sequence[np.ndarray]) -> CrossDoc:
    """sentence_parts: the bundle's staged sentences (columns SENTENCE_COLUMNS at least), part
    by part in bundle order; doc_ids/sigs: the documents with text, in bundle order, and their
    MinHash signatures."""
    pairs = similar_pairs(doc_ids, sigs)
    cluster_of = clusters(doc_ids, pairs)

    paired = {p.doc_a for p in pairs} | {p.doc_b for p in pairs}
    body = _body(sentence_parts, paired)
    index = {d: i for i, d in enumerate(body.doc_ids)}
    doc_pairs = [(index.get(p.doc_a, -1), index.get(p.doc_b, -1)) for p in pairs]
    links = link_rows(body, [(a, b) for a, b in doc_pairs if a >= 0 and b >= 0])
    roots = claim_roots(len(body.code), links)
    shared = _shared_claims(body, roots, doc_pairs)

    pair_table = pa.table(
        {
            "doc_id_a": pa.array([p.doc_a for p in pairs], pa.string()),
            "doc_id_b": pa.array([p.doc_b for p in pairs], pa.string()),
            "similarity": pa.array([p.similarity for p in pairs], pa.float64()),
            "is_near_duplicate": pa.array([p.is_near_duplicate for p in pairs], pa.bool_()),
            "n_shared_sentences": pa.array(shared, pa.int64()),
        },
        schema=DOC_PAIRS,
    )
    doc_names = pa.array(body.doc_ids, pa.string())
    link_table = pa.table(
        {
            "doc_id": doc_names.take(pa.array(body.doc[links.row])),
            "sent_id": pa.array(body.sent_id[links.row]),
            "other_doc_id": doc_names.take(pa.array(body.doc[links.other])),
            "other_sent_id": pa.array(body.sent_id[links.other]),
            "kind": pa.array(np.where(links.near, "near", "exact").tolist() if len(links.row) else [], pa.string()),
            "similarity": pa.array(links.similarity, pa.float64()),
        },
        schema=SENTENCE_LINKS,
    )
    claim_doc = doc_names.take(pa.array(body.doc[roots])) if len(roots) else pa.array([], pa.string())
    sizes: dict[str, int] = defaultdict(int)
    for cluster in cluster_of.values():
        sizes[cluster] += 1
    summary = CrossDocSummary(
        n_pairs=len(pairs),
        n_near_duplicate_pairs=sum(p.is_near_duplicate for p in pairs),
        n_clusters_with_copies=sum(1 for n in sizes.values() if n > 1),
        n_links=len(links.row),
    )
    return CrossDoc(pair_table, link_table, cluster_of, claim_doc, body.sent_id[roots], summary)
