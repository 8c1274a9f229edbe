"""Reports as the warehouse returns them, hand-made for the report page tests: titles, outlets,
links (one a javascript: URL), hostile text, claims numbered 1, 13, 14, 2, 3, stories or none."""
import json
from pathlib import Path

import pyarrow as pa

from tasks.store.warehouse import Report

EVIL = "<script>alert('x')</script>&<b>"


def _report(name, rows, n_rows=None):
    return Report(name, pa.Table.from_pylist(rows), len(rows) if n_rows is None else n_rows, Path(f"/out/reports/{name}.csv"))


def _link(headline, outlet, url, path):
    return {"headline": headline, "outlet": outlet, "url": url, "source_path": path}


def reports(with_stories=True):
    docs = [
        _link("Troops arrive in Kursk", "Reuters", "https://example.com/a?x=1&y=2", "a.txt"),
        _link(EVIL, "AFP", "javascript:alert(1)", "b.txt"),
        _link("Opening words …", None, None, "c.txt"),
    ]
    return [
        _report("unknown_extra", [{"thing": EVIL, "n_things": 3}]),
        _report("consensus", [
            {"bundle_id": "b1", "claim_id": f"d1:{i}", "n_documents": 2, "n_outlets": 2, "n_wordings": 1,
             "claim_text": f"claim {i}", "documents": "a.txt | b.txt"}
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
            {"story_id": "s1", "label": "Troops arrive in Kursk", "n_documents": 2, "n_outlets": 2, "outlets": "AFP, Reuters"},
            {"story_id": "s2", "label": EVIL, "n_documents": 1, "n_outlets": 1, "outlets": "AFP"},
        ] if with_stories else [{"story_id": "s1", "label": "x", "n_documents": 1, "n_outlets": 1, "outlets": "x"}][:0]),
        _report("document_list", [
            {"bundle_id": "b1", "story_id": "s1" if with_stories else None, "headline": d["headline"], "has_title": i < 2,
             "outlet": d["outlet"], "url": d["url"], "source_path": d["source_path"], "doc_id": f"id{i}"}
            for i, d in enumerate(docs)
        ]),
        _report("claims_by_outlets", [{"n_outlets": 1, "n_claims": 40, "share": 0.8}, {"n_outlets": 2, "n_claims": 10, "share": 0.2}]),
        _report("conflicting_amounts", [
            {"story_id": "s1", "subject": "troop", "kind": "count", "unit": None, "value": v,
             "n_documents": n,
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
