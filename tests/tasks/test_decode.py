import codecs

from tasks.decode import decode


def test_utf8_with_bom_and_crlf():
    d = decode(codecs.BOM_UTF8 + "Première ligne\r\nSeconde\rTroisième".encode("utf-8"))
    assert (d.status, d.encoding, d.text) == ("ok", "utf-8", "Première ligne\nSeconde\nTroisième")


def test_utf16_with_bom():
    d = decode("Grüße aus Köln".encode("utf-16"))
    assert (d.status, d.encoding, d.text) == ("ok", "utf-16", "Grüße aus Köln")


def test_legacy_encoding_is_detected():
    text = "Le café de la gare a fermé ses portes à Genève hier soir, a déclaré le propriétaire « très déçu »."
    d = decode(text.encode("cp1252"))
    assert d.status == "ok" and d.text == text and d.encoding not in ("utf-8", "str")


def test_empty_and_whitespace_only():
    assert decode(b"").status == "empty"
    assert decode(b" \n\t\r\n").status == "empty"
    assert decode("   ").status == "empty"


def test_binary_content():
    d = decode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert (d.status, d.text) == ("binary", "") and "PNG" in d.detail
    assert decode(b"plain start\x00\x00\x00 then zeros").status == "binary"


def test_str_payload_is_normalized():
    d = decode("\ufeffCafe\u0301\fnext page")
    assert (d.status, d.encoding, d.text) == ("ok", "str", "Café\nnext page")


def test_html_becomes_one_line_per_block_with_title():
    html = (
        "<!DOCTYPE html><html><head><title>Floods</title><style>p{}</style></head><body>"
        "<h1>Floods hit Dhaka</h1><p>Rivers <b>burst</b> their banks &amp; roads closed.</p>"
        "<script>var x;</script><figure><figcaption>Photo: AFP</figcaption></figure></body></html>"
    )
    d = decode(html.encode("utf-8"), "story.bin")
    assert d.text == "Floods hit Dhaka\nRivers burst their banks & roads closed.\nPhoto: AFP"
    assert d.title == "Floods"
    assert decode(b"<p>One</p><p>Two</p>", "a.htm").text == "One\nTwo"
