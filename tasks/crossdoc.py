"""Bundle-wide steps over the staged tables: near-duplicates, sentence links, claims.

Runs once per bundle after every batch is staged: writes doc_pairs and sentence_links,
and adds documents.cluster_id and sentences.claim_id to the staged parts.

Near-linear in the bundle: LSH gives the candidate document pairs (capped inside blocks
of near-identical documents, whose membership the cluster ids carry), sentences are
compared only within those pairs, and the bundle's sentences are held as numpy arrays
(codes of their norm_hash, document, sent_id); texts are kept only for documents that
have a pair, and read into words a few thousand documents at a time.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from tasks import load, schemas
from tasks.alignment import Body, claim_roots, hex_values, link_rows, wording_codes
from tasks.dedup import clusters, similar_pairs


@dataclass
class CrossDocSummary:
    n_pairs: int
    n_near_duplicate_pairs: int
    n_clusters_with_copies: int
    n_links: int


def _read_body(staging: Path, bundle_id: str, paired: set[str]) -> tuple[Body, list[int]]:
    """The bundle's body sentences as a Body, and the number of rows of each staged part
    (for writing claim_id back). Texts are kept only for documents in `paired`."""
    doc_ids: list[str] = []
    docs, sent_ids, hashes, part_rows, texts = [], [], [], [], []
    text_runs: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # document → (chunk, start, end)
    wanted = pa.array(sorted(paired), pa.string())
    for part in load.staged_parts(staging, "sentences", bundle_id):
        data = pq.read_table(part, columns=["doc_id", "sent_id", "text", "norm_hash", "is_heading"])
        part_rows.append(data.num_rows)
        data = data.filter(pc.invert(pc.fill_null(data["is_heading"], False)))
        if not data.num_rows:
            continue
        ids = data["doc_id"].combine_chunks()
        starts = np.flatnonzero(np.r_[True, pc.not_equal(ids[1:], ids[:-1]).to_numpy(zero_copy_only=False)])
        ends = np.r_[starts[1:], data.num_rows]
        run_doc = []
        for doc_id in ids.take(pa.array(starts)).to_pylist():
            if not (doc_ids and doc_ids[-1] == doc_id):  # a document continued from the last part stays one
                doc_ids.append(doc_id)
            run_doc.append(len(doc_ids) - 1)
        docs.append(np.repeat(np.array(run_doc, np.int64), ends - starts))
        sent_ids.append(data["sent_id"].to_numpy())
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

    def text_of(d: int) -> list[str]:
        return [t for chunk, start, end in text_runs[d] for t in texts[chunk][start:end].to_pylist()]

    doc = np.concatenate(docs) if docs else np.empty(0, np.int64)
    sent_id = np.concatenate(sent_ids).astype(np.int64) if sent_ids else np.empty(0, np.int64)
    return Body(doc_ids, doc.astype(np.int64), sent_id, code, text_of), part_rows


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


def cross_document(staging: Path, bundle_id: str, doc_ids: Sequence[str], sigs: Sequence[np.ndarray]) -> CrossDocSummary:
    """doc_ids/sigs: the documents with text, in bundle order, and their MinHash signatures."""
    pairs = similar_pairs(doc_ids, sigs)
    cluster_of = clusters(doc_ids, pairs)

    paired = {p.doc_a for p in pairs} | {p.doc_b for p in pairs}
    body, part_rows = _read_body(staging, bundle_id, paired)
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
        schema=schemas.DOC_PAIRS,
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
        schema=schemas.SENTENCE_LINKS,
    )
    first = load.part_name(0)
    load.write_part(pair_table, load.partition_dir(staging, "doc_pairs", bundle_id) / first)
    load.write_part(link_table, load.partition_dir(staging, "sentence_links", bundle_id) / first)
    load.add_column(staging, bundle_id, "documents", "cluster_id", lambda t: [cluster_of.get(d) for d in t["doc_id"].to_pylist()])

    # claim_id of each staged sentence row, part by part: headings none, body rows in order
    claim_doc = doc_names.take(pa.array(body.doc[roots])) if len(roots) else pa.array([], pa.string())
    claim_sent = body.sent_id[roots]
    next_row = [0]

    def claim_ids(t: pa.Table) -> list:
        heading = pc.fill_null(t["is_heading"], False).to_numpy(zero_copy_only=False)
        start = next_row[0]
        n_body = int((~heading).sum())
        next_row[0] = start + n_body
        docs = claim_doc[start : start + n_body].to_pylist()
        sents = claim_sent[start : start + n_body].tolist()
        body_ids = iter(f"{d}:{s}" for d, s in zip(docs, sents))
        return [None if h else next(body_ids) for h in heading.tolist()]

    load.add_column(staging, bundle_id, "sentences", "claim_id", claim_ids)
    assert next_row[0] == len(roots), "staged sentences changed during cross_document"
    sizes = defaultdict(int)
    for cluster in cluster_of.values():
        sizes[cluster] += 1
    return CrossDocSummary(
        n_pairs=len(pairs),
        n_near_duplicate_pairs=sum(p.is_near_duplicate for p in pairs),
        n_clusters_with_copies=sum(1 for n in sizes.values() if n > 1),
        n_links=len(links.row),
    )
