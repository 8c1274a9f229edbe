import duckdb
import pyarrow as pa

from tasks import load, schemas, warehouse
from tasks.crossdoc import cross_document


def _publish_fixture(out):
    docs = [
        {name: None for name in schemas.DOCUMENTS_STAGED.names}
        | {"doc_id": f"d{i}", "text": "Ann met Bob in Rome.", "status": "ok", "lang": "en", "lang_prob": 0.99,
           "n_chars": 20, "n_chars_raw": 30, "n_sentences": 1, "n_headings": 0, "n_entities": 3, "n_removed": 1}
        for i in range(2)
    ]
    ents = [
        {"doc_id": f"d{i}", "sent_id": 0, "ent_id": j, "start": s, "end": e, "text": t, "label": l}
        for i in range(2)
        for j, (s, e, t, l) in enumerate([(0, 3, "Ann", "PERSON"), (8, 11, "Bob", "PERSON"), (15, 19, "Rome", "GPE")])
    ]
    staging = load.new_staging_dir(out)
    load.stage_batch(
        staging,
        "2024",  # a numeric-looking bundle id must stay a string
        0,
        {
            "documents": pa.Table.from_pylist(docs, schema=schemas.DOCUMENTS_STAGED),
            "removed": pa.Table.from_pylist(
                [{"doc_id": "d0", "line_no": 1, "col": 0, "text": "Ad", "reason": "advertisement"}], schema=schemas.REMOVED
            ),
            "sentences": schemas.SENTENCES_STAGED.empty_table(),
            "entities": pa.Table.from_pylist(ents, schema=schemas.ENTITIES_STAGED),
        },
    )
    cross_document(staging, "2024", [], [])
    load.finish_bundle(out, staging, "2024", {})


def test_views_and_reports(tmp_path):
    _publish_fixture(tmp_path)
    assert warehouse.refresh_views(tmp_path) == sorted(schemas.TABLES)
    with duckdb.connect(str(warehouse.warehouse_path(tmp_path)), read_only=True) as con:
        assert con.execute("select typeof(bundle_id), count(*) from documents group by 1").fetchall() == [("VARCHAR", 2)]
    reports = {r.name: r for r in warehouse.run_reports(tmp_path)}
    assert set(reports) == {path.stem for path in warehouse.sql_files("reports")} >= {
        "corpus_summary", "languages", "top_entities", "entity_cooccurrence", "syndication", "consensus",
        "unique_contributions", "conflicting_amounts", "quotes_by_speaker",
    }
    for report in reports.values():
        assert report.csv_path.exists()
    top = reports["top_entities"].table.to_pylist()
    assert {(r["label"], r["canonical"], r["n_documents"], r["n_mentions"]) for r in top} == {
        ("PERSON", "Ann", 2, 2), ("PERSON", "Bob", 2, 2), ("GPE", "Rome", 2, 2)
    }
    pairs = {(r["entity_a"], r["entity_b"]): r["n_sentences"] for r in reports["entity_cooccurrence"].table.to_pylist()}
    assert pairs == {("Ann", "Bob"): 2, ("Ann", "Rome"): 2, ("Bob", "Rome"): 2}
    summary = reports["corpus_summary"].table.to_pylist()
    assert [r["bundle_id"] for r in summary] == ["2024", "(all)"]
    assert summary[1]["n_documents"] == 2 and summary[1]["n_removed_parts"] == 2
    langs = reports["languages"].table.to_pylist()
    assert langs == [{"lang": "en", "n_documents": 2, "share": 1.0, "n_chars": 40, "avg_lang_prob": 0.99}]
    html = (tmp_path / "reports" / "index.html").read_text()
    assert "<h2 id='top_entities'>" in html and "Rome" in html
