"""The story-scoped reports (sql/reports) and the views they read (sql/views/amount_conflicts,
document_labels, story_claims), run by DuckDB over small hand-made tables: claims, conflicts
and speakers stay inside a story (whose documents may be in several bundles), conflicts need
one fact, and lists are capped."""
from __future__ import annotations

import duckdb
import pytest

from tasks.store.warehouse import SQL_DIR

A, B = "story-a", "story-b"
DOCUMENTS = [  # doc_id, story_id, outlet (bundle 'b'; c1 is in bundle 'b2', published on another day)
    ("a1", A, "Harbour Times"),
    ("a2", A, "Port Daily"),
    ("b1", B, "Harbour Times"),
    ("c1", A, "Coast Wire"),
]
SENTENCES = [  # doc_id, sent_id, text, claim_id
    ("a1", 0, "Some 4,000 containers were stuck at the port after the strike began.", "a1:0"),
    ("a1", 1, "Officials said 30 people were killed in the blast.", "a1:1"),
    ("a1", 2, "The union met on Tuesday.", "x:shared"),
    ("a2", 0, "As many as 7,500 containers were stuck at the port, shippers said.", "a2:0"),
    ("a2", 1, "Later 30,000 people marched downtown.", "a2:1"),
    ("a2", 2, "The union met on Tuesday.", "x:shared"),
    ("b1", 0, "In another city 12 people were killed in the blast.", "b1:0"),
    ("b1", 1, "The union met on Tuesday.", "x:shared"),
    ("c1", 0, "Officials said 30 people were killed in the blast.", "c1:0"),  # a1's sentence 1, in bundle b2
    ("c1", 1, "Customs officers went home.", "c1:1"),
] + [("a1", i, f"Own sentence number {i} of the first article.", f"a1:{i}") for i in range(3, 9)]
AMOUNTS = [  # doc_id, sent_id, value, noun, text
    ("a1", 0, 4000.0, "container", "4,000 containers"),
    ("a1", 1, 30.0, "person", "30 people"),
    ("a2", 0, 7500.0, "container", "7,500 containers"),
    ("a2", 1, 30000.0, "person", "30,000 people"),
    ("b1", 0, 12.0, "person", "12 people"),
    ("b1", 0, 9e41, "person", "900,000,…,000 people"),  # a value no integer type holds
]
QUOTES = [("a1", "Maria Silva"), ("a2", "Maria Silva"), ("b1", "Maria Silva"), ("b1", None)]


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute(
        "create table documents as select if(doc_id = 'c1', 'b2', 'b') as bundle_id, doc_id, story_id, doc_id || '.txt' as source_path, "
        "'Headline ' || doc_id as title, outlet, 'https://news.example/' || doc_id as url, null::varchar as agency, "
        "'text' as text, 'ok' as status, 10 as n_sentences "
        "from (values " + ", ".join(f"('{d}', '{s}', '{o}')" for d, s, o in DOCUMENTS) + ") t(doc_id, story_id, outlet)"
    )
    con.execute(
        "create table sentences (bundle_id varchar, doc_id varchar, sent_id bigint, text varchar, claim_id varchar, "
        "norm_hash varchar)"
    )
    con.executemany(
        "insert into sentences values (if(? = 'c1', 'b2', 'b'), ?, ?, ?, ?, md5(lower(?)))",
        [(d, d, n, text, claim, text) for d, n, text, claim in SENTENCES],
    )
    con.execute(
        "create table amounts (bundle_id varchar, doc_id varchar, sent_id bigint, value double, noun varchar, "
        "text varchar, kind varchar default 'count', unit varchar default null)"
    )
    con.executemany("insert into amounts (bundle_id, doc_id, sent_id, value, noun, text) values ('b', ?, ?, ?, ?, ?)", AMOUNTS)
    con.execute("create table quotes (bundle_id varchar, doc_id varchar, speaker varchar, verb varchar, text varchar)")
    con.executemany("insert into quotes values ('b', ?, ?, 'said', 'We will not accept it')", QUOTES)
    con.execute(
        "create table stories as select story_id, story_id || ' label' as label, date '2024-10-24' as first_seen, "
        "count(*) as n_documents, count(distinct outlet) as n_outlets from documents group by story_id"
    )
    for view in ("document_labels", "amount_conflicts", "story_claims"):  # story_claims reads document_labels
        con.execute(f"create view {view} as {(SQL_DIR / 'views' / f'{view}.sql').read_text()}")
    return con


def _document_labels(con) -> None:
    """The view document_labels over a table documents of (bundle_id, doc_id, story_id) only."""
    con.execute("create table documents_full as select *, doc_id || '.txt' as source_path, null::varchar as title, "
                "null::varchar as outlet, null::varchar as url, null::varchar as agency, 'text' as text from documents")
    body = (SQL_DIR / "views" / "document_labels.sql").read_text().replace("from documents", "from documents_full")
    con.execute(f"create view document_labels as {body}")


def report(con, name: str) -> list[dict]:
    result = con.sql((SQL_DIR / "reports" / f"{name}.sql").read_text())
    return [dict(zip(result.columns, row)) for row in result.fetchall()]


def test_conflicts_are_one_fact_within_one_story(con):
    rows = report(con, "conflicting_amounts")
    assert {(r["story_id"], r["subject"], r["value"]) for r in rows} == {
        (A, "container", 4000.0), (A, "container", 7500.0), (B, "person", 12.0), (B, "person", 9e41)}
    by_value = {r["value"]: r for r in rows}
    assert by_value[7500.0]["evidence"] == SENTENCES[3][2]
    assert (by_value[7500.0]["evidence_headline"], by_value[7500.0]["evidence_outlet"]) == ("Headline a2", "Port Daily")
    assert "stuck" in by_value[4000.0]["shared_context"] and "https://news.example/a1" in by_value[4000.0]["document_links"]


