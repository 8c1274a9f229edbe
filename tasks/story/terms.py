"""The terms a document is compared by, for story grouping (pure: no I/O).

A document's terms are its content words (letters only, stop words and words shorter than
3 letters left out, lower case; a plural -s/-ies folded for words not written with a
capital) and the named entities the pipeline found in it ('e:' + the lower-cased name, and
for a person of several words also 'e:' + the surname). Headline words count like text.

Each term's weight is (1 + ln count) times its rarity in the language at large
(tasks/story/rarity.py); the corpus's own document frequency is applied when documents are
compared (tasks/story/stories.py), as it changes with every run.

A known non-article notice (a web archive's crawl notice, 'enable JavaScript', 'page not
found', 'access denied') is no story: `is_notice`.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from tasks.config import DEFAULT
from tasks.story.rarity import rarity

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$")
# Scripts written without spaces between words (Thai, Japanese kana, Chinese characters, Korean
# syllables): a run of them is one 'word' to WORD, so it is cut into overlapping character
# pairs instead (the usual terms for such text when no segmenter is at hand; wordfreq's
# segmenters need jieba or MeCab, which newsetl does not install).
NO_SPACE_SCRIPT = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
ENTITY_PREFIX = "e:"
LEAD_PREFIX = "l:"  # a term of the document's lead (its first words), compared as a vector of its own
# Labels of names (spaCy English: OntoNotes; French and others: WikiNER PER/LOC/ORG/MISC).
NAME_LABELS = frozenset(
    {"PERSON", "PER", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "MISC"}
)
PERSON_LABELS = frozenset({"PERSON", "PER"})

# Sentences of pages that are not articles: a document mostly made of them is a notice.
NOTICE_SENTENCE = re.compile(
    r"these crawls are part of an effort to archive pages"
    r"|the seed for this crawl was"
    r"|this crawl was run at a level"
    r"|the warc files associated with this crawl"
    r"|alexa internet has been donating their crawl data"
    r"|added to the wayback machine after an embargo period"
    r"|the internet archive hopes that references to these archived pages"
    r"|the goal is to fix all broken links on the web"
    r"|crawls of supported \"?no more 404\"? sites"
    r"|that way, as the pages that are referenced are changed or taken from the web"
    r"|please (?:turn on|enable) javascript|javascript (?:is|must be) (?:disabled|enabled)"
    r"|your browser does not support javascript|you need to enable javascript"
    r"|(?:the )?page (?:you (?:requested|are looking for) )?(?:was |could )?(?:not|n't) (?:be )?found"
    r"|404 (?:error|not found)|this page (?:is )?no longer (?:exists|available)"
    r"|access (?:to this page (?:has been|is) )?denied|you don't have permission to access",
    re.I,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def is_notice(text: str | None, notice_percent: int = DEFAULT.story_notice_percent) -> bool:
    """True for a text at least notice_percent of whose words are in known non-article
    notices (web archive crawl pages, 'enable JavaScript', 'page not found', 'access denied')."""
    if not text:
        return False
    total = noticed = 0
    for piece in SENTENCE_END.split(text):
        words = len(piece.split())
        total += words
        if words and NOTICE_SENTENCE.search(piece):
            noticed += words
    return total > 0 and noticed * 100 >= notice_percent * total


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop words for the language (English for an undetermined one); none if spaCy has no list."""
    from spacy.util import get_lang_class

    try:
        return frozenset(get_lang_class("en" if lang in ("", "und") else lang).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - a language spaCy does not know: no stop list
        return frozenset()


def fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t")
    return not before or before[-1] in ".!?\n\"“”'‘’:(—–-"


def word_counts(text: str, lang: str, min_letters: int = DEFAULT.story_min_letters) -> Counter:
    """Content words of text: lower case, possessive 's dropped, plural folded unless written
    with a capital inside a sentence (a name: 'Davis' stays 'davis'); in scripts written
    without spaces, the pairs of adjacent characters ('北京暴雨' → 北京, 京暴, 暴雨)."""
    stops = stop_words(lang)
    counts: Counter = Counter()
    for match in WORD.finditer(text):
        if NO_SPACE_SCRIPT.search(match.group()):
            for run in NO_SPACE_SCRIPT.findall(match.group()):
                counts.update(run[i : i + 2] for i in range(len(run) - 1))
            counts.update(p.lower() for p in NO_SPACE_SCRIPT.split(match.group()) if len(p) >= min_letters)
            continue
        word = POSSESSIVE.sub("", match.group()).replace("’", "'")
        lower = word.lower()
        if len(lower) < min_letters or lower in stops:
            continue
        name = word[0].isupper() and not _opens_sentence(text, match.start())
        counts[lower if name else fold_plural(lower)] += 1
    return counts


def entity_name(text: str) -> str:
    name = " ".join(text.lower().replace("’", "'").split())
    name = POSSESSIVE.sub("", name)
    return name[4:] if name.startswith("the ") else name


def entity_counts(entities: Iterable[tuple[str, str]]) -> Counter:
    """(text, label) of the document's entities → counts of 'e:' terms (names only, and surnames of people)."""
    counts: Counter = Counter()
    for text, label in entities:
        if label not in NAME_LABELS or not text:
            continue
        name = entity_name(text)
        if len(name) < 2:
            continue
        counts[ENTITY_PREFIX + name] += 1
        if label in PERSON_LABELS and " " in name:
            counts[ENTITY_PREFIX + name.rsplit(" ", 1)[1]] += 1
    return counts


def lead_terms(
    text: str, lang: str | None, title: str | None, words: int, max_terms: int, min_letters: int
) -> dict[str, float]:
    """'l:' + term → weight for the document's lead: its title and first `words` words (no
    names: the lead's own words), weighted as document_terms does; {} when words is 0."""
    if words <= 0:
        return {}
    lead = " ".join(text.split()[:words])
    return {LEAD_PREFIX + t: w for t, w in document_terms(lead, lang, (), title, max_terms, min_letters).items()}


def document_terms(
    text: str | None,
    lang: str | None,
    entities: Iterable[tuple[str, str]] = (),
    title: str | None = None,
    max_terms: int = DEFAULT.story_max_terms,
    min_letters: int = DEFAULT.story_min_letters,
) -> dict[str, float]:
    """term → weight ((1 + ln count) × rarity), the max_terms heaviest (ties by term, so the
    result does not depend on the order of the text)."""
    lang = lang or "und"
    counts = word_counts(text or "", lang, min_letters)
    if title:
        counts.update(word_counts(title, lang, min_letters))
    counts.update(entity_counts(entities))
    weights = {term: (1.0 + math.log(n)) * rarity(term.removeprefix(ENTITY_PREFIX), lang) for term, n in counts.items()}
    if len(weights) > max_terms:
        kept = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:max_terms]
        weights = dict(kept)
    return weights
