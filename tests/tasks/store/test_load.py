import os
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks.store import bundle_upgrade, load, schemas
from tasks.store import bundle_versions as versions
from tasks.story.crossdoc import cross_document

NOTHING = cross_document([], [], [])  # a bundle-wide step that found no pairs


def _tables(doc_ids: list[str]) -> dict[str, pa.Table]:
    docs = [{name: None for name in schemas.DOCUMENTS_STAGED.names} | {"doc_id": d, "text": d, "status": "ok"} for d in doc_ids]
    ents = [
        {"doc_id": d, "sent_id": 0, "ent_id": 0, "start_char": 0, "end_char": len(d), "text": d, "label": "ORG"} for d in doc_ids
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
    load.finish_bundle(out, staging, bundle_id, NOTHING, canonical or {})
    load.discard_staging(staging)


def test_publish_writes_every_table_as_zstd_hive_partitions(tmp_path):
    _publish(tmp_path, "b1", [["x", "y"], ["z"]], {"x": "X Corp"})
    root = load.parquet_root(tmp_path)
    for table in schemas.TABLES:
        parts = sorted(load.partition_dir(root, table, "b1").glob("part-*.parquet"))
        assert parts, table
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(load.partition_dir(root, "documents", "b1") / "part-00000.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    docs = load.read_table(tmp_path, "documents", "b1")
    assert docs.column("doc_id").to_pylist() == ["x", "y", "z"]
    ents = load.read_table(tmp_path, "entities", "b1")
    assert ents.schema == schemas.TABLES["entities"]
    assert ents.column("bundle_id").to_pylist() == ["b1"] * 3
    assert ents.column("canonical").to_pylist() == ["X Corp", "y", "z"]
    assert load.read_table(tmp_path, "removed", "b1").num_rows == 0


def test_republishing_replaces_only_that_bundle(tmp_path):
    _publish(tmp_path, "b1", [["a", "b"], ["c"]])
    _publish(tmp_path, "b2", [["q"]])
    _publish(tmp_path, "b1", [["d"]])
    assert load.read_table(tmp_path, "documents", "b1").column("doc_id").to_pylist() == ["d"]
    assert load.read_table(tmp_path, "documents", "b2").column("doc_id").to_pylist() == ["q"]
    leftovers = list(load.partition_dir(load.parquet_root(tmp_path), "documents", "b1").iterdir())
    assert [p.name for p in leftovers] == ["part-00000.parquet"]


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


# --- all-or-nothing publish: failure injection at every step, recovery, retries, migration ---

OLD = [["o1", "o2"], ["o3"]]
NEW = [["n1"], ["n2", "n3"]]
CANONICAL = {"o1": "Old Corp", "n1": "New Corp"}


class Fault(Exception):
    """Injected: not an OSError, so no fallback in the code under test swallows it."""


# Every primitive a publish uses to change the disk, and its step functions: a fault at
# call k of any of them stops the publish there, like a crash (the code under test has
# no cleanup in except/finally blocks to run, apart from releasing its lock).
PRIMITIVES = [
    (os, "replace"), (os, "symlink"), (os, "link"), (os, "fsync"), (os, "mkdir"), (os, "unlink"),
    (os, "rmdir"), (pq, "write_table"), (shutil, "copyfile"), (shutil, "rmtree"),
    (bundle_upgrade, "exchange"), (versions, "mark_complete"), (versions, "switch_current"),
    (versions, "link_tables"), (versions, "remove_unused"), (bundle_upgrade, "migrate_legacy"),
    (load, "write_version"),
]  # fmt: skip


@pytest.fixture
def inject():
    """inject(k): the k-th primitive call raises Fault (k=None: count only); returns the call log.
    inject.undo() puts the real functions back."""

    patch = pytest.MonkeyPatch()

    def arm(k):
        patch.undo()
        calls = []
        for owner, attr in PRIMITIVES:
            real, name = getattr(owner, attr), f"{owner.__name__}.{attr}"

            def wrapped(*args, _real=real, _name=name, **kwargs):
                calls.append(_name)
                if k is not None and len(calls) - 1 == k:
                    raise Fault(f"step {k}: {_name}")
                return _real(*args, **kwargs)

            patch.setattr(owner, attr, wrapped)
        return calls

    arm.undo = patch.undo
    yield arm
    patch.undo()


def _stage(out, bundle_id, batches):
    staging = load.new_staging_dir(out)
    for i, doc_ids in enumerate(batches):
        load.stage_batch(staging, bundle_id, i, _tables(doc_ids))
    return staging


def _bundle(out, bundle_id="b") -> dict:
    return {t: load.read_table(out, t, bundle_id) for t in schemas.TABLES}


def _duckdb_doc_ids(out) -> list[str]:
    root = load.parquet_root(out).as_posix()
    with duckdb.connect() as con:
        if not list(load.parquet_root(out).glob("documents/*/*.parquet")):
            return []
        rows = con.execute(
            f"select doc_id from read_parquet('{root}/documents/*/*.parquet', hive_partitioning = true) "
            "where bundle_id = 'b' order by doc_id"
        ).fetchall()
    return [r[0] for r in rows]


def _state(out, expected: dict[str, dict], views: bool = True) -> str:
    """Which expected bundle every table shows (the same one for all tables, or AssertionError)."""
    seen = _bundle(out)
    names = {t: [n for n, tables in expected.items() if tables[t].equals(seen[t])] for t in schemas.TABLES}
    common = set.intersection(*(set(v) for v in names.values()))
    assert common, f"tables from different versions: {names}"
    (name,) = common
    ids = expected[name]["documents"].column("doc_id").to_pylist()
    if views:
        assert _duckdb_doc_ids(out) == sorted(ids)  # through the views' glob too: no duplicate, no mix
    return name


def _no_garbage(out, bundle_id="b"):
    folder = versions.bundle_dir(load.parquet_root(out), bundle_id)
    left = sorted(p.name for p in folder.iterdir())
    kept = {versions.LOCK, versions.CURRENT, versions.PREVIOUS}
    assert set(left) - kept == {versions.version_of(folder, n) for n in (versions.CURRENT, versions.PREVIOUS)} - {None}
    assert len(left) <= 5, left


def _legacy(out, source_out, bundle_id="b"):
    """OUT/parquet/<table>/bundle_id=<id> as real directories, as the previous layout wrote them."""
    for table in schemas.TABLES:
        src = load.partition_dir(load.parquet_root(source_out), table, bundle_id).resolve()
        shutil.copytree(src, load.partition_dir(load.parquet_root(out), table, bundle_id))


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict[str, dict]:
    tables = {"absent": {t: schemas.TABLES[t].empty_table() for t in schemas.TABLES}}
    for name, batches in [("old", OLD), ("new", NEW)]:
        out = tmp_path_factory.mktemp(name)
        _publish(out, "b", batches, CANONICAL)
        tables[name] = _bundle(out)
    assert tables["new"]["entities"].column("canonical").to_pylist() == ["New Corp", "n2", "n3"]
    return tables


def _setup(out, scenario, tmp_path):
    if scenario == "replace":
        _publish(out, "b", OLD, CANONICAL)
    elif scenario == "legacy":
        _publish(tmp_path / "legacy-source", "b", OLD, CANONICAL)
        _legacy(out, tmp_path / "legacy-source")
    _publish(out, "other", [["x"]])
    return "absent" if scenario == "first" else "old"


def _copy_staging(template: Path, out) -> Path:
    """A fresh staging folder (own name, so its own version) with the template's staged parts."""
    staging = load.new_staging_dir(out)
    for entry in template.iterdir():
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name)
    return staging


@pytest.mark.parametrize("scenario", ["replace", "first", "legacy"])
def test_a_publish_failing_at_any_step_leaves_old_or_new_and_a_retry_publishes_once(
    tmp_path, inject, expected, scenario, monkeypatch
):
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # not observable without a power cut, and slow
    template = tmp_path / "template"
    before = _setup(template, scenario, tmp_path / "source")
    staged = _stage(tmp_path / "staged", "b", NEW)
    staged_entities = [pq.read_table(p) for p in load.staged_parts(staged, "entities", "b")]
    other = _bundle(template, "other")

    counting = tmp_path / "counting"
    shutil.copytree(template, counting, symlinks=True)
    staging = _copy_staging(staged, counting)
    steps = inject(None)
    load.finish_bundle(counting, staging, "b", NOTHING, CANONICAL)
    inject.undo()
    assert len(steps) > 20 and "tasks.store.bundle_versions.switch_current" in steps
    assert ("tasks.store.bundle_upgrade.exchange" in steps) == (scenario == "legacy")

    # every step; of a run of the same call (one link per part, ...) the first and the last
    n = len(steps)
    ks = [k for k in range(n) if k in (0, n - 1) or steps[k - 1] != steps[k] or steps[k + 1] != steps[k]]
    outcomes = []
    for k in ks:
        out = tmp_path / f"k{k}"
        shutil.copytree(template, out, symlinks=True)
        staging = _copy_staging(staged, out)
        inject(k)
        with pytest.raises(Fault):
            load.finish_bundle(out, staging, "b", NOTHING, CANONICAL)
        inject.undo()
        after_fault = _state(out, expected)
        assert after_fault in (before, "new"), (k, steps[k])

        load.recover_bundles(out)  # the next run's start (the failed process is gone)
        after_recovery = _state(out, expected, views=False)
        assert after_recovery in (after_fault, "new"), (k, steps[k])  # completed or left (rolled back)
        assert load.recover_bundles(out) == []

        published = load.published_bundles().count("b")
        load.finish_bundle(out, staging, "b", NOTHING, CANONICAL)  # Prefect's retry
        load.finish_bundle(out, staging, "b", NOTHING, CANONICAL)  # and once more: nothing changes
        assert _state(out, expected, views=False) == "new", (k, steps[k])
        assert load.published_bundles().count("b") - published <= 1
        folder = versions.bundle_dir(load.parquet_root(out), "b")
        assert versions.version_of(folder, versions.CURRENT) == load.version_name(staging)
        _no_garbage(out)
        assert not versions.legacy_tables(load.parquet_root(out), "b", list(schemas.TABLES))
        assert [pq.read_table(p) for p in load.staged_parts(staging, "entities", "b")] == staged_entities
        assert _bundle(out, "other") == other
        load.discard_staging(staging)
        outcomes.append(after_fault)
    assert before in outcomes and "new" in outcomes  # faults both before and after the switch


def test_finish_twice_gives_the_same_tables_and_canonical_columns_once(tmp_path, expected):
    staging = _stage(tmp_path, "b", NEW)
    load.finish_bundle(tmp_path, staging, "b", NOTHING, CANONICAL)
    load.finish_bundle(tmp_path, staging, "b", NOTHING, CANONICAL)
    assert _state(tmp_path, expected) == "new"
    assert "canonical" not in pq.read_table(load.staged_parts(staging, "entities", "b")[0]).column_names
    load.discard_staging(staging)
    with pytest.raises(FileNotFoundError, match="nothing to publish"):
        load.finish_bundle(tmp_path, staging, "other", NOTHING, CANONICAL)  # never an empty bundle from a vanished staging


def test_every_table_is_a_link_into_one_version_switched_by_one_symlink(tmp_path):
    _publish(tmp_path, "b", OLD, CANONICAL)
    root = load.parquet_root(tmp_path)
    folder = versions.bundle_dir(root, "b")
    current = versions.version_of(folder, versions.CURRENT)
    for table in schemas.TABLES:
        link = load.partition_dir(root, table, "b")
        assert link.is_symlink() and os.readlink(link) == f"../.bundles/b/current/{table}"
        assert link.resolve() == (folder / current / table).resolve()
    assert (folder / current / versions.COMPLETE).is_file()
    assert load.bundle_snapshot(tmp_path, "b") == (folder / current).resolve()
    assert load.bundle_snapshot(tmp_path, "nope") is None


def test_a_reader_holding_the_old_file_list_can_still_read_after_a_swap(tmp_path, expected):
    _publish(tmp_path, "b", OLD, CANONICAL)
    snapshot = load.bundle_snapshot(tmp_path, "b")
    held = {t: sorted((snapshot / t).glob("part-*.parquet")) for t in schemas.TABLES}
    _publish(tmp_path, "b", NEW, CANONICAL)
    assert _state(tmp_path, expected) == "new"
    for table, files in held.items():
        read = pa.concat_tables([pq.read_table(f) for f in files])
        assert read.equals(expected["old"][table]), table
    _publish(tmp_path, "b", [["third"]])
    assert not any(f.exists() for files in held.values() for f in files)  # older than previous: removed
    _no_garbage(tmp_path)


def test_recovery_rolls_back_a_current_without_complete_marker_and_removes_garbage(tmp_path, expected):
    _publish(tmp_path, "b", OLD, CANONICAL)
    _publish(tmp_path, "b", NEW, CANONICAL)
    root = load.parquet_root(tmp_path)
    folder = versions.bundle_dir(root, "b")
    (folder / versions.version_of(folder, versions.CURRENT) / versions.COMPLETE).unlink()  # e.g. lost in a power cut
    (folder / "v-dead").mkdir()
    (folder / ".current.123.tmp").symlink_to("v-dead")
    notes = load.recover_bundles(tmp_path)
    assert any("back to" in n for n in notes) and any("v-dead" in n for n in notes)
    assert _state(tmp_path, expected) == "old"
    _no_garbage(tmp_path)
    assert load.recover_bundles(tmp_path) == []  # nothing more to do


def test_recovery_unpublishes_a_first_publish_that_never_completed(tmp_path, expected):
    root = load.parquet_root(tmp_path)
    folder = versions.bundle_dir(root, "b")
    (folder / "v-half" / "documents").mkdir(parents=True)
    versions.link_tables(root, "b", list(schemas.TABLES))  # dangling: the switch never happened
    load.recover_bundles(tmp_path)
    assert _state(tmp_path, expected) == "absent"
    assert not any(load.partition_dir(root, t, "b").is_symlink() for t in schemas.TABLES)
    assert [p.name for p in folder.iterdir()] == [versions.LOCK]


def test_recovery_skips_a_bundle_another_process_is_publishing(tmp_path):
    import fcntl

    root = load.parquet_root(tmp_path)
    folder = versions.bundle_dir(root, "b")
    (folder / "v-being-built").mkdir(parents=True)
    with open(folder / versions.LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        import subprocess
        import sys

        code = f"from tasks.store import load; print(load.recover_bundles({str(tmp_path)!r}))"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]" and (folder / "v-being-built").is_dir()


def test_an_old_layout_bundle_is_left_consistent_then_converted_on_its_next_publish(tmp_path, expected):
    _publish(tmp_path / "source", "b", OLD, CANONICAL)
    _legacy(tmp_path, tmp_path / "source")
    root = load.parquet_root(tmp_path)
    assert load.recover_bundles(tmp_path) == []
    assert _state(tmp_path, expected) == "old"
    assert versions.legacy_tables(root, "b", list(schemas.TABLES)) == list(schemas.TABLES)
    with versions.bundle_lock(root, "b"):
        assert bundle_upgrade.migrate_legacy(root, "b", list(schemas.TABLES))
    assert _state(tmp_path, expected) == "old"
    assert all(load.partition_dir(root, t, "b").is_symlink() for t in schemas.TABLES)
    _publish(tmp_path, "b", NEW, CANONICAL)
    assert _state(tmp_path, expected) == "new"
    _no_garbage(tmp_path)


def test_a_copy_made_with_links_followed_is_left_alone_until_published(tmp_path, expected):
    _publish(tmp_path / "a", "b", OLD, CANONICAL)
    _publish(tmp_path / "a", "b", NEW, CANONICAL)
    shutil.copytree(load.parquet_root(tmp_path / "a"), load.parquet_root(tmp_path / "copy"))  # follows symlinks
    copy = tmp_path / "copy"
    files = sorted(p for p in load.parquet_root(copy).rglob("*") if p.is_file())
    assert load.recover_bundles(copy) == []
    assert sorted(p for p in load.parquet_root(copy).rglob("*") if p.is_file()) == files
    assert _state(copy, expected) == "new"
    _publish(copy, "b", OLD, CANONICAL)
    assert _state(copy, expected) == "old"
    _no_garbage(copy)


def test_publish_needs_posix(tmp_path, monkeypatch):
    staging = _stage(tmp_path, "b", NEW)
    monkeypatch.setattr(os, "name", "nt")
    with pytest.raises(OSError, match="not supported"):
        load.finish_bundle(tmp_path, staging, "b", NOTHING, {})


def test_final_tables_carry_the_bundle_wide_columns_and_staged_parts_stay_untouched(tmp_path):
    from tasks.story.dedup import signatures
    from tests.tasks.story.test_crossdoc import COPY, WIRE, Bundle

    bundle = Bundle()
    texts = bundle.stage({"wire": WIRE}) + bundle.stage({"copy": COPY})
    staging = load.new_staging_dir(tmp_path)
    for i, (docs, sents) in enumerate(zip(bundle.documents, bundle.sentences)):
        load.stage_batch(staging, "b", i, {"documents": docs, "sentences": sents})
    staged = {p: p.read_bytes() for p in staging.rglob("*.parquet")}
    parts = load.iter_staged(staging, "sentences", "b", ["doc_id", "sent_id", "text", "norm_hash", "is_heading"])
    cross = cross_document(parts, ["wire", "copy"], signatures(texts))
    load.finish_bundle(tmp_path, staging, "b", cross, {})
    load.finish_bundle(tmp_path, staging, "b", cross, {})  # a retry: same tables
    assert {p: p.read_bytes() for p in staging.rglob("*.parquet")} == staged
    docs = load.read_table(tmp_path, "documents", "b")
    assert docs.column("cluster_id").to_pylist() == ["wire", "wire"]
    claims = load.read_table(tmp_path, "sentences", "b").column("claim_id").to_pylist()
    assert claims == [f"wire:{i}" for i in range(4)] * 2
    assert load.read_table(tmp_path, "doc_pairs", "b").drop_columns(["bundle_id"]).equals(cross.doc_pairs)
    assert load.read_table(tmp_path, "sentence_links", "b").drop_columns(["bundle_id"]).equals(cross.sentence_links)
