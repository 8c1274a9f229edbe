"""Table cells of the report page: numbers, shares, documents (headline, outlet, link), all escaped.

Pure: plain values in, HTML fragments out. A link is only made for an http(s) URL.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

LABELS = {  # column name -> header (others: the name without its n_ prefix, underscores as spaces)
    "bundle_id": "Bundle", "story_id": "Story", "lang": "Language", "n_ok": "OK", "n_not_ok": "Not OK",
    "n_chars_raw": "Characters in", "n_chars": "Characters kept", "removed_char_share": "Removed",
    "n_removed_parts": "Parts removed", "avg_lang_prob": "Language confidence", "claim_id": "Claim",
    "claim_text": "Claim (first wording)", "n_wordings": "Wordings", "document_links": "Carried by",
    "as_written": "As written", "canonical": "Entity", "rank_in_label": "Rank", "surface_forms": "Written as",
    "n_surface_forms": "Forms", "unique_share": "Unique share", "unique_sentence": "Sentence only this document has",
    "n_unique_sentences": "Unique sentences", "sent_id": "Sentence", "shared_sentence": "Shared sentence",
    "n_shared_with": "Shared with (n)", "shared_with": "Shared with", "outlet_or_agency": "Outlet or agency",
    "n_copies": "Copies", "cluster_id": "Cluster", "example_quote": "Example quote", "headline": "Document",
    "first_published": "First published", "last_published": "Last published", "entity_a": "Entity",
    "entity_b": "With", "label_a": "Label", "label_b": "Label", "n_outlets": "Outlets", "label": "Story", "first_seen": "First seen",
    "documents": "Documents",
}
LANGUAGES = {
    "en": "English", "fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "ar": "Arabic", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "tr": "Turkish", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "fi": "Finnish", "el": "Greek", "cs": "Czech", "ro": "Romanian", "hu": "Hungarian", "ca": "Catalan",
}
NUMBER_SUFFIX = re.compile(r"(\d+)")
LIST_ITEMS = 8  # sentences listed in one cell


@dataclass(frozen=True)
class DocLink:
    headline: str | None
    outlet: str | None
    url: str | None
    source_path: str | None


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def header(column: str) -> str:
    if column in LABELS:
        return LABELS[column]
    name = column[2:] if column.startswith("n_") else column
    return name.replace("_", " ").capitalize()


def language_name(code: str | None) -> str:
    if not code:
        return "(unknown)"
    if code.startswith("status:"):
        return f"not read ({code[7:]})"
    return f"{LANGUAGES[code]} ({code})" if code in LANGUAGES else code


def safe_url(url: object) -> str | None:
    """url if it is an http(s) address (never javascript:, data: or a local path), else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. 'http://[abc/x': an unclosed IPv6 bracket
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def natural_key(text: object) -> tuple:
    """Sort key that orders the numbers inside a text by value: 'a:2' before 'a:13'."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in NUMBER_SUFFIX.split(str(text)) if p)


def number(value: int | float, share: bool = False) -> str:
    if share:
        return "<0.1%" if 0 < value < 0.001 else f"{value:.1%}"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:,.2f}"


def doc_links(value: object) -> list[DocLink]:
    """The JSON list of a document_links column (malformed or empty -> no links)."""
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [
        DocLink(i.get("headline"), i.get("outlet"), i.get("url"), i.get("source_path"))
        for i in items if isinstance(i, dict)
    ] if isinstance(items, list) else []


def document(link: DocLink, with_outlet: bool = True) -> str:
    """A document as the page names it: outlet, then its headline linked to its URL (file name on hover)."""
    headline = link.headline or link.source_path or "(untitled)"
    tip = f" title='{esc(link.source_path)}'" if link.source_path else ""
    url = safe_url(link.url)
    name = f"<a href='{esc(url)}'{tip} rel='noopener noreferrer'>{esc(headline)}</a>" if url else f"<span{tip}>{esc(headline)}</span>"
    outlet = f"<span class='outlet'>{esc(link.outlet)}</span> " if with_outlet and link.outlet else ""
    return outlet + name


def cell(column: str, value: object, row: dict, lookup: dict[str, DocLink]) -> tuple[str, str, object]:
    """(html, css class, sort value or None) of one table cell."""
    if column == "headline":
        link = DocLink(value, None, row.get("url"), row.get("source_path"))
        css = "doc" if row.get("has_title", True) is not False else "doc opening"
        return document(link, with_outlet=False), css, None
    if column == "story_id" and value is not None and f"story:{value}" in lookup:  # a story by its headline
        story = lookup[f"story:{value}"].headline or str(value)
        short = story if len(story) <= 70 else story[:69].rstrip() + "…"
        return f"<span title='{esc(f'story {value}: {story}')}'>{esc(short)}</span>", "", None
    if column == "document_links":
        links = doc_links(value)
        more = (row.get("n_documents") or 0) - len(links)
        items = "".join(f"<li>{document(link)}</li>" for link in links)
        extra = f"<li class='muted'>and {more:,} more (see the CSV)</li>" if more > 0 else ""
        return f"<ul class='docs'>{items}{extra}</ul>", "docs", len(links)
    if column in ("shared_with", "documents") and isinstance(value, str):  # file names joined with ' | '
        names = list(dict.fromkeys(p.strip() for p in value.split(" | ") if p.strip()))
        items = "".join(
            f"<li>{document(lookup[p]) if p in lookup else esc(p)}</li>" for p in names
        )
        return f"<ul class='docs'>{items}</ul>", "docs", None
    if column == "url":
        url = safe_url(value)  # a url safe_url accepts splits without error
        return (f"<a href='{esc(url)}' rel='noopener noreferrer'>{esc(urlsplit(url).netloc)}</a>" if url else esc(value)), "", None
    if column in ("lang",) and isinstance(value, str):
        return esc(language_name(value)), "", None
    if value is None:
        return "<span class='muted'>–</span>", "", None
    if isinstance(value, list):  # sentences of one document, gathered by the page
        items = "".join(f"<li>{esc(v)}</li>" for v in value[:LIST_ITEMS])
        extra = f"<li class='muted'>and {len(value) - LIST_ITEMS:,} more</li>" if len(value) > LIST_ITEMS else ""
        return f"<ul class='docs'>{items}{extra}</ul>", "long", len(value)
    if isinstance(value, Decimal):  # DuckDB's sums of integers
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return ("yes" if value else "no"), "", int(value)
    if isinstance(value, (int, float)):
        return esc(number(value, share=column.endswith("share"))), "num", value
    text = str(value)
    css = "long" if len(text) > 80 else "short" if len(text) <= 12 else ""
    return esc(text), css, None
