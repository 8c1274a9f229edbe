"""decode → clean → language → sentences → entities for a batch of raw documents.

Returns Arrow tables per output table (entities without `canonical`, which is
bundle-wide and added at load) and the batch's entity surface counts.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from tasks.config import DEFAULT, Config
from tasks.ingest.decode import decode
from tasks.ingest.raw_document import RawDocument
from tasks.ingest.web_page import clean_page, read_page
from tasks.store import schemas
from tasks.store import table_rows as rows_of
from tasks.story.dedup import signatures
from tasks.text.amounts import extract_amounts
from tasks.text.clean import clean
from tasks.text.language import detect_languages
from tasks.text.nlp import annotate
from tasks.text.quotes import extract_quotes

OK = "ok"
EMPTY_AFTER_CLEANING = "empty_after_cleaning"
# An unexpected exception in one step for one document: that document keeps no text
# and no child rows, status_detail names the step; the rest of the batch goes on.
ERROR = "error"
ERROR_MESSAGE_CHARS = 300


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
    page: object = None  # tasks.ingest.web_page.PageMeta, for HTML pages
    cleaned: object = None  # tasks.text.clean.Cleaned
    lang: tuple = (None, None)  # (code, probability), for documents with text
    ann: object = None  # tasks.text.nlp.Annotation, for documents with text
    quotes: list = field(default_factory=list)  # tasks.text.quotes.Quote
    amounts: list = field(default_factory=list)  # tasks.text.amounts.Amount
    signature: object = None  # MinHash signature, for documents with text


def _set_language(p: _Prepared, guess) -> None:
    """p.lang = (lang, lang_prob, reason); why a language is `und` joins status_detail."""
    p.lang = guess
    if guess.reason:
        p.detail = "; ".join(filter(None, (p.detail, guess.reason)))


def _fail(p: _Prepared, stage: str, exc: Exception) -> None:
    """Mark p as failed in stage; it keeps its decode facts but no text or annotation."""
    if isinstance(exc, (OSError, ImportError)):
        raise exc  # the environment (a missing model, a file), not the document
    message = str(exc)
    if len(message) > ERROR_MESSAGE_CHARS:
        message = message[: ERROR_MESSAGE_CHARS - 1] + "…"
    p.status, p.detail = ERROR, f"{stage}: {type(exc).__name__}: {message}"
    p.cleaned, p.lang, p.ann, p.quotes, p.amounts, p.signature = None, (None, None), None, [], [], None


def _each(stage: str, docs: list[_Prepared], step: Callable[[list[_Prepared]], list], keep: Callable) -> None:
    """keep(p, result) for step's result for each document, step running on all at once;
    if that raises, step runs on each document alone and only the ones that raise fail."""
    try:
        results = step(docs)
    except (OSError, ImportError):
        raise
    except Exception:
        results = None
    if results is not None:
        for p, result in zip(docs, results, strict=True):
            keep(p, result)
        return
    for p in docs:
        try:
            (result,) = step([p])
        except Exception as exc:
            _fail(p, stage, exc)
            continue
        keep(p, result)


def _prepare(raw: RawDocument, config: Config = DEFAULT) -> _Prepared:
    if raw.meta.get("status"):
        return _Prepared(raw, raw.meta["status"], raw.meta.get("status_detail", ""))
    try:
        decoded = decode(raw.payload, raw.source_path, config)
    except Exception as exc:
        prepared = _Prepared(raw, ERROR)
        _fail(prepared, "decode", exc)
        return prepared
    prepared = _Prepared(raw, decoded.status, decoded.detail, decoded.encoding, len(decoded.text), decoded.title)
    if decoded.status != OK:
        return prepared
    try:
        if decoded.markup is None:
            prepared.cleaned = clean(decoded.text)
        else:  # an HTML page: its main content, then the same line rules
            page = read_page(decoded.markup, decoded.text, decoded.labels, config)
            prepared.page, prepared.cleaned = page.meta, clean_page(page, clean)
            prepared.detail = "; ".join(filter(None, (prepared.detail, page.note)))
    except Exception as exc:
        _fail(prepared, "clean", exc)
        return prepared
    if not prepared.cleaned.text.strip():
        prepared.status = EMPTY_AFTER_CLEANING
        prepared.detail = "every line was removed as boilerplate"
    return prepared


def _extract(p: _Prepared) -> None:
    """Quotes and amounts of an annotated document, by the rules of its language."""
    text, ann = p.cleaned.text, p.ann
    spans = [(s.start, s.end) for s in ann.sentences]
    ents = [(start, end, label) for start, end, label, _ in ann.entities]
    for stage, extract in (("quotes", extract_quotes), ("amounts", extract_amounts)):
        try:
            setattr(p, stage, extract(text, spans, ents, p.lang[0]))
        except Exception as exc:
            _fail(p, stage, exc)
            return


def _child_rows(p: _Prepared) -> dict[str, list[dict]]:
    """The rows of every staged table but documents, for a document with text."""
    doc_id, text, ann = p.raw.doc_id, p.cleaned.text, p.ann
    return {
        "removed": rows_of.removed_rows(doc_id, p.cleaned.removed),
        "sentences": rows_of.sentence_rows(doc_id, text, ann.sentences),
        "entities": rows_of.entity_rows(doc_id, text, ann.entities),
        "quotes": rows_of.quote_rows(doc_id, p.quotes),
        "amounts": rows_of.amount_rows(doc_id, p.amounts),
    }


def _document_row(p: _Prepared, config: Config) -> dict:
    text = p.cleaned.text if p.status == OK else ""
    ann = p.ann if p.status == OK else None
    sentences = ann.sentences if ann else []
    removed = p.cleaned.removed if p.cleaned is not None else ()
    n_headings = sum(s.is_heading for s in sentences)
    counts = {
        "n_sentences": len(sentences) - n_headings,
        "n_headings": n_headings,
        "n_entities": len(ann.entities) if ann else 0,
        "n_removed": len(removed),
    }
    return rows_of.document_row(p, text, p.lang, ann, counts, config)


def transform_batch(raws: Sequence[RawDocument], config: Config = DEFAULT) -> TransformedBatch:
    prepared = [_prepare(raw, config) for raw in raws]

    def usable() -> list[_Prepared]:
        return [p for p in prepared if p.status == OK]

    def languages(docs: list[_Prepared]) -> list:
        texts = [p.cleaned.text for p in docs]
        return detect_languages(
            texts, config.lang_short_chars, config.lang_sample_chars, config.lang_min_confidence_percent / 100,
            config.lang_short_candidates, config.lang_prose_percent, config.lang_prose_min_letters,
        )

    def annotations(docs: list[_Prepared]) -> list:
        jobs = [(p.cleaned.text, p.cleaned.paragraphs, p.lang[0]) for p in docs]
        return annotate(
            jobs, config.nlp_max_chars, config.nlp_batch_chars, config.nlp_cache_chars, config.nlp_entities,
            config.sentence_resplit_chars,
        )

    _each("language", usable(), languages, _set_language)
    _each("nlp", usable(), annotations, lambda p, ann: setattr(p, "ann", ann))
    for p in usable():
        _extract(p)
    _each(
        "dedup", usable(), lambda docs: signatures([p.cleaned.text for p in docs]), lambda p, sig: setattr(p, "signature", sig)
    )

    rows: dict[str, list[dict]] = {name: [] for name in schemas.STAGED}
    for p in prepared:
        if p.status == OK:
            try:
                children = _child_rows(p)
            except Exception as exc:
                _fail(p, "rows", exc)
            else:
                for name, table_rows in children.items():
                    rows[name] += table_rows
        elif p.cleaned is not None:
            rows["removed"] += rows_of.removed_rows(p.raw.doc_id, p.cleaned.removed)
        rows["documents"].append(_document_row(p, config))
    tables = {name: pa.Table.from_pylist(rows[name], schema=schema) for name, schema in schemas.STAGED.items()}
    done = usable()
    entity_counts = Counter((p.cleaned.text[start:end], label) for p in done for start, end, label, _ in p.ann.entities)
    return TransformedBatch(
        tables,
        entity_counts,
        Counter(p.status for p in prepared),
        sum(len(p.cleaned.text.split()) for p in done),
        [p.raw.doc_id for p in done],
        [p.signature for p in done],
    )
