"""The report page (OUT/reports/index.html): every report on one self-contained page for analysts.

Pure: takes the reports (name, first rows as an Arrow table, row count, CSV path) and returns
one HTML document with inline CSS, inline SVG charts and a small inline script (click a column
header to sort; numbers inside text sort by value). Nothing is loaded from elsewhere: a
Content-Security-Policy forbids any fetch, and allows only the page's own script by its hash.
Every text from the data is HTML-escaped; a link is made only for an http(s) URL.

Order: an overview first (key figures, corpus summary, languages, outlets, stories), then
documents, claims, conflicts, quotes, entities and copies; reports the page does not know
come last, as tables.
"""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import pyarrow as pa

from tasks.report import charts as report_charts
from tasks.report.cells import DocLink, cell, doc_links, esc, header, natural_key, number

MAX_TABLE_ROWS = 100  # rows of a report shown in its table (the whole report is in its CSV)
MAX_STORY_CARDS = 12  # stories of story_summary shown as cards
STORY_PARTS = (  # story_summary: (list column, its count column, heading)
    ("outlets", "n_outlets", "Outlets"), ("shared_claims", "n_shared_claims", "Claims several outlets carry"),
    ("outlet_additions", None, "What each outlet alone adds"), ("conflicts", "n_conflicts", "Conflicting figures"),
    ("speakers", "n_speakers", "Who said what"),
)


class ReportLike(Protocol):  # tasks.store.warehouse.Report
    name: str
    head: pa.Table
    n_rows: int

    @property
    def csv_path(self): ...


@dataclass(frozen=True)
class View:
    title: str
    about: str  # one line: what the report shows
    columns: tuple[str, ...] = ()  # shown columns (in this order); empty: all but the page's hidden ones


VIEWS = {
    "corpus_summary": View("Corpus summary", "Documents of each bundle and of the whole corpus, and what cleaning removed."),
    "languages": View("Languages", "Documents per detected language; documents that could not be read show their status."),
    "outlets": View("Outlets", "Documents per outlet (the document's outlet, else its web address, else its agency)."),
    "stories_overview": View(
        "Stories", "Articles about the same event share a story, across bundles and runs; the largest first.",
        ("label", "n_documents", "n_outlets", "outlets", "languages", "first_seen", "first_published",
         "last_published", "n_bundles"),
    ),
    "document_list": View(
        "Documents", "Every document with its headline (its title, else its opening words in italics), outlet and link; "
        "the largest stories first.",
        ("bundle_id", "story_id", "headline", "outlet", "published", "author", "lang", "status", "n_sentences", "n_chars"),
    ),
    "claims_by_outlets": View("Claims by number of outlets", "How many claims (sentences that match across documents) one, two or more outlets carry."),
    "consensus": View(
        "Claims carried by several documents", "The same fact in several documents, the most widely carried first.",
        ("bundle_id", "story_id", "claim_text", "n_outlets", "n_documents", "n_wordings", "documents", "claim_id"),
    ),
    "conflicting_amounts": View(
        "Conflicting figures", "The same counted thing given different values by different documents.",
        ("story_id", "subject", "kind", "unit", "value", "n_documents", "as_written", "evidence", "document_links",
         "documents"),
    ),
    "story_summary": View("Story by story", "For each story: its outlets, the claims several outlets carry, what each "
                          "outlet alone adds, conflicting figures and who said what; the largest stories first."),
    "quotes_by_speaker": View("Quotes by speaker", "Who is quoted, how often, in how many documents, with which verbs."),
    "top_entities": View("Top entities", "The most frequent people, organisations, places and other names, by documents mentioning them."),
    "entity_cooccurrence": View("Entities named together", "Pairs of names mentioned in the same sentence."),
    "syndication": View(
        "Copies (near-duplicates)", "Groups of near-identical documents, and the sentences each copy shares with the others.",
        ("bundle_id", "cluster_id", "n_copies", "headline", "outlet_or_agency", "sent_id", "shared_sentence", "shared_with"),
    ),
    "unique_contributions": View(
        "What each document adds", "Sentences no other document carries, per document.",
        ("bundle_id", "story_id", "headline", "outlet", "n_sentences", "n_unique_sentences", "unique_share", "unique_sentence"),
    ),
}
GROUPS = (
    ("overview", "Overview", ("corpus_summary", "languages", "outlets", "stories_overview")),
    ("stories", "Stories", ("story_summary",)),
    ("documents", "Documents", ("document_list",)),
    ("claims", "Claims", ("claims_by_outlets", "consensus", "unique_contributions")),
    ("conflicts", "Conflicts", ("conflicting_amounts",)),
    ("quotes", "Quotes", ("quotes_by_speaker",)),
    ("entities", "Entities", ("top_entities", "entity_cooccurrence")),
    ("copies", "Copies", ("syndication",)),
)
ALWAYS_HIDDEN = {"doc_id", "has_title"}
# reports with one row per sentence, shown as one row per document: (key columns, sentence column)
GATHER = {
    "unique_contributions": (("bundle_id", "source_path"), "unique_sentence"),
    "syndication": (("bundle_id", "cluster_id", "source_path"), "shared_sentence"),
}

