"""Bytes → text: BOMs, UTF-8, detected legacy encodings, newlines, HTML to lines."""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

OK, EMPTY, BINARY, UNDECODABLE = "ok", "empty", "binary", "undecodable"
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"PK\x03\x04": "ZIP",
    b"\x1f\x8b": "gzip",
    b"\x7fELF": "ELF",
}
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html)\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
MAX_CONTROL_SHARE = 0.05
PREFERRED = ["cp1252", "iso8859_1", "iso8859_15", "cp1251", "cp1250", "koi8_r", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr", "cp1256", "cp1253", "cp1254", "cp1255", "cp1257"]
CHAOS_TOLERANCE = 0.1
BLOCK_TAGS = [
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "header",
    "footer", "nav", "aside", "main", "blockquote", "figure", "figcaption", "tr", "table", "pre", "dd", "dt",
    "title", "body", "address", "hr",
]


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None
    status: str
    detail: str = ""
    title: str | None = None


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            return kind
    sample = data[:4096]
    if b"\x00" in sample:
        return "NUL bytes"
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        return "control characters"
    return None


def _to_text(data: bytes) -> tuple[str, str] | None:
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data.decode(codec), codec.replace("-sig", "")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        return None
    best = min(matches, key=lambda m: m.chaos)
    # Many code pages decode short Western text equally cleanly; prefer the common ones.
    clean_enough = [m for m in matches if m.chaos <= best.chaos + CHAOS_TOLERANCE]
    chosen = min(clean_enough, key=lambda m: PREFERRED.index(m.encoding) if m.encoding in PREFERRED else len(PREFERRED))
    return str(chosen), chosen.encoding


def normalize_text(text: str) -> str:
    """LF newlines, NFC, no control characters (form feed → newline, tab kept)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def is_html(text: str, source_path: str) -> bool:
    return source_path.lower().endswith(HTML_SUFFIXES) or bool(_HTML_START.match(text[:1000]))


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text, one line per block element, and the <title>."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for hidden in soup(["script", "style", "noscript", "template", "head"]):
        hidden.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = []
    for chunk in soup.get_text().split("\n"):
        line = _SPACES.sub(" ", chunk).strip()
        if line:
            lines.append(line)
    return "\n".join(lines), title or None


def decode(payload: bytes | str, source_path: str = "") -> Decoded:
    if isinstance(payload, str):
        text, encoding = payload, "str"
    else:
        kind = _binary_kind(payload) if not payload.startswith(tuple(b for b, _ in BOMS)) else None
        if kind:
            return Decoded("", None, BINARY, f"binary content ({kind})")
        found = _to_text(payload)
        if found is None:
            return Decoded("", None, UNDECODABLE, "no encoding gives sensible text")
        text, encoding = found
    text = normalize_text(text)
    title = None
    if is_html(text, source_path):
        text, title = html_to_text(text)
    if not text.strip():
        return Decoded("", encoding, EMPTY, "no text")
    return Decoded(text, encoding, OK, "", title)
