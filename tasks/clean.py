"""Remove boilerplate from an article, line by line and line part by line part.

Everything removed is returned as a RemovedPart with its reason: the non-blank
characters of the input are exactly those of the cleaned text plus the removed parts.
Sub-headlines stay in the text and are marked as heading paragraphs.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tasks import boilerplate_rules as rules


@dataclass(frozen=True)
class RemovedPart:
    line_no: int  # 1-based line of the input
    col: int  # offset of the removed part within that line
    text: str  # the removed characters, without surrounding whitespace
    reason: str


@dataclass(frozen=True)
class Paragraph:
    start: int  # offsets into Cleaned.text
    end: int
    is_heading: bool


@dataclass(frozen=True)
class Cleaned:
    text: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedPart, ...]
    agency: str | None
    dateline_place: str | None
    dateline_date: str | None


@dataclass
class _Line:
    no: int
    raw: str
    start: int  # kept part of raw: raw[start:end]
    end: int

    @property
    def kept(self) -> str:
        return self.raw[self.start : self.end]


def _words(text: str) -> int:
    return len(text.split())


def _line_reason(text: str, position: int) -> str | None:
    for reason, pattern, max_words in rules.LINE_RULES:
        if _words(text) <= max_words and pattern.search(text):
            return reason
    if position < rules.BYLINE_LINES and _words(text) <= rules.BYLINE_MAX_WORDS and rules.BYLINE.match(text):
        return "byline"
    return None


def _agency(name: str | None) -> str | None:
    return rules.AGENCIES.get(name.strip().lower()) if name else None


def _strip_span(line: _Line) -> None:
    kept = line.kept
    line.start += len(kept) - len(kept.lstrip())
    line.end -= len(kept) - len(kept.rstrip())


def _cut(line: _Line, start: int, end: int, reason: str, removed: list[RemovedPart]) -> None:
    """Remove raw[start:end] from the kept part, which it must touch at one edge."""
    part = line.raw[start:end]
    lead = len(part) - len(part.lstrip())
    removed.append(RemovedPart(line.no, start + lead, part.strip(), reason))
    if start == line.start:
        line.start = end
    else:
        line.end = start
    _strip_span(line)


def _is_heading(text: str) -> bool:
    return (
        _words(text) <= rules.HEADING_MAX_WORDS
        and not rules.SENTENCE_END.search(text)
        and bool(re.match(r"[\w“\"‘'«–—-]", text))
        and any(ch.isalpha() for ch in text)
    )


def _blocks(lines: list[_Line], blank_after: set[int]) -> list[list[_Line]]:
    """Paragraphs: hard-wrapped blocks are joined, otherwise each line stands alone."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        blocks[-1].append(line)
        if line.no in blank_after:
            blocks.append([])
    blocks = [b for b in blocks if b]
    wrapped = blank_after and sum(len(b) > 1 for b in blocks) * 2 >= len(blocks)
    return blocks if wrapped else [[line] for line in lines]


def clean(text: str) -> Cleaned:
    removed: list[RemovedPart] = []
    lines: list[_Line] = []
    blank_after: set[int] = set()
    credited: Counter = Counter()
    agency = None
    for no, raw in enumerate(text.split("\n"), start=1):
        line = _Line(no, raw, 0, len(raw))
        _strip_span(line)
        if not line.kept:
            if lines:
                blank_after.add(lines[-1].no)
            continue
        reason = _line_reason(line.kept, len(lines))
        if reason:
            credited.update(_agency(m.group("agency")) for m in rules.CREDITED_AGENCY.finditer(line.kept))
            if reason in ("copyright", "agency_credit"):
                agency = agency or next((v for k, v in rules.AGENCIES.items() if re.search(rf"\b{re.escape(k)}\b", line.kept, re.I)), None)
            _cut(line, line.start, line.end, reason, removed)
            continue
        glued = rules.GLUED_NAVIGATION.match(line.kept)
        if glued:
            _cut(line, line.start, line.start + glued.end(), "navigation", removed)
        lines.append(line)

    place = date = None
    if lines:
        first = lines[0]
        dateline = rules.DATELINE.match(first.kept)
        if dateline and (dateline.group("date") or dateline.group("agency") or len(dateline.group("place")) >= 3):
            place, date = dateline.group("place").strip(), dateline.group("date")
            agency = _agency(dateline.group("agency")) or agency
            _cut(first, first.start, first.start + dateline.end(), "dateline", removed)
        last = lines[-1]
        tag = rules.TRAILING_AGENCY.search(last.kept)
        if tag and tag.start() > 0:
            agency = _agency(tag.group("agency")) or agency
            _cut(last, last.start + tag.start(), last.end, "agency_tag", removed)
    credited.pop(None, None)
    if agency is None and credited:
        agency = credited.most_common(1)[0][0]

    lines = [line for line in lines if line.kept]
    pieces, paragraphs, pos = [], [], 0
    for block in _blocks(lines, blank_after):
        para = " ".join(line.kept for line in block)
        if pieces:
            pos += 2
        paragraphs.append(Paragraph(pos, pos + len(para), _is_heading(para)))
        pieces.append(para)
        pos += len(para)
    if len(paragraphs) == 1 and paragraphs[0].is_heading:
        paragraphs[0] = Paragraph(paragraphs[0].start, paragraphs[0].end, False)
    removed.sort(key=lambda r: (r.line_no, r.col))
    return Cleaned("\n\n".join(pieces), tuple(paragraphs), tuple(removed), agency, place, date)
