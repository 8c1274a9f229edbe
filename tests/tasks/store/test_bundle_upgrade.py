"""Bundles of an older layout brought to today's: the renameat2 exchange, which bundles have work, one upgraded
once with its fingerprint kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from tasks.store import bundle_upgrade
from tasks.store import bundle_versions as versions
from tests.tasks.store.test_bundle_versions import _version


def test_exchange_swaps_directories(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "from_a").touch()
    (b / "from_b").touch()
    bundle_upgrade.exchange(a, b)
    assert (a / "from_b").exists() and (b / "from_a").exists()
    with pytest.raises(OSError, match="renameat2 exchange"):
        bundle_upgrade.exchange(a, tmp_path / "missing")


def test_a_bundle_whose_version_records_another_layout_or_none_is_to_upgrade(tmp_path: Path):
    tables = ["documents"]
    _version(tmp_path, "b", "v-one")  # records L1
    assert versions.recorded_layout(versions.bundle_dir(tmp_path, "b") / "v-one") == "L1"
    assert bundle_upgrade.bundles_to_upgrade(tmp_path, tables, "L1") == []
    assert bundle_upgrade.bundles_to_upgrade(tmp_path, tables, "L2") == ["b"]
    (versions.bundle_dir(tmp_path, "b") / "v-one" / versions.LAYOUT).unlink()  # an older newsetl's version
    assert versions.record_fingerprint(tmp_path, "b", "v-one", '{"pipeline": "older"}')
    assert versions.recorded_layout(versions.bundle_dir(tmp_path, "b") / "v-one") is None
    assert bundle_upgrade.bundles_to_upgrade(tmp_path, tables, "L1") == ["b"]

    rewritten = []

    def rewrite(part, new_part, table):
        rewritten.append((part, new_part.name, table))
        new_part.write_bytes(b"")

    assert bundle_upgrade.upgrade_layout(tmp_path, "b", tables, rewrite, "L1")
    assert rewritten == [(None, "part-00000.parquet", "documents")]  # v-one's documents had no part
    folder = versions.bundle_dir(tmp_path, "b")
    current = versions.version_of(folder, versions.CURRENT)
    assert current.startswith("v-upgraded-") and versions.version_of(folder, versions.PREVIOUS) == "v-one"
    assert versions.recorded_layout(folder / current) == "L1"
    assert versions.published_fingerprint(tmp_path, "b") == '{"pipeline": "older"}'  # kept: reprocessed, saying why
    assert not bundle_upgrade.upgrade_layout(tmp_path, "b", tables, rewrite, "L1")
    assert bundle_upgrade.bundles_to_upgrade(tmp_path, tables, "L1") == []


def test_a_bundle_of_real_directories_is_left_to_migrate_legacy(tmp_path: Path):
    _version(tmp_path, "b", "v-one")
    (tmp_path / "documents" / "b").mkdir(parents=True)  # a copy of OUT made with links followed
    assert versions.legacy_tables(tmp_path, "b", ["documents"]) == ["documents"]
    assert bundle_upgrade.bundles_to_upgrade(tmp_path, ["documents"], "L2") == []
    assert not bundle_upgrade.stale_layout(tmp_path, "b", ["documents"], "L2")
