from __future__ import annotations

import codecs
import gzip
import io
import json
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tasks.ingest.decode import decode
from tasks.ingest.extract import BundleError, bundle_id_for, iter_bundle

SEEDS = Path(__file__).resolve().parents[3] / "data" / "seeds"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"
JSONL_LINES = [
    json.dumps({"id": 7, "text": "First article.", "title": "T1", "url": "http://x/1", "published": "2024-10-24"}),
    "",
    "{not json",
    json.dumps({"title": "no text here"}),
    json.dumps(["a", "list"]),
    json.dumps({"text": "Second article.", "source": "AFP", "extra": 1, "author": "Jane Doe"}),
    json.dumps({"text": "Third article.", "authors": ["Ann Lee", " ", 3, "Bo Chan"]}),
    json.dumps({"text": "Fourth article.", "author": "", "byline": "By Kim Park"}),
]


def docs(path, bundle_id="b"):
    return list(iter_bundle(path, bundle_id))


def paths(path):
    return [d.source_path for d in docs(path)]


def write_jsonl(path: Path) -> Path:
    data = ("\n".join(JSONL_LINES) + "\n").encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def check_jsonl_docs(found, name):
    assert [d.source_path for d in found] == [f"{name}:{n}" for n in (1, 3, 4, 5, 6, 7, 8)]
    first, bad, missing, not_object, second, third, fourth = found
    assert first.payload == "First article."
    assert first.meta == {"title": "T1", "url": "http://x/1", "published": "2024-10-24", "external_id": "7"}
    assert bad.payload == "" and bad.meta["status"] == "invalid_json" and bad.meta["status_detail"]
    assert missing.payload == "" and missing.meta["status"] == "missing_text"
    assert not_object.meta["status"] == "missing_text"
    assert second.payload == "Second article." and second.meta == {"source": "AFP", "author": "Jane Doe"}
    assert third.meta == {"author": "Ann Lee; Bo Chan"}
    assert fourth.meta == {"author": "Kim Park"}


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "bundle"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("hidden")
    (root / ".DS_Store").write_bytes(b"junk")
    (root / "b.txt").write_text("Article B")
    (root / "a.txt").write_text("Article A")
    (root / "img.png").write_bytes(PNG)
    (root / "sub" / "c.html").write_text("<p>Article C</p>")
    (root / "sub" / "deeper" / "d.txt").write_text("Article D")
    write_jsonl(root / "z.jsonl")
    return root


def test_directory_recursive_sorted_hidden_skipped(tree):
    found = docs(tree)
    assert [d.source_path for d in found][:5] == ["a.txt", "b.txt", "img.png", "sub/c.html", "sub/deeper/d.txt"]
    assert [d.ordinal for d in found] == list(range(len(found)))
    assert found[0].payload == b"Article A" and found[0].bundle_id == "b"
    check_jsonl_docs(found[5:], "z.jsonl")


def test_directory_binary_file_is_a_document(tree):
    png = next(d for d in docs(tree) if d.source_path == "img.png")
    assert png.payload == PNG
    assert decode(png.payload, png.source_path).status == "binary"


def test_deterministic(tree):
    first, second = docs(tree), docs(tree)
    assert first == second
    assert [d.doc_id for d in first] == [d.doc_id for d in second]
    assert len({d.doc_id for d in first}) == len(first)


def test_zip(tmp_path):
    path = tmp_path / "pack.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("b.txt", "Article B")
        archive.writestr("dir/", "")
        archive.writestr("dir/a.txt", "Article A")
        archive.writestr("__MACOSX/dir/._a.txt", b"\x00\x05")
        archive.writestr("lines.jsonl", "\n".join(JSONL_LINES))
    found = docs(path)
    assert [d.source_path for d in found][:2] == ["b.txt", "dir/a.txt"]  # archive order
    assert found[1].payload == b"Article A"
    check_jsonl_docs(found[2:], "lines.jsonl")
    assert [d.ordinal for d in found] == list(range(len(found)))


@pytest.mark.parametrize("suffix, mode", [(".tar", "w"), (".tar.gz", "w:gz"), (".tgz", "w:gz")])
def test_tar(tmp_path, suffix, mode):
    path = tmp_path / f"pack{suffix}"
    with tarfile.open(path, mode) as archive:
        for name, data in [("./z.txt", b"Article Z"), ("./.hidden", b"x"), ("./a.txt", b"Article A"),
                           ("./lines.jsonl.gz", gzip.compress("\n".join(JSONL_LINES).encode()))]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        folder = tarfile.TarInfo("./folder")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
    found = docs(path)
    assert [(d.source_path, d.payload) for d in found[:2]] == [("z.txt", b"Article Z"), ("a.txt", b"Article A")]
    check_jsonl_docs(found[2:], "lines.jsonl.gz")
    assert bundle_id_for(path) == "pack"


@pytest.mark.parametrize("name", ["news.jsonl", "news.jsonl.gz"])
def test_jsonl(tmp_path, name):
    found = docs(write_jsonl(tmp_path / name))
    check_jsonl_docs(found, name)
    assert [d.ordinal for d in found] == list(range(7))


