"""Language identification with lingua (lingua-language-detector), short-text aware.

Every text is first scored by lingua's low-accuracy mode (trigram models, ~100 MB for
all of its 75 languages, loaded on first use) on its first `sample_chars` characters,
which bounds the cost per document; for a text of at least `short_chars` characters
that is the answer (on long texts it gives the same answers as the high-accuracy mode).

A shorter text (titles, captions, a few words) is then judged again by lingua's
high-accuracy mode (1- to 5-gram models), among the `candidates` languages the first
pass ranked highest. Models are loaded per language on first need, so a run with a
few short texts loads a few languages' models, not all of them at once (~1 GB and
6-9 s of loading for the Latin-script languages); on the short-text dev set this is
within half a point of the high-accuracy mode over all languages, and better calibrated.

A document is judged on its prose lines: lines of which at least Config.lang_prose_percent
of the words are written without capitals or digits, and whose distinct plain words hold at
least Config.lang_prose_min_letters letters (addresses such as URLs are not words). Lines
of names and figures (results tables, standings, lists of teams or players, all-caps
headlines) read as whatever language their names come from: an English ski-results table
was German at 0.9997. A text without such a line (a title, a word, a table alone) is
judged whole. Scripts without capitals count as plain words.

`prob` is lingua's confidence of the chosen language (for a short text: its share among
the candidates, times the candidates' share in the first pass). Wrong answers rarely
reach 0.99 (0.3% of them on the short-text dev set, against 64% with langdetect). Below
`min_confidence` no language stands out: the text is `und` with prob 0.0 and `reason`
says why (best guess and its confidence), as it does for a text without letters.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import NamedTuple

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from tasks.config import DEFAULT

UNDETERMINED = "und"
_WORD = re.compile(r"\S+")
_ADDRESS = re.compile(r"[/@]")  # URLs, e-mail addresses, handles, paths: no words of a language


class LanguageGuess(NamedTuple):
    lang: str  # ISO 639-1 code, or 'und'
    prob: float  # lingua's confidence of `lang` (0.0 for 'und')
    reason: str = ""  # why the language is 'und'; empty otherwise


@cache
def _first_pass() -> LanguageDetector:
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


@lru_cache(maxsize=512)
def _high_accuracy(languages: tuple[Language, ...]) -> LanguageDetector:
    # Cheap to build: lingua keeps every loaded model in one process-wide cache.
    return LanguageDetectorBuilder.from_languages(*languages).build()


def _is_prose(line: str, prose_percent: int, min_letters: int) -> bool:
    words = [w for w in _WORD.findall(line) if any(ch.isalpha() for ch in w) and not _ADDRESS.search(w)]
    plain = [w for w in words if not any(ch.isupper() or ch.isdigit() for ch in w)]
    if sum(ch.isalpha() for w in set(plain) for ch in w) < min_letters:  # 'unq unq unq unq': a table
        return False
    return len(plain) * 100 >= prose_percent * len(words)


def prose(
    text: str, prose_percent: int = DEFAULT.lang_prose_percent, min_letters: int = DEFAULT.lang_prose_min_letters
) -> str:
    """The prose lines of text (see the module docstring), joined by newlines; the whole
    text (stripped) when it has none."""
    lines = [line.strip() for line in text.splitlines()]
    kept = [line for line in lines if _is_prose(line, prose_percent, min_letters)]
    return "\n".join(kept) if kept else text.strip()


def _guess(
    text: str, short_chars: int, sample_chars: int, min_confidence: float, candidates: int, prose_percent: int,
    prose_min_letters: int,
) -> LanguageGuess:
    text = prose(text, prose_percent, prose_min_letters)
    sample = text[:sample_chars]
    if not any(ch.isalpha() for ch in sample):
        return LanguageGuess(UNDETERMINED, 0.0, "language undetermined: no letters")
    ranked = [v for v in _first_pass().compute_language_confidence_values(sample)[:candidates] if v.value > 0.0]
    if not ranked:  # no trigram scored: fewer than three letters in a row, or an unknown script
        why = "too little text" if len(text) < short_chars else "letters of no known language"
        return LanguageGuess(UNDETERMINED, 0.0, f"language undetermined: {why}")
    language, prob = ranked[0].language, ranked[0].value
    if len(text) < short_chars and len(ranked) > 1:
        among = tuple(sorted((v.language for v in ranked), key=lambda lang: lang.name))
        best = _high_accuracy(among).compute_language_confidence_values(text)[0]
        language, prob = best.language, best.value * sum(v.value for v in ranked)
    code = language.iso_code_639_1.name.lower()
    if prob < min_confidence:
        reason = f"language undetermined: best guess {code} at {prob:.3f} < {min_confidence:g}"
        return LanguageGuess(UNDETERMINED, 0.0, reason)
    return LanguageGuess(code, round(prob, 4))


def detect_languages(
    texts: Sequence[str],
    short_chars: int = DEFAULT.lang_short_chars,
    sample_chars: int = DEFAULT.lang_sample_chars,
    min_confidence: float = DEFAULT.lang_min_confidence_percent / 100,
    candidates: int = DEFAULT.lang_short_candidates,
    prose_percent: int = DEFAULT.lang_prose_percent,
    prose_min_letters: int = DEFAULT.lang_prose_min_letters,
) -> list[LanguageGuess]:
    """(ISO 639-1 code, confidence, reason) for each text; ('und', 0.0, why) when undecidable.
    The settings are Config's lang_short_chars, lang_sample_chars, lang_min_confidence_percent,
    lang_short_candidates, lang_prose_percent and lang_prose_min_letters."""
    return [
        _guess(text, short_chars, sample_chars, min_confidence, candidates, prose_percent, prose_min_letters)
        for text in texts
    ]


def detect_language(text: str, **settings) -> LanguageGuess:
    return detect_languages([text], **settings)[0]
