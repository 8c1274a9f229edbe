from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.config import Config
from tasks.ingest.decode import decode
from tasks.ingest.web_page import _fill_gaps, clean_page, read_page
from tasks.text.clean import clean

BODY = [
    "The city council voted on Tuesday to close the old harbour bridge to cars after engineers found cracks in two of its steel supports.",
    "Mayor Anna Berg said the decision was painful but necessary, and that a temporary ferry would carry commuters from next month.",
    "Repairs are expected to take at least two years and to cost about 40 million euros, according to a report seen by the council.",
    "Shop owners near the bridge said they feared losing customers, while cycling groups welcomed a calmer route into the old town.",
]
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge closes to cars | The Coast Herald</title>
<meta property="og:site_name" content="The Coast Herald">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://coastherald.example/news/harbour-bridge">
</head><body>
<header><nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>Harbour bridge closes to cars</h1>
<p>{BODY[0]}</p><p>{BODY[1]}</p><p>{BODY[2]}</p><p>{BODY[3]}</p>
<p>Lea también: <a href="/x">Otra noticia del puerto</a></p>
</article></main>
<aside class="newsletter"><p>Sign up for our newsletter to get the news every morning.</p></aside>
<footer id="site-footer"><p>© 2024 The Coast Herald. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body></html>"""


def _nonblank(texts) -> Counter:
    return Counter(ch for text in texts for ch in text if not ch.isspace())


def _read(markup: str):
    decoded = decode(markup.encode(), "page.html")
    page = read_page(decoded.markup, decoded.text, decoded.labels)
    return decoded, page, clean_page(page, clean)


def test_article_kept_furniture_removed_with_reasons():
    decoded, page, cleaned = _read(PAGE)
    for paragraph in BODY:
        assert paragraph in cleaned.text
    for furniture in ("Home", "About us", "Otra noticia", "newsletter", "© 2024"):
        assert furniture not in cleaned.text
    reasons = {r.text: r.reason for r in cleaned.removed}
    assert reasons["Home"] == "page_boilerplate:li"
    assert reasons["About us"] == "page_boilerplate:li"
    assert reasons["Lea también: Otra noticia del puerto"].startswith("page_related")
    lines = decoded.text.split("\n")
    for part in cleaned.removed:  # each removed part is where its line number says
        assert part.text in lines[part.line_no - 1]


def test_page_metadata():
    meta = _read(PAGE)[1].meta
    assert meta.title == "Harbour bridge closes to cars"
    assert (meta.outlet, meta.author, meta.published) == ("The Coast Herald", "Jane Doe", "2024-03-05")
    assert meta.url == "https://coastherald.example/news/harbour-bridge"


def test_audit_on_the_built_page():
    decoded, _, cleaned = _read(PAGE)
    assert _nonblank([decoded.text]) == _nonblank([cleaned.text, *(r.text for r in cleaned.removed)])


def test_page_without_main_content_removes_every_line():
    decoded, page, cleaned = _read("<html><body><nav><a>Home</a> <a>News</a></nav><footer>Contact</footer></body></html>")
    if page.note:
        assert cleaned.text == "" and {r.reason.split(":")[0] for r in cleaned.removed} == {"page_boilerplate"}
    assert _nonblank([decoded.text]) == _nonblank([cleaned.text, *(r.text for r in cleaned.removed)])


def test_prose_next_to_the_main_content_joins_it():
    prose = "This is a long sentence of prose with more than twelve words in it, as articles have."
    lines = ["Menu", prose, prose, "Kept line.", "Short line.", prose, "Footer | Links", prose]
    main = [False, False, False, True, True, False, False, False]
    _fill_gaps(lines, main, 12)
    assert main == [False, True, True, True, True, True, False, False]


WORDS = st.sampled_from(
    "the council voted bridge mayor said euros Lea también: Home | © 2024 By Jane Doe — AFP Share Wäh\u00adrend &amp; "
    "&nbsp; café 12. Reuters Advertisement".split(" ")
)
TEXT = st.lists(WORDS, min_size=1, max_size=30).map(" ".join)
BLOCK = st.tuples(
    st.sampled_from(["p", "div", "li", "h2", "nav", "footer", "aside", "td", "span", "noscript", "pre"]),
    st.sampled_from(["", " class='share'", " id='main'", " style='display:none'"]),
    TEXT,
    st.sampled_from(["", "<br>", "<b>bold</b> tail", "<p>inner para.</p>"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(BLOCK, min_size=1, max_size=25), st.booleans())
def test_audit_holds_on_built_pages(blocks, in_article):
    body = "".join(f"<{tag}{attrs}>{text}{extra}</{tag}>" for tag, attrs, text, extra in blocks)
    if in_article:
        body = f"<article><h1>Title</h1><p>{BODY[0]}</p>{body}<p>{BODY[1]}</p></article>"
    decoded = decode(f"<html><body>{body}</body></html>".encode(), "page.html")
    if decoded.status != "ok":
        return
    page = read_page(decoded.markup, decoded.text, decoded.labels)
    cleaned = clean_page(page, clean)
    assert _nonblank([decoded.text]) == _nonblank([cleaned.text, *(r.text for r in cleaned.removed)])
    lines = decoded.text.split("\n")
    assert all(part.text in lines[part.line_no - 1] for part in cleaned.removed)


def test_page_too_large_for_extraction_keeps_lines_for_the_line_rules():
    decoded = decode(PAGE.encode(), "page.html")
    page = read_page(decoded.markup, decoded.text, decoded.labels, Config(page_max_tags=10))
    assert "line rules only" in page.note and "Home" in page.kept_text and BODY[0] in page.kept_text
    assert not any(r.reason.startswith("page_boilerplate") for r in page.removed)  # only the page line rules