@pytest.mark.parametrize(
    "separator",
    [b"|||||\n", b"  |||||  \r\n", b"\f\n", b"=====\n", b"==========\n", b"-----\n", b"   ---------\t\n"],
)
def test_separated_file_each_separator(tmp_path, separator):
    path = tmp_path / "all.txt"
    path.write_bytes(b"First one.\nStill first.\n" + separator + b"Second one.\n" + separator + b"Third.\n")
    found = docs(path)
    assert [d.source_path for d in found] == ["all.txt#0", "all.txt#1", "all.txt#2"]
    assert found[0].payload == b"First one.\nStill first.\n"
    assert found[1].payload == b"Second one.\n"
    assert found[2].payload == b"Third.\n"


def test_form_feed_inside_a_line(tmp_path):
    path = tmp_path / "ff.txt"
    path.write_bytes(b"First ends here.\fSecond starts here.\nMore second.\n")
    assert [d.payload for d in docs(path)] == [b"First ends here.", b"Second starts here.\nMore second.\n"]


def test_whitespace_only_pieces_skipped(tmp_path):
    path = tmp_path / "gaps.txt"
    path.write_bytes(b"=====\n\n|||||\nOne\n|||||\n  \n\f\nTwo\n-----\n\n")
    found = docs(path)
    assert [(d.source_path, d.payload) for d in found] == [("gaps.txt#0", b"One\n"), ("gaps.txt#1", b"Two\n")]


def test_short_rules_and_inline_marks_do_not_split(tmp_path):
    path = tmp_path / "one.txt"
    data = b"A ---- short rule\n====\n|||| four\nx ||||| inline\n"
    path.write_bytes(data)
    assert [(d.source_path, d.payload, d.ordinal) for d in docs(path)] == [("one.txt", data, 0)]


def test_utf16_file_is_one_document(tmp_path):
    path = tmp_path / "wide.txt"
    data = codecs.BOM_UTF16_LE + "One\n|||||\nTwo\n".encode("utf-16-le")
    path.write_bytes(data)
    assert [(d.source_path, d.payload) for d in docs(path)] == [("wide.txt", data)]


def test_empty_file_is_one_document(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert [(d.source_path, d.payload) for d in docs(path)] == [("empty.txt", b"")]


@pytest.mark.parametrize(
    "name, expected",
    [("news.tar.gz", "news"), ("news.TGZ", "news"), ("news.jsonl.gz", "news"), ("news.zip", "news"),
     ("news.tar", "news"), ("news.jsonl", "news"), ("news.txt", "news"), ("news.2024.txt", "news.2024"),
     ("news", "news"), ("news.tar.xz", "news")],
)
def test_bundle_id_for_files(name, expected):
    assert bundle_id_for(f"/somewhere/{name}") == expected


def test_bundle_id_for_directory(tmp_path):
    folder = tmp_path / "batch.2024-10"
    folder.mkdir()
    assert bundle_id_for(folder) == "batch.2024-10"
    assert bundle_id_for(f"{folder}/") == "batch.2024-10"


def test_missing_bundle_raises_at_call(tmp_path):
    with pytest.raises(BundleError, match="not found"):
        iter_bundle(tmp_path / "nope.zip", "nope")


@pytest.mark.parametrize(
    "name, status",
    [("fake.zip", "corrupt_archive"), ("fake.tar.gz", "corrupt_archive"), ("plain.txt.gz", "unsupported_format")],
)
def test_unreadable_or_unsupported_forms_are_one_row(tmp_path, name, status):
    path = tmp_path / name
    path.write_bytes(b"this is not an archive at all")
    (found,) = docs(path)
    assert (found.source_path, found.payload, found.meta["status"]) == (name, b"", status)
    assert found.meta["status_detail"]


def test_corrupt_jsonl_gz_keeps_the_lines_before_the_damage(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    data = b"".join(b'{"text": "a", "id": %d}\n' % i for i in range(50_000))
    path.write_bytes(gzip.compress(data)[:-40])
    found = docs(path)
    *lines, damage = found
    assert 0 < len(lines) < 50_000 and all(d.payload == "a" for d in lines)
    assert [d.source_path for d in lines] == [f"cut.jsonl.gz:{n}" for n in range(1, len(lines) + 1)]
    assert damage.source_path == f"cut.jsonl.gz:{len(lines) + 1}"
    assert damage.meta["status"] == "corrupt_archive"


def test_streaming_large_concatenated_file(tmp_path):
    path = tmp_path / "big.txt"
    piece = b"A line of a news article that goes on for a while.\n" * 20 + b"|||||\n"
    n_pieces = 10_000  # ~10 MB
    with path.open("wb") as fh:
        for _ in range(n_pieces // 100):
            fh.write(piece * 100)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        documents = iter_bundle(path, "big")
        assert not isinstance(documents, (list, tuple))
        first = next(documents)
        first_peak = tracemalloc.get_traced_memory()[1]
        count = 1 + sum(1 for _ in documents)
        full_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert first.source_path == "big.txt#0" and first.payload == piece[: -len(b"|||||\n")]
    assert count == n_pieces
    assert first_peak < size / 50
    assert full_peak < size / 20


def test_seed_bundle():
    found = docs(SEEDS, "seeds")
    assert [d.source_path for d in found] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(found) == 5
    for doc in found:
        decoded = decode(doc.payload, doc.source_path)
        assert (decoded.status, decoded.encoding) == ("ok", "utf-8")
        assert decoded.text
