"""Sentence boundaries inside a paragraph, as exact offsets into the document text.

- rule_sentences: pysbd's rules for the language (its English rules for a language
  pysbd lacks, plus the danda and other scripts' full stops; a sentence at each space in
  Thai, Lao, Khmer), then every sentence longer than Config.sentence_resplit_chars cut
  again where plain punctuation says a sentence ends (see plain_starts), outside
  quotations first: pysbd keeps text between quote marks whole, so one unbalanced “ or «
  in a page can swallow thousands of characters into one 'sentence'.
- english_sentences: the English model's sentence starts (spaCy senter) joined with
  pysbd's: pysbd is right about abbreviations, initials, list numbers and ellipses
  (pySBD's golden rules), the model about sentences that end without punctuation (web
  text). A start the model alone proposes stands only if pysbd agrees when what follows
  is lower case or punctuation, or when an ellipsis, a title or an initial comes before.

Everywhere: a sentence starts after whitespace or a CJK full stop, not at a closing quote
or bracket, nor at an emoticon, nor where the sentence goes on ('Jan. 4', '2:20 p.m.
Thursday'); sentence-final punctuation glued to a capitalised word ('nationale.Ronds-
points', as scraped text often has) starts one in English, and elsewhere only where a
sentence would otherwise be too long; a list marker alone ('1.', '2.)', '• 9.', 'a.') is
no sentence but starts the one that follows. Sentences are stripped of surrounding
whitespace, in text order, never overlapping, and cover every non-blank character.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pysbd

from tasks.config import DEFAULT

CJK_STOPS = "。！？｡"
_CLOSING = "”)]}）」』,;:"  # no sentence starts with one (nor with a comma, semicolon or colon)
_FINAL_RUN = ".!?…\"'”’»«)]}"  # what may follow sentence-final punctuation before whitespace
# A list marker standing alone: an optional bullet, then a number, a letter or a small
# roman numeral, closed by '.' or ')' (or both).
_LIST_MARKER = re.compile(r"[•⁃◦▪‣*–-]?\s*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})(?:\.\)?|\))")
# Sentence-final punctuation (closing quotes or brackets may follow) and whitespace:
# where pysbd may cut. A list marker after whitespace: where pysbd may cut too.
_PUNCT_SPACE = re.compile(r"[.!?…‼⁇⁈⁉][\"'”’»)\]]*\s")
_LIST_ITEM = re.compile(r"(?:^|\s)(?:[•⁃◦▪‣]|(?:\d{1,3}|[A-Za-z])(?:\.\)?|\))\s)")
# Punctuation glued to the next sentence: two letters or digits (or a closing quote),
# '.', '!' or '?', optional closing quotes (French ones after a no-break space), then
# a letter, an opening quote allowed first (glued_starts wants a capital).
_GLUED = re.compile(
    r"(?:(?<=[^\W_]{2}[.!?])|(?<=[»”\"’)][.!?]))(?:[\u00a0\u202f]?[\"'”’»])*(?=[«“]?[\u00a0\u202f]?[^\W\d_])"
)
# An emoticon standing alone (':)', ':-(', ';P', ':D', '<3'): it ends the sentence before
# it, so a sentence neither starts with one nor runs on past one into a capital.
_EMOTICON = re.compile(r"(?<!\S)(?:[:;=8][-'^]?[)(\]\[DPpOo3/\\|*]+|<3|\^_\^)(?=\s|$)")
# '!' right after a lower-case word ends a sentence even before lower case (informal web
# text: 'great place! it was'); after a capitalised word it may be part of a name ('Yahoo!').
_BANG_END = re.compile(r"(?<![^\W\d_])[^\W\d_A-Z]*[a-z][^\W\d_]*\s?!+$")
# A separator line's run of one symbol ('*****', '=====', '_____', '~~~', '###', '---'),
# then whitespace and a capital, a quote or a bracket: a sentence starts after it.
_SEPARATOR = re.compile(r"(?<!\S)([*=_~#-])\1{2,}\S*\s+(?=[^\W\d_a-z]|[\"'“«(\[])")
_WORD_BEFORE_PERIOD = re.compile(r"(?:^|(?<=[\s(\[\"“«]))([^\W\d_]+)\.$")
_INITIAL = re.compile(r"[^\W\d_a-z]")  # a single capital
# Sentence-final marks of scripts that pysbd's English rules do not know (danda, Arabic
# question mark, Urdu full stop, Ethiopic full stop), before whitespace: a sentence starts.
_OTHER_STOPS = re.compile(r"[।॥؟۔።][\"'”’»)\]]*\s+")
# Languages that end sentences with a space and no punctuation: a sentence at each space.
_SPACE_SEPARATED = {"th", "lo", "km"}
_SPACES = re.compile(r"\s+")
_DOMAINS = {"com", "net", "org", "edu", "gov", "info", "biz", "co", "io", "uk", "de", "fr", "es", "it", "ch", "ca"}
_ELLIPSIS_END = re.compile(r"(?:\.\s?\.(?:\s?\.)*|…)[\"'”’»)\]]*$")  # '..' too, in web text
# Plain punctuation rule (for sentences pysbd left too long, and as a last resort):
# '.', '!', '?' or '…' (closing quotes or brackets may follow), whitespace, then an
# opening quote or bracket may come, then a character not in lower case; not after a single letter (an
# initial) nor after a short title abbreviation.
_PLAIN_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+(?=[«“\"'(\[¿¡]?\s?\w)")
# Abbreviations that a capital often follows inside a sentence (titles and ranks), in
# English, French, Spanish and German; and those that a number follows ('No. 5', 'Jan. 4',
# 'Fig. 2'). After one, plain punctuation does not cut, no sentence starts (before a
# number, for the second kind), and the English model's cut stands only if pysbd agrees.
_TITLES = {
    "mr", "mrs", "ms", "dr", "drs", "prof", "profs", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt", "cpl", "pvt", "maj", "adm",
    "cmdr", "det", "insp", "supt", "rev", "gov", "sen", "rep", "pres", "brig", "hon", "messrs", "mt", "ft", "mm",
    "mme", "mmes", "mlle", "mgr", "sra", "srta", "dra", "dña", "lic", "ing", "av", "hr", "fr", "frau", "herr", "vs",
    "eng", "exmo", "exma", "sta", "sto",
}
_BEFORE_NUMBERS = {
    "no", "nos", "nr", "nº", "núm", "fig", "figs", "exp", "vol", "pp", "p", "art", "sec", "ch", "cap", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "janv", "févr", "avr", "juil", "déc",
    "ene", "dic", "approx", "ca", "env", "cf", "vgl",
}
# After 'a.m.' or 'p.m.', a weekday or a month goes on the same sentence ('at 2:20 p.m. Thursday').
_AFTER_TIME = re.compile(
    r"(?i:[ap]\.m\.)\s+(?=(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\b|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\b)"
)


@lru_cache(maxsize=None)
def _segmenter(lang: str) -> pysbd.Segmenter:
    code = lang if lang in pysbd.languages.LANGUAGE_CODES else "en"
    return pysbd.Segmenter(language=code, clean=False, char_span=False)


def stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] without leading and trailing whitespace, as offsets."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def glued_starts(text: str, start: int, end: int) -> set[int]:
    """Starts of sentences glued to the previous one's final punctuation ('nationale.Ronds',
    'l’AFP.Homme', '».«\u00a0C’est'); not in an e-mail address, a URL, a domain or a dotted
    name ('Jane.Doe'), nor after an initial or a title ('Mr.Smith')."""
    found = set()
    for match in _GLUED.finditer(text, start, end):
        pos = match.end()
        letter = next((i for i in range(pos, min(end, pos + 3)) if text[i].isalpha()), end)
        if letter >= end or not text[letter].isupper():
            continue
        word = re.search(r"[^\W\d_]*$", text[max(start, match.start() - 16) : match.start() - 1]).group()
        if word and (len(word) == 1 or word.lower() in _TITLES):
            continue
        token_start = max(text.rfind(" ", start, pos) + 1, start)
        token_end = next((i for i in range(pos, min(end, pos + 200)) if text[i].isspace()), end)
        token = text[token_start:token_end]
        after = re.match(r"[^\W\d_]+", text[letter : letter + 10])
        if after and after.group().lower() in _DOMAINS:
            continue
        if "@" not in token and "/" not in token and token.count(".") <= 1:
            found.add(pos)
    return found


def _valid(text: str, start: int, end: int, starts: Iterable[int], glued: set[int]) -> set[int]:
    """The starts, moved past whitespace, where a sentence may start: after whitespace,
    after a CJK full stop, or at a glued start, and not at a closing quote or bracket;
    strictly inside text[start:end]. A start inside a run of final punctuation and
    quotes moves to the first character after the run and its whitespace."""
    found = set()
    for pos in starts:
        while pos < end and text[pos].isspace():
            pos += 1
        if start < pos < end and not (text[pos - 1].isspace() or text[pos - 1] in CJK_STOPS or pos in glued):
            run = pos  # inside a run of final punctuation ('.« Dann', '.. what'): start after it
            while run < end and text[run] in _FINAL_RUN:
                run += 1
            if run == end or not text[run].isspace():
                continue
            pos = run
            while pos < end and text[pos].isspace():
                pos += 1
        if not start < pos < end:
            continue
        if text[pos] in _CLOSING or (text[pos] == "»" and _closes(text, start, pos)):
            continue  # a closing quote or bracket ends the sentence before
        found.add(pos)
    return found


def _closes(text: str, start: int, pos: int) -> bool:
    """Whether the '»' at pos closes a quote: after a no-break space (French spacing) or
    with a '«' open before it."""
    return text[pos - 1] in "\u00a0\u202f" or text.count("«", start, pos) > text.count("»", start, pos)


def plain_starts(text: str, start: int, end: int) -> set[int]:
    """Sentence starts in text[start:end] by plain punctuation (see _PLAIN_END)."""
    found = glued_starts(text, start, end)
    for match in _PLAIN_END.finditer(text, start, end):
        first = next((ch for ch in text[match.end() : match.end() + 4] if ch.isalnum()), "")
        if first.islower():
            continue
        word = re.search(r"(\w+)\W*$", text[max(start, match.start() - 20) : match.start() + 1])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _TITLES):
            continue  # an initial or a title
        if first.isdigit() and word and word.group(1).lower() in _BEFORE_NUMBERS:
            continue
        if match.end() < end:
            found.add(match.end())
    return found


def pysbd_starts(text: str, start: int, end: int, lang: str) -> list[int]:
    """Where pysbd starts sentences in text[start:end] (the first one included)."""
    starts, cursor = [], start
    for piece in _segmenter(lang).segment(text[start:end]):
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, cursor, end)
        if found < 0:  # pysbd altered the text: the rest by plain punctuation
            return starts + sorted(plain_starts(text, cursor, end))
        starts.append(found)
        cursor = found + len(piece)
    return starts


def spans_from_starts(text: str, start: int, end: int, starts: Iterable[int]) -> list[tuple[int, int]]:
    """Stripped, non-empty sentence spans of text[start:end] cut at starts; a list
    marker alone is joined to the sentence after it."""
    cuts = sorted({s for s in starts if start < s < end})
    spans, begin = [], start
    for cut in [*cuts, end]:
        a, b = stripped(text, begin, cut)
        if b <= a:
            continue
        if cut < end and _LIST_MARKER.fullmatch(text, a, b):
            continue  # keep begin: the marker starts the next sentence
        spans.append((a, b))
        begin = cut
    return spans


def _outside_quotes(text: str, a: int, starts: set[int]) -> set[int]:
    """The starts that are outside «…» and “…” quotations (counted from a)."""
    depth, pos, kept = 0, a, set()
    for start in sorted(starts):
        for ch in text[pos:start]:
            if ch in "«“":
                depth += 1
            elif ch in "»”" and depth:
                depth -= 1
        pos = start
        if depth == 0:
            kept.add(start)
    return kept


def _resplit(text: str, spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """spans, each longer than max_chars cut again by plain punctuation: outside quotations
    first (a quotation of several sentences stays one sentence with its speaker), then,
    for a piece still too long (an unbalanced quote mark), anywhere."""
    out = []
    for a, b in spans:
        if b - a <= max_chars:
            out.append((a, b))
            continue
        found = plain_starts(text, a, b)
        for piece in spans_from_starts(text, a, b, _outside_quotes(text, a, found)):
            if piece[1] - piece[0] > max_chars:
                out.extend(spans_from_starts(text, *piece, [s for s in found if piece[0] < s < piece[1]]))
            else:
                out.append(piece)
    return out


def rule_sentences(
    text: str, start: int, end: int, lang: str, max_chars: int = DEFAULT.sentence_resplit_chars
) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] by pysbd's rules for lang (its English ones where
    it has none, and then no sentence after a title such as 'Sr.'), as offsets into text;
    also after a danda, an Arabic question mark, an Urdu or Ethiopic full stop, and at each
    space in Thai, Lao and Khmer. Sentences longer than max_chars are cut again by plain
    punctuation (see _resplit; glued sentences such as 'nationale.Ronds' only there)."""
    found = [*pysbd_starts(text, start, end, lang), *(m.end() for m in _OTHER_STOPS.finditer(text, start, end))]
    if lang in _SPACE_SEPARATED:
        found += [m.end() for m in _SPACES.finditer(text, start, end)]
    starts = _checked(text, start, end, _valid(text, start, end, found, set()))
    if lang not in pysbd.languages.LANGUAGE_CODES:  # English rules on another language: its titles
        starts = {s for s in starts if not _after_title(text, start, s)}
    return _resplit(text, spans_from_starts(text, start, end, starts), max_chars)


