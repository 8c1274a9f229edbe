"""Hostile and broken bundles: one row per file, member and line; nothing outside read."""
from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from tasks.config import Config
from tasks.ingest import extract
from tasks.ingest.extract import BundleError, bundle_id_for, check_bundle, check_bundle_id, iter_bundle
from tasks.ingest.pieces import escape_name
from tests import hostile

LIMITS = Config(max_document_bytes=hostile.SMALL_LIMIT, max_line_bytes=hostile.SMALL_LIMIT)
BUILDERS = {
    "directory": hostile.directory_bundle,
    "zip": hostile.zip_bundle,
    "tar": hostile.tar_bundle,
    "truncated_tar": lambda tmp: hostile.tar_bundle(tmp, truncated=True),
    "corrupt_zip": hostile.corrupt_zip,
}


def statuses(path: Path, config: Config = LIMITS) -> dict[str, str]:
    return {d.source_path: d.meta.get("status", "ok") for d in iter_bundle(path, "b", config)}


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("kind", BUILDERS)
def test_every_entry_one_row_with_its_status(tmp_path, kind):
    path, expected = BUILDERS[kind](tmp_path)
    found = list(iter_bundle(path, "b", LIMITS))
    assert {d.source_path: d.meta.get("status", "ok") for d in found} == expected
    assert len({d.doc_id for d in found}) == len(found)  # every name encodes; ids unique
    for doc in found:
        payload = doc.payload.encode("utf-8") if isinstance(doc.payload, str) else doc.payload
        assert hostile.SECRET.encode() not in payload and b"root:" not in payload
        if doc.meta.get("status"):
            assert payload == b"" and doc.meta["status_detail"]
        doc.source_path.encode("utf-8")  # valid UTF-8, no surrogates


def test_links_leaving_the_root_are_refused_even_when_the_root_is_a_link(tmp_path):
    root, expected = hostile.directory_bundle(tmp_path)
    alias = tmp_path / "alias"
    os.symlink(root, alias)
    assert statuses(alias) == expected


def test_non_utf8_names_are_escaped_losslessly():
    raw = [os.fsdecode(b"caf\xe9.txt"), "caf\\xe9.txt", "a\\b", "plain.txt", "\ud800"]
    escaped = [escape_name(name) for name in raw]
    assert escaped[:4] == ["caf\\xe9.txt", "caf\\\\xe9.txt", "a\\\\b", "plain.txt"]
    assert len(set(escaped)) == len(raw)
    for name in escaped:
        name.encode("utf-8")


def test_lone_surrogates_in_jsonl_become_replacement_characters(tmp_path):
    root, _ = hostile.directory_bundle(tmp_path)
    (doc,) = [d for d in iter_bundle(root, "b", LIMITS) if d.source_path == "feed.jsonl:3"]
    assert "lone \ufffd surrogate" in doc.payload and doc.meta["title"] == "t\ufffd"


def test_an_unreadable_file_is_a_row(tmp_path, monkeypatch):
    root = tmp_path / "b"
    root.mkdir()
    (root / "a.txt").write_text(hostile.ARTICLE)
    (root / "locked.txt").write_text(hostile.ARTICLE)
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(extract.os, "open", refusing_open)
    found = {d.source_path: d.meta for d in iter_bundle(root, "b", LIMITS)}
    assert found["a.txt"] == {}
    assert found["locked.txt"]["status"] == "unreadable" and "Permission denied" in found["locked.txt"]["status_detail"]


def test_a_piece_over_the_limit_is_dropped_while_reading(tmp_path):
    path = tmp_path / "joined.txt"
    big = b"word " * (hostile.SMALL_LIMIT // 4)
    path.write_bytes(b"first piece\n|||||\n" + big + b"\n|||||\nthird piece\n")
    found = list(iter_bundle(path, "b", LIMITS))
    assert [(d.source_path, d.meta.get("status")) for d in found] == [
        ("joined.txt#0", None), ("joined.txt#1", "too_large"), ("joined.txt#2", None)
    ]
    assert found[2].payload == b"third piece\n"


def test_a_single_line_file_over_the_limit(tmp_path):
    path = tmp_path / "one_line.txt"
    path.write_bytes(b"x" * (hostile.SMALL_LIMIT * 3))  # no newline at all: read in bounded parts
    (doc,) = iter_bundle(path, "b", LIMITS)
    assert doc.meta["status"] == "too_large"


@pytest.mark.parametrize("build", [hostile.bomb_zip, hostile.bomb_jsonl_gz])
def test_bombs_are_checked_while_decompressing(tmp_path, build):
    path = build(tmp_path, 64 << 20)  # 64 MiB inflated, a few hundred KB on disk
    config = Config(max_document_bytes=1 << 20, max_line_bytes=1 << 20)
    tracemalloc.start()
    try:
        found = list(iter_bundle(path, "b", config))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.meta.get("status", "ok") for d in found] == ["too_large", "ok"]
    assert peak < 8 << 20  # never the whole member or line


@pytest.mark.parametrize(
    "bundle_id", ["x/../../../tmp/ESCAPED", "a/b", "..", ".hidden", "", "a b", "é", "x" * 101, "-dash"]
)
def test_invalid_bundle_ids_are_refused_naming_the_allowed_characters(bundle_id):
    with pytest.raises(ValueError, match="letters A-Z a-z, digits"):
        check_bundle_id(bundle_id)


@pytest.mark.parametrize("bundle_id", ["seeds", "2024-10-25", "batch.v2_final", "X" * 100])
def test_valid_bundle_ids(bundle_id):
    assert check_bundle_id(bundle_id) == bundle_id


@pytest.mark.parametrize(
    "name, expected",
    [("my news.zip", "my_news"), ("..zip", "bundle"), ("été 2024.tar.gz", "ete_2024"), ("'; drop.jsonl", "drop")],
)
def test_derived_bundle_ids_are_made_valid(tmp_path, name, expected):
    assert bundle_id_for(tmp_path / name) == expected
    check_bundle_id(bundle_id_for(tmp_path / name))


def test_check_bundle(tmp_path):
    with pytest.raises(BundleError, match="not found"):
        check_bundle(tmp_path / "missing")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(BundleError, match="neither"):
        check_bundle(tmp_path / "fifo")
