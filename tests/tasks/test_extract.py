import gzip
import io
import json
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from tasks.extract import BundleError, bundle_id_for, iter_bundle

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def _docs(path, bundle_id="b"):
    return [(d.source_path, d.ordinal, d.payload, d.meta) for d in iter_bundle(path, bundle_id)]


def test_sample_bundle():
    docs = list(iter_bundle(SEEDS, "seeds"))
    assert [d.source_path for d in docs] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert [d.ordinal for d in docs] == [0, 1, 2, 3, 4]
    assert len({d.doc_id for d in docs}) == 5


def test_directory_is_walked_recursively_in_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_bytes(b"two")
    (tmp_path / "a.txt").write_bytes(b"one")
    (tmp_path / ".hidden").write_bytes(b"secret")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\x00")
    (tmp_path / "more.jsonl").write_text('{"text": "three"}\n')
    assert [(s, o, p) for s, o, p, _ in _docs(tmp_path)] == [
        ("a.txt", 0, b"one"), ("b/two.txt", 1, b"two"), ("more.jsonl:1", 2, "three"), ("pic.png", 3, b"\x89PNG\x00")
    ]


def test_zip_and_tar_archives(tmp_path):
    files = {"x/1.txt": b"first", "x/2.txt": b"second"}
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    for mode, name in (("w", "t.tar"), ("w:gz", "t.tar.gz"), ("w:gz", "t.tgz")):
        with tarfile.open(tmp_path / name, mode) as tf:
            for member, data in files.items():
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
        assert [(s, p) for s, _, p, _ in _docs(tmp_path / name)] == list(files.items())
    assert [(s, p) for s, _, p, _ in _docs(tmp_path / "z.zip")] == list(files.items())


def test_jsonl_fields_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": 7, "text": "Hello", "title": "T", "url": "u", "source": "S", "published": "2024-10-24"}),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
    ]
    path = tmp_path / "w.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("\n".join(lines) + "\n")
    docs = _docs(path)
    assert docs[0] == ("w.jsonl.gz:1", 0, "Hello", {"title": "T", "url": "u", "source": "S", "published": "2024-10-24", "external_id": "7"})
    assert docs[1][0] == "w.jsonl.gz:3" and docs[1][3]["status"] == "invalid_json"
    assert docs[2][0] == "w.jsonl.gz:4" and docs[2][3]["status"] == "missing_text"


@pytest.mark.parametrize("separator", [b"|||||", b"=====", b"----------", b"  |||||  "])
def test_concatenated_file_separators(tmp_path, separator):
    path = tmp_path / "all.txt"
    path.write_bytes(b"One.\n" + separator + b"\nTwo.\n" + separator + b"\n\n" + separator + b"\nThree.\n")
    assert [(s, p) for s, _, p, _ in _docs(path)] == [("all.txt#0", b"One.\n"), ("all.txt#1", b"Two.\n"), ("all.txt#2", b"Three.\n")]


def test_form_feed_separates_and_plain_file_is_one_document(tmp_path):
    (tmp_path / "ff.txt").write_bytes(b"One.\fTwo.\n")
    assert [p for _, _, p, _ in _docs(tmp_path / "ff.txt")] == [b"One.", b"Two.\n"]
    (tmp_path / "one.txt").write_bytes(b"Only --- this.\n----\n")
    assert _docs(tmp_path / "one.txt") == [("one.txt", 0, b"Only --- this.\n----\n", {})]


def test_concatenated_file_is_streamed(tmp_path):
    path = tmp_path / "big.txt"
    piece = (b"A line of a generated article about nothing in particular.\n" * 40) + b"|||||\n"
    with path.open("wb") as fh:
        for _ in range(8000):  # ~19 MB
            fh.write(piece)
    tracemalloc.start()
    count = sum(1 for _ in iter_bundle(path, "big"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 8000
    assert peak < 2_000_000


def test_bundle_ids_and_errors(tmp_path):
    assert [bundle_id_for(p) for p in ("a/b.tar.gz", "b.tgz", "c.jsonl.gz", "d.zip", "e.txt")] == ["b", "b", "c", "d", "e"]
    assert bundle_id_for(SEEDS) == "seeds"
    with pytest.raises(BundleError, match="not found"):
        list(iter_bundle(tmp_path / "missing", "m"))
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(BundleError, match="zip"):
        list(iter_bundle(tmp_path / "bad.zip", "bad"))
