import html
import re

import pyarrow as pa

from tasks.report import cells as report_cells
from tasks.report import page as report_page
from tasks.store.warehouse import Report
from tests.report_fixture import EVIL, _report, reports


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
                  "Claims carried by 2 or more outlets (40 more are in one outlet only)", "Conflicting figures", "Quotes per speaker", "Documents per language"):
        assert re.search(r"<h3>" + re.escape(title), page), title
    assert page.count("<svg class='chart'") >= 10
    assert "troop (count) in the story “Troops arrive in Kursk”: 2 values" in page
    assert "Quotes per speaker (2 quotes without a speaker not drawn)" in page
    assert "Conflicting figures: documents giving each value (among its first 2 of 500 rows)" in page
    assert "≥ 1" in page  # the conflicts card says the count is a lower bound: the report has more rows than shown


def test_conflicts_chart_bounded_and_real_disagreements_first():
    noisy = [{"story_id": None, "subject": "people", "kind": "count", "unit": None, "value": float(v), "n_documents": 1}
             for v in range(20)]
    real = [{"story_id": None, "subject": "troop", "kind": "count", "unit": None, "value": v, "n_documents": 3}
            for v in (3000.0, 12000.0)]
    page = report_page.render_page([_report("conflicting_amounts", noisy + real)])
    chart = page.split("<svg")[1].split("</svg>")[0]
    assert chart.index("troop (count): 2 values") < chart.index("people (count): 20 values, 15 more not drawn")
    assert chart.count("<rect") == 2 + 5


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
    assert "No stories: no document has a story." in without and "Documents per story" not in without
    assert "<th title='story_id'>" not in without  # no empty story column
    with_stories = report_page.render_page(reports())
    assert "Documents per story" in with_stories and "<th title='story_id'>" in with_stories
    documents = with_stories.split("<h2 id='document_list'>")[1].split("</section>")[0]
    assert "<span title='story s1: Troops arrive in Kursk'>Troops arrive in Kursk</span>" in documents


def test_safe_url():
    assert report_cells.safe_url("https://a.org/x") == "https://a.org/x"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "/etc/passwd", "file:///x", "http://",
                "http://[abc/x", None, 3):
        assert report_cells.safe_url(bad) is None, bad


def test_malformed_document_links_show_nothing():
    assert report_cells.doc_links("not json") == [] and report_cells.doc_links('{"a": 1}') == []
    assert report_cells.doc_links(None) == []


def test_empty_reports_render():
    empty = [_report(name, []) for name in ("corpus_summary", "consensus", "outlets")]
    page = report_page.render_page([Report(r.name, pa.table({"x": pa.array([], pa.int64())}), 0, r.csv_path) for r in empty])
    assert page.count("Nothing to show") == 3


def test_a_file_name_no_report_resolves_is_shown_as_is():
    rows = [{"bundle_id": "b1", "claim_id": "d:1", "n_documents": 2, "n_outlets": 2, "claim_text": "x",
             "documents": "a.txt | <z>.txt"}]
    page = report_page.render_page([_report("consensus", rows), _report("document_list", [
        {"bundle_id": "b1", "headline": "Troops arrive", "has_title": True, "outlet": "Reuters", "url": None,
         "source_path": "a.txt"}])])
    consensus = page.split("<h2 id='consensus'>")[1].split("</section>")[0]
    assert "<li><span class='outlet'>Reuters</span> <span title='a.txt'>Troops arrive</span></li><li>&lt;z&gt;.txt</li>" in consensus


def test_story_summary_as_one_card_per_story():
    rows = [{"story_id": f"s{i}", "label": f"Story {i} <b>", "first_seen": "2024-10-25", "n_documents": 3,
             "n_outlets": 2, "outlets": "AFP | Reuters", "n_shared_claims": 9, "shared_claims": "a [2 outlets] | b",
             "outlet_additions": "", "n_conflicts": 0, "conflicts": None, "n_speakers": 1, "speakers": "Putin (2)"}
            for i in range(15)]
    page = report_page.render_page([_report("story_summary", rows)])
    section = page.split("<h2 id='story_summary'>")[1].split("</section>")[0]
    assert section.count("<details class='story'") == report_page.MAX_STORY_CARDS
    assert section.count("<details class='story' id='story-s0' open>") == 1 and "id='story-s3'>" in section
    assert "<b>Story 0 &lt;b&gt;</b>" in section
    assert "<h4>Claims several outlets carry (9, 2 shown)</h4><ul><li>a [2 outlets]</li><li>b</li></ul>" in section
    assert "What each outlet alone adds" not in section and "Conflicting figures" not in section
    assert "12 of 15 stories" in section
