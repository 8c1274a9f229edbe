"""Remove boilerplate from an article, line by line and line part by line part.

Steps, in order:
1. every non-blank input line is checked against the whole-line rules of
   tasks.text.boilerplate_rules (ads, copyright, captions, credits, bylines, navigation,
   calls to action, share widgets, agency-only lines); a navigation token glued to
   the start of a sentence ('View AllThe treaty…') is cut off;
2. a leading dateline ('KYIV, Oct 25 — ', 'KURSK, Oct 24 (Reuters) - ', 'ROTTERDAM, 3 mars
   (AFP) - ', 'Rotterdam (dpa) - ', 'MADRID, 5 dic (EFE).- ', or a line 'ROME 1996-12-06') is
   cut from one of the first lines (after a short title or byline; a section slug such as
   'SOCCER - ' is not a dateline), and a trailing agency tag ('… his wife. — AFP') from the
   last; a head byline ('By Jane Doe', 'Par …', 'Von …', 'Por …') names Cleaned.byline;
3. the kept lines become paragraphs: hard-wrapped blocks (blank-line separated blocks
   of several lines) are joined with a space, otherwise each line is a paragraph;
4. short paragraphs without sentence-final punctuation that precede body text are
   sub-headlines (or the title): kept in the text, flagged is_heading.

Nothing leaves the text without a RemovedPart: the non-blank characters of the input
are exactly those of Cleaned.text plus those of the removed parts. RemovedPart.text is
the removed span stripped of surrounding whitespace, and col points at its first
character. Blank (whitespace-only) lines are separators, not removals.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tasks.text import boilerplate_rules as rules
from tasks.text.gazetteer import is_place_name


@dataclass(frozen=True)
class RemovedPart:
    line_no: int  # 1-based line of the input
    col: int  # 0-based offset of the removed part within that line
    text: str  # the removed characters, stripped of surrounding whitespace
    reason: str


@dataclass(frozen=True)
class Paragraph:
    start: int  # offsets into Cleaned.text
    end: int
    is_heading: bool  # sub-headline or title: kept in text, not a body paragraph


@dataclass(frozen=True)
class Cleaned:
    text: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[RemovedPart, ...]
    agency: str | None
    dateline_place: str | None
    dateline_date: str | None
    byline: str | None = None  # the author named by a head byline ('By Jane Doe' -> 'Jane Doe')


@dataclass
class _Line:
    """One input line that is (partly) kept: raw[start:end] is the kept part."""

    no: int
    raw: str
    block: int  # index of the blank-line separated block the line belongs to
    start: int
    end: int

    @property
    def kept(self) -> str:
        return self.raw[self.start : self.end]


@dataclass
class _State:
    removed: list[RemovedPart] = field(default_factory=list)
    dateline_agency: str | None = None
    tag_agency: str | None = None
    copyright_agency: str | None = None
    credited: Counter = field(default_factory=Counter)
    place: str | None = None
    date: str | None = None
    byline: str | None = None


# ---- helpers ---------------------------------------------------------------------------

SENTENCE_FINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
STARTS_LIKE_SENTENCE = re.compile(r"[A-ZÀ-ÖØ-Þ0-9“\"‘'«(¿¡„]")
NOT_PLACES = {"UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "ANALYSIS", "OPINION", "EDITORIAL", "FILE", "PHOTO", "VIDEO", "LIVE"}


def _words(text: str) -> int:
    return len(text.split())


def _normalize_agency(name: str | None) -> str | None:
    if not name:
        return None
    name = " ".join(name.split())
    return rules.AGENCIES.get(name.lower(), name)


def _agencies_in(text: str) -> list[str]:
    return [_normalize_agency(m.group()) for m in rules.AGENCY_NAME.finditer(text)]


def _strip_span(line: _Line) -> None:
    kept = line.kept
    line.start += len(kept) - len(kept.lstrip())
    line.end -= len(kept) - len(kept.rstrip())


def _cut(line: _Line, start: int, end: int, reason: str, state: _State) -> None:
    """Remove raw[start:end] (which touches one edge of the kept part) and record it."""
    part = line.raw[start:end]
    lead = len(part) - len(part.lstrip())
    state.removed.append(RemovedPart(line.no, start + lead, part.strip(), reason))
    if start <= line.start:
        line.start = end
    else:
        line.end = start
    _strip_span(line)


# ---- step 1: whole lines and glued tokens ---------------------------------------------------


def _line_rule(text: str, n_body_before: int) -> tuple[str, re.Match] | None:
    words = _words(text)
    for reason, pattern, max_words in rules.LINE_RULES:
        if words <= max_words:
            match = pattern.search(text)
            if match:
                return reason, match
    if n_body_before < rules.BYLINE_LINES:
        match = rules.BYLINE.match(text)
        if match:
            return "byline", match
    return None


def _note_agencies(reason: str, match: re.Match, state: _State) -> None:
    text = match.string
    if reason == "copyright":
        state.copyright_agency = state.copyright_agency or next(iter(_agencies_in(text)), None)
    elif reason == "agency_tag":
        state.tag_agency = _normalize_agency(match.group("agency"))
    elif reason in rules.CREDIT_REASONS or reason == "byline":
        credit = match.groupdict().get("credit") or text
        state.credited.update(_agencies_in(credit))
    if match.re is rules.BYLINE and state.byline is None:
        state.byline = _byline_name(match.group("names"))


def _byline_name(names: str) -> str | None:
    """'Jane Doe, Reuters' -> 'Jane Doe'; 'Jane Doe | Oct 25, 2024' -> 'Jane Doe'; 'AFP' -> None."""
    name = re.split(r"\s*(?:[,;|/]|\s[–—-]\s)\s*", names, maxsplit=1)[0].strip()
    if not name or rules.AGENCY_NAME.fullmatch(name) or not any(ch.isalpha() for ch in name):
        return None
    return name


def _body_lines(text: str, state: _State) -> list[_Line]:
    lines: list[_Line] = []
    block = 0
    for no, raw in enumerate(text.split("\n"), start=1):
        line = _Line(no, raw, block, 0, len(raw))
        _strip_span(line)
        if not line.kept:
            block += 1
            continue
        rule = _line_rule(line.kept, len(lines))
        if rule:
            reason, match = rule
            _note_agencies(reason, match, state)
            _cut(line, line.start, line.end, reason, state)
            continue
        glued = rules.GLUED_NAVIGATION.match(line.kept)
        if glued:
            reason = "advertisement" if glued.group().lower() == "advertisement" else "navigation"
            _cut(line, line.start, line.start + glued.end(), reason, state)
        lines.append(line)
    return lines


# ---- step 2: dateline and trailing agency tag --------------------------------------------


def _dateline_agency(match: re.Match) -> str | None:
    return match.group("agency") or match.group("slashed") or match.group("bare")


def _headline_case(text: str) -> bool:
    """Mostly capital letters: the rest of a slugged headline ('SOCCER - JAPAN GET LUCKY WIN')."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _accept_dateline(match: re.Match, rest: str) -> bool:
    place, date, agency = match.group("place"), match.group("date"), _dateline_agency(match)
    if not place:
        return bool(rest) and (agency or "").lower() in rules.AGENCIES  # '(Reuters) - Apple said …', not '(Updated) …'
    upper = place.upper()
    if upper in NOT_PLACES or upper in rules.SECTION_SLUGS or upper.split()[0] in rules.NOT_DATELINE_PLACES:
        return False
    if sum(ch.isalpha() for ch in place) < 2:
        return False
    dashed = match.group().rstrip()[-1:] in "-—–="
    if not rest and not dashed and not (date and (place.isupper() or is_place_name(place))):
        return False  # a line that is only a place is a heading; 'ROME 1996-12-06' is a dateline
    if rest and not STARTS_LIKE_SENTENCE.match(rest):
        return False
    if rest and not dashed and (agency or "").lower() not in rules.AGENCIES:
        return False  # without a dash only a known agency closes the dateline: 'CHICAGO, Dec 6 (Reuter) …'
    if date or agency:
        return True
    # 'WASHINGTON — The Senate…', 'Hamburg - Die Polizei…' (a known place), not 'SOCCER - JAPAN WIN'
    return (place.isupper() and len(place) >= 3 or is_place_name(place)) and not _headline_case(rest)


