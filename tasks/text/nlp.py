"""Sentences and entities: spaCy (senter + ner) for English; rule sentences plus the
model's NER for other languages with a model (French, see tasks/text/models.py); rule
sentences and no entities otherwise."""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tasks.config import DEFAULT
from tasks.text import models
from tasks.text.entity_repair import EntitySpan, document_names, refine_entities
from tasks.text.parse_cache import ParseCache, Parsed
from tasks.text.sentences import english_sentences, rule_sentences, stripped

ENGLISH_MODEL = models.NER_MODELS["en"].package
UNUSED_PIPES = list(models.NER_MODELS["en"].exclude)  # components of the English pipeline newsetl does not use
PIPE_BATCH_SIZE = 256
# No-break, narrow no-break and thin spaces (French typography: «\u00a0…\u00a0», M.\u00a0Macron),
# given to a model that wants plain spaces as plain spaces: its tokenizer would make them
# tokens of their own, which cut names ('M.\u00a0' + 'Macron').
SPACES_AS_SPACE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
PARSE_CACHE = ParseCache(DEFAULT.nlp_cache_chars)  # this process's model outputs, by text


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


def english_pipeline():
    """The pinned English model, loaded once per process from site-packages."""
    return models.pipeline("en")


def english_model_name() -> str:
    return models.model_name("en")


# Where a long paragraph is best cut, from best to worst: after sentence-final
# punctuation (optionally closed by quotes or brackets) that whitespace follows, or
# after a CJK full stop (no whitespace needed); then before a newline; then before any
# whitespace; else a hard cut. A period after a lone capital ('J. Smith') is an
# initial, not a sentence end.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?…‼⁇⁈⁉][\"'”’»›)\]]*(?=\s)|[。！？｡][」』”’）)\]]*")


def _cut_point(text: str, start: int, limit: int) -> int:
    """Where to end the piece text[start:cut], start < cut <= limit < len(text).

    Soft cuts are looked for only in the second half of the window, so every piece
    but the last is at least half of it long and the work stays linear in the text.
    """
    low = start + (limit - start) // 2 + 1
    best = None
    for match in _SENTENCE_END.finditer(text, low, limit + 1):  # + 1: to see what follows
        if match.end() <= limit:
            best = match
    if best is not None:
        return best.end()
    newline = text.rfind("\n", low, limit + 1)
    if newline >= 0:
        return newline
    for cut in range(limit, low - 1, -1):
        if text[cut].isspace():
            return cut
    cut = limit  # hard cut, but not between a base character and its combining marks
    while cut > low and unicodedata.combining(text[cut]):
        cut -= 1
    return cut if not unicodedata.combining(text[cut]) else limit


def pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into consecutive (start, end) spans of at most max_chars characters.

    The spans cover the range exactly, in order; each cut is at the best sentence-like
    boundary in the window (see _cut_point). An empty range has no pieces.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars!r}")
    spans = []
    while end - start > max_chars:
        cut = _cut_point(text, start, start + max_chars)
        spans.append((start, cut))
        start = cut
    if end > start:
        spans.append((start, end))
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


def _parsed(nlp, docs, jobs: list[tuple[int, int, int, int]], batch_chars: int, table: dict | None = None, disable=()):
    """(job, spaCy Doc) for each (doc, paragraph, start, end) job, in order.

    A model batch holds at most PIPE_BATCH_SIZE texts and, unless one text is alone,
    at most batch_chars characters: the model's working memory grows with the
    characters of a batch (a batch of fifteen 100,000-character pieces took 5 GB).
    """
    batch: list[tuple[int, int, int, int]] = []
    size = 0
    for job in [*jobs, None]:
        length = job[3] - job[2] if job else 0
        if batch and (job is None or size + length > batch_chars or len(batch) >= PIPE_BATCH_SIZE):
            texts = [docs[d][0][start:end] for d, _, start, end in batch]
            if table:  # same length: offsets unchanged
                texts = [t.translate(table) for t in texts]
            yield from zip(batch, nlp.pipe(texts, batch_size=len(texts), disable=list(disable)))
            batch, size = [], 0
        if job:
            batch.append(job)
            size += length


def _jobs(docs, max_chars: int) -> list[tuple[int, int, int, int]]:
    """(document, paragraph, start, end) of every piece of at most max_chars the model reads."""
    return [
        (d, p, start, end)
        for d, (text, paras) in enumerate(docs)
        for p, para in enumerate(paras)
        for start, end in pieces(text, para.start, para.end, max_chars)
    ]


