"""Hashing a bundle's files: every change that can change a run's rows changes the digest."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from tasks.fingerprint import ChangedWhileReading
from tasks.ingest import bundle_content
from tasks.ingest.bundle_content import content_digest, inbox_listing, newest_mtime, stat_signature


def _bundle(root: Path) -> Path:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("Officials met on Monday.")
    (root / "sub" / "b.html").write_text("<p>Hello</p>")
    (root / "sub" / "deeper" / "c.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n'))
    return root


def test_digest_is_stable_and_sees_every_change(tmp_path: Path):
    bundle = _bundle(tmp_path / "b")
    base = content_digest(bundle).hexdigest()
    assert content_digest(bundle).hexdigest() == base
    assert content_digest(bundle).n_entries == 3
    copy = _bundle(tmp_path / "copy")  # same names and bytes elsewhere: same content
    assert content_digest(copy).hexdigest() == base

    (bundle / "sub" / "b.html").write_text("<p>Hellp</p>")  # one byte, same size
    changed = content_digest(bundle).hexdigest()
    assert changed != base
    (bundle / "sub" / "b.html").rename(bundle / "sub" / "b2.html")
    assert content_digest(bundle).hexdigest() not in (base, changed)
    (bundle / "sub" / "b2.html").rename(bundle / "sub" / "b.html")
    assert content_digest(bundle).hexdigest() == changed
    (bundle / "sub" / "deeper" / "new.txt").write_text("")
    assert content_digest(bundle).hexdigest() != changed
    os.symlink("../a.txt", bundle / "sub" / "link")
    with_link = content_digest(bundle).hexdigest()
    (bundle / "sub" / "link").unlink()
    os.symlink("../x.txt", bundle / "sub" / "link")  # another target, not followed
    assert content_digest(bundle).hexdigest() != with_link


def test_a_single_file_bundle_and_a_large_one_streamed(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(bundle_content, "CHUNK", 1000)
    big = tmp_path / "wire.jsonl"
    big.write_bytes(b"x" * 12_345)
    digest = content_digest(big)
    assert (digest.n_entries, digest.n_bytes) == (1, 12_345)
    big.write_bytes(b"x" * 12_344 + b"y")
    assert content_digest(big).hexdigest() != digest.hexdigest()


def test_a_file_growing_while_read_is_refused(tmp_path: Path, monkeypatch):
    bundle = _bundle(tmp_path / "b")
    real = bundle_content._chunks

    def growing(fd):
        yield from real(fd)
        yield b"appended meanwhile"

    monkeypatch.setattr(bundle_content, "_chunks", growing)
    with pytest.raises(ChangedWhileReading):
        content_digest(bundle)


def test_unreadable_file_is_part_of_the_content(tmp_path: Path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    bundle = _bundle(tmp_path / "b")
    base = content_digest(bundle).hexdigest()
    (bundle / "a.txt").chmod(0)
    try:
        assert content_digest(bundle).hexdigest() != base
    finally:
        (bundle / "a.txt").chmod(0o644)


def test_signature_and_mtimes(tmp_path: Path):
    bundle = _bundle(tmp_path / "inbox" / "b")
    (tmp_path / "inbox" / "w.jsonl").write_text("{}\n")
    signature = stat_signature(bundle)
    assert [name for name, *_ in signature] == ["a.txt", "sub/b.html", "sub/deeper/c.jsonl.gz"]
    for path in [bundle, *bundle.rglob("*"), tmp_path / "inbox" / "w.jsonl"]:
        os.utime(path, (1000, 1000))
    assert newest_mtime(bundle) == 1000
    os.utime(bundle / "sub" / "deeper" / "c.jsonl.gz", (5000, 5000))
    assert newest_mtime(bundle) == 5000
    assert stat_signature(bundle) != signature
    assert [(e.name, e.newest_mtime) for e in inbox_listing(tmp_path / "inbox")] == [("b", 5000), ("w.jsonl", 1000)]
