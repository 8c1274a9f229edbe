"""Amounts in a document: money, percentages, measured quantities and counted nouns.

Pure rules over the cleaned text, its sentence spans and its entity spans:

* money: a currency sign or code before the number (`US$1.64 billion`, `$1.64-billion`,
  `RM7.13 billion`, `€3,000`) or a currency word after it (`5 million euros`); the noun
  right after it, if any, is what the money is for (`deal`);
* percent: `12%`, `12 percent`, `12 per cent`;
* quantity: a number and a unit of measure (`500 square kilometres`, `40 tonnes of grain`);
* count: a number and the plural noun it counts, past up to three modifiers and quote
  marks (`12,000 North Korean troops`, `“12,000” troops`, `397 deputies`); the noun is
  singularized with `inflect` (`troop`, `deputy`).

Numbers inside dates, times, ordinals and names (`Article 4`, `K2`, `G7`) are skipped, as
are numbers that count nothing (`one of the`, `4 of the treaty`).
"""
from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from tasks.text.entity_repair import CLOSE_QUOTES, OPEN_QUOTES

if TYPE_CHECKING:
    import inflect


@dataclass(frozen=True)
class Amount:
    sent_id: int
    start: int
    end: int
    text: str
    value: float
    kind: str  # money | percent | quantity | count
    unit: str | None  # currency code, "%", or unit of measure
    noun: str | None  # what is counted or paid for, singular


SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
NUMBER_WORDS = {
    w: float(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30.0, "forty": 40.0, "fifty": 50.0, "sixty": 60.0, "seventy": 70.0, "eighty": 80.0,
     "ninety": 90.0, "hundred": 100.0, "dozen": 12.0}
CURRENCY_SIGNS = {
    "US$": "USD", "A$": "AUD", "C$": "CAD", "HK$": "HKD", "S$": "SGD", "NZ$": "NZD", "$": "USD",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "RM": "MYR",
    "Rs.": "INR", "Rs": "INR", "USD": "USD", "EUR": "EUR", "GBP": "GBP", "JPY": "JPY", "CNY": "CNY",
}
CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "yen": "JPY", "yuan": "CNY", "won": "KRW",
    "rouble": "RUB", "ruble": "RUB", "rupee": "INR", "ringgit": "MYR", "franc": "CHF",
    "hryvnia": "UAH", "zloty": "PLN",
}
UNITS = {
    "square kilometre": "km2", "square kilometer": "km2", "sq km": "km2", "km2": "km2", "km²": "km2",
    "square mile": "mi2", "kilometre": "km", "kilometer": "km", "km": "km", "mile": "mi", "metre": "m",
    "meter": "m", "tonne": "t", "ton": "t", "kilogram": "kg", "kg": "kg", "litre": "l", "liter": "l",
    "barrel": "bbl", "hectare": "ha", "acre": "acre", "megawatt": "MW", "MW": "MW", "gigawatt": "GW",
    "GW": "GW",
}
# Entity labels whose numbers are not amounts (dates, names of things, ranks).
SKIP_LABELS = {"DATE", "TIME", "ORDINAL", "PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "LAW",
               "EVENT", "WORK_OF_ART", "LANGUAGE"}
