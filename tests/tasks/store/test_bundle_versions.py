"""A published version's fingerprint: recorded only in the version that is current, read back from it."""
from __future__ import annotations

from pathlib import Path

from tasks.store import bundle_versions as versions


def _version(root: Path, bundle_id: str, name: str) -> None:
    version = versions.bundle_dir(root, bundle_id) / name
    (version / "documents").mkdir(parents=True)
    versions.mark_complete(version, "L1")
    versions.switch_current(root, bundle_id, name)


def test_fingerprint_is_recorded_in_the_current_version(tmp_path: Path):
    assert versions.published_fingerprint(tmp_path, "b") is None
    _version(tmp_path, "b", "v-one")
    assert versions.published_fingerprint(tmp_path, "b") is None  # published before fingerprints: reprocessed
    assert versions.record_fingerprint(tmp_path, "b", "v-one", '{"fingerprint": 1}')
    assert versions.published_fingerprint(tmp_path, "b") == '{"fingerprint": 1}'
    assert sorted(p.name for p in (versions.bundle_dir(tmp_path, "b") / "v-one").iterdir()) == [
        "COMPLETE",
        "FINGERPRINT",
        "LAYOUT",
        "documents",
    ]

    _version(tmp_path, "b", "v-two")  # another run published meanwhile: its version has no fingerprint yet
    assert versions.published_fingerprint(tmp_path, "b") is None
    assert not versions.record_fingerprint(tmp_path, "b", "v-one", '{"fingerprint": 1}')
    assert versions.published_fingerprint(tmp_path, "b") is None
    assert versions.remove_unused(tmp_path, "b") == []  # the fingerprint lives inside the version


def test_an_incomplete_current_version_has_no_fingerprint(tmp_path: Path):
    _version(tmp_path, "b", "v-one")
    versions.record_fingerprint(tmp_path, "b", "v-one", "x")
    (versions.bundle_dir(tmp_path, "b") / "v-one" / versions.COMPLETE).unlink()
    assert versions.published_fingerprint(tmp_path, "b") is None
    assert not versions.record_fingerprint(tmp_path, "b", "v-one", "y")
