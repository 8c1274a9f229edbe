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
from tasks.clean import clean
from tasks.decode import decode
from tasks.language import detect_languages
from tasks.nlp import annotate
from tasks.normalize import content_hash, norm_hash
from tasks.records import RawDocument

OK = "ok"
EMPTY_AFTER_CLEANING = "empty_after_cleaning"


@dataclass
class TransformedBatch:
    tables: dict[str, pa.Table]  # documents, removed, sentences, entities (staged schema)
    entity_counts: Counter  # (text, label) -> mentions
    status_counts: Counter
    n_words: int


@dataclass
class _Prepared:
    raw: RawDocument
    status: str
    detail: str = ""
    encoding: str | None = None
    n_chars_raw: int = 0
    title: str | None = None
    cleaned: object = None  # tasks.clean.Cleaned


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


def _columns(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def transform_batch(raws: Sequence[RawDocument]) -> TransformedBatch:
    prepared = [_prepare(raw) for raw in raws]
    usable = [p for p in prepared if p.status == OK]
    langs = dict(zip((id(p) for p in usable), detect_languages([p.cleaned.text for p in usable])))
    annotations = dict(
        zip(
            (id(p) for p in usable),
            annotate([(p.cleaned.text, p.cleaned.paragraphs, langs[id(p)][0]) for p in usable]),
        )
    )
    rows: dict[str, list[dict]] = {"documents": [], "removed": [], "sentences": [], "entities": []}
    entity_counts: Counter = Counter()
    n_words = 0
    for p in prepared:
        raw, cleaned = p.raw, p.cleaned
        doc_id = raw.doc_id
        text = cleaned.text if p.status == OK else ""
        lang, lang_prob = langs.get(id(p), (None, None))
        ann = annotations.get(id(p))
        removed = cleaned.removed if cleaned is not None else ()
        for part in removed:
            rows["removed"].append(
                {"doc_id": doc_id, "line_no": part.line_no, "col": part.col, "text": part.text, "reason": part.reason}
            )
        sentences = ann.sentences if ann else []
        for sent_id, s in enumerate(sentences):
            sent_text = text[s.start : s.end]
            rows["sentences"].append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_id,
                    "start": s.start,
                    "end": s.end,
                    "text": sent_text,
                    "norm_hash": norm_hash(sent_text),
                    "is_heading": s.is_heading,
                }
            )
        entities = ann.entities if ann else []
        for ent_id, (start, end, label, sent_id) in enumerate(entities):
            ent_text = text[start:end]
            entity_counts[(ent_text, label)] += 1
            rows["entities"].append(
                {
                    "doc_id": doc_id,
                    "sent_id": sent_id,
                    "ent_id": ent_id,
                    "start": start,
                    "end": end,
                    "text": ent_text,
                    "label": label,
                }
            )
        n_words += len(text.split())
        n_headings = sum(s.is_heading for s in sentences)
        meta = raw.meta
        rows["documents"].append(
            {
                "doc_id": doc_id,
                "source_path": raw.source_path,
                "ordinal": raw.ordinal,
                "external_id": meta.get("external_id"),
                "title": meta.get("title") or p.title or _first_heading(text, sentences),
                "url": meta.get("url"),
                "outlet": meta.get("source"),
                "published": meta.get("published"),
                "agency": cleaned.agency if cleaned else None,
                "dateline_place": cleaned.dateline_place if cleaned else None,
                "dateline_date": cleaned.dateline_date if cleaned else None,
                "lang": lang,
                "lang_prob": lang_prob,
                "ner_model": ann.ner_model if ann else None,
                "encoding": p.encoding,
                "n_chars_raw": p.n_chars_raw,
                "n_chars": len(text),
                "n_sentences": len(sentences) - n_headings,
                "n_headings": n_headings,
                "n_entities": len(entities),
                "n_removed": len(removed),
                "content_hash": content_hash(text) if p.status == OK else None,
                "text": text,
                "status": p.status,
                "status_detail": p.detail or None,
            }
        )
    tables = {
        "documents": _columns(rows["documents"], schemas.DOCUMENTS),
        "removed": _columns(rows["removed"], schemas.REMOVED),
        "sentences": _columns(rows["sentences"], schemas.SENTENCES),
        "entities": _columns(rows["entities"], schemas.ENTITIES_STAGED),
    }
    status_counts = Counter(p.status for p in prepared)
    return TransformedBatch(tables, entity_counts, status_counts, n_words)


def _first_heading(text: str, sentences) -> str | None:
    """A document that opens with a heading is titled by it."""
    if sentences and sentences[0].is_heading and sentences[0].start == 0:
        return text[sentences[0].start : sentences[0].end]
    return None