def _parse_pieces(
    nlp, docs, jobs, batch_chars: int, cache_chars: int, lang: str = "en", disable: tuple[str, ...] = ()
) -> dict[str, Parsed]:
    """The model's output for the text of every job: each distinct text parsed once, and
    not at all when this process's PARSE_CACHE already holds it (for the same model).
    Sentences only from a model that sets them; labels mapped as tasks/text/models.py says."""
    PARSE_CACHE.resize(cache_chars)
    model = models.model_name(lang) + "".join(f" -{pipe}" for pipe in disable)  # the cache key: what ran
    with_sentences = models.NER_MODELS[lang].sentences
    found: dict[str, Parsed | None] = {}
    todo = []
    for job in jobs:
        piece = docs[job[0]][0][job[2] : job[3]]
        if piece not in found:
            found[piece] = PARSE_CACHE.get(piece, model)
            if found[piece] is None:
                todo.append(job)
    table = SPACES_AS_SPACE if models.NER_MODELS[lang].plain_spaces else None
    for (d, _, start, end), doc in _parsed(nlp, docs, todo, batch_chars, table, disable):
        result = Parsed(
            tuple((s.start_char, s.end_char) for s in doc.sents) if with_sentences else (),
            tuple((e.start_char, e.end_char, models.label(lang, e.label_)) for e in doc.ents),
        )
        piece = docs[d][0][start:end]
        found[piece] = result
        PARSE_CACHE.put(piece, result, model)
    return found  # type: ignore[return-value]


def annotate_english(
    docs: Sequence[tuple[str, Sequence[ParagraphSpan]]],
    max_chars: int = DEFAULT.nlp_max_chars,
    batch_chars: int = DEFAULT.nlp_batch_chars,
    cache_chars: int = DEFAULT.nlp_cache_chars,
    entities: bool = True,
) -> list[Annotation]:
    """Run senter + NER (without entities: senter only) over every paragraph of every document
    in one nlp.pipe stream.

    A paragraph longer than max_chars goes to the model in pieces (see pieces());
    every offset is mapped back into the document text. A piece of text the model has
    already seen in this process (a syndicated copy's paragraph) is not parsed again.
    Each paragraph is read alone, then the names of the whole document are made
    consistent (tasks.text.entity_repair.document_names). Measured on CoNLL-2003 test (evals/conll.py):
    paragraphs alone find more correct PER/ORG/LOC than the whole document at once, than
    runs of short paragraphs read together, or than a short paragraph read with its
    neighbours as context.
    """
    nlp = english_pipeline()
    jobs = _jobs(docs, min(max_chars, nlp.max_length))
    parsed = _parse_pieces(nlp, docs, jobs, batch_chars, cache_chars, disable=() if entities else ("ner",))
    # per (document, paragraph): body sentences and raw entity spans, in text order
    found_sents: dict[tuple[int, int], list[SentenceSpan]] = {}
    found_ents: dict[tuple[int, int], list[EntitySpan]] = {}
    for d, p, base, end in jobs:
        text = docs[d][0]
        result = parsed[text[base:end]]
        if not docs[d][1][p].is_heading:  # the model's sentence starts corrected by rules
            model_starts = [base + sent_start for sent_start, _ in result.sentences]
            found_sents.setdefault((d, p), []).extend(
                SentenceSpan(start, end, False) for start, end in english_sentences(text, base, end, model_starts)
            )
        ents = found_ents.setdefault((d, p), [])
        ents.extend(EntitySpan(base + start, base + end, label) for start, end, label in result.entities)
    model = english_model_name() if entities else None
    results = []
    for d, (text, paras) in enumerate(docs):
        sentences: list[SentenceSpan] = []
        entities: list[EntitySpan] = []
        for p, para in enumerate(paras):
            if para.is_heading:
                sentences.append(SentenceSpan(*stripped(text, para.start, para.end), True))
            else:
                sentences.extend(found_sents.get((d, p), ()))
            entities.extend(refine_entities(text, found_ents.get((d, p), [])))
        entities = document_names(text, entities)
        sents = _merge_across_entities(sentences, entities)
        results.append(Annotation(sents, _assign_sentences(sents, entities), model))
    return results


