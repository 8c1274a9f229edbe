"""Payload → text: BOMs, UTF-8, detected legacy encodings, clean newlines, HTML to lines.

Statuses: 'ok', or why not: 'empty' (no visible character), 'binary' (magic number,
NUL bytes, many control characters), 'undecodable' (no encoding gives sensible text).
Text is "" unless the status is 'ok'. Tabs are kept; form feeds, vertical tabs and
Unicode line/paragraph separators become newlines; other control characters go.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString
from charset_normalizer import from_bytes

OK, EMPTY, BINARY, UNDECODABLE = "ok", "empty", "binary", "undecodable"
BOMS = (  # UTF-32 LE before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAGIC = {
    b"%PDF-": "PDF", b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF",
    b"PK\x03\x04": "ZIP", b"\x1f\x8b": "gzip", b"\x7fELF": "ELF", b"\xfd7zXZ\x00": "xz", b"7z\xbc\xaf": "7z",
}
# charset_normalizer often ties Western legacy codepages (cp1250/cp1252/...): prefer these.
PREFERRED_LEGACY = ("cp1252", "iso8859-15", "iso8859-1")
SAMPLE = 4096
MAX_CONTROL_SHARE = 0.05
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html)\b", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0 but \t \n (\f \v \r made \n first), DEL, C1
BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # \v is a line break here
LINE_BREAKS = re.compile(r"\r\n?|[\f\v\x85\u2028\u2029]")
SPACES = re.compile(r"[^\S\n]+")
HIDDEN_TAGS = ["script", "style", "noscript", "template", "title"]  # the title is returned apart
CELL_TAGS = ["td", "th"]
BLOCK_TAGS = [
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None  # codec used ('utf-8', 'utf-16', 'cp1252'...), 'str' for str payloads
    status: str
    detail: str = ""
    title: str | None = None  # the HTML <title>, when the payload is HTML


def decode(payload: bytes | str, source_path: str = "") -> Decoded:
    """Decode and normalize one payload; HTML becomes one line per block element."""
    if isinstance(payload, str):
        text, encoding = payload, "str"
    else:
        kind = _binary_kind(payload)
        if kind:
            return Decoded("", None, BINARY, f"binary content ({kind})")
        found = _to_text(payload)
        if found is None:
            return Decoded("", None, UNDECODABLE, "no encoding gives sensible text")
        text, encoding = found
        if _too_many_controls(text[:SAMPLE]):
            return Decoded("", encoding, BINARY, "binary content (control characters)")
    text, title = normalize_text(text), None
    if is_html(text, source_path):
        text, title = html_to_text(text)
    if not text.strip():
        return Decoded("", encoding, EMPTY, "no text", title)
    return Decoded(text, encoding, OK, "", title)


def _has_bom(data: bytes) -> bool:
    return data.startswith(tuple(bom for bom, _ in BOMS))


def _binary_kind(data: bytes) -> str | None:
    """Why the bytes are binary, or None. UTF-16/32 text (NULs by design) is not binary."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if _has_bom(data) or _utf16_without_bom(data):
        return None
    sample = data[:SAMPLE]
    if b"\x00" in sample:
        return "NUL bytes"
    if _too_many_controls(sample.decode("latin-1")):
        return "control characters"
    return None


def _too_many_controls(sample: str) -> bool:
    return bool(sample) and len(BINARY_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_SHARE


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs sit (almost) only at odd/even offsets, as in Latin text."""
    sample = data[: SAMPLE - SAMPLE % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.9 * half and even == 0:
        return "utf-16-le"
    if even >= 0.9 * half and odd == 0:
        return "utf-16-be"
    return None


def _to_text(data: bytes) -> tuple[str, str] | None:
    """(text, codec name): BOM, then UTF-16 without BOM, then strict UTF-8, then detection."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codecs.lookup(codec.replace("-sig", "")).name
    for codec in (_utf16_without_bom(data), "utf-8"):  # UTF-16 ASCII is valid (NUL-laden) UTF-8
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                pass
    return _detect(data)


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset_normalizer's best guess, with ties broken in favour of PREFERRED_LEGACY."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    ties = [m for m in matches if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01]
    for preferred in PREFERRED_LEGACY:
        for match in ties:
            if preferred in {codecs.lookup(name).name for name in match.could_be_from_charset}:
                return data.decode(preferred), preferred
    return str(best), codecs.lookup(best.encoding).name


def normalize_text(text: str) -> str:
    """LF newlines, NFC, no leading BOM, no control characters except tab and newline."""
    text = LINE_BREAKS.sub("\n", text.lstrip("\ufeff"))
    return CONTROL.sub("", unicodedata.normalize("NFC", text))


def is_html(text: str, source_path: str = "") -> bool:
    return source_path.lower().endswith(HTML_SUFFIXES) or bool(HTML_START.match(text[:SAMPLE]))


def _collapse_source_whitespace(soup: BeautifulSoup) -> None:
    """Newlines in the HTML source are spaces (except inside <pre>): only blocks break lines."""
    in_pre = {id(s) for pre in soup.find_all("pre") for s in pre.find_all(string=True)}
    for string in soup.find_all(string=True):
        if type(string) is NavigableString and id(string) not in in_pre and "\n" in string:
            string.replace_with(string.replace("\n", " "))


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text, one line per block element (runs of spaces collapsed), and the <title>.

    script/style/noscript/template are dropped (and <title>, returned apart); nav,
    footer, figcaption... stay as lines: what is boilerplate is the cleaning step's call.
    """
    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for hidden in soup.find_all(HIDDEN_TAGS):
        hidden.decompose()
    _collapse_source_whitespace(soup)
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(CELL_TAGS):
        cell.insert_after(" ")
    for block in soup.find_all(BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = (SPACES.sub(" ", line).strip() for line in soup.get_text().split("\n"))
    text = normalize_text("\n".join(line for line in lines if line))
    title = normalize_text(SPACES.sub(" ", title)) if title else ""
    return text, title or None
