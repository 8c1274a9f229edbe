import pyarrow as pa
import pytest

from tasks import load, schemas
from tasks.crossdoc import cross_document


def _tables(doc_ids: list[str]) -> dict[str, pa.Table]:
    docs = [{name: None for name in schemas.DOCUMENTS_STAGED.names} | {"doc_id": d, "text": d, "status": "ok"} for d in doc_ids]
    ents = [
        {"doc_id": d, "sent_id": 0, "ent_id": 0, "start": 0, "end": len(d), "text": d, "label": "ORG"} for d in doc_ids
    ]
    return {
        "documents": pa.Table.from_pylist(docs, schema=schemas.DOCUMENTS_STAGED),
        "removed": schemas.REMOVED.empty_table(),
        "sentences": schemas.SENTENCES_STAGED.empty_table(),
        "entities": pa.Table.from_pylist(ents, schema=schemas.ENTITIES_STAGED),
    }


def _publish(out, bundle_id, batches, canonical=None):
    staging = load.new_staging_dir(out)
    for i, doc_ids in enumerate(batches):
        load.stage_batch(staging, bundle_id, i, _tables(doc_ids))
    cross_document(staging, bundle_id, [], [])
    load.finish_bundle(out, staging, bundle_id, canonical or {})
    assert not staging.exists()


def test_publish_writes_every_table_as_zstd_hive_partitions(tmp_path):
    _publish(tmp_path, "b1", [["x", "y"], ["z"]], {"x": "X Corp"})
    root = load.parquet_root(tmp_path)
    for table in schemas.TABLES:
        parts = sorted((root / table / "bundle_id=b1").glob("part-*.parquet"))
        assert parts, table
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(root / "documents" / "bundle_id=b1" / "part-00000.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    docs = load.read_table(tmp_path, "documents", "b1")
    assert docs.column("doc_id").to_pylist() == ["x", "y", "z"]
    ents = load.read_table(tmp_path, "entities", "b1")
    assert ents.schema == schemas.ENTITIES
    assert ents.column("canonical").to_pylist() == ["X Corp", "y", "z"]
    assert load.read_table(tmp_path, "removed", "b1").num_rows == 0


def test_republishing_replaces_only_that_bundle(tmp_path):
    _publish(tmp_path, "b1", [["a", "b"], ["c"]])
    _publish(tmp_path, "b2", [["q"]])
    _publish(tmp_path, "b1", [["d"]])
    assert load.read_table(tmp_path, "documents", "b1").column("doc_id").to_pylist() == ["d"]
    assert load.read_table(tmp_path, "documents", "b2").column("doc_id").to_pylist() == ["q"]
    leftovers = list((load.parquet_root(tmp_path) / "documents" / "bundle_id=b1").iterdir())
    assert [p.name for p in leftovers] == ["part-00000.parquet"]


def test_exchange_swaps_directories(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "from_a").touch()
    (b / "from_b").touch()
    if not load._exchange(a, b):
        pytest.skip("renameat2 exchange not supported here; publish falls back to two renames")
    assert (a / "from_b").exists() and (b / "from_a").exists()


def test_discarded_staging_leaves_published_data(tmp_path):
    _publish(tmp_path, "b1", [["a"]])
    staging = load.new_staging_dir(tmp_path)
    load.stage_batch(staging, "b1", 0, _tables(["new"]))
    load.discard_staging(staging)
    assert load.read_table(tmp_path, "documents", "b1").column("doc_id").to_pylist() == ["a"]


def _owner_of(process) -> dict:
    import socket

    return {"host": socket.gethostname(), "pid": process.pid, "started": process.create_time()}


def _staging_with_owner(out, owner: dict | None):
    import json
    import uuid

    path = load.parquet_root(out) / load.STAGING / uuid.uuid4().hex
    (path / "documents").mkdir(parents=True)
    if owner is not None:
        (path / load.OWNER).write_text(json.dumps(owner))
    return path


@pytest.fixture
def other_process():
    import subprocess
    import sys

    import psutil

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield psutil.Process(child.pid)
    child.kill()
    child.wait()


def test_staging_records_its_owner_and_is_forgotten_when_discarded(tmp_path):
    import json
    import os

    staging = load.new_staging_dir(tmp_path)
    owner = json.loads((staging / load.OWNER).read_text())
    assert owner["pid"] == os.getpid() and owner["started"] > 0
    assert staging in load.active_staging_dirs()
    assert load.sweep_stale_staging(tmp_path) == []  # our own, live
    load.discard_staging(staging)
    assert not staging.exists() and staging not in load.active_staging_dirs()


def test_sweep_removes_staging_of_a_dead_owner_and_keeps_a_live_one(tmp_path, other_process):
    live = _staging_with_owner(tmp_path, _owner_of(other_process))
    assert load.sweep_stale_staging(tmp_path) == []
    assert live.exists()
    other_process.kill()
    other_process.wait(10)
    assert load.sweep_stale_staging(tmp_path) == [live]
    assert not live.exists()


def test_sweep_does_not_mistake_a_reused_pid_for_the_owner(tmp_path, other_process):
    owner = _owner_of(other_process) | {"started": other_process.create_time() - 3600}
    reused = _staging_with_owner(tmp_path, owner)
    assert load.sweep_stale_staging(tmp_path) == [reused]


def test_sweep_leaves_other_hosts_staging_alone(tmp_path):
    foreign = _staging_with_owner(tmp_path, {"host": "elsewhere.invalid", "pid": 1, "started": 0.0})
    assert load.sweep_stale_staging(tmp_path) == []
    assert foreign.exists()


def test_sweep_keeps_a_young_staging_without_owner_file_and_removes_an_old_one(tmp_path):
    import os
    import time

    unowned = _staging_with_owner(tmp_path, None)
    assert load.sweep_stale_staging(tmp_path) == []
    long_ago = time.time() - load.UNOWNED_STALE_SECONDS - 60
    for path in [unowned, unowned / "documents"]:
        os.utime(path, (long_ago, long_ago))
    assert load.sweep_stale_staging(tmp_path) == [unowned]
    assert load.sweep_stale_staging(tmp_path / "nothing-here") == []


def test_a_deferred_callback_runs_when_the_publish_ends(tmp_path):
    calls = []
    assert not load.defer_while_publishing(lambda: calls.append("now"))
    with load._publish_section("b9"):
        assert load.defer_while_publishing(lambda: calls.append("after"))
        assert calls == []
    assert calls == ["after"]
    assert "b9" in load.published_bundles()