STYLE = """
:root{--ink:#1d2630;--muted:#6b7682;--line:#e3e7eb;--bg:#f6f7f9;--accent:#2f6f9f}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#16324a;color:#fff;padding:22px 32px 18px}header.top h1{margin:0;font-size:24px}
header.top p{margin:4px 0 0;color:#c9d6e2}nav{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:8px 32px}
nav a{margin-right:18px;color:var(--accent);text-decoration:none;font-weight:600}nav a:hover{text-decoration:underline}
main{max-width:1240px;margin:0 auto;padding:8px 32px 48px}.group>h1{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);margin:30px 0 6px;border-bottom:2px solid var(--line);padding-bottom:4px}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:12px;margin:16px 0}
.kpi{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}.kpi b{display:block;font-size:26px;line-height:1.1}.kpi span{color:var(--muted);font-size:12px}
section.report{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px;margin:14px 0}
section.report h2{margin:0 0 2px;font-size:18px}p.about{margin:0 0 10px;color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:8px 24px;margin:6px 0 12px}.charts h3{font-size:13px;margin:4px 0;color:var(--muted)}
svg.chart{display:block;font:12px system-ui,sans-serif;fill:var(--ink)}svg .val{font-weight:600}svg .note{fill:var(--muted);font-weight:400}svg .grp{font-weight:700}svg .axis{stroke:#c5ccd3}
.scroll{max-height:460px;overflow:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}th{position:sticky;top:0;background:#eef1f4;text-align:left;padding:6px 8px;cursor:pointer;white-space:nowrap;border-bottom:1px solid var(--line)}
th[data-dir=asc]::after{content:" \\25B2"}th[data-dir=desc]::after{content:" \\25BC"}
td{padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}tr:hover td{background:#fafbfc}th.num{text-align:right}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.long{min-width:320px}td.short{white-space:nowrap}td.doc{min-width:260px}td.opening{font-style:italic}ul.docs{margin:0;padding-left:16px;min-width:280px}
details.story{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:8px 0}
details.story summary{cursor:pointer;font-size:15px}details.story h4{margin:10px 0 2px;font-size:13px;color:var(--muted)}
details.story ul{margin:0;padding-left:18px}
.outlet{display:inline-block;background:#e8f0f7;color:#1f4f75;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600}
a{color:var(--accent)}.muted{color:var(--muted)}p.rows{margin:8px 0 0;color:var(--muted);font-size:12px}.empty{color:var(--muted);font-style:italic}
"""

SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0], i = th.cellIndex, up = th.dataset.dir !== 'asc';
    var words = new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'});
    th.parentNode.querySelectorAll('th').forEach(function (h) { delete h.dataset.dir; });
    th.dataset.dir = up ? 'asc' : 'desc';
    Array.from(body.rows).sort(function (a, b) {
      var x = a.cells[i].dataset.sort, y = b.cells[i].dataset.sort;
      var d = (x !== undefined && y !== undefined) ? x - y : words.compare(a.cells[i].textContent, b.cells[i].textContent);
      return up ? d : -d;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""


def render_page(reports: list[ReportLike], title: str = "newsetl report") -> str:
    by_name = {r.name: r for r in reports}
    rows = {r.name: r.head.to_pylist() for r in reports}
    lookup = _doc_lookup(rows)
    bundles = [r["bundle_id"] for r in rows.get("corpus_summary", []) if r.get("bundle_id") != "(all)"]
    hidden = ALWAYS_HIDDEN | ({"bundle_id"} if len(bundles) == 1 else set())
    if not any(r.get("story_id") is not None for r in rows.get("document_list", [])):
        hidden.add("story_id")
    body, nav = [], []
    known = set()
    for group_id, group_title, names in GROUPS:
        sections = [_section(by_name[n], rows[n], hidden, lookup) for n in names if n in by_name]
        known.update(names)
        if sections:
            nav.append(f"<a href='#{group_id}'>{esc(group_title)}</a>")
            kpis = _kpis(rows, by_name) if group_id == "overview" else ""
            body.append(f"<div class='group' id='{group_id}'><h1>{esc(group_title)}</h1>{kpis}{''.join(sections)}</div>")
    others = [r for r in reports if r.name not in known]
    if others:
        nav.append("<a href='#more'>More reports</a>")
        body.append("<div class='group' id='more'><h1>More reports</h1>"
                    + "".join(_section(r, rows[r.name], hidden, lookup) for r in others) + "</div>")
    nav.append("<a href='#downloads'>Downloads</a>")
    body.append(_downloads(reports))
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'; img-src data:"
    subtitle = _subtitle(rows, bundles)
    return "\n".join([
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>",
        f"<header class='top'><h1>{esc(title)}</h1><p>{esc(subtitle)}</p></header>",
        f"<nav>{''.join(nav)}</nav><main>",
        *body,
        f"</main><script>{SCRIPT}</script></body></html>",
    ])


def _subtitle(rows: dict, bundles: list[str]) -> str:
    total = next((r for r in rows.get("corpus_summary", []) if r.get("bundle_id") == "(all)"), None)
    parts = [f"{number(total['n_documents'])} documents" if total else None]
    if bundles:
        parts.append(("bundle " if len(bundles) == 1 else f"{len(bundles)} bundles: ") + ", ".join(bundles[:6])
                     + (" …" if len(bundles) > 6 else ""))
    return " · ".join(p for p in parts if p)


def _kpis(rows: dict, by_name: dict) -> str:
    cards = []
    total = next((r for r in rows.get("corpus_summary", []) if r.get("bundle_id") == "(all)"), None)
    if total:
        cards.append((number(total["n_documents"]), "documents", f"{number(total['n_not_ok'])} not read" if total["n_not_ok"] else "all read"))
        cards.append((number(total["n_sentences"]), "sentences", ""))
    if "languages" in rows:
        langs = [r for r in rows["languages"] if not str(r["lang"]).startswith("status:")]
        cards.append((number(len(langs)), "languages", ", ".join(str(r["lang"]) for r in langs[:5])))
    if "outlets" in by_name:
        cards.append((number(by_name["outlets"].n_rows), "outlets", ""))
    if "stories_overview" in by_name:
        cards.append((number(by_name["stories_overview"].n_rows), "stories", ""))
    if "claims_by_outlets" in rows:
        shared = sum(r["n_claims"] for r in rows["claims_by_outlets"] if r["n_outlets"] >= 2)
        cards.append((number(shared), "claims in 2+ outlets", ""))
    if "conflicting_amounts" in by_name:
        n, exact = report_charts.conflict_count(rows["conflicting_amounts"], by_name["conflicting_amounts"].n_rows)
        cards.append((("" if exact else "≥ ") + number(n), "conflicting figures", ""))
    if "quotes_by_speaker" in by_name:
        q = sum(r["n_quotes"] for r in rows["quotes_by_speaker"])
        exact = by_name["quotes_by_speaker"].n_rows == len(rows["quotes_by_speaker"])
        cards.append((("" if exact else "≥ ") + number(q), "quotes", ""))
    return "<div class='kpis'>" + "".join(
        f"<div class='kpi'><b>{esc(v)}</b><span>{esc(label)}{(' · ' + esc(note)) if note else ''}</span></div>"
        for v, label, note in cards
    ) + "</div>"


def _section(report: ReportLike, rows: list[dict], hidden: set[str], lookup: dict[str, DocLink]) -> str:
    view = VIEWS.get(report.name, View(report.name.replace("_", " ").capitalize(), ""))
    charts = report_charts.charts(report.name, rows, lookup, report.n_rows)
    shown_rows = _sorted(report.name, _gathered(report.name, rows))[:MAX_TABLE_ROWS]
    columns = [c for c in (view.columns or report.head.column_names) if c in report.head.column_names]
    hide = hidden - {"bundle_id"} if report.name == "corpus_summary" else hidden
    columns = [c for c in columns if c not in hide and not (c == "source_path" and "headline" in columns)]
    if report.name in GATHER:
        columns = [c for c in columns if c not in ("sent_id", "n_shared_with")]
    columns = [c for c in columns if not (c == "documents" and "document_links" in columns)]
    if not view.columns:
        columns = [c for c in columns if not (c == "url" and "headline" in columns)]
    csv = esc(report.csv_path.name)
    parts = [f"<section class='report'><h2 id='{esc(report.name)}'>{esc(view.title)}</h2>"]
    if view.about:
        parts.append(f"<p class='about'>{esc(view.about)}</p>")
    if charts:
        parts.append(f"<div class='charts'>{charts}</div>")
    if not rows:
        parts.append(f"<p class='empty'>{esc(_empty_text(report.name))}</p>")
    elif report.name == "story_summary":
        shown_rows = rows[:MAX_STORY_CARDS]
        parts.append("".join(_story_card(row, i < 3) for i, row in enumerate(shown_rows)))
    else:
        parts.append(_table(columns, shown_rows, lookup))
    if report.name == "story_summary":
        shown = f"{len(shown_rows):,} of {report.n_rows:,} stories"
    elif report.name in GATHER:
        of = f" from the first {len(rows):,}" if report.n_rows > len(rows) else ""
        shown = f"{len(shown_rows):,} documents{of} of {report.n_rows:,} rows"
    elif report.n_rows > len(shown_rows):
        shown = f"Showing {len(shown_rows):,} of {report.n_rows:,} rows"
    else:
        shown = f"{report.n_rows:,} rows"
    parts.append(f"<p class='rows'>{shown} · full data: <a href='{csv}'>{csv}</a></p></section>")
    return "".join(parts)


def _story_card(row: dict, open_: bool) -> str:
    """One story of story_summary: its label, then each of its lists as bullets (items split on ' | ')."""
    meta = " · ".join(p for p in (
        f"first seen {row['first_seen']}" if row.get("first_seen") else "",
        f"{number(row['n_documents'])} documents" if row.get("n_documents") is not None else "",
        f"{number(row['n_outlets'])} outlets" if row.get("n_outlets") is not None else "",
    ) if p)
    blocks = []
    for column, count, heading in STORY_PARTS:
        items = [i for i in str(row.get(column) or "").split(" | ") if i.strip()]
        if not items:
            continue
        n = row.get(count) if count else None
        more = f" ({number(n)}, {len(items)} shown)" if isinstance(n, int) and n > len(items) else ""
        blocks.append(f"<h4>{esc(heading)}{esc(more)}</h4><ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    label = row.get("label") or row.get("story_id")
    return (f"<details class='story' id='story-{esc(row.get('story_id'))}'{' open' if open_ else ''}>"
            f"<summary><b>{esc(label)}</b> <span class='muted'>{esc(meta)}</span></summary>{''.join(blocks)}</details>")


def _empty_text(name: str) -> str:
    if name == "stories_overview":
        return "No stories: no document has a story."
    return "Nothing to show: the report has no rows."


def _gathered(name: str, rows: list[dict]) -> list[dict]:
    """One row per document for the reports in GATHER: its sentences as a list, its 'shared with' merged."""
    if name not in GATHER:
        return rows
    keys, sentences = GATHER[name]
    out: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row.get(k) for k in keys)
        first = out.setdefault(key, dict(row, **{sentences: []}, shared_with=None))
        if row.get(sentences) is not None:
            first[sentences].append(row[sentences])
        if row.get("shared_with"):
            first["shared_with"] = " | ".join(filter(None, (first["shared_with"], row["shared_with"])))
    return list(out.values())


def _sorted(name: str, rows: list[dict]) -> list[dict]:
    if name == "consensus":  # most outlets first, then claims in the order of their document and sentence
        return sorted(rows, key=lambda r: (str(r.get("bundle_id")), -(r.get("n_outlets") or 0),
                                           -(r.get("n_documents") or 0), natural_key(r.get("claim_id"))))
    return rows


def _table(columns: list[str], rows: list[dict], lookup: dict[str, DocLink]) -> str:
    first = rows[0] if rows else {}
    numeric = {c for c in columns if isinstance(first.get(c), (int, float, Decimal)) and not isinstance(first.get(c), bool)}
    head = "".join(f"<th title='{esc(c)}'{' class=num' if c in numeric else ''}>{esc(header(c))}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            content, css, sort = cell(c, row.get(c), row, lookup)
            attrs = (f" class='{css}'" if css else "") + (f" data-sort='{esc(sort)}'" if sort is not None else "")
            cells.append(f"<td{attrs}>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class='scroll'><table class='sortable'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"


def _doc_lookup(rows: dict[str, list[dict]]) -> dict[str, DocLink]:
    """source_path -> headline, outlet and URL, from every report row that names a document;
    'story:<story_id>' -> the story's headline (stories_overview)."""
    lookup: dict[str, DocLink] = {
        f"story:{r['story_id']}": DocLink(r.get("label") or r.get("headline"), r.get("outlets"), None, None)
        for r in rows.get("stories_overview", []) if r.get("story_id") is not None
    }
    for name, report_rows in rows.items():
        for row in report_rows:
            if row.get("source_path") and row.get("headline"):
                outlet = row.get("outlet") or row.get("outlet_or_agency")
                lookup.setdefault(row["source_path"], DocLink(row["headline"], outlet, row.get("url"), row["source_path"]))
            for link in doc_links(row.get("document_links")):
                if link.source_path:
                    lookup.setdefault(link.source_path, link)
    return lookup


def _downloads(reports: list[ReportLike]) -> str:
    items = "".join(
        f"<tr><td><a href='{esc(r.csv_path.name)}'>{esc(r.csv_path.name)}</a></td>"
        f"<td>{esc(VIEWS[r.name].title if r.name in VIEWS else r.name)}</td><td class='num' data-sort='{r.n_rows}'>{r.n_rows:,}</td></tr>"
        for r in sorted(reports, key=lambda r: r.name)
    )
    return ("<div class='group' id='downloads'><h1>Downloads</h1><section class='report'>"
            "<p class='about'>Every report in full, as CSV, in this folder.</p>"
            f"<div class='scroll'><table class='sortable'><thead><tr><th>File</th><th>Report</th><th>Rows</th></tr></thead>"
            f"<tbody>{items}</tbody></table></div></section></div>")
