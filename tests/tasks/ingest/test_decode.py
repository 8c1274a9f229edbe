from __future__ import annotations

import codecs

import pytest

from tasks.ingest.decode import Decoded, decode

CP1252_TEXT = (
    "Caf\xe9 \x93quoted\x94 said the owner. The caf\xe9 served a na\xefve cr\xe8me br\xfbl\xe9e "
    "to the \x93journalists\x94 who wrote about it the next morning."
)
EXPECTED_CP1252 = (
    "Café “quoted” said the owner. The café served a naïve crème brûlée "
    "to the “journalists” who wrote about it the next morning."
)


def test_plain_utf8():
    assert decode("Ünïcode text".encode()) == Decoded("Ünïcode text", "utf-8", "ok")


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + "Héllo wörld".encode(), "utf-8"),
        (codecs.BOM_UTF16_LE + "Héllo wörld".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "Héllo wörld".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "Héllo wörld".encode("utf-32-le"), "utf-32"),
    ],
)
def test_bom_is_not_part_of_the_text(data, encoding):
    decoded = decode(data)
    assert (decoded.text, decoded.encoding, decoded.status) == ("Héllo wörld", encoding, "ok")


def test_utf16_without_bom():
    decoded = decode("Plain English text\r\nin UTF-16.".encode("utf-16-le"))
    assert (decoded.text, decoded.encoding) == ("Plain English text\nin UTF-16.", "utf-16-le")


def test_newlines_and_controls():
    decoded = decode(b"one\r\ntwo\rthree\fform\x0bvt\tkept\x07gone\x7f\n" + b"long enough " * 5)
    assert decoded.text == "one\ntwo\nthree\nform\nvt\tkeptgone\n" + "long enough " * 5
    assert decode("nul\x00 and C1\x9c gone").text == "nul and C1 gone"


def test_str_payload():
    decoded = decode("\ufeffCafe\u0301\r\nnext\u2028line")
    assert decoded == Decoded("Café\nnext\nline", "str", "ok")  # NFC: e + combining acute → é


def test_cp1252_curly_quotes():
    decoded = decode(CP1252_TEXT.encode("latin-1"))
    assert (decoded.text, decoded.encoding, decoded.status) == (EXPECTED_CP1252, "cp1252", "ok")


def test_short_cp1252():
    decoded = decode("Caf\xe9 \x93quoted\x94".encode("latin-1"))
    assert decoded.text == "Café “quoted”" and decoded.encoding == "cp1252"


def test_cp1251_is_not_forced_to_cp1252():
    text = "Москва заявила, что переговоры продолжаются. Президент сказал журналистам."
    decoded = decode(text.encode("cp1251"))
    assert (decoded.text, decoded.encoding) == (text, "cp1251")


@pytest.mark.parametrize("payload", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8, "  \n", "\x00\x01 "])
def test_empty(payload):
    decoded = decode(payload)
    assert (decoded.status, decoded.text) == ("empty", "")


@pytest.mark.parametrize(
    "payload, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"text\x00with\x00nul\x00bytes\x00" * 10, "NUL bytes"),
        (b"\x1b\x02\x03\x04abc" * 50, "control characters"),
    ],
)
def test_binary(payload, kind):
    decoded = decode(payload, "file.bin")
    assert (decoded.status, decoded.text, decoded.encoding) == ("binary", "", None)
    assert kind in decoded.detail


def test_undecodable():
    decoded = decode(bytes(range(0x80, 0x100)) * 4)
    assert (decoded.status, decoded.text) == ("undecodable", "")


HTML = """<!DOCTYPE html>
<html><head><title> Troops   arrive &amp; more </title><style>p {color: red}</style>
<script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Troops arrive</h1>
<p>KYIV &mdash; Ukraine   said\n  on Thursday.</p><p>Second<br>paragraph &eacute;t&eacute;.</p>
<figure><img src="x.jpg"><figcaption>Photo: AFP</figcaption></figure>
<table><tr><td>cell 1</td><td>cell 2</td></tr></table>
<noscript>Enable JS</noscript></article><footer>© 2024 Outlet</footer></body></html>"""


