"""count_documents agrees with what extract yields, for every bundle form."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from tasks.ingest.bundle_size import count_documents
from tasks.ingest.extract import iter_bundle

SEEDS = Path(__file__).resolve().parents[3] / "data" / "seeds"
JSONL = (
    "\n".join([json.dumps({"text": "One."}), "", "   ", "{not json", json.dumps({"title": "no text"}), json.dumps({"text": "Two."})])
    + "\n"
    + json.dumps({"text": "last line without a newline"})
).encode()


def extracted(path: Path) -> int:
    return sum(1 for _ in iter_bundle(path, "b"))


def folder_bundle(root: Path) -> Path:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"Article A.")
    (root / "sub" / "b.html").write_bytes(b"<p>Article B.</p>")
    (root / "sub" / "deeper" / "c.bin").write_bytes(b"\x00\x01binary")
    (root / ".hidden.txt").write_bytes(b"skipped")
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_bytes(b"skipped")
    (root / "feed.jsonl").write_bytes(JSONL)
    (root / "sub" / "feed.jsonl.gz").write_bytes(gzip.compress(JSONL))
    (root / "empty.jsonl").write_bytes(b"")
    return root


def test_the_sample_bundle():
    assert count_documents(SEEDS) == extracted(SEEDS) == 5


def test_a_folder_with_hidden_files_subfolders_and_jsonl(tmp_path):
    bundle = folder_bundle(tmp_path / "bundle")
    assert count_documents(bundle) == extracted(bundle) == 3 + 2 * 5


@pytest.mark.parametrize("name", ["feed.jsonl", "feed.jsonl.gz"])
def test_a_jsonl_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(JSONL) if name.endswith(".gz") else JSONL)
    assert count_documents(path) == extracted(path) == 5


def test_a_zip(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "Article A.")
        archive.writestr("dir/", "")
        archive.writestr("dir/b.txt", "Article B.")
        archive.writestr("__MACOSX/._a.txt", "junk")
        archive.writestr("dir/.DS_Store", "junk")
        archive.writestr("feed.jsonl", JSONL)
        archive.writestr("feed.jsonl.gz", gzip.compress(JSONL))
    assert count_documents(path) == extracted(path) == 2 + 2 * 5


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_a_tar(tmp_path, mode):
    path = tmp_path / ("bundle.tar" if mode == "w" else "bundle.tar.gz")
    with tarfile.open(path, mode) as archive:
        for name, data in [("./a.txt", b"Article A."), ("dir/b.txt", b"B."), ("dir/.hidden", b"x"), ("feed.jsonl", JSONL)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        folder = tarfile.TarInfo("dir")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
    assert count_documents(path) == extracted(path) == 2 + 5


def test_a_concatenated_text_file(tmp_path):
    path = tmp_path / "several.txt"
    path.write_bytes(b"First.\n|||||\nSecond.\n\f\nThird.\n=====\n\n-----\nFourth.\n")
    assert count_documents(path) == extracted(path) == 4


def test_a_compressed_single_file_is_one_row(tmp_path):
    path = tmp_path / "article.txt.gz"
    path.write_bytes(gzip.compress(b"text"))
    assert count_documents(path) == extracted(path) == 1


def test_a_damaged_gzip_feed_counts_what_is_readable_plus_the_damage(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress(JSONL)[:-30])
    assert count_documents(path) == extracted(path)
