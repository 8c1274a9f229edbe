"""Payload → text: BOMs, UTF-8, detected legacy encodings, clean newlines, HTML to lines.

Statuses: 'ok', or why not: 'empty' (no visible character), 'binary' (magic number,
NUL bytes, many control characters), 'undecodable' (no encoding gives sensible text).
Text is "" unless the status is 'ok'. Tabs are kept; form feeds, vertical tabs and
Unicode line/paragraph separators become newlines; other control characters go.

Bytes are read as: BOM, UTF-16 without BOM, valid UTF-8, mostly valid UTF-8 (with
U+FFFD for each bad byte, counted in detail), the charset the page declares (HTML meta
charset, XML encoding declaration), and only then a detected encoding.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

from tasks.config import DEFAULT, Config
from tasks.ingest.html_text import visible_text

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
# A declared charset: <meta charset=...>, <meta http-equiv content="...; charset=...">, <?xml encoding=...?>
DECLARED_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)|<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)",
    re.IGNORECASE,
)
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # an undecodable byte under errors="surrogateescape"
HIGH_BYTES = bytes(range(0x80, 0x100))
# As browsers do (WHATWG Encoding): a declared label means its superset codec.
DECLARED_AS = {
    "latin-1": "cp1252", "ascii": "cp1252", "iso8859-1": "cp1252", "iso8859-9": "cp1254",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932",
    "tis-620": "cp874", "iso8859-11": "cp874",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str | None  # codec used ('utf-8', 'utf-16', 'cp1252'...), 'str' for str payloads
    status: str
    detail: str = ""
    title: str | None = None  # the HTML <title>, when the payload is HTML
    markup: str | None = None  # the HTML source (decoded, normalized), when the payload is HTML
    labels: tuple[str, ...] = ()  # HTML: the block of each line of text ('p', 'nav.menu')


def decode(payload: bytes | str, source_path: str = "", config: Config = DEFAULT) -> Decoded:
    """Decode and normalize one payload; HTML becomes one line per block element."""
    detail = ""
    if isinstance(payload, str):
        text, encoding = payload, "str"
    else:
        kind = _binary_kind(payload)
        if kind:
            return Decoded("", None, BINARY, f"binary content ({kind})")
        found = _to_text(payload, config)
        if found is None:
            return Decoded("", None, UNDECODABLE, "no encoding gives sensible text")
        text, encoding, replaced = found
        if _too_many_controls(text[:SAMPLE]):
            return Decoded("", encoding, BINARY, "binary content (control characters)")
        if replaced:
            detail = f"{replaced} invalid {encoding} byte{'s' if replaced > 1 else ''} replaced by U+FFFD"
    text, title, markup, labels = normalize_text(text), None, None, ()
    if is_html(text, source_path):
        markup = text
        text, title, labels = html_to_text(markup)
    if not text.strip():
        return Decoded("", encoding, EMPTY, "no text", title)
    return Decoded(text, encoding, OK, detail, title, markup, labels)


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


def _to_text(data: bytes, config: Config = DEFAULT) -> tuple[str, str, int] | None:
    """(text, codec name, bytes replaced): BOM, UTF-16 without BOM, strict UTF-8, mostly
    UTF-8, the declared charset, then detection."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace"), codecs.lookup(codec.replace("-sig", "")).name, 0
    for codec in (_utf16_without_bom(data), "utf-8"):  # UTF-16 ASCII is valid (NUL-laden) UTF-8
        if codec:
            try:
                return data.decode(codec), codec, 0
            except UnicodeDecodeError:
                pass
    mostly = _mostly_utf8(data, config.utf8_max_invalid_percent)
    if mostly is not None:
        return mostly
    declared = declared_charset(data)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared), declared, 0
        except UnicodeDecodeError:
            pass
    found = _detect(data)
    return (*found, 0) if found else None


def _mostly_utf8(data: bytes, max_invalid_percent: int) -> tuple[str, str, int] | None:
    """UTF-8 with each invalid byte replaced, when valid multi-byte characters are there and
    invalid bytes are at most max_invalid_percent of the non-ASCII bytes."""
    text = data.decode("utf-8", errors="surrogateescape")  # an invalid byte b → U+DC00 + b
    text, invalid = ESCAPED_BYTE.subn("\ufffd", text)
    non_ascii = len(data) - len(data.translate(None, HIGH_BYTES))
    if invalid == non_ascii or invalid * 100 > max_invalid_percent * non_ascii:
        return None
    return text, "utf-8", invalid


def declared_charset(data: bytes) -> str | None:
    """The Python codec of the charset declared at the start of the bytes (HTML meta, XML
    declaration), read as browsers do: 'iso-8859-1' and 'ascii' as windows-1252, 'gb2312'
    as gb18030..."""
    match = DECLARED_CHARSET.search(data[:SAMPLE])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = DECLARED_AS.get(name, name)
    if name.startswith(("utf-16", "utf-32")):  # declared inside bytes that are not UTF-16: a wrong label
        return None
    return name


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


def html_to_text(markup: str) -> tuple[str, str | None, tuple[str, ...]]:
    """Visible text, one line per block element (tasks/ingest/html_text.py), the <title>,
    and each line's block label."""
    visible = visible_text(markup)
    kept = [(normalize_text(line).strip(), label) for line, label in zip(visible.lines, visible.labels)]
    kept = [(line, label) for line, label in kept if line]
    title = normalize_text(visible.title).strip() if visible.title else ""
    return "\n".join(line for line, _ in kept), title or None, tuple(label for _, label in kept)
