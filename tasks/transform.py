"""decode → clean → language → sentences → entities for a batch of raw documents.

Returns Arrow tables per output table (entities without `canonical`, which is
bundle-wide and added at load) and the batch's entity surface counts.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from tasks import schemas
from tasks.amounts import extract_amounts
from tasks.clean import clean
from tasks.ingest.decode import decode
from tasks.dedup import signatures
from tasks.language import detect_languages
from tasks.nlp import annotate
from tasks.quotes import extract_quotes
from tasks import rows as rows_of
from tasks.ingest.raw_document import RawDocument

OK = "ok"
EMPTY_AFTER_CLEANING = "empty_after_cleaning"


@dataclass
class TransformedBatch:
    tables: dict[str, pa.Table]  # the staged tables (schemas.STAGED)
    entity_counts: Counter  # (text, label) -> mentions
    status_counts: Counter
    n_words: int
    text_doc_ids: list[str]  # documents with text, in bundle order
    signatures: list  # their MinHash signatures (numpy uint32 arrays)


@dataclass
class _Prepared:
    raw: RawDocument
    status: str
    detail: str = ""
    encoding: str | None = None
    n_chars_raw: int = 0
    title: str | None = None
    cleaned: object = None  # tasks.clean.Cleaned
    lang: tuple = (None, None)  # (code, probability), for documents with text
    ann: object = None  # tasks.nlp.Annotation, for documents with text


def _prepare(raw: RawDocument) -> _Prepared:
    if raw.meta.get("status"):
        return _Prepared(raw, raw.meta["status"], raw.meta.get("status_detail", ""))
    decoded = decode(raw.payload, raw.source_path)
    prepared = _Prepared(raw, decoded.status, decoded.detail, decoded.encoding, len(decoded.text), decoded.title)
    if decoded.status != OK:
        return prepared
    prepared.cleaned = clean(decoded.text)
    if not prepared.cleaned.text.strip():
        prepared.status = EMPTY_AFTER_CLEANING
        prepared.detail = "every line was removed as boilerplate"
    return prepared


def transform_batch(raws: Sequence[RawDocument]) -> TransformedBatch:
    prepared = [_prepare(raw) for raw in raws]
    usable = [p for p in prepared if p.status == OK]
    for p, lang in zip(usable, detect_languages([p.cleaned.text for p in usable])):
        p.lang = lang
    for p, ann in zip(usable, annotate([(p.cleaned.text, p.cleaned.paragraphs, p.lang[0]) for p in usable])):
        p.ann = ann
    rows: dict[str, list[dict]] = {name: [] for name in schemas.STAGED}
    entity_counts: Counter = Counter()
    n_words = 0
    for p in prepared:
        doc_id = p.raw.doc_id
        text = p.cleaned.text if p.status == OK else ""
        ann = p.ann
        removed = p.cleaned.removed if p.cleaned is not None else ()
        sentences = ann.sentences if ann else []
        entities = ann.entities if ann else []
        rows["removed"] += rows_of.removed_rows(doc_id, removed)
        rows["sentences"] += rows_of.sentence_rows(doc_id, text, sentences)
        rows["entities"] += rows_of.entity_rows(doc_id, text, entities)
        entity_counts.update((text[start:end], label) for start, end, label, _ in entities)
        if ann:
            spans = [(s.start, s.end) for s in sentences]
            ents = [(start, end, label) for start, end, label, _ in entities]
            rows["quotes"] += rows_of.quote_rows(doc_id, extract_quotes(text, spans, ents))
            rows["amounts"] += rows_of.amount_rows(doc_id, extract_amounts(text, spans, ents))
        n_words += len(text.split())
        n_headings = sum(s.is_heading for s in sentences)
        counts = {
            "n_sentences": len(sentences) - n_headings,
            "n_headings": n_headings,
            "n_entities": len(entities),
            "n_removed": len(removed),
        }
        rows["documents"].append(rows_of.document_row(p, text, p.lang, ann, counts))
    tables = {name: pa.Table.from_pylist(rows[name], schema=schema) for name, schema in schemas.STAGED.items()}
    status_counts = Counter(p.status for p in prepared)
    text_doc_ids = [p.raw.doc_id for p in usable]
    sigs = signatures([p.cleaned.text for p in usable])
    return TransformedBatch(tables, entity_counts, status_counts, n_words, text_doc_ids, sigs)

