"""cross_document over sentence tables given part by part: doc_pairs, sentence_links, cluster and claim ids."""
from __future__ import annotations

from itertools import accumulate

import pyarrow as pa
import pytest

from tasks.store import schemas
from tasks.store import table_rows as rows
from tasks.story.crossdoc import cross_document
from tasks.story.dedup import signatures
from tasks.text.nlp import SentenceSpan

WIRE = [
    "The port authority said on Monday that 4,000 containers were stuck after the strike began.",
    "Shipping lines diverted vessels to other harbours, and exporters warned of heavy losses.",
    "Talks with the employers' federation are due to resume on Thursday, officials said.",
    "The union has called for a doubling of overtime pay and new safety rules at the docks.",
]
COPY = [
    WIRE[0].replace("4,000", "7,500"),
    WIRE[1].replace("harbours", "harbors"),
    "“" + WIRE[2] + "”",
    WIRE[3],
]
OTHER = [
    "A new library opened in the old town hall, with room for 200 readers and a children's wing.",
    "The mayor said the building had been empty for a decade before the city bought it.",
]


class Bundle:
    """Staged-like parts built in memory: documents and sentences, one part per batch."""

    def __init__(self):
        self.documents: list[pa.Table] = []
        self.sentences: list[pa.Table] = []

    def stage(self, docs: dict[str, list[str]], headings=()) -> list[str]:
        doc_rows, sent_rows = [], []
        for doc_id, sentences in docs.items():
            text = " ".join(sentences)
            doc_rows.append({n: None for n in schemas.DOCUMENTS_STAGED.names} | {"doc_id": doc_id, "text": text, "status": "ok"})
            starts = [0, *accumulate(len(s) + 1 for s in sentences[:-1])]
            spans = [SentenceSpan(a, a + len(s), (doc_id, k) in headings) for k, (a, s) in enumerate(zip(starts, sentences))]
            sent_rows += rows.sentence_rows(doc_id, text, spans)
        self.documents.append(pa.Table.from_pylist(doc_rows, schema=schemas.DOCUMENTS_STAGED))
        self.sentences.append(pa.Table.from_pylist(sent_rows, schema=schemas.SENTENCES_STAGED))
        return [" ".join(s) for s in docs.values()]

    def completed(self, cross, table: str) -> list[dict]:
        """The table's rows with the bundle-wide column cross adds, as the final tables get it."""
        column, compute = cross.columns()[table]
        parts = getattr(self, table)
        return [row | {column: value} for t in parts for row, value in zip(t.to_pylist(), compute(t), strict=True)]


def test_copies_cluster_link_and_share_claims_across_batches(tmp_path):
    bundle = Bundle()
    texts = bundle.stage({"wire": WIRE, "other": OTHER}, headings={("other", 1)})
    texts += bundle.stage({"copy": COPY})
    cross = cross_document(iter(bundle.sentences), ["wire", "other", "copy"], signatures(texts))
    summary = cross.summary

    docs = {d["doc_id"]: d for d in bundle.completed(cross, "documents")}
    assert {d: docs[d]["cluster_id"] for d in docs} == {"wire": "wire", "copy": "wire", "other": "other"}
    (pair,) = cross.doc_pairs.to_pylist()
    assert (pair["doc_id_a"], pair["doc_id_b"], pair["is_near_duplicate"]) == ("wire", "copy", True)
    assert pair["n_shared_sentences"] == 4

    links = {(l["sent_id"], l["other_sent_id"], l["kind"]) for l in cross.sentence_links.to_pylist()}
    assert {(2, 2, "exact"), (3, 3, "exact")} <= links  # quote marks do not matter
    assert (1, 1, "near") in links  # harbours / harbors
    assert all(l["doc_id"] == "copy" and l["other_doc_id"] == "wire" for l in cross.sentence_links.to_pylist())

    claims = {(s["doc_id"], s["sent_id"]): s["claim_id"] for s in bundle.completed(cross, "sentences")}
    assert claims[("copy", 3)] == claims[("wire", 3)] == "wire:3"
    assert claims[("other", 0)] == "other:0" and claims[("other", 1)] is None  # a heading is no claim
    assert (summary.n_pairs, summary.n_near_duplicate_pairs, summary.n_clusters_with_copies) == (1, 1, 1)


