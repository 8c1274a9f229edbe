import html
import re
from pathlib import Path

import pyarrow as pa

from tasks import report_cells, report_page
from tasks.warehouse import Report

EVIL = "<script>alert('x')</script>&<b>"


def _report(name, rows, n_rows=None):
    return Report(name, pa.Table.from_pylist(rows), len(rows) if n_rows is None else n_rows, Path(f"/out/reports/{name}.csv"))


def _link(headline, outlet, url, path):
    return {"headline": headline, "outlet": outlet, "url": url, "source_path": path}


def reports(with_stories=True):
    import json

    docs = [
        _link("Troops arrive in Kursk", "Reuters", "https://example.com/a?x=1&y=2", "a.txt"),
        _link(EVIL, "AFP", "javascript:alert(1)", "b.txt"),
        _link("Opening words …", None, None, "c.txt"),
    ]
    return [
        _report("unknown_extra", [{"thing": EVIL, "n_things": 3}]),
        _report("consensus", [
            {"bundle_id": "b1", "claim_id": f"d1:{i}", "n_documents": 2, "n_outlets": 2, "n_wordings": 1,
             "claim_text": f"claim {i}", "documents": "a.txt | b.txt", "document_links": json.dumps(docs[:2])}
            for i in (1, 13, 14, 2, 3)
        ]),
        _report("corpus_summary", [
            {"bundle_id": "b1", "n_documents": 3, "n_ok": 3, "n_not_ok": 0, "n_sentences": 30, "removed_char_share": 0.25},
            {"bundle_id": "(all)", "n_documents": 3, "n_ok": 3, "n_not_ok": 0, "n_sentences": 30, "removed_char_share": 0.25},
        ]),
        _report("languages", [{"lang": "en", "n_documents": 2, "share": 0.6667}, {"lang": "status:empty", "n_documents": 1, "share": 0.3333}]),
        _report("outlets", [{"outlet": "Reuters", "n_documents": 1}, {"outlet": "AFP", "n_documents": 1},
                            {"outlet": "(outlet unknown)", "n_documents": 1}]),
        _report("stories_overview", [
            {"story_id": "s1", "headline": "Troops arrive in Kursk", "n_documents": 2, "n_outlets": 2, "outlets": "AFP, Reuters"},
            {"story_id": "s2", "headline": EVIL, "n_documents": 1, "n_outlets": 1, "outlets": "AFP"},
        ] if with_stories else [{"story_id": "s1", "headline": "x", "n_documents": 1, "n_outlets": 1, "outlets": "x"}][:0]),
        _report("document_list", [
            {"bundle_id": "b1", "story_id": "s1" if with_stories else None, "headline": d["headline"], "has_title": i < 2,
             "outlet": d["outlet"], "url": d["url"], "source_path": d["source_path"], "doc_id": f"id{i}"}
            for i, d in enumerate(docs)
        ]),
        _report("claims_by_outlets", [{"n_outlets": 1, "n_claims": 40, "share": 0.8}, {"n_outlets": 2, "n_claims": 10, "share": 0.2}]),
        _report("conflicting_amounts", [
            {"bundle_id": "b1", "subject": "troop", "kind": "count", "unit": None, "value": v, "n_documents": n,
             "as_written": f"{v:,.0f} troops", "documents": "a.txt", "document_links": json.dumps(docs[:1])}
            for v, n in ((3000.0, 2), (12000.0, 1))
        ], n_rows=500),
        _report("quotes_by_speaker", [{"bundle_id": "b1", "speaker": "Vladimir Putin", "n_quotes": 9, "n_documents": 4},
                                      {"bundle_id": "b1", "speaker": "(unattributed)", "n_quotes": 2, "n_documents": 1}]),
        _report("top_entities", [
            {"label": "PERSON", "rank_in_label": 1, "canonical": "Vladimir Putin", "n_documents": 3, "n_mentions": 9},
            {"label": "ORG", "rank_in_label": 1, "canonical": "GUR", "n_documents": 2, "n_mentions": 2},
            {"label": "GPE", "rank_in_label": 1, "canonical": "Kursk", "n_documents": 3, "n_mentions": 5},
        ]),
        _report("unique_contributions", [
            {"bundle_id": "b1", "source_path": "a.txt", "headline": "Troops arrive in Kursk", "outlet": "Reuters",
             "url": docs[0]["url"], "n_sentences": 10, "n_unique_sentences": 2, "unique_share": 0.2, "sent_id": s,
             "unique_sentence": f"only a {s}"} for s in (4, 7)
        ]),
        _report("syndication", [
            {"bundle_id": "b1", "cluster_id": "c1", "n_copies": 2, "source_path": "a.txt", "outlet_or_agency": "Reuters",
             "headline": "Troops arrive in Kursk", "url": None, "sent_id": 0, "shared_sentence": "shared one",
             "n_shared_with": 1, "shared_with": "b.txt"},
        ]),
    ]


def _ids_in_order(page):
    return re.findall(r"<h2 id='([a-z_]+)'>", page)


