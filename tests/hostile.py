"""Hostile and broken bundles, built at test time (nothing binary is committed).

Each builder returns the bundle path and what extract must say of it:
{source_path: expected status} ('ok' for a readable document, whose text decode keeps).
The outside world a bundle must never reach is `secret_dir(tmp)`: a folder beside the
bundle holding SECRET, linked to from inside the bundle.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import stat
import struct
import tarfile
import zipfile
from pathlib import Path

SECRET = "TOP-SECRET-CONTENT-OUTSIDE-THE-BUNDLE"
ARTICLE = (
    "The council approved the new budget on Tuesday after a long debate. "
    "Mayor Anna Keller said the plan would fund three new schools.\n"
)
SMALL_LIMIT = 64 * 1024  # the limit tests run with: big inputs stay cheap to build
NON_UTF8_NAME = b"caf\xe9 \xff.txt"  # Latin-1 bytes in a file name
NON_UTF8_ESCAPED = "caf\\xe9 \\xff.txt"


def secret_dir(tmp: Path) -> Path:
    folder = tmp / "outside"
    folder.mkdir(exist_ok=True)
    (folder / "secret.txt").write_text(SECRET)
    return folder


def directory_bundle(tmp: Path, limit: int = SMALL_LIMIT) -> tuple[Path, dict[str, str]]:
    outside = secret_dir(tmp)
    root = tmp / "hostile_dir"
    (root / "sub").mkdir(parents=True)
    (root / "a_ok.txt").write_text(ARTICLE)
    (root / "sub" / "inner.txt").write_text(ARTICLE)
    os.symlink(outside, root / "link_dir_out")  # a folder outside
    os.symlink(outside / "secret.txt", root / "link_file_out.txt")  # a file outside
    os.symlink("/etc/passwd", root / "link_passwd")  # absolute, outside
    os.symlink("../outside/secret.txt", root / "link_relative_out.txt")  # relative, outside
    os.symlink("a_ok.txt", root / "link_inside.txt")  # inside: read
    os.symlink("sub", root / "link_sub_dir")  # a folder inside: walked
    os.symlink("missing.txt", root / "link_broken.txt")
    os.symlink(".", root / "sub" / "loop")  # a cycle: not entered twice
    os.mkfifo(root / "pipe")
    (root / "big.txt").write_bytes(b"word " * (limit // 4))
    (root / os.fsdecode(NON_UTF8_NAME)).write_text(ARTICLE)
    lines = [
        json.dumps({"text": ARTICLE}),
        json.dumps({"text": "x" * limit}),  # longer than the line limit
        json.dumps({"text": "lone \ud800 surrogate. " + ARTICLE, "title": "t\udfff"}),
    ]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n")
    expected = {
        "a_ok.txt": "ok",
        "big.txt": "too_large",
        NON_UTF8_ESCAPED: "ok",
        "feed.jsonl:1": "ok",
        "feed.jsonl:2": "too_large",
        "feed.jsonl:3": "ok",
        "link_broken.txt": "unreadable",
        "link_dir_out": "unsafe_path",
        "link_file_out.txt": "unsafe_path",
        "link_inside.txt": "ok",
        "link_passwd": "unsafe_path",
        "link_relative_out.txt": "unsafe_path",
        "link_sub_dir": "special_file",
        "pipe": "special_file",
        "sub/inner.txt": "ok",
        "sub/loop": "special_file",
    }
    return root, expected


def _patch_zip_member(data: bytes, name: str, *, flag: int | None = None, method: int | None = None) -> bytes:
    """Set a member's general-purpose flag or compression method in both its local and
    central headers (zipfile writes neither encrypted nor deflate64 members)."""
    raw = bytearray(data)
    encoded = name.encode()
    # (signature, offset of the flag, of the method, of the name length, of the name)
    for signature, flag_at, method_at, len_at, name_at in ((b"PK\x03\x04", 6, 8, 26, 30), (b"PK\x01\x02", 8, 10, 28, 46)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            name_len = struct.unpack_from("<H", raw, start + len_at)[0]
            if raw[start + name_at : start + name_at + name_len] == encoded:
                if flag is not None:
                    struct.pack_into("<H", raw, start + flag_at, flag)
                if method is not None:
                    struct.pack_into("<H", raw, start + method_at, method)
            start += 4
    return bytes(raw)


def zip_bundle(tmp: Path, limit: int = SMALL_LIMIT) -> tuple[Path, dict[str, str]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ok.txt", ARTICLE)
        archive.writestr("../escape.txt", ARTICLE)
        archive.writestr("/etc/absolute.txt", ARTICLE)
        archive.writestr("locked.txt", ARTICLE)
        archive.writestr("deflate64.txt", ARTICLE)
        link = zipfile.ZipInfo("link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("bomb.txt", b"\0" * (limit * 16))  # compresses ~1000:1
        archive.writestr("dup.txt", ARTICLE)
        archive.writestr("dup.txt", ARTICLE)
        archive.writestr("crc.txt", ARTICLE * 3, compress_type=zipfile.ZIP_STORED)
        archive.writestr("nested/feed.jsonl", json.dumps({"text": ARTICLE}) + "\n")
    data = _patch_zip_member(buffer.getvalue(), "locked.txt", flag=0x1)
    data = _patch_zip_member(data, "deflate64.txt", method=9)
    at = data.find(ARTICLE.encode() * 3)
    data = data[:at] + b"X" + data[at + 1 :]  # a stored member with a bad CRC
    path = tmp / "hostile.zip"
    path.write_bytes(data)
    expected = {
        "ok.txt": "ok",
        "../escape.txt": "unsafe_path",
        "/etc/absolute.txt": "unsafe_path",
        "locked.txt": "encrypted",
        "deflate64.txt": "unsupported_compression",
        "link.txt": "special_file",
        "bomb.txt": "too_large",
        "dup.txt": "ok",
        "dup.txt~2": "ok",
        "crc.txt": "corrupt_archive",
        "nested/feed.jsonl:1": "ok",
    }
    return path, expected


def _tar_member(archive: tarfile.TarFile, name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
    archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def tar_bundle(tmp: Path, truncated: bool = False, limit: int = SMALL_LIMIT) -> tuple[Path, dict[str, str]]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as archive:
        _tar_member(archive, "ok.txt", ARTICLE.encode())
        _tar_member(archive, "../../escape.txt", ARTICLE.encode())
        _tar_member(archive, "symlink.txt", kind=tarfile.SYMTYPE, link="/etc/passwd")
        _tar_member(archive, "hardlink.txt", kind=tarfile.LNKTYPE, link="/etc/shadow")
        _tar_member(archive, "device", kind=tarfile.CHRTYPE)
        _tar_member(archive, "fifo", kind=tarfile.FIFOTYPE)
        _tar_member(archive, os.fsdecode(NON_UTF8_NAME), ARTICLE.encode())
        _tar_member(archive, "bomb.txt", b"\0" * (limit * 16))
        # incompressible filler, so that a truncation lands after the first members
        _tar_member(archive, "z_filler.bin", os.urandom(60 * 1024))
    data = buffer.getvalue()
    name = "truncated.tar.gz" if truncated else "hostile.tar.gz"
    path = tmp / name
    expected = {
        "ok.txt": "ok",
        "../../escape.txt": "unsafe_path",
        "symlink.txt": "special_file",
        "hardlink.txt": "special_file",
        "device": "special_file",
        "fifo": "special_file",
        NON_UTF8_ESCAPED: "ok",
        "bomb.txt": "too_large",
    }
    if truncated:
        data = data[: len(data) - 30 * 1024]
        expected["z_filler.bin"] = "corrupt_archive"
    else:
        expected["z_filler.bin"] = "ok"  # read; decode then calls it binary
    path.write_bytes(data)
    return path, expected


def corrupt_zip(tmp: Path) -> tuple[Path, dict[str, str]]:
    path = tmp / "corrupt.zip"
    path.write_bytes(b"PK\x03\x04" + os.urandom(2048))
    return path, {"corrupt.zip": "corrupt_archive"}


def bomb_jsonl_gz(tmp: Path, line_bytes: int) -> Path:
    """A .jsonl.gz whose one line decompresses to line_bytes (written in streamed chunks)."""
    path = tmp / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        fh.write(b'{"text": "')
        chunk = b"a" * (1 << 20)
        for _ in range(line_bytes >> 20):
            fh.write(chunk)
        fh.write(b'"}\n' + json.dumps({"text": ARTICLE}).encode() + b"\n")
    return path


def bomb_zip(tmp: Path, member_bytes: int) -> Path:
    """A small .zip whose one member inflates to member_bytes of zeros."""
    path = tmp / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("zeros.txt", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(member_bytes >> 20):
                fh.write(chunk)
        archive.writestr("ok.txt", ARTICLE)
    return path