def test_a_bundle_without_text_still_gets_empty_tables():
    cross = cross_document([], [], [])
    assert cross.summary.n_pairs == cross.summary.n_links == 0
    assert cross.tables() == {"doc_pairs": schemas.DOC_PAIRS.empty_table(), "sentence_links": schemas.SENTENCE_LINKS.empty_table()}


def test_claim_ids_can_be_computed_again_and_refuse_other_sentences():
    bundle = Bundle()
    texts = bundle.stage({"wire": WIRE}) + bundle.stage({"copy": COPY})
    cross = cross_document(iter(bundle.sentences), ["wire", "copy"], signatures(texts))
    assert bundle.completed(cross, "sentences") == bundle.completed(cross, "sentences")  # a retried publish
    _, compute = cross.columns()["sentences"]
    with pytest.raises(ValueError, match="not the ones"):
        for part in bundle.sentences + bundle.sentences:
            compute(part)


def test_a_block_of_copies_stays_one_cluster_with_capped_pairs(monkeypatch):
    from tasks.story import dedup

    monkeypatch.setattr(dedup, "CLUSTER_PAIR_CAP", 3)
    bundle = Bundle()
    docs = {f"t{i}": ["Notice.", *WIRE[:3], f"The reference number of this notice is {1000 + i} for all readers."] for i in range(12)}
    ids = list(docs)
    texts = bundle.stage(dict(list(docs.items())[:5]), headings={(d, 0) for d in docs})
    texts += bundle.stage({"other": OTHER})
    texts += bundle.stage(dict(list(docs.items())[5:]), headings={(d, 0) for d in docs})
    order = ids[:5] + ["other"] + ids[5:]
    cross = cross_document(iter(bundle.sentences), order, signatures(texts))
    summary = cross.summary

    pairs = cross.doc_pairs.to_pylist()
    assert len(pairs) <= 12 * 3 and summary.n_pairs == len(pairs)
    assert [p["n_shared_sentences"] for p in pairs] == [4] * len(pairs)  # the numbered sentences: near links
    clusters = {d["doc_id"]: d["cluster_id"] for d in bundle.completed(cross, "documents")}
    assert {clusters[d] for d in ids} == {"t0"} and clusters["other"] == "other"
    claims = {(s["doc_id"], s["sent_id"]): s["claim_id"] for s in bundle.completed(cross, "sentences")}
    assert all(claims[(d, 0)] is None for d in ids)  # headings
    assert all(claims[(d, k)] == f"t0:{k}" for d in ids for k in (1, 2, 3, 4))  # exact copies: the first occurrence
    assert claims[("other", 1)] == "other:1"
    exact = [l for l in cross.sentence_links.to_pylist() if l["kind"] == "exact"]
    assert len(exact) == 11 * 3 and all(l["other_doc_id"] == "t0" for l in exact)


def test_trivial_sentences_are_never_linked():
    bundle = Bundle()
    trivial = [")", "(...)", "No.", "12,000 - 3.", '"[', "Anti"]
    texts = bundle.stage({"wire": WIRE + trivial}) + bundle.stage({"copy": COPY + trivial})
    cross = cross_document(iter(bundle.sentences), ["wire", "copy"], signatures(texts))
    linked = {(l["doc_id"], l["sent_id"]) for l in cross.sentence_links.to_pylist()}
    assert {("copy", k) for k in range(4)} <= linked
    assert not any(k >= 4 for _, k in linked)
    claims = {(s["doc_id"], s["sent_id"]): s["claim_id"] for s in bundle.completed(cross, "sentences")}
    assert all(claims[("copy", k)] == f"copy:{k}" for k in range(4, 4 + len(trivial)))  # claims of their own
