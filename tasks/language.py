"""Seeded language detection (langdetect's algorithm, via the bit-identical langdetect-rs)."""
from __future__ import annotations

from collections.abc import Sequence

import langdetect_rs as langdetect

langdetect.DetectorFactory.seed = 0

UNDETERMINED = "und"
# langdetect samples n-grams; the first few thousand characters decide as well as
# the whole text and keep the cost per document bounded.
MAX_CHARS = 5000
MIN_LETTERS = 3


def detect_languages(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(ISO 639-1 code, probability) for each text; ('und', 0.0) when undecidable."""
    samples = [text[:MAX_CHARS] for text in texts]
    results: list[tuple[str, float]] = [(UNDETERMINED, 0.0)] * len(samples)
    todo = [i for i, s in enumerate(samples) if sum(ch.isalpha() for ch in s) >= MIN_LETTERS]
    if not todo:
        return results
    found = langdetect.detect_langs_batch([samples[i] for i in todo])
    for i, guesses in zip(todo, found):
        if guesses:
            best = guesses[0]
            results[i] = (str(best.lang), round(float(best.prob), 6))
    return results


def detect_language(text: str) -> tuple[str, float]:
    return detect_languages([text])[0]
