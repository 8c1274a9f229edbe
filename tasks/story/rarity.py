"""How rare a word is in its language at large: -log10 of its frequency in wordfreq's
tables (which ship inside the package: no download), from 0 ('the') to 8 (unseen).

Story grouping multiplies it with the corpus's own inverse document frequency: in a bundle
of a few hundred articles the document frequency alone cannot tell a rare name from a word
that merely happens to be rare there. Measured on Multi-News dev (average link at 0.15):
pairwise precision 0.786 with the corpus idf alone, 0.889 with both, recall 0.78 → 0.73.
"""
from __future__ import annotations

import math
from functools import lru_cache

MIN_FREQUENCY = 1e-8  # floor: a word wordfreq has never seen counts as this rare
UNKNOWN_LANGUAGE = 1.0  # a language wordfreq lacks: every word equal (plain tf-idf)


@lru_cache(maxsize=64)
def _supported(lang: str) -> bool:
    from wordfreq import available_languages

    return lang in available_languages()


@lru_cache(maxsize=500_000)
def rarity(term: str, lang: str) -> float:
    """-log10 of the term's frequency in lang (English for 'und'); terms of several words are
    rarer than each of their words (wordfreq's rule)."""
    lang = "en" if lang in ("", "und") else lang
    if not _supported(lang):
        return UNKNOWN_LANGUAGE
    from wordfreq import word_frequency

    try:
        frequency = word_frequency(term, lang)
    except ImportError:  # zh, ja, ko: wordfreq segments them with optional packages (jieba, MeCab)
        frequency = _listed_frequency(term, lang)
    return -math.log10(max(frequency, MIN_FREQUENCY))


@lru_cache(maxsize=8)
def _frequencies(lang: str) -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict(lang)


def _listed_frequency(term: str, lang: str) -> float:
    """The term's frequency from wordfreq's list without segmenting it: each space-separated
    word looked up as is, several words combined as wordfreq does (1/f = sum of 1/f_i);
    0 when a word is not listed."""
    listed = [_frequencies(lang).get(word, 0.0) for word in term.split()]
    if not listed or min(listed) <= 0:
        return 0.0
    return 1.0 / sum(1.0 / f for f in listed)
