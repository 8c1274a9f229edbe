"""OUTs written by an older newsetl come to today's layout at the start of a run (README: Migration)."""
import os
import shutil
from datetime import date, datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tasks.store import bundle_upgrade, load, schemas, table_upgrade, warehouse
from tasks.store import bundle_versions as versions
from tests.tasks.store.test_warehouse import _publish_fixture


def _old_part(table: pa.Table) -> pa.Table:
    """A part as the previous layout wrote it: no bundle_id column, start/end."""
    table = table.drop_columns(["bundle_id"])
    old = {"start_char": "start", "end_char": "end"}
    return table.rename_columns([old.get(c, c) for c in table.column_names]).replace_schema_metadata(None)


def test_upgrade_renames_adds_bundle_id_and_fills_new_columns():
    old = pa.table({"doc_id": ["d"], "sent_id": [0], "ent_id": [0], "start": [0], "end": [3], "text": ["Ann"],
                    "label": ["PERSON"], "gone": ["x"]})
    new = table_upgrade.upgrade("entities", old, "20241025")
    assert new.schema == schemas.TABLES["entities"]
    assert new.to_pylist() == [{"bundle_id": "20241025", "doc_id": "d", "sent_id": 0, "ent_id": 0, "start_char": 0,
                                "end_char": 3, "text": "Ann", "label": "PERSON", "canonical": None}]
    assert table_upgrade.upgrade("entities", new, "20241025").equals(new)  # today's layout: unchanged


def _to_old_layout(out, bundle_id, real_directories):
    """Turn a published bundle into what the previous newsetl left: ROOT/<table>/bundle_id=<id>,
    a symlink into the versions (or, before that, a real directory), with old parts."""
    root = load.parquet_root(out)
    version = load.bundle_snapshot(out, bundle_id)
    for table in schemas.TABLES:
        for part in sorted((version / table).glob("part-*.parquet")):
            data = pq.read_table(part)
            part.unlink()
            pq.write_table(_old_part(data), part)
        new, old = versions.link_path(root, table, bundle_id), versions.old_link_path(root, table, bundle_id)
        if real_directories:
            shutil.copytree(version / table, old)
            new.unlink()
        else:
            os.rename(new, old)
    if real_directories:
        shutil.rmtree(versions.bundle_dir(root, bundle_id))


@pytest.mark.parametrize("real_directories", [False, True])
def test_an_old_out_is_upgraded_at_the_start_of_a_run(tmp_path, real_directories):
    _publish_fixture(tmp_path)
    before = {t: load.read_table(tmp_path, t, "2024") for t in schemas.TABLES}
    _to_old_layout(tmp_path, "2024", real_directories)
    root = load.parquet_root(tmp_path)
    assert bundle_upgrade.old_layout_bundles(root, list(schemas.TABLES)) == ["2024"]
    assert load.any_published(tmp_path)
    notes = load.recover_bundles(tmp_path)
    assert "bundle 2024: upgraded to the current table layout" in notes
    assert bundle_upgrade.old_layout_bundles(root, list(schemas.TABLES)) == []
    for table in schemas.TABLES:
        assert sorted(p.name for p in (root / table).iterdir()) == ["2024"]
        assert load.read_table(tmp_path, table, "2024").equals(before[table]), table
    assert load.recover_bundles(tmp_path) == []  # nothing left to do
    warehouse.refresh_views(tmp_path)
    with warehouse.connect(tmp_path) as con:
        assert con.execute("select bundle_id, count(*) from entities group by 1").fetchall() == [("2024", 6)]


def test_upgrade_reads_the_dates_of_old_documents():
    old = pa.table({"doc_id": ["a", "b"], "published": ["2024-10-25T10:00:00Z", "someday"],
                    "dateline_date": ["Oct 24", None], "text": ["x", "y"]})
    new = table_upgrade.upgrade("documents", old, "b1")
    assert new.schema == schemas.TABLES["documents"]
    rows = new.select(["published", "published_text", "dateline_date", "dateline_date_text"]).to_pylist()
    assert rows == [
        {"published": date(2024, 10, 25), "published_text": "2024-10-25T10:00:00Z", "dateline_date": date(2024, 10, 24),
         "dateline_date_text": "Oct 24"},
        {"published": None, "published_text": "someday", "dateline_date": None, "dateline_date_text": None},
    ]
    assert new["published_at"].to_pylist()[0] == datetime(2024, 10, 25, 10, 0, tzinfo=timezone.utc)
    assert table_upgrade.upgrade("documents", new, "b1").equals(new)