def _cut_dateline(lines: list[_Line], state: _State, keep: bool = False) -> None:
    """A dateline opens one of the first lines; the lines before it are short (title, byline).
    keep: read the dateline but leave it in the text (web pages show it as part of the article)."""
    for line in lines[: rules.DATELINE_LINES]:
        match = rules.DATELINE.match(line.kept)
        if match and _accept_dateline(match, line.kept[match.end() :]):
            place, region = match.group("place"), match.group("region")
            state.place = f"{place}, {region}" if region else place
            state.date = match.group("date")
            state.dateline_agency = _normalize_agency(_dateline_agency(match))
            if not keep:
                _cut(line, line.start, line.start + match.end(), "dateline", state)
            return
        if not _title_shaped(line.kept):
            return  # body text before any dateline: the article has none


def _cut_trailing_tag(lines: list[_Line], state: _State) -> None:
    last = next((line for line in reversed(lines) if line.kept), None)
    if last is None:
        return
    match = rules.TRAILING_AGENCY_TAG.search(last.kept)
    if not match:
        return
    before, sep = last.kept[: match.start()], match.group("sep")
    spaced_dash = sep[:1].isspace() and any(ch in sep for ch in "—–-")
    if before.strip() and (SENTENCE_FINAL.search(before.rstrip()) or spaced_dash):
        state.tag_agency = _normalize_agency(match.group("agency"))
        _cut(last, last.start + match.start(), last.end, "agency_tag", state)


