"""The visible text of an HTML page: one line per block element, each with its block's label.

Parsed by lxml (libxml2's HTML parser, as trafilatura does, so both see the same page).
script/style/template are dropped (and <title>, returned apart), and inline elements
not rendered (`hidden`, style display:none or visibility:hidden); noscript stays (what a
reader without scripts sees; pages put their article there too). Source newlines are
spaces except inside <pre>; <br> breaks the line; table cells are separated by a space;
soft hyphens (invisible hyphenation hints) go. nav, footer, figcaption... stay as lines:
what is boilerplate is the page reader's call (tasks/ingest/web_page.py).

A line's label names the innermost block element open when its text starts:
tag, then '#id', then up to two '.class' ('nav#menu.main', 'div.share-buttons').
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

HIDDEN_TAGS = frozenset({"script", "style", "template", "title"})
CELL_TAGS = frozenset({"td", "th"})
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "noscript", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)
SPACES = re.compile(r"\s+")
# Not rendered: the `hidden` attribute, an inline style display:none or visibility:hidden.
HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)
SOFT_HYPHEN = "\u00ad"
LABEL_CHARS = 80


@dataclass(frozen=True)
class VisibleText:
    lines: tuple[str, ...]  # non-blank, runs of whitespace collapsed to one space
    labels: tuple[str, ...]  # the block of each line ('p', 'nav.menu')
    title: str | None  # the <title>, whitespace collapsed


def _label(el) -> str:
    label = el.tag
    if el.get("id"):
        label += "#" + "".join(el.get("id").split())
    for name in (el.get("class") or "").split()[:2]:
        label += "." + name
    return label[:LABEL_CHARS]


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.labels: list[str] = []
        self.parts: list[str] = []
        self.label = ""
        self.started = False  # the line has a non-blank character

    def add(self, text: str | None, block: str, in_pre: bool) -> None:
        if not text:
            return
        if not in_pre:
            self._append(text.replace("\n", " "), block)
            return
        first, *rest = text.split("\n")
        self._append(first, block)
        for piece in rest:
            self.flush()
            self._append(piece, block)

    def _append(self, text: str, block: str) -> None:
        if not self.started and not text.isspace():
            self.label, self.started = block, bool(text)
        self.parts.append(text)

    def flush(self) -> None:
        line = SPACES.sub(" ", "".join(self.parts).replace(SOFT_HYPHEN, "")).strip()
        if line:
            self.lines.append(line)
            self.labels.append(self.label)
        self.parts, self.started = [], False


def _parse(markup: str):
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return etree.fromstring(markup.encode("utf-8", errors="replace"), parser)


def _hidden(el, tag: str) -> bool:
    """script, style...; or an inline element not rendered. A block (body, div, article...)
    hidden by its attributes stays: pages hide whole articles until a script shows them."""
    if tag in HIDDEN_TAGS:
        return True
    if tag in BLOCK_TAGS:
        return False
    style = el.get("style")
    return el.get("hidden") is not None or (bool(style) and bool(HIDDEN_STYLE.search(style)))


def visible_text(markup: str) -> VisibleText:
    root = _parse(markup)
    if root is None:
        return VisibleText((), (), None)
    title_el = root.find(".//title")
    title = SPACES.sub(" ", title_el.xpath("string()")).strip() if title_el is not None else ""
    out, blocks, pre_depth = _Lines(), [_label(root)], 0
    walk = etree.iterwalk(root, events=("start", "end"))
    for event, el in walk:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if _hidden(el, tag):
                walk.skip_subtree()
                continue
            if tag == "br":
                out.flush()
            elif tag in BLOCK_TAGS:
                out.flush()
                blocks.append(_label(el))
            pre_depth += tag == "pre"
            out.add(el.text, blocks[-1], pre_depth > 0)
            continue
        if not _hidden(el, tag):
            pre_depth -= tag == "pre"
            if tag in CELL_TAGS:
                out.add(" ", blocks[-1], False)
            elif tag in BLOCK_TAGS:
                out.flush()
                blocks.pop()
        out.add(el.tail, blocks[-1], pre_depth > 0)
    out.flush()
    return VisibleText(tuple(out.lines), tuple(out.labels), title or None)