def _to_older_columns(out, bundle_id, record):
    """Turn a published bundle into what a newsetl between the two layouts left: today's names
    <table>/<id> and a bundle_id column, but documents without story_id and with the dates as
    texts; its version records layout `record` (None: no record, as before layouts were recorded)."""
    version = load.bundle_snapshot(out, bundle_id)
    for part in sorted((version / "documents").glob("part-*.parquet")):
        data = pq.read_table(part)
        texts = data["published_text"]
        data = data.drop_columns(["story_id", "published", "published_at", "published_text", "dateline_date_text"])
        part.unlink()
        pq.write_table(data.append_column("published", texts.cast(pa.string())).replace_schema_metadata(None), part)
    (version / versions.LAYOUT).unlink()
    if record is not None:
        (version / versions.LAYOUT).write_text(record)


@pytest.mark.parametrize("record", [None, "0123456789abcdef"])
def test_a_bundle_published_in_an_older_layout_is_upgraded_at_the_start_of_a_run(tmp_path, record):
    _publish_fixture(tmp_path)
    root = load.parquet_root(tmp_path)
    assert versions.recorded_layout(load.bundle_snapshot(tmp_path, "2024")) == load.LAYOUT
    assert load.recover_bundles(tmp_path) == []  # published today: nothing to do
    before = {t: load.read_table(tmp_path, t, "2024") for t in schemas.TABLES}
    _to_older_columns(tmp_path, "2024", record)
    assert "story_id" not in load.read_table(tmp_path, "documents", "2024").column_names
    assert bundle_upgrade.bundles_to_upgrade(root, list(schemas.TABLES), load.LAYOUT) == ["2024"]
    notes = load.recover_bundles(tmp_path)
    assert "bundle 2024: upgraded to the current table layout" in notes
    assert versions.recorded_layout(load.bundle_snapshot(tmp_path, "2024")) == load.LAYOUT
    for table in schemas.TABLES:
        assert sorted(p.name for p in (root / table).iterdir()) == ["2024"]
        assert load.read_table(tmp_path, table, "2024").schema.equals(schemas.TABLES[table]), table
        if table != "documents":
            assert load.read_table(tmp_path, table, "2024").equals(before[table]), table
    assert load.recover_bundles(tmp_path) == []
    warehouse.refresh_views(tmp_path)
    with warehouse.connect(tmp_path) as con:
        columns = dict(con.execute("select column_name, column_type from (describe documents)").fetchall())
    assert columns["story_id"] == "VARCHAR" and columns["published"] == "DATE"


def test_upgrade_layout_rewrites_a_bundle_of_an_older_layout_once(tmp_path):
    """As finish_bundle calls it under the lock (a bundle the start of a run left: another process held it)."""
    _publish_fixture(tmp_path)
    root = load.parquet_root(tmp_path)
    _to_older_columns(tmp_path, "2024", None)
    with versions.bundle_lock(root, "2024"):
        assert bundle_upgrade.upgrade_layout(root, "2024", list(schemas.TABLES), load._upgrade_part("2024"), load.LAYOUT)
        assert not bundle_upgrade.upgrade_layout(root, "2024", list(schemas.TABLES), load._upgrade_part("2024"), load.LAYOUT)
    assert load.read_table(tmp_path, "documents", "2024").schema.equals(schemas.TABLES["documents"])


def test_views_read_parts_of_two_layouts_by_column_name(tmp_path):
    """While the start of a run upgrades bundle after bundle, a reader may meet both layouts:
    a column the first file lacks must not vanish from the view (union_by_name)."""
    _publish_fixture(tmp_path)
    folder = load.bundle_snapshot(tmp_path, "2024") / "documents"
    data = pq.read_table(folder / "part-00000.parquet")
    older = data.drop_columns(["story_id"]).replace_schema_metadata(None).slice(0, 1)
    pq.write_table(older, folder / "part-00000-older.parquet")  # read first (sorted names)
    warehouse.refresh_views(tmp_path)
    with warehouse.connect(tmp_path) as con:
        rows = con.execute("select doc_id, story_id is null from documents order by doc_id").fetchall()
    assert "story_id" in data.column_names
    published = zip(data["doc_id"].to_pylist(), data["story_id"].to_pylist())
    assert rows == [("d0", True)] + [(doc_id, story_id is None) for doc_id, story_id in published]
