"""The fingerprint's pure parts: content digest framing, pipeline version, the skip decision, inbox selection."""
from __future__ import annotations

import pytest

from tasks.config import DEFAULT, Config
from tasks.fingerprint import (
    SKIPPED,
    ChangedWhileReading,
    ContentDigest,
    Fingerprint,
    InboxEntry,
    decide,
    inbox_entries,
    pipeline_version,
)

MODELS = {"en_core_web_sm": "3.8.0", "fr_core_news_sm": "3.8.0"}


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
    base = pipeline_version(DEFAULT.as_dict(), "0.1.0", MODELS)
    assert base == pipeline_version(Config().as_dict(), "0.1.0", MODELS)
    assert base != pipeline_version(Config(nlp_entities=False).as_dict(), "0.1.0", MODELS)
    assert base != pipeline_version(DEFAULT.as_dict(), "0.2.0", MODELS)
    assert base != pipeline_version(DEFAULT.as_dict(), "0.1.0", {**MODELS, "fr_core_news_sm": "3.8.1"})
    for run_only in (Config(report_memory_mb=64), Config(nlp_cache_chars=0), Config(inbox_settle_seconds=5)):
        assert pipeline_version(run_only.as_dict(), "0.1.0", MODELS) == base


def test_decide():
    pipeline = pipeline_version(DEFAULT.as_dict(), "0.1.0", MODELS)
    now = Fingerprint("c1", pipeline)
    assert decide(None, now) == (False, "new: no fingerprint published for this bundle")
    assert decide(Fingerprint("c1", dict(pipeline)), now) == (True, SKIPPED)
    assert decide(Fingerprint("c1", pipeline), now, force=True) == (False, "unchanged, reprocessed (--force)")
    assert decide(Fingerprint("c0", pipeline), now) == (False, "changed: content")
    other = pipeline_version(Config(max_line_bytes=1024).as_dict(), "0.1.0", MODELS)
    assert decide(Fingerprint("c0", other), now) == (False, "changed: content and pipeline (config)")


def test_fingerprint_round_trip_and_damage():
    fp = Fingerprint("c1", pipeline_version(DEFAULT.as_dict(), "0.1.0", MODELS))
    assert Fingerprint.from_json(fp.to_json()) == fp
    assert Fingerprint.from_json(None) is None
    assert Fingerprint.from_json("{not json") is None
    assert Fingerprint.from_json(fp.to_json().replace('"c1"', '"c2"')) is None  # the recorded value no longer matches


def test_inbox_entries():
    entries = [InboxEntry("b.zip", 100.0), InboxEntry("a", 10.0), InboxEntry(".part", 0.0), InboxEntry("new", 195.0)]
    assert inbox_entries(entries, now=200.0, settle_seconds=60) == (["a", "b.zip"], ["new"])
    assert inbox_entries([], now=0.0, settle_seconds=60) == ([], [])
