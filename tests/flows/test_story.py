"""Cross-outlet analysis on the sample bundle and on small hand-made bundles."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from tests.invariants import bundle_rows, invariant_violations

AFP, FIRSTPOST, KOREAN, REUTERS, AFP_FR = (
    "000_e2441d34b6dd75dc.txt",
    "001_b7ac19652732558c.txt",
    "002_b9ead2550e7a27cc.txt",
    "003_9dce72718854b690.txt",
    "004_8fef2ae59e9b698d.txt",
)


def _report(out: Path, name: str) -> list[dict]:
    with (out / "reports" / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _by_path(rows) -> dict[str, dict]:
    return {d["source_path"]: d for d in rows["documents"]}


def test_afp_copy_pairs_up_and_nothing_else_merges(sample_out: Path):
    rows = bundle_rows(sample_out, "seeds")
    docs = _by_path(rows)
    assert docs[FIRSTPOST]["cluster_id"] == docs[AFP]["cluster_id"] == docs[AFP]["doc_id"]
    for other in (KOREAN, REUTERS, AFP_FR):
        assert docs[other]["cluster_id"] == docs[other]["doc_id"]
    near = {(p["doc_id_a"], p["doc_id_b"]) for p in rows["doc_pairs"] if p["is_near_duplicate"]}
    assert near == {(docs[AFP]["doc_id"], docs[FIRSTPOST]["doc_id"])}
    shared = {(p["doc_id_a"], p["doc_id_b"]): p["n_shared_sentences"] for p in rows["doc_pairs"]}
    assert shared[(docs[AFP]["doc_id"], docs[FIRSTPOST]["doc_id"])] >= 15


def test_sentence_links_exact_and_near(sample_out: Path):
    rows = bundle_rows(sample_out, "seeds")
    docs = _by_path(rows)
    text = {(s["doc_id"], s["sent_id"]): s["text"] for s in rows["sentences"]}
    links = {(text[(l["doc_id"], l["sent_id"])], l["kind"]) for l in rows["sentence_links"]}
    assert ("Hanwha Aerospace has signed a $1.64-billion deal with Poland to supply rocket artillery units.", "near") in links
    assert ("The treaty is due to be fully ratified by the upper house on November 6.", "exact") in links
    reuters_links = [l for l in rows["sentence_links"] if l["doc_id"] == docs[REUTERS]["doc_id"]]
    assert reuters_links and all(l["other_doc_id"] == docs[FIRSTPOST]["doc_id"] for l in reuters_links)
    assert invariant_violations(rows) == []


def test_reports_on_the_sample(sample_out: Path):
    syndication = _report(sample_out, "syndication")
    assert {r["source_path"] for r in syndication} == {AFP, FIRSTPOST}
    consensus = _report(sample_out, "consensus")
    assert any("Yunus-Bek Yevkurov was appointed" in r["claim_text"] and r["n_documents"] == "2" for r in consensus)
    unique = {r["source_path"]: r for r in _report(sample_out, "unique_contributions")}
    assert float(unique[KOREAN]["unique_share"]) == 1.0
    conflicts = [r for r in _report(sample_out, "conflicting_amounts") if r["subject"] == "troop"]
    assert {float(r["value"]) for r in conflicts} >= {12000.0, 3000.0}
    speakers = {r["speaker"]: r for r in _report(sample_out, "quotes_by_speaker")}
    assert "Vladimir Putin" in speakers and int(speakers["Vladimir Putin"]["n_documents"]) >= 2


def test_quotes_and_amounts_on_the_sample(sample_out: Path):
    rows = bundle_rows(sample_out, "seeds")
    docs = _by_path(rows)
    afp_fr = docs[AFP_FR]["doc_id"]
    quipped = [q for q in rows["quotes"] if q["doc_id"] == afp_fr and q["verb"] == "quipped"]
    assert quipped and quipped[0]["text"].startswith("Imagery is a serious thing")
    assert quipped[0]["speaker"] == "Vladimir Putin"
    amounts = {(a["value"], a["noun"]) for a in rows["amounts"] if a["doc_id"] == afp_fr}
    assert (397.0, "deputy") in amounts and (3000.0, "troop") in amounts
    money = [a for a in rows["amounts"] if a["doc_id"] == docs[AFP]["doc_id"] and a["kind"] == "money"]
    assert any(a["text"] == "US$1.64 billion" and a["value"] == 1.64e9 and a["unit"] == "USD" for a in money)


def test_hand_made_bundle_copies_and_conflicts(prefect_harness, tmp_path: Path):
    from flows.etl import etl

    wire = (
        "The port authority said on Monday that 4,000 containers were stuck after the strike began. "
        "Shipping lines diverted vessels to other harbours, and exporters warned of losses.\n\n"
        "“We will not accept these conditions,” union leader Maria Silva told reporters outside the gate.\n\n"
        "Talks with the employers' federation are due to resume on Thursday, officials said."
    )
    copy = wire.replace("on Monday", "yesterday").replace("4,000 containers", "7,500 containers")
    other = (
        "A new library opened in the old town hall, with room for 200 readers and a children's wing.\n\n"
        "The mayor said the building had been empty for a decade before the city bought it."
    )
    bundle = tmp_path / "strike"
    bundle.mkdir()
    for name, text in (("a_wire.txt", wire), ("b_copy.txt", copy), ("c_other.txt", other)):
        (bundle / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    etl(bundles=[str(bundle)], out=str(out))
    rows = bundle_rows(out, "strike")
    assert invariant_violations(rows) == []
    docs = _by_path(rows)
    assert docs["b_copy.txt"]["cluster_id"] == docs["a_wire.txt"]["doc_id"]
    assert docs["c_other.txt"]["cluster_id"] == docs["c_other.txt"]["doc_id"]
    conflicts = {(r["subject"], float(r["value"])) for r in _report(out, "conflicting_amounts")}
    assert {("container", 4000.0), ("container", 7500.0)} <= conflicts
    speakers = {r["speaker"] for r in _report(out, "quotes_by_speaker")}
    assert "Maria Silva" in speakers


DAY1 = [
    {
        "id": "flood-a",
        "source": "Omaha Daily",
        "title": "Berm collapses at Fort Calhoun nuclear plant",
        "published": "2026-06-26T09:00:00Z",
        "text": "A berm holding the flooded Missouri River back from the Fort Calhoun nuclear power station collapsed "
        "on Sunday, letting water surround the plant's reactor building. The Nuclear Regulatory Commission said the "
        "Nebraska plant remained safe: its reactor has been shut down since April for refuelling, and the spent fuel "
        "pool was cooled by backup pumps. Omaha Public Power District crews began pumping water out of the "
        "transformer yard, and engineers inspected the levee that failed near the auxiliary building.",
    },
    {
        "id": "jerseys",
        "source": "Denver Sports",
        "published": "2026-06-26T20:00:00Z",
        "text": "The Colorado Rockies gave out 15,000 replica jerseys honoring shortstop Troy Tulowitzki with his "
        "name misspelled. Fans at Coors Field noticed the jerseys read Tulowizki, without the t, and the team "
        "apologised on Saturday, offering to exchange every misspelled shirt for a correct one at the box office. "
        "Tulowitzki laughed it off, saying collectors would want the rare version.",
    },
]
DAY2 = [
    {
        "id": "flood-b",
        "source": "Midwest Wire",
        "title": "Regulators tour flooded Nebraska nuclear station",
        "published": "2026-06-27T10:00:00Z",
        "text": "The chairman of the Nuclear Regulatory Commission toured the Fort Calhoun nuclear power station on "
        "Monday after floodwater from the Missouri River surrounded it when a berm collapsed. The reactor of the "
        "Nebraska plant has been shut down since April, and Omaha Public Power District officials said backup pumps "
        "kept the spent fuel pool cool while crews pumped water from the transformer yard.",
    },
    {
        "id": "library",
        "source": "City Paper",
        "title": "Old town hall reopens as a library",
        "published": "2026-06-27T12:00:00Z",
        "text": "A new public library opened in the old town hall of Bergamo, with room for 200 readers, a children's "
        "wing and a rooftop reading garden. The mayor said the neoclassical building had stood empty for a decade "
        "before the city bought it from a bankrupt insurer and hired an architect to restore its frescoes.",
    },
    {
        "id": "archive",
        "source": "Web Archive",
        "text": "These crawls are part of an effort to archive pages as they are created and archive the pages that "
        "they refer to. The goal is to fix all broken links on the web . Crawls of supported \"No More 404\" sites.",
    },
]


def _jsonl(path: Path, rows: list[dict]) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_a_later_run_joins_the_stories_of_earlier_runs(prefect_harness, tmp_path: Path):
    from flows.etl import etl
    from tasks.store import warehouse

    out = tmp_path / "out"
    etl(bundles=[_jsonl(tmp_path / "day1.jsonl", DAY1)], out=str(out))
    etl(bundles=[_jsonl(tmp_path / "day2.jsonl", DAY2)], out=str(out))
    day1 = {d["external_id"]: d for d in bundle_rows(out, "day1")["documents"]}
    rows2 = bundle_rows(out, "day2")
    day2 = {d["external_id"]: d for d in rows2["documents"]}
    assert invariant_violations(rows2) == []
    story = day1["flood-a"]["story_id"]
    assert story == day1["flood-a"]["doc_id"]  # named after its first document
    assert day2["flood-b"]["story_id"] == story  # day 2 joined the story of day 1
    assert day1["jerseys"]["story_id"] == day1["jerseys"]["doc_id"] != story
    assert day2["library"]["story_id"] == day2["library"]["doc_id"]
    assert day2["archive"]["story_id"] is None  # a web archive's notice is no story
    state = {r["doc_id"]: r for r in rows2["story_documents"]}
    assert set(state) == {day2["flood-b"]["doc_id"], day2["library"]["doc_id"]}
    assert str(state[day2["flood-b"]["doc_id"]]["seen_date"]) == "2026-06-27"
    assert rows2["story_terms"] and {t["doc_id"] for t in rows2["story_terms"]} == set(state)

    with warehouse.connect(out) as con:
        stories = {r[0]: r for r in con.execute("select story_id, first_seen, n_documents, n_outlets, label from stories").fetchall()}
    assert stories[story][1:] == (date(2026, 6, 26), 2, 2, "Berm collapses at Fort Calhoun nuclear plant")
    assert len(stories) == 3
    assert "Tulowitzki" in stories[day1["jerseys"]["story_id"]][4]  # no headline: the names found most

    # day 1 again (its bundle re-run into the same OUT): the same story ids
    etl(bundles=[_jsonl(tmp_path / "day1.jsonl", DAY1)], out=str(out), force=True)
    again = {d["external_id"]: d["story_id"] for d in bundle_rows(out, "day1")["documents"]}
    assert again == {k: d["story_id"] for k, d in day1.items()}