def test_sections_in_reading_order_and_every_report_present():
    page = report_page.render_page(reports())
    ids = _ids_in_order(page)
    assert ids[:4] == ["corpus_summary", "languages", "outlets", "stories_overview"]
    assert ids.index("document_list") < ids.index("claims_by_outlets") < ids.index("consensus")
    assert ids.index("conflicting_amounts") < ids.index("quotes_by_speaker") < ids.index("top_entities")
    assert ids[-1] == "unknown_extra"  # a report the page does not know comes last, as a table
    assert sorted(ids) == sorted(r.name for r in reports())
    assert page.index("class='kpis'") < page.index("<h2 id='corpus_summary'>")
    for name in ids:  # every report links its full CSV
        assert f"<a href='{name}.csv'>{name}.csv</a>" in page


def test_charts_for_outlets_stories_entities_claims_conflicts():
    page = report_page.render_page(reports())
    for title in ("Documents per outlet", "Documents per story", "People (documents", "Organisations", "Places",
                  "Claims by number of outlets", "Conflicting figures", "Quotes per speaker", "Documents per language"):
        assert re.search(r"<h3>" + re.escape(title), page), title
    assert page.count("<svg class='chart'") >= 10
    assert "troop (count): 2 values" in page
    assert "≥ 1" in page  # the conflicts card says the count is a lower bound: the report has more rows than shown


def test_everything_escaped_and_only_web_links():
    page = report_page.render_page(reports())
    assert EVIL not in page
    assert html.escape(EVIL, quote=True) in page
    assert page.count("<script") == 1  # the page's own sorting script, nothing from the data
    assert "javascript:" not in page.replace("script-src", "")
    assert "href='https://example.com/a?x=1&amp;y=2'" in page


def test_offline_and_self_contained():
    page = report_page.render_page(reports())
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page.split("<main>")[0])  # nothing fetched in <head>
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"\bsrc\s*=", page)
    assert "@import" not in page and "url(" not in page
    csp = re.search(r"Content-Security-Policy' content=\"([^\"]+)\"", page).group(1)
    assert "default-src 'none'" in csp
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(report_page.SCRIPT.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and f"<script>{report_page.SCRIPT}</script>" in page


def test_documents_by_headline_and_outlet_not_file_name():
    page = report_page.render_page(reports())
    consensus = page.split("<h2 id='consensus'>")[1].split("</section>")[0]
    assert "<span class='outlet'>Reuters</span> <a href='https://example.com/a?x=1&amp;y=2' title='a.txt'" in consensus
    assert ">Troops arrive in Kursk</a>" in consensus
    assert not re.search(r">[^<]*a\.txt", consensus)  # the file name only as a tooltip
    documents = page.split("<h2 id='document_list'>")[1].split("</section>")[0]
    assert "class='doc opening'" in documents  # a stand-in headline (opening words) is set apart
    syndication = page.split("<h2 id='syndication'>")[1].split("</section>")[0]
    assert "<span class='outlet'>AFP</span>" in syndication  # shared_with names the other copy, not b.txt


def test_claims_sorted_by_number():
    page = report_page.render_page(reports())
    consensus = page.split("<h2 id='consensus'>")[1].split("</section>")[0]
    assert re.findall(r">(d1:\d+)<", consensus) == ["d1:1", "d1:2", "d1:3", "d1:13", "d1:14"]
    assert sorted(["x:13", "x:2", "x:1", "y:0"], key=report_cells.natural_key) == ["x:1", "x:2", "x:13", "y:0"]


def test_numbers_and_shares():
    page = report_page.render_page(reports())
    summary = page.split("<h2 id='corpus_summary'>")[1].split("</section>")[0]
    assert "<td class='num' data-sort='0.25'>25.0%</td>" in summary
    assert ">b1<" in summary  # the corpus summary keeps its bundle column, even for one bundle
    assert report_cells.number(1234567) == "1,234,567" and report_cells.number(0.5, share=True) == "50.0%"


def test_sentences_gathered_per_document():
    page = report_page.render_page(reports())
    unique = page.split("<h2 id='unique_contributions'>")[1].split("</section>")[0]
    assert unique.count("<tr>") == 2  # header + one document
    assert "<li>only a 4</li><li>only a 7</li>" in unique


def test_stories_section_before_and_after_story_ids():
    without = report_page.render_page(reports(with_stories=False))
    assert "No stories yet" in without and "Documents per story" not in without
    assert "<th title='story_id'>" not in without  # no empty story column
    with_stories = report_page.render_page(reports())
    assert "Documents per story" in with_stories and "<th title='story_id'>" in with_stories


def test_safe_url():
    assert report_cells.safe_url("https://a.org/x") == "https://a.org/x"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "/etc/passwd", "file:///x", "http://", None, 3):
        assert report_cells.safe_url(bad) is None, bad


def test_malformed_document_links_show_nothing():
    assert report_cells.doc_links("not json") == [] and report_cells.doc_links('{"a": 1}') == []
    assert report_cells.doc_links(None) == []


def test_empty_reports_render():
    empty = [_report(name, []) for name in ("corpus_summary", "consensus", "outlets")]
    page = report_page.render_page([Report(r.name, pa.table({"x": pa.array([], pa.int64())}), 0, r.csv_path) for r in empty])
    assert page.count("Nothing to show") == 3
