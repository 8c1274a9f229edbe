from __future__ import annotations

from tasks.ingest.html_text import visible_text


def test_lines_and_labels():
    page = visible_text(
        "<html><head><title> A  title </title></head><body>"
        "<nav id='top' class='menu main extra'><a>Home</a> | <a>World</a></nav>"
        "<article><h1>Head</h1><p>One <b>bold</b>\nline.</p>tail text<div class='share'>Share</div></article>"
        "</body></html>"
    )
    assert page.title == "A title"
    assert page.lines == ("Home | World", "Head", "One bold line.", "tail text", "Share")
    assert page.labels == ("nav#top.menu.main", "h1", "p", "article", "div.share")


def test_hidden_elements_and_soft_hyphens():
    page = visible_text(
        "<body><p>Wäh\u00adrend</p><script>x()</script><style>p{}</style><template>t</template>"
        "<p>a<span style='color: red; display: none'>gone</span><b hidden>gone too</b></p>"
        "<span style='visibility:hidden'>and this</span>after<noscript>Enable JS</noscript></body>"
    )
    assert page.lines == ("Während", "a", "after", "Enable JS")


def test_hidden_blocks_stay():  # pages hide whole articles until a script shows them
    page = visible_text("<html style='visibility:hidden'><body style='display:none'><div hidden><p>Article.</p></div></body></html>")
    assert page.lines == ("Article.",)


def test_pre_br_and_cells():
    page = visible_text("<body><pre>a  b\nc</pre><p>x<br>y</p><table><tr><td>1</td><td>2</td></tr></table></body>")
    assert page.lines == ("a b", "c", "x", "y", "1 2")


def test_empty_and_text_only_markup():
    assert visible_text("").lines == ()
    assert visible_text("just text").lines == ("just text",)