def annotate_other(
    text: str,
    paragraphs: Sequence[ParagraphSpan],
    lang: str,
    max_chars: int = DEFAULT.nlp_max_chars,
    resplit_chars: int = DEFAULT.sentence_resplit_chars,
) -> Annotation:
    """Rule-based sentences for languages without an NER model; no entities.

    A paragraph longer than max_chars is segmented in pieces (see pieces()); a sentence
    longer than resplit_chars is cut again (tasks.text.sentences.rule_sentences).
    """
    sentences = []
    for para in paragraphs:
        if para.is_heading:
            sentences.append(SentenceSpan(*stripped(text, para.start, para.end), True))
        else:
            for start, end in pieces(text, para.start, para.end, max_chars):
                sentences.extend(SentenceSpan(s, e, False) for s, e in rule_sentences(text, start, end, lang, resplit_chars))
    return Annotation(sentences, [], None)


def annotate_with_ner(
    docs: Sequence[tuple[str, Sequence[ParagraphSpan]]],
    lang: str,
    max_chars: int = DEFAULT.nlp_max_chars,
    batch_chars: int = DEFAULT.nlp_batch_chars,
    cache_chars: int = DEFAULT.nlp_cache_chars,
    resplit_chars: int = DEFAULT.sentence_resplit_chars,
) -> list[Annotation]:
    """Rule sentences (annotate_other) and the language's NER model (tasks/text/models.py) for
    documents of a language whose model sets no sentences (French).

    Every paragraph, headings too, goes to the model in pieces of at most max_chars in
    one nlp.pipe stream; labels are mapped onto newsetl's, spans repaired as for English
    (refine_entities), and a sentence boundary never cuts an entity.
    """
    nlp = models.pipeline(lang)
    jobs = _jobs(docs, min(max_chars, nlp.max_length))
    parsed = _parse_pieces(nlp, docs, jobs, batch_chars, cache_chars, lang)
    found_ents: dict[int, list[EntitySpan]] = {}
    for d, _, base, end in jobs:
        result = parsed[docs[d][0][base:end]]
        found_ents.setdefault(d, []).extend(EntitySpan(base + s, base + e, label) for s, e, label in result.entities)
    model = models.model_name(lang)
    results = []
    for d, (text, paras) in enumerate(docs):
        entities = document_names(text, refine_entities(text, found_ents.get(d, [])))
        sents = _merge_across_entities(annotate_other(text, paras, lang, max_chars, resplit_chars).sentences, entities)
        results.append(Annotation(sents, _assign_sentences(sents, entities), model))
    return results


def annotate(
    docs: Sequence[tuple[str, Sequence[ParagraphSpan], str]],
    max_chars: int = DEFAULT.nlp_max_chars,
    batch_chars: int = DEFAULT.nlp_batch_chars,
    cache_chars: int = DEFAULT.nlp_cache_chars,
    entities: bool = True,
    resplit_chars: int = DEFAULT.sentence_resplit_chars,
) -> list[Annotation]:
    """Sentences and entities for (text, paragraphs, lang) documents, in input order.

    max_chars is the longest text given to a model at once (Config.nlp_max_chars),
    batch_chars the most characters in one model batch (Config.nlp_batch_chars),
    cache_chars the most characters of text whose model output is kept for reuse
    (Config.nlp_cache_chars; 0 turns reuse off). Without entities (Config.nlp_entities) no
    NER model runs: English sentences from the senter, other languages by rules.
    resplit_chars (Config.sentence_resplit_chars): a rule sentence longer than this is cut
    again by plain punctuation.
    """
    results: list[Annotation | None] = [None] * len(docs)
    by_model: dict[str, list[int]] = {}  # language with an NER model → its documents
    for i, (_, _, lang) in enumerate(docs):
        if models.model_for(lang) is not None and (entities or lang == "en"):
            by_model.setdefault(lang, []).append(i)
    for lang, indices in by_model.items():
        group = [(docs[i][0], docs[i][1]) for i in indices]
        if lang == "en":
            annotated = annotate_english(group, max_chars, batch_chars, cache_chars, entities)
        else:
            annotated = annotate_with_ner(group, lang, max_chars, batch_chars, cache_chars, resplit_chars)
        for i, ann in zip(indices, annotated, strict=True):
            results[i] = ann
    for i, (text, paras, lang) in enumerate(docs):
        if results[i] is None:
            results[i] = annotate_other(text, paras, lang, max_chars, resplit_chars)
    return results  # type: ignore[return-value]
