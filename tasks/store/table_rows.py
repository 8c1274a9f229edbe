"""Rows of the output tables for one transformed document (plain dicts, staged schemas)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from tasks.config import Config
from tasks.text import dates
from tasks.text.normalize import content_hash, norm_hash


def removed_rows(doc_id: str, removed) -> list[dict]:
    return [
        {"doc_id": doc_id, "line_no": r.line_no, "col": r.col, "text": r.text, "reason": r.reason} for r in removed
    ]


def sentence_rows(doc_id: str, text: str, sentences) -> list[dict]:
    return [
        {
            "doc_id": doc_id,
            "sent_id": sent_id,
            "start_char": s.start,
            "end_char": s.end,
            "text": text[s.start : s.end],
            "norm_hash": norm_hash(text[s.start : s.end]),
            "is_heading": s.is_heading,
        }
        for sent_id, s in enumerate(sentences)
    ]


def entity_rows(doc_id: str, text: str, entities: Sequence[tuple[int, int, str, int]]) -> list[dict]:
    return [
        {
            "doc_id": doc_id,
            "sent_id": sent_id,
            "ent_id": ent_id,
            "start_char": start,
            "end_char": end,
            "text": text[start:end],
            "label": label,
        }
        for ent_id, (start, end, label, sent_id) in enumerate(entities)
    ]


# Dataclass fields stored under another name: `end` is a reserved word in SQL, and
# `start` goes with it (both are character offsets into documents.text).
COLUMN_OF_FIELD = {"start": "start_char", "end": "end_char"}


def _columns(record) -> dict:
    return {COLUMN_OF_FIELD.get(name, name): value for name, value in asdict(record).items()}


def quote_rows(doc_id: str, quotes) -> list[dict]:
    """tasks.text.quotes.Quote → quotes rows (every field of the dataclass is a column; start/end as start_char/end_char)."""
    return [{"doc_id": doc_id, "quote_id": i, **_columns(q)} for i, q in enumerate(quotes)]


def amount_rows(doc_id: str, amounts) -> list[dict]:
    """tasks.text.amounts.Amount → amounts rows (every field of the dataclass is a column; start/end as start_char/end_char)."""
    return [{"doc_id": doc_id, "amount_id": i, **_columns(a)} for i, a in enumerate(amounts)]


def document_row(prepared, text: str, lang: tuple, ann, counts: dict[str, int], config: Config) -> dict:
    """The documents row; counts holds n_sentences, n_headings, n_entities, n_removed; config is the
    run's (its dateline_days_before / dateline_days_after date a dateline without a year)."""
    raw, cleaned, meta = prepared.raw, prepared.cleaned, prepared.raw.meta
    page = getattr(prepared, "page", None)  # tasks.ingest.web_page.PageMeta of an HTML page
    sentences = ann.sentences if ann else []
    # dates typed where they can be read (tasks/text/dates.py); the text as given is kept beside them
    published_text = meta.get("published") or _page(page, "published")
    published = dates.published(published_text)
    dateline = cleaned.dateline_date if cleaned else None
    return {
        "doc_id": raw.doc_id,
        "source_path": raw.source_path,
        "ordinal": raw.ordinal,
        "external_id": meta.get("external_id"),
        "title": meta.get("title") or _page(page, "title") or prepared.title or _first_heading(text, sentences),
        "url": meta.get("url") or _page(page, "url"),
        "outlet": meta.get("source") or _page(page, "outlet"),
        "published": published.day,
        "published_at": published.at,
        "published_text": published_text,
        "author": meta.get("author") or _page(page, "author") or getattr(cleaned, "byline", None),
        "agency": cleaned.agency if cleaned else None,
        "dateline_place": cleaned.dateline_place if cleaned else None,
        "dateline_date": dates.dateline_day(
            dateline, published.day, config.dateline_days_before, config.dateline_days_after
        ),
        "dateline_date_text": dateline,
        "lang": lang[0],
        "lang_prob": lang[1],
        "ner_model": ann.ner_model if ann else None,
        "encoding": prepared.encoding,
        "n_chars_raw": prepared.n_chars_raw,
        "n_chars": len(text),
        **counts,
        "content_hash": content_hash(text) if text else None,
        "text": text,
        "status": prepared.status,
        "status_detail": prepared.detail or None,
    }


def _page(page, name: str) -> str | None:
    """A metadata field of an HTML page (the bundle's meta, given, is authoritative)."""
    return getattr(page, name, None) if page is not None else None


def _first_heading(text: str, sentences) -> str | None:
    """A document that opens with a heading is titled by it."""
    if sentences and sentences[0].is_heading and sentences[0].start == 0:
        return text[sentences[0].start : sentences[0].end]
    return None
