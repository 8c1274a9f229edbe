"""The whole flow on the sample bundle, under a Prefect test server."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tasks.store import warehouse
from tasks.store.load import parquet_root, partition_dir
from tasks.store.schemas import TABLES
from tasks.store.warehouse import sql_files
from tests.conftest import SEEDS
from tests.gold import score, summary
from tests.invariants import bundle_rows, invariant_violations

REPORTS = [path.stem for path in sql_files("reports")]


def test_outputs_exist(sample_out: Path):
    for table in TABLES:
        parts = list(partition_dir(parquet_root(sample_out), table, "seeds").glob("part-*.parquet"))
        assert parts, table
    for report in REPORTS:
        assert (sample_out / "reports" / f"{report}.csv").stat().st_size > 0
    index = (sample_out / "reports" / "index.html").read_text()
    assert all(f"id='{r}'" in index for r in REPORTS)
    assert not any((parquet_root(sample_out) / ".staging").iterdir())


def test_sample_invariants(sample_out: Path):
    rows = bundle_rows(sample_out, "seeds")
    assert len(rows["documents"]) == 5
    assert {d["status"] for d in rows["documents"]} == {"ok"}
    assert rows["sentences"] and rows["entities"] and rows["removed"]
    assert invariant_violations(rows) == []


def test_sample_gold(sample_out: Path, gold: dict):
    checks = score(bundle_rows(sample_out, "seeds"), gold)
    print(summary(checks))
    failed = [c for c in checks if not c.passed]
    assert failed == [], summary(checks)


def test_warehouse_views_and_reports(sample_out: Path):
    with warehouse.connect(sample_out) as con:
        n_docs, bundle = con.execute("select count(*), any_value(bundle_id) from documents").fetchone()
        assert (n_docs, bundle) == (5, "seeds")
        joined = con.execute(
            "select count(*) from entities e join documents d using (bundle_id, doc_id) "
            "where substring(d.text, e.start_char + 1, e.end_char - e.start_char) <> e.text"
        ).fetchone()[0]
        assert joined == 0
    top = (sample_out / "reports" / "top_entities.csv").read_text().splitlines()
    assert any(line.startswith('"PERSON",1,"Vladimir Putin",5,') for line in top)
    summary_csv = (sample_out / "reports" / "corpus_summary.csv").read_text().splitlines()
    assert summary_csv[0].startswith('"bundle_id"') and len(summary_csv) == 3  # header, seeds, (all)


def test_report_artifacts_published(sample_out: Path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        keys = {
            a.key
            for a in client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(like_="newsetl-"))
            )
        }
    assert {f"newsetl-{r.replace('_', '-')}" for r in REPORTS} <= keys


def test_same_input_same_rows(sample_out: Path, tmp_path: Path):
    from flows.etl import etl

    again = tmp_path / "again"
    etl(bundles=[str(SEEDS)], out=str(again))
    assert bundle_rows(again, "seeds") == bundle_rows(sample_out, "seeds")


def _jsonl_bundle(path: Path, texts: list[str]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"a{i}", "text": text, "source": "Test Wire"}) + "\n")
    return path


def test_rerun_replaces_only_its_partition(prefect_harness, tmp_path: Path):
    from flows.etl import etl

    out = tmp_path / "out"
    first = "The council met in Paris on Monday. Ministers agreed a new budget for schools."
    bundle = _jsonl_bundle(tmp_path / "wire.jsonl.gz", [first, "Ein kurzer deutscher Text über das Wetter in Berlin."])
    etl(bundles=[str(SEEDS), str(bundle)], out=str(out))
    seeds_part = partition_dir(parquet_root(out), "documents", "seeds") / "part-00000.parquet"
    seeds_bytes = seeds_part.read_bytes()
    wire = bundle_rows(out, "wire")["documents"]
    assert [d["lang"] for d in wire] == ["en", "de"]
    assert wire[1]["ner_model"] is None and wire[1]["n_sentences"] >= 1

    _jsonl_bundle(bundle, ["A single replacement article about the harbour in Lisbon."])
    etl(bundles=[str(bundle)], out=str(out))
    wire = bundle_rows(out, "wire")
    assert [d["external_id"] for d in wire["documents"]] == ["a0"]
    assert "Lisbon" in wire["documents"][0]["text"]
    assert invariant_violations(wire) == []
    assert seeds_part.read_bytes() == seeds_bytes
    with warehouse.connect(out) as con:
        counts = dict(con.execute("select bundle_id, count(*) from documents group by all").fetchall())
    assert counts == {"seeds": 5, "wire": 1}


def test_failed_run_keeps_published_partition(prefect_harness, tmp_path: Path, monkeypatch):
    import tasks.prefect_tasks as prefect_tasks
    from flows.etl import etl

    out = tmp_path / "out"
    etl(bundles=[str(SEEDS)], out=str(out))
    before = bundle_rows(out, "seeds")

    def broken(raws, *args):
        raise RuntimeError("transform exploded")

    monkeypatch.setattr(prefect_tasks, "transform_batch", broken)
    with pytest.raises(RuntimeError, match="seeds .RuntimeError: transform exploded"):
        etl(bundles=[str(SEEDS)], out=str(out), force=True)  # unchanged: without force it would be skipped
    assert bundle_rows(out, "seeds") == before
    assert not any((parquet_root(out) / ".staging").iterdir())


def test_bad_documents_get_a_status(prefect_harness, tmp_path: Path):
    from flows.etl import etl

    bundle = tmp_path / "mixed"
    bundle.mkdir()
    (bundle / "good.txt").write_text("Officials in Nairobi said on Friday that the new rail line will open in May.\n")
    (bundle / "empty.txt").write_text("   \n")
    (bundle / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (bundle / "latin1.txt").write_bytes("Le café de la gare a fermé ses portes à Genève hier soir.".encode("cp1252"))
    etl(bundles=[str(bundle)], out=str(tmp_path / "out"))
    docs = {d["source_path"]: d for d in bundle_rows(tmp_path / "out", "mixed")["documents"]}
    assert docs["good.txt"]["status"] == "ok"
    assert docs["empty.txt"]["status"] == "empty"
    assert docs["image.png"]["status"] == "binary"
    assert docs["latin1.txt"]["status"] == "ok" and "café" in docs["latin1.txt"]["text"]
    assert docs["latin1.txt"]["lang"] == "fr"


def test_deployments_expose_workers_dask_address_and_batch_size():
    import yaml
    from prefect.cli.deploy._models import PrefectYamlModel
    from prefect.utilities.callables import parameter_schema_from_entrypoint

    from tests.conftest import REPO

    config = PrefectYamlModel.model_validate(yaml.safe_load((REPO / "prefect.yaml").read_text()))
    etl_deployments = {d.name: d for d in config.deployments if d.entrypoint == "flows/etl.py:etl"}
    assert set(etl_deployments) == {"nightly-sample", "inbox"}
    for deployment in etl_deployments.values():
        assert {"workers", "dask_address", "batch_size", "out"} <= deployment.parameters.keys()
        assert deployment.schedules and deployment.work_pool.name == "newsetl-pool"
    assert etl_deployments["inbox"].parameters["inbox"] == "data/inbox"
    assert etl_deployments["inbox"].schedules[0].interval.total_seconds() == 900

    schema = parameter_schema_from_entrypoint(str(REPO / "flows" / "etl.py") + ":etl")  # as `prefect deploy` reads it
    described = {name: field.get("description") or "" for name, field in schema.properties.items()}
    assert "local Dask cluster" in described["workers"]
    assert "tcp://HOST:PORT" in described["dask_address"]
    assert "Documents per transform task" in described["batch_size"]
    assert "still being written" in described["inbox"] and described["force"]
    assert all(described.values()), [name for name, text in described.items() if not text]
