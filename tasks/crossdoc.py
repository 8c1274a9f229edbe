"""Bundle-wide steps over the staged tables: near-duplicates, sentence links, claims.

Runs once per bundle after every batch is staged: writes doc_pairs and sentence_links,
and adds documents.cluster_id and sentences.claim_id to the staged parts.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from tasks import load, schemas
from tasks.alignment import SentenceRef, align
from tasks.dedup import clusters, similar_pairs


@dataclass
class CrossDocSummary:
    n_pairs: int
    n_near_duplicate_pairs: int
    n_clusters_with_copies: int
    n_links: int


def cross_document(staging: Path, bundle_id: str, doc_ids: Sequence[str], sigs: Sequence[np.ndarray]) -> CrossDocSummary:
    """doc_ids/sigs: the documents with text, in bundle order, and their MinHash signatures."""
    pairs = similar_pairs(doc_ids, sigs)
    cluster_of = clusters(doc_ids, pairs)

    columns = ["doc_id", "sent_id", "text", "norm_hash", "is_heading"]
    rows = load.read_staged(staging, "sentences", bundle_id, columns).to_pylist()
    body = [SentenceRef(r["doc_id"], r["sent_id"], r["text"], r["norm_hash"]) for r in rows if not r["is_heading"]]
    alignment = align(body, [(p.doc_a, p.doc_b) for p in pairs])

    members = defaultdict(set)
    for (doc_id, _), claim in alignment.claim_of.items():
        members[claim].add(doc_id)
    claims_of_doc = defaultdict(set)
    for (doc_id, _), claim in alignment.claim_of.items():
        if len(members[claim]) > 1:
            claims_of_doc[doc_id].add(claim)

    pair_rows = [
        {
            "doc_id_a": p.doc_a,
            "doc_id_b": p.doc_b,
            "similarity": p.similarity,
            "is_near_duplicate": p.is_near_duplicate,
            "n_shared_sentences": len(claims_of_doc[p.doc_a] & claims_of_doc[p.doc_b]),
        }
        for p in pairs
    ]
    link_rows = [
        {
            "doc_id": link.doc_id,
            "sent_id": link.sent_id,
            "other_doc_id": link.other_doc_id,
            "other_sent_id": link.other_sent_id,
            "kind": link.kind,
            "similarity": link.similarity,
        }
        for link in alignment.links
    ]
    first = load.part_name(0)
    load.write_part(pa.Table.from_pylist(pair_rows, schema=schemas.DOC_PAIRS), load.partition_dir(staging, "doc_pairs", bundle_id) / first)
    load.write_part(
        pa.Table.from_pylist(link_rows, schema=schemas.SENTENCE_LINKS),
        load.partition_dir(staging, "sentence_links", bundle_id) / first,
    )
    load.add_column(staging, bundle_id, "documents", "cluster_id", lambda t: [cluster_of.get(d) for d in t["doc_id"].to_pylist()])
    load.add_column(
        staging,
        bundle_id,
        "sentences",
        "claim_id",
        lambda t: [alignment.claim_of.get(k) for k in zip(t["doc_id"].to_pylist(), t["sent_id"].to_pylist())],
    )
    sizes = defaultdict(int)
    for cluster in cluster_of.values():
        sizes[cluster] += 1
    return CrossDocSummary(
        n_pairs=len(pairs),
        n_near_duplicate_pairs=sum(p.is_near_duplicate for p in pairs),
        n_clusters_with_copies=sum(1 for n in sizes.values() if n > 1),
        n_links=len(link_rows),
    )
