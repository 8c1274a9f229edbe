"""Dates of documents as typed values: the publication date and time, the dateline's day.

Pure text logic. `published(text)` reads a publication date as sources write it (ISO 8601,
RFC 2822, or a date in words such as 'October 25, 2024 10:03 GMT') into the day as written
and, when the text also gives the time and its UTC offset, the instant. `dateline_day(text,
published_day)` reads a dateline's date ('Oct 25', '3 mars', '5 de diciembre de 2024',
'25. Oktober', '1996-12-06', '05/12'): a day without a year takes the year that puts it on,
up to days_before days before, or up to days_after days after the publication day (the run's
Config.dateline_days_before / dateline_days_after); a numeric day/month that reads both ways
is kept only when one reading alone fits. What cannot be read, or is
ambiguous, gives None (the text itself stays in the *_text column: nothing is dropped).
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser

# Month names of the languages whose datelines tasks/text/boilerplate_rules.py reads (en, fr, es, de),
# by the first letters that tell them apart (accents folded, lower case).
_MONTH_PREFIXES = (
    ("jan", 1), ("ene", 1), ("feb", 2), ("fev", 2), ("mar", 3), ("mae", 3), ("apr", 4), ("avr", 4), ("abr", 4),
    ("may", 5), ("mai", 5), ("juin", 6), ("jun", 6), ("juil", 7), ("jul", 7), ("aug", 8), ("aou", 8), ("ago", 8),
    ("sep", 9), ("set", 9), ("oct", 10), ("okt", 10), ("nov", 11), ("dec", 12), ("dez", 12), ("dic", 12),
)
_WORD = r"[^\W\d_]+\.?"
_DAY_MONTH = re.compile(rf"^(?P<day>\d{{1,2}})\.?\s+(?:de\s+)?(?P<month>{_WORD})(?:,?\s+(?:de\s+)?(?P<year>\d{{4}}))?$")
_MONTH_DAY = re.compile(rf"^(?P<month>{_WORD})\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_NUMERIC_DATE = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-]\d{2,4}\b")
_NUMERIC = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<year>\d{2}|\d{4}))?$")


@dataclass(frozen=True)
class Published:
    day: date | None  # the calendar day as the source wrote it (its own time zone)
    at: datetime | None  # the instant in UTC, when the text gives the time and its offset


NOTHING = Published(None, None)


def published(text: str | None) -> Published:
    """The publication day (and instant, when known) of a `published` text; NOTHING if unreadable."""
    if not text or not text.strip():
        return NOTHING
    text = text.strip()
    for parse in (_iso, _rfc2822, _words):
        try:
            value = parse(text)
        except (ValueError, TypeError, IndexError, OverflowError):
            continue
        if value is not None:
            return value
    return NOTHING


def _result(value: datetime | date, has_time: bool) -> Published:
    if not isinstance(value, datetime):
        return Published(value, None)
    known_zone = has_time and value.tzinfo is not None and value.utcoffset() is not None
    return Published(value.date(), value.astimezone(timezone.utc) if known_zone else None)


def _iso(text: str) -> Published | None:
    if len(text) == 10:
        return Published(date.fromisoformat(text), None)
    value = datetime.fromisoformat(text)
    return _result(value, has_time=True)


def _rfc2822(text: str) -> Published | None:
    value = parsedate_to_datetime(text)
    # RFC 2822 '-0000' means "zone unknown": parsedate_to_datetime returns a naive datetime
    return _result(value, has_time=True)


def _words(text: str) -> Published | None:
    """A date in words, read twice with different defaults: a field that differs was not in the text."""
    if not re.search(r"\d", text):
        return None
    numeric = _NUMERIC_DATE.match(text)
    if numeric and int(numeric["a"]) <= 12 and int(numeric["b"]) <= 12 and numeric["a"] != numeric["b"]:
        return None  # 05/10/2024: the 5th of October or May 10th
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown zone name ('EST'): a naive result, no instant
        first = dateutil_parser.parse(text, default=datetime(2000, 1, 1, 0, 0))
        second = dateutil_parser.parse(text, default=datetime(2001, 2, 2, 1, 1))
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None  # year, month or day missing: no day known
    has_time = (first.hour, first.minute) == (second.hour, second.minute)
    return _result(first, has_time)


def _month(word: str) -> int | None:
    folded = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    folded = folded.rstrip(".")
    for prefix, month in _MONTH_PREFIXES:
        if folded.startswith(prefix):
            return month
    return None


def dateline_day(text: str | None, published_day: date | None, days_before: int, days_after: int) -> date | None:
    """The day of a dateline's date text; None when it cannot be read or its year is not known.
    A reading is near the publication day when it is at most days_before days before it or
    days_after days after it (Config.dateline_days_before / dateline_days_after)."""
    window = (days_before, days_after)
    if not text or not text.strip():
        return None
    text = " ".join(text.split())
    candidates: list[tuple[int | None, int, int]] = []  # (year or None, month, day)
    if match := _ISO.match(text):
        candidates.append((int(match["year"]), int(match["month"]), int(match["day"])))
    elif match := (_DAY_MONTH.match(text) or _MONTH_DAY.match(text)):
        month = _month(match["month"])
        if month is None:
            return None
        candidates.append((int(match["year"]) if match["year"] else None, month, int(match["day"])))
    elif match := _NUMERIC.match(text):
        year = _full_year(match["year"]) if match["year"] else None
        a, b = int(match["a"]), int(match["b"])
        candidates += [(year, b, a), (year, a, b)] if a != b else [(year, b, a)]  # day/month, then month/day
    days = {day for candidate in candidates for day in _days(candidate, published_day, window)}
    if len(days) > 1 and published_day is not None:
        days = {day for day in days if _near(day, published_day, window)}  # the reading that fits the publication
    return days.pop() if len(days) == 1 else None  # None: unreadable, or readable more than one way


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)


def _days(candidate: tuple[int | None, int, int], published_day: date | None, window: tuple[int, int]) -> list[date]:
    year, month, day = candidate
    if year is not None:
        try:
            return [date(year, month, day)]
        except ValueError:
            return []
    if published_day is None:
        return []
    found = []
    for year in (published_day.year - 1, published_day.year, published_day.year + 1):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if _near(value, published_day, window):
            found.append(value)
    return found


def _near(day: date, published_day: date, window: tuple[int, int]) -> bool:
    days_before, days_after = window
    return published_day - timedelta(days=days_before) <= day <= published_day + timedelta(days=days_after)