def test_html_to_lines_with_title():
    decoded = decode(HTML.encode())
    assert decoded.status == "ok" and decoded.title == "Troops arrive & more"
    assert decoded.text.split("\n") == [
        "Home | World",
        "Troops arrive",
        "KYIV — Ukraine said on Thursday.",
        "Second",
        "paragraph été.",
        "Photo: AFP",
        "cell 1 cell 2",
        "Enable JS",  # noscript is what a reader without scripts sees: visible, the page reader judges it
        "© 2024 Outlet",
    ]


def test_html_detected_by_extension():
    decoded = decode(b"<div>One</div><div>Two &amp; three</div>", "page.htm")
    assert (decoded.text, decoded.title) == ("One\nTwo & three", None)


def test_html_detected_by_start_and_not_otherwise():
    assert decode(b"  <HTML><body><p>a</p><p>b</p></body></HTML>").text == "a\nb"
    assert decode(b"Use <p> tags for paragraphs.").text == "Use <p> tags for paragraphs."


def test_html_without_visible_text_is_empty():
    decoded = decode(b"<html><head><title>Only title</title></head><body><script>x()</script></body></html>")
    assert (decoded.status, decoded.text, decoded.title) == ("empty", "", "Only title")


def test_html_soft_hyphens_go():
    assert decode("<p>Wäh\u00adrend Sie schlen&shy;dern</p>".encode(), "page.html").text == "Während Sie schlendern"


def test_html_markup_kept_for_the_page_reader():
    decoded = decode(b"<html><body><p>a</p></body></html>")
    assert decoded.markup == "<html><body><p>a</p></body></html>" and decode(b"plain").markup is None


GERMAN = "Die Standardausführung für Männer kostet 20 €. Größere Modelle: später. " * 3


def test_mostly_utf8_is_utf8_with_replacement():
    data = GERMAN.encode() + b" Bad \xfc and \x96 bytes."  # two stray cp1252 bytes in UTF-8
    decoded = decode(data)
    assert decoded.encoding == "utf-8" and "Standardausführung" in decoded.text
    assert decoded.text.endswith("Bad \ufffd and \ufffd bytes.")
    assert decoded.detail == "2 invalid utf-8 bytes replaced by U+FFFD"


def test_mostly_utf8_in_a_page_declaring_utf8():
    page = b'<html><head><meta charset="utf-8"></head><body><p>' + GERMAN.encode() + b"\xe4</p></body></html>"
    decoded = decode(page)
    assert decoded.encoding == "utf-8" and decoded.text == GERMAN + "\ufffd" and decoded.status == "ok"


def test_legacy_bytes_are_not_mostly_utf8():
    decoded = decode(GERMAN.encode("cp1252"))
    assert decoded.text == GERMAN and decoded.encoding == "cp1252" and decoded.detail == ""


@pytest.mark.parametrize(
    "head, encoding",
    [
        (b'<meta charset="windows-1250">', "cp1250"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-2'>", "iso8859-2"),
        (b'<meta charset="iso-8859-1">', "cp1252"),  # as browsers read it
    ],
)
def test_html_meta_charset_is_honoured(head, encoding):
    text = "Zażółć gęślą jaźń: łódź, śnieg, źdźbło." if encoding != "cp1252" else "Café “quoted” naïve."
    page = b"<html><head>" + head + b"</head><body><p>" + text.encode(encoding) + b"</p></body></html>"
    decoded = decode(page)
    assert (decoded.encoding, decoded.text) == (encoding, text)


def test_xml_encoding_declaration_is_honoured():
    text = "Žluťoučký kůň úpěl ďábelské ódy."
    data = b'<?xml version="1.0" encoding="ISO-8859-2"?><html><body><p>' + text.encode("iso8859-2") + b"</p></body></html>"
    assert (decode(data).encoding, decode(data).text) == ("iso8859-2", text)


def test_declared_gb2312_read_as_gb18030():  # as browsers do: 镕 is in GBK, not in GB2312
    text = "朱镕基总理今天在北京会见了来访的代表团，双方就经贸合作交换了意见。"
    page = b'<html><head><meta charset="gb2312"></head><body><p>' + text.encode("gb18030") + b"</p></body></html>"
    decoded = decode(page)
    assert (decoded.encoding, decoded.text) == ("gb18030", text)
