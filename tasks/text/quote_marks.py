"""Where the quotations are: pairs of quote marks within one line of text.

Curly (“ ”), straight ("), angle (« ») and single angle (‹ ›, Swiss and nested French)
quotes pair up line by line, a quotation inside another one being left out; single
quotes (‘ ’ and ') only where they cannot be apostrophes (an opening mark before a word,
a closing mark after one and before a space or punctuation) and never inside a double
quotation. Unbalanced marks pair with nothing.
"""
from __future__ import annotations

import re

OPEN_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–\-/]))[‘'](?=[\w(])")
CLOSE_SINGLE = re.compile(r"(?<=[\w.,!?…)\]])[’'](?=$|[\s,.;:!?)\]—–\-])")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of the marks of every quotation, in text order."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        spans += [(pos + o, pos + c) for o, c in _line_spans(line)]
        pos += len(line) + 1
    return spans


def _line_spans(line: str) -> list[tuple[int, int]]:
    doubles = _curly(line, "“", "”") + _curly(line, "«", "»") + _curly(line, "‹", "›") + _straight(line)
    doubles = _without_nested(sorted(doubles))
    singles = [s for s in _singles(line) if not any(o < s[0] < c for o, c in doubles)]
    return sorted(doubles + singles)


def _curly(line: str, opening: str, closing: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(line):
        if ch == opening:
            start = i  # an earlier unclosed mark pairs with nothing
        elif ch == closing and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _straight(line: str) -> list[tuple[int, int]]:
    marks = [i for i, ch in enumerate(line) if ch == '"']
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def _singles(line: str) -> list[tuple[int, int]]:
    closes = [m.start() for m in CLOSE_SINGLE.finditer(line)]
    spans, after = [], -1
    for m in OPEN_SINGLE.finditer(line):
        if m.start() <= after:
            continue
        close = next((c for c in closes if c > m.start() + 1), None)
        if close is None:
            break
        spans.append((m.start(), close))
        after = close
    return spans


def _without_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for o, c in spans:
        if kept and o < kept[-1][1]:
            continue  # inside (or overlapping) the previous quotation
        kept.append((o, c))
    return kept