def _needs_agreement(text: str, start: int, pos: int) -> bool:
    """Whether a model's sentence start at pos stands only if pysbd starts one there too:
    lower case or punctuation follows, or an ellipsis, an abbreviation or an initial
    ('Capt. Mike Salomonsky', 'Albert I. Jones') comes before."""
    before = pos
    while before > start and text[before - 1].isspace():
        before -= 1
    nxt = text[pos]
    if nxt.islower() and _BANG_END.search(text, max(start, before - 30), before):
        return False
    if nxt.islower() or nxt in ".,;:!?…)]}" or _ends_with_ellipsis(text, start, before):
        return True
    word = _WORD_BEFORE_PERIOD.search(text, max(start, before - 16), before)
    return word is not None and (word.group(1).lower() in _TITLES or _INITIAL.fullmatch(word.group(1)) is not None)


def _after_title(text: str, start: int, pos: int) -> bool:
    """Whether pos follows a title abbreviation ('Sr. Silva', 'Dña. García')."""
    before = pos
    while before > start and text[before - 1].isspace():
        before -= 1
    word = _WORD_BEFORE_PERIOD.search(text, max(start, before - 16), before)
    return word is not None and word.group(1).lower() in _TITLES


def _continues(text: str, start: int, pos: int) -> bool:
    """Whether the sentence before pos goes on at pos: a number after 'No.', 'Jan.' and
    the like, a weekday or a month after 'a.m.' or 'p.m.'."""
    before = pos
    while before > start and text[before - 1].isspace():
        before -= 1
    if before == pos or text[before - 1] != ".":
        return False
    if text[pos].isdigit():
        word = _WORD_BEFORE_PERIOD.search(text, max(start, before - 16), before)
        if word is not None and word.group(1).lower() in _BEFORE_NUMBERS:
            return True
    time = _AFTER_TIME.match(text, max(start, before - 4))
    return time is not None and time.end() == pos