def _resolve_agency(state: _State) -> str | None:
    """Dateline, then agency tag, then copyright line, then the most credited agency."""
    credited = next((name for name, _ in state.credited.most_common(1)), None)
    return state.dateline_agency or state.tag_agency or state.copyright_agency or credited


# ---- steps 3 and 4: paragraphs and headings ---------------------------------------------------


def _title_shaped(text: str) -> bool:
    """Short enough to be a title or byline line above a dateline (its end may be a period)."""
    return _words(text) <= rules.HEADING_MAX_WORDS and len(text) <= rules.HEADING_MAX_CHARS


def _heading_shaped(text: str) -> bool:
    return (
        _words(text) <= rules.HEADING_MAX_WORDS
        and len(text) <= rules.HEADING_MAX_CHARS
        and not rules.SENTENCE_END.search(text)
        and bool(rules.HEADING_START.match(text))
        and any(ch.isalpha() for ch in text)
    )


def _paragraph_texts(lines: list[_Line]) -> list[str]:
    """Hard-wrapped text (most lines in multi-line blocks) joins blocks; else one line each."""
    blocks: dict[int, list[str]] = {}
    for line in lines:
        blocks.setdefault(line.block, []).append(line.kept)
    in_multi_line_blocks = sum(len(b) for b in blocks.values() if len(b) > 1)
    if len(blocks) > 1 and in_multi_line_blocks * 2 >= len(lines):
        return [" ".join(block) for block in blocks.values()]
    return [line.kept for line in lines]


def _assemble(texts: list[str]) -> tuple[str, tuple[Paragraph, ...]]:
    shaped = [_heading_shaped(t) for t in texts]
    last_body = max((i for i, is_shaped in enumerate(shaped) if not is_shaped), default=-1)
    paragraphs, pos = [], 0
    for i, text in enumerate(texts):
        paragraphs.append(Paragraph(pos, pos + len(text), shaped[i] and i < last_body))
        pos += len(text) + 2
    return "\n\n".join(texts), tuple(paragraphs)


def clean(text: str, keep_dateline: bool = False) -> Cleaned:
    """keep_dateline: fill dateline_place/_date and the agency but leave the dateline in the
    text (for web pages, whose visible article text includes it)."""
    state = _State()
    lines = _body_lines(text, state)
    _cut_dateline(lines, state, keep_dateline)
    _cut_trailing_tag(lines, state)
    kept_lines = [line for line in lines if line.kept]
    cleaned_text, paragraphs = _assemble(_paragraph_texts(kept_lines))
    removed = tuple(sorted(state.removed, key=lambda r: (r.line_no, r.col)))
    return Cleaned(cleaned_text, paragraphs, removed, _resolve_agency(state), state.place, state.date, state.byline)
