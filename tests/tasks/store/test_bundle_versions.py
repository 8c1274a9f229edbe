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


def test_a_bundle_whose_version_records_another_layout_or_none_is_to_upgrade(tmp_path: Path):
    tables = ["documents"]
    _version(tmp_path, "b", "v-one")  # records L1
    assert versions.recorded_layout(versions.bundle_dir(tmp_path, "b") / "v-one") == "L1"
    assert versions.bundles_to_upgrade(tmp_path, tables, "L1") == []
    assert versions.bundles_to_upgrade(tmp_path, tables, "L2") == ["b"]
    (versions.bundle_dir(tmp_path, "b") / "v-one" / versions.LAYOUT).unlink()  # an older newsetl's version
    assert versions.record_fingerprint(tmp_path, "b", "v-one", '{"pipeline": "older"}')
    assert versions.recorded_layout(versions.bundle_dir(tmp_path, "b") / "v-one") is None
    assert versions.bundles_to_upgrade(tmp_path, tables, "L1") == ["b"]

    rewritten = []

    def rewrite(part, new_part, table):
        rewritten.append((part, new_part.name, table))
        new_part.write_bytes(b"")

    assert versions.upgrade_layout(tmp_path, "b", tables, rewrite, "L1")
    assert rewritten == [(None, "part-00000.parquet", "documents")]  # v-one's documents had no part
    folder = versions.bundle_dir(tmp_path, "b")
    current = versions.version_of(folder, versions.CURRENT)
    assert current.startswith("v-upgraded-") and versions.version_of(folder, versions.PREVIOUS) == "v-one"
    assert versions.recorded_layout(folder / current) == "L1"
    assert versions.published_fingerprint(tmp_path, "b") == '{"pipeline": "older"}'  # kept: reprocessed, saying why
    assert not versions.upgrade_layout(tmp_path, "b", tables, rewrite, "L1")
    assert versions.bundles_to_upgrade(tmp_path, tables, "L1") == []


def test_a_bundle_of_real_directories_is_left_to_migrate_legacy(tmp_path: Path):
    _version(tmp_path, "b", "v-one")
    (tmp_path / "documents" / "b").mkdir(parents=True)  # a copy of OUT made with links followed
    assert versions.legacy_tables(tmp_path, "b", ["documents"]) == ["documents"]
    assert versions.bundles_to_upgrade(tmp_path, ["documents"], "L2") == []
    assert not versions.stale_layout(tmp_path, "b", ["documents"], "L2")