# Words that end a noun phrase: a count noun must come before any of them.
FUNCTION_WORDS = set(
    "a an the of to in on at by for from with and or but as than that which who whom whose "
    "was were is are be been being has have had will would could should may might can "
    "this these those its their his her our your my it they he she we you i not no "
    "about around some over under into onto up down out after before during since until "
    "while when where including sometimes always perhaps besides towards afterwards thus "
    "last next each per every already just only also".split()
)
_SIGNS = "|".join(re.escape(s) for s in sorted(CURRENCY_SIGNS, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:[\s-](?:hundred|thousand|million|billion|trillion)\b|(?:\s?(?:bn|mn|tn)|[kmb])\b)"
MONEY_SIGNED = re.compile(rf"(?<![\w$€£¥₹₩₽])(?P<sign>{_SIGNS})\s?(?P<num>{_DIGITS})(?P<scale>{_SCALE})?")
NUMBER = re.compile(
    rf"(?<![\w$€£¥₹₩₽.,\-/])(?P<num>{_DIGITS})(?P<scale>{_SCALE})?(?![\w\-/]|[.,]\d)"
    rf"|\b(?P<word>{'|'.join(NUMBER_WORDS)})\b(?!-)(?P<wscale>\s(?:hundred|thousand|million|billion)\b)?",
    re.IGNORECASE,
)
PERCENT = re.compile(r"\s?(?:%|per\s?cent\b|percent\b|percentage points?\b)", re.IGNORECASE)
NEXT_WORD = re.compile(r"[“”\"‘’'«»]?[ \t]+[“”\"‘’'«»]?([A-Za-z][A-Za-z\-]*(?:[’'][a-z]+)?)")
YEAR = re.compile(r"(?:18|19|20)\d\d")


def extract_amounts(
    text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[tuple[int, int, str]], lang: str | None = "en"
) -> list[Amount]:
    """Every amount in text, in text order; offsets index text. The rules below are
    English (also for an unknown language, None or und); other languages are read by
    tasks/text/amounts_intl.py (their number format, no English singularization)."""
    if lang not in (None, "en", "und"):
        from tasks.text.amounts_intl import extract_amounts as extract_other  # it imports this module

        return extract_other(text, sentences, entities, lang)
    if not sentences:
        return []
    skip = sorted((s, e) for s, e, label in entities if label in SKIP_LABELS)
    starts = [s for s, _ in sentences]
    found: list[Amount] = []
    taken: list[tuple[int, int]] = []  # kept sorted
    for m in MONEY_SIGNED.finditer(text):
        if _inside(skip, m.start("num"), m.end("num")):
            continue
        value = _number(m.group("num"), m.group("scale"))
        noun = _money_noun(text, m.end())
        found.append(_amount(text, starts, m.start(), m.end(), value, "money", CURRENCY_SIGNS[m.group("sign")], noun))
        bisect.insort(taken, (m.start(), m.end()))
    for m in NUMBER.finditer(text):
        start, end = m.span()
        if _overlaps(taken, start, end) or _inside(skip, start, end):
            continue
        if m.group("num") and not m.group("scale") and YEAR.fullmatch(m.group("num")):
            continue  # a bare year
        if m.group("word"):
            value = NUMBER_WORDS[m.group("word").lower()] * SCALES.get((m.group("wscale") or " ").strip().lower(), 1)
        else:
            value = _number(m.group("num"), m.group("scale"))
        amount = _classify(text, starts, start, end, value, is_word=bool(m.group("word")))
        if amount is not None:
            found.append(amount)
            bisect.insort(taken, (amount.start, amount.end))
    return sorted(found, key=lambda a: (a.start, a.end))


def _classify(text, starts, start, end, value, is_word):
    rest = text[end : end + 80]
    percent = PERCENT.match(rest)
    if percent and not is_word:
        return _amount(text, starts, start, end + percent.end(), value, "percent", "%", None)
    words = _words_after(text, end, 4)
    if not words:
        return None
    first = words[0][2].lower()
    two = f"{first} {words[1][2].lower()}" if len(words) > 1 else ""
    for phrase, n in ((two, 2), (first, 1)):
        unit_word = _singular(phrase) if phrase else None
        if unit_word in CURRENCY_WORDS and not is_word:
            return _amount(text, starts, start, words[n - 1][1], value, "money", CURRENCY_WORDS[unit_word], None)
        if unit_word in UNITS or phrase in UNITS:
            unit = UNITS.get(unit_word) or UNITS[phrase]
            noun = _of_noun(text, words[n - 1][1])
            return _amount(text, starts, start, words[n - 1][1], value, "quantity", unit, noun)
    noun_end, noun = _counted_noun(words)
    if noun is None or (is_word and value == 0):
        return None
    if start > 0 and text[start - 1] in OPEN_QUOTES and any(c in CLOSE_QUOTES for c in text[end:noun_end]):
        start -= 1  # “12,000” troops
    return _amount(text, starts, start, noun_end, value, "count", None, noun)


def _counted_noun(words) -> tuple[int, str | None]:
    """The plural noun after a number (past up to three modifiers); the last of a plural run."""
    found = None
    for i, (_, end, word) in enumerate(words):
        lower = word.lower()
        if lower in FUNCTION_WORDS:
            break
        if _is_plural(word):
            found = (end, _singular(lower))
            if i + 1 < len(words) and _is_plural(words[i + 1][2]) and words[i + 1][0] - end <= 1:
                continue
            break
        if found is not None:
            break
    return found if found else (0, None)


def _words_after(text: str, pos: int, limit: int) -> list[tuple[int, int, str]]:
    """Up to `limit` words right after pos, as (start, end, word): only spaces and quote
    marks may come between them, so any other punctuation ends the phrase."""
    words = []
    while len(words) < limit:
        m = NEXT_WORD.match(text, pos)
        if not m:
            break
        words.append((m.start(1), m.end(1), m.group(1)))
        pos = m.end(1)
    return words


def _money_noun(text: str, pos: int) -> str | None:
    """The noun a sum of money is for: `$1.64-billion deal`, `US$1.64 billion (RM7.13 billion) deal`."""
    rest = text[pos : pos + 60]
    paren = re.match(r"\s*\([^()\n]{1,30}\)", rest)
    offset = pos + (paren.end() if paren else 0)
    words = _words_after(text, offset, 1)
    if not words:
        return None
    word = words[0][2].lower()
    if word in FUNCTION_WORDS or not word.isalpha() or word in SCALES:
        return None
    return _singular(word)


def _of_noun(text: str, pos: int) -> str | None:
    m = re.match(r" of ([a-z]+)\b", text[pos : pos + 40])
    return _singular(m.group(1)) if m and m.group(1) not in FUNCTION_WORDS else None


_ENGINE_LOCK = threading.Lock()  # serialises the first _engine() call: the typeguard patch is process-wide
_ENGINE: list[inflect.engine] = []  # the one engine, once built


def _engine() -> inflect.engine:
    """inflect's engine, imported on first use and without typeguard's run-time checks.

    inflect wraps its methods in typeguard's @typechecked, which re-parses inflect's source
    when it is imported: 2-3 s (8 s on a busy machine) against 0.1-0.2 s without, and each
    singular_noun call 3-4x slower. The checks only guard against callers passing non-strings.
    The patch of typeguard.typechecked is global, so the first use holds a lock: two threads
    starting at once would otherwise each save the other's no-op and leave it in place.
    """
    if _ENGINE:
        return _ENGINE[0]
    with _ENGINE_LOCK:
        if not _ENGINE:
            import typeguard

            checked = typeguard.typechecked
            typeguard.typechecked = lambda target=None, **_: target if target is not None else (lambda t: t)
            try:
                import inflect
            finally:
                typeguard.typechecked = checked
            _ENGINE.append(inflect.engine())
    return _ENGINE[0]


UNCOUNTABLE = {"people", "personnel", "police", "staff", "cattle"}  # plural in meaning, kept as written
IRREGULAR_PLURALS = UNCOUNTABLE | {"children", "men", "women"}


@lru_cache(maxsize=65536)
def _is_plural(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    if lower in IRREGULAR_PLURALS:
        return True
    if not lower.isalpha() or lower in FUNCTION_WORDS or len(lower) < 3:
        return False
    if lower.endswith(("ss", "us", "is", "ous", "'s")) or not lower.endswith("s"):
        return False
    return bool(_engine().singular_noun(lower))


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if word in UNCOUNTABLE:
        return word
    singular = _engine().singular_noun(word) if word.endswith(("s", "men", "children")) else False
    return singular or word


def _number(digits: str, scale: str | None) -> float:
    value = float(digits.replace(",", ""))
    if scale:
        value *= SCALES[scale.strip(" -").lower()]
    return value


def _amount(text, starts, start, end, value, kind, unit, noun) -> Amount:
    sent_id = max(bisect.bisect_right(starts, start) - 1, 0)
    return Amount(sent_id, start, end, text[start:end], value, kind, unit, noun)


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of the sorted, non-overlapping spans."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping spans."""
    i = bisect.bisect_left(spans, (end, -1))
    return i > 0 and spans[i - 1][1] > start
