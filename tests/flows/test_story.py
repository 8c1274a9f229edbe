"""Cross-outlet analysis on the sample bundle and on small hand-made bundles."""
from __future__ import annotations

import csv
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
