"""Language identification with lingua (lingua-language-detector), short-text aware.

Every text is judged among all the languages lingua knows (75), two ways:

* a short text (fewer than `short_chars` characters once stripped: titles, captions,
  a few words) by lingua's high-accuracy mode, which scores 1- to 5-grams; its models
  are loaded lazily the first time a short text needs them (up to ~1 GB for all
  Latin-script languages);
* a longer one by the low-accuracy mode (trigrams only, ~100 MB for all languages, the
  same answers on long texts), on its first `sample_chars` characters, which bounds the
  cost per document.

`prob` is lingua's confidence of the chosen language: its share of the evidence
among all candidate languages, not an inflated maximum (on the short-text dev set a
wrong answer averages ~0.25 and almost never reaches 0.99). Below `min_confidence` no
language stands out: the text is `und` and `reason` says why, as it does for a text
without letters; `und` carries prob 0.0.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

from lingua import LanguageDetector, LanguageDetectorBuilder

from tasks.config import DEFAULT

UNDETERMINED = "und"


class LanguageGuess(NamedTuple):
    lang: str  # ISO 639-1 code, or 'und'
    prob: float  # lingua's confidence of `lang` (0.0 for 'und')
    reason: str = ""  # why the language is 'und'; empty otherwise


@cache
def _detector(high_accuracy: bool) -> LanguageDetector:
    builder = LanguageDetectorBuilder.from_all_languages()
    return builder.build() if high_accuracy else builder.with_low_accuracy_mode().build()


def _guess(text: str, short_chars: int, sample_chars: int, min_confidence: float) -> LanguageGuess:
    text = text.strip()
    if not any(ch.isalpha() for ch in text[:sample_chars]):
        return LanguageGuess(UNDETERMINED, 0.0, "language undetermined: no letters")
    short = len(text) < short_chars
    values = _detector(short).compute_language_confidence_values(text if short else text[:sample_chars])
    if not values or values[0].value <= 0.0:
        return LanguageGuess(UNDETERMINED, 0.0, "language undetermined: no known language's letters")
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if best.value < min_confidence:
        reason = f"language undetermined: best guess {code} at {best.value:.3f} < {min_confidence:g}"
        return LanguageGuess(UNDETERMINED, 0.0, reason)
    return LanguageGuess(code, round(best.value, 4))


def detect_languages(
    texts: Sequence[str],
    short_chars: int = DEFAULT.lang_short_chars,
    sample_chars: int = DEFAULT.lang_sample_chars,
    min_confidence: float = DEFAULT.lang_min_confidence_percent / 100,
) -> list[LanguageGuess]:
    """(ISO 639-1 code, confidence, reason) for each text; ('und', 0.0, why) when undecidable.
    The settings are Config's lang_short_chars, lang_sample_chars, lang_min_confidence_percent."""
    return [_guess(text, short_chars, sample_chars, min_confidence) for text in texts]


def detect_language(text: str, **settings) -> LanguageGuess:
    return detect_languages([text], **settings)[0]