def _ends_with_ellipsis(text: str, start: int, pos: int) -> bool:
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return bool(_ELLIPSIS_END.search(text, max(start, pos - 8), pos))


def _checked(text: str, start: int, end: int, starts: set[int]) -> set[int]:
    """starts without a lower-case one after an ellipsis ('.. and', '... but'), without one
    where the sentence goes on (see _continues), without one at an emoticon; with one after an emoticon or a separator (see _SEPARATOR) that a
    capital follows."""
    starts = {
        s for s in starts if not (text[s].islower() and _ends_with_ellipsis(text, start, s)) and not _continues(text, start, s)
    }
    starts.update(m.end() for m in _SEPARATOR.finditer(text, start, end) if m.end() < end and not text[m.end()].islower())
    for match in _EMOTICON.finditer(text, start, end):
        starts.discard(match.start())
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
        if pos < end and text[pos].isupper():
            starts.add(pos)
    return starts


def _pysbd_may_change(text: str, start: int, end: int, model: set[int]) -> bool:
    """Whether pysbd's starts could change the result: sentence-final punctuation before
    whitespace where the model does not start a sentence, a list item, glued sentences,
    or a model start that needs pysbd's agreement."""
    for match in _PUNCT_SPACE.finditer(text, start, end):
        pos = match.end()
        while pos < end and text[pos].isspace():
            pos += 1
        if pos < end and pos not in model:
            return True
    if _LIST_ITEM.search(text, start, end) or _GLUED.search(text, start, end) or _EMOTICON.search(text, start, end):
        return True
    return any(_needs_agreement(text, start, s) for s in model)


def english_sentences(text: str, start: int, end: int, model_starts: Iterable[int]) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] from the model's sentence starts (offsets into
    text) joined with pysbd's English rules (see the module docstring)."""
    model = _valid(text, start, end, model_starts, set())
    rules: set[int] = set()
    if _pysbd_may_change(text, start, end, model):
        glued = glued_starts(text, start, end)
        rules = _valid(text, start, end, [*pysbd_starts(text, start, end, "en"), *glued], glued)
    starts = rules | {s for s in model if s in rules or not _needs_agreement(text, start, s)}
    return spans_from_starts(text, start, end, _checked(text, start, end, starts))