def test_consensus_counts_documents_of_the_same_story(con):
    rows = report(con, "consensus")
    assert [(r["story_id"], r["bundle_id"], r["claim_id"], r["n_documents"], r["n_outlets"]) for r in rows] == [
        (A, "b", "a1:1", 2, 2),  # a1 in bundle b and c1 in bundle b2 say it in the same words
        (A, "b", "x:shared", 2, 2),
    ]
    assert rows[0]["documents"] == "a1.txt | b2/c1.txt"  # a document of another bundle says which


def test_unique_contributions_are_capped_per_document(con):
    rows = [r for r in report(con, "unique_contributions") if r["source_path"] == "a1.txt"]
    assert len(rows) == 5 and {r["n_unique_sentences"] for r in rows} == {7}  # not sentence 1: c1 says it too
    assert [r["sent_id"] for r in rows] == [0, 3, 4, 5, 6] and rows[0]["headline"] == "Headline a1"
    assert rows[1]["unique_sentence"] == "Own sentence number 3 of the first article."


def test_claims_by_outlets_counts_each_claims_outlets_within_its_story(con):
    # 'The union met on Tuesday.' in a1 and a2 (story A: two outlets) and b1 (story B: one); a1's
    # sentence 1 and c1's (bundle b2, another outlet) are one claim: the rest has one outlet
    rows = {r["n_outlets"]: r["n_claims"] for r in report(con, "claims_by_outlets")}
    assert rows == {1: 12, 2: 2}


def test_quotes_by_speaker_per_story(con):
    rows = report(con, "quotes_by_speaker")
    assert [(r["story_id"], r["speaker"], r["n_quotes"]) for r in rows] == [
        (A, "Maria Silva", 2), (B, "Maria Silva", 1), (B, "(unattributed)", 1)]


def test_story_summary_one_row_per_story(con):
    rows = {r["story_id"]: r for r in report(con, "story_summary")}
    assert set(rows) == {A, B}
    a = rows[A]
    assert (a["n_documents"], a["n_outlets"], a["n_shared_claims"], a["n_conflicts"], a["n_speakers"]) == (3, 3, 2, 1, 1)
    assert a["outlets"] == "Coast Wire | Harbour Times | Port Daily" and a["speakers"] == "Maria Silva (2)"
    assert a["conflicts"] == "container 4,000 | container 7,500" and "The union met on Tuesday." in a["shared_claims"]
    assert a["outlet_additions"].startswith("Harbour Times: 7 sentences of its own")
    assert "Coast Wire: 1 sentence of its own, e.g. Customs officers went home." in a["outlet_additions"]
    assert (rows[B]["n_conflicts"], rows[B]["n_shared_claims"]) == (1, 0)
    assert rows[B]["conflicts"] == "person 12 | person 9e+41"


def test_claims_join_through_other_bundles():
    """Bundle 1's claim has wordings h1 and h2, bundle 2's h2 and h3, bundle 3's h3 only: one claim."""
    con = duckdb.connect()
    con.execute("create table documents as select * from (values ('b1', 'd1', 'S'), ('b2', 'd2', 'S'), "
                "('b3', 'd3', 'S')) t(bundle_id, doc_id, story_id)")
    _document_labels(con)
    words = {"h1": "The first wording of it.", "h2": "The second wording of it.", "h3": "The third wording of it."}
    rows = [("b1", "d1", 0, "h1", "c"), ("b1", "d1", 1, "h2", "c"), ("b2", "d2", 0, "h2", "k"),
            ("b2", "d2", 1, "h3", "k"), ("b3", "d3", 0, "h3", "z"), ("b3", "d3", 1, "h4", "y")]
    con.execute("create table sentences (bundle_id varchar, doc_id varchar, sent_id bigint, norm_hash varchar, "
                "claim_id varchar, text varchar)")
    con.executemany("insert into sentences values (?, ?, ?, ?, ?, ?)",
                    [(*r, words.get(r[3], "Another thing said here.")) for r in rows])
    view = (SQL_DIR / "views" / "story_claims.sql").read_text()
    claims = con.sql(f"select bundle_id, sent_id, claim_bundle_id, claim_id from ({view}) order by all").fetchall()
    assert claims == [("b1", 0, "b1", "c"), ("b1", 1, "b1", "c"), ("b2", 0, "b1", "c"), ("b2", 1, "b1", "c"),
                      ("b3", 0, "b1", "c"), ("b3", 1, "b3", "y")]


def test_one_wording_repeated_by_many_claims_is_one_claim_in_linear_memory():
    """A document repeating one sentence 20,000 times (a hostile input): every repeat is a claim
    of its own within the bundle; the story claim joins them without pairing them up."""
    con = duckdb.connect(config={"memory_limit": "64MB", "threads": 1})
    con.execute("create table documents as select 'b' as bundle_id, 'd' as doc_id, 'S' as story_id")
    _document_labels(con)
    con.execute("create table sentences as select 'b' as bundle_id, 'd' as doc_id, i as sent_id, 'h' as norm_hash, "
                "'d:' || i as claim_id, 'The same three words.' as text from range(20000) t(i)")
    view = (SQL_DIR / "views" / "story_claims.sql").read_text()
    assert con.sql(f"select count(*), count(distinct claim_id), min(claim_id) from ({view})").fetchall() == [
        (20000, 1, "d:0")]
