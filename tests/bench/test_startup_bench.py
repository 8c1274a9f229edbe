"""bench/startup_bench: the first-document moment comes from a real run of a tree's CLI; the whole bench runs its
settings and leaves no server, keeper or worktree behind."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench import startup_bench
from bench.startup_bench import ROOT, _environment, first_document


def _worktrees() -> str:
    return subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout


@pytest.mark.slow
def test_first_document_is_timed_in_a_real_run(tmp_path: Path) -> None:
    seconds = first_document(ROOT, ROOT / "data" / "seeds", _environment(tmp_path / "prefect", None))
    assert 0 < seconds < 600


def test_a_run_that_reaches_no_document_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited with 2 and no first document"):
        first_document(ROOT, tmp_path / "no-such-bundle", _environment(tmp_path / "prefect", None))


def test_a_revision_is_checked_out_for_the_bench_and_removed_after() -> None:
    before = _worktrees()
    with startup_bench.worktree("HEAD") as tree:
        assert (tree / "flows" / "cli.py").is_file() and str(tree) in _worktrees()
    assert _worktrees() == before and not tree.exists()


@pytest.mark.slow
def test_the_bench_prints_every_setting_and_leaves_nothing_running(capsys) -> None:
    assert startup_bench.main(["--runs", "1"]) == 0
    out = capsys.readouterr().out
    for line in ("Prefect's server alone, from launch to answering: median", "temporary server, this tree: median",
                 "kept server, this tree: median", "running server, this tree: median"):
        assert line in out
    keepers = subprocess.run(["pgrep", "-f", "flows.server_keeper --home .*/newsetl-prefect-"], capture_output=True)
    assert keepers.returncode == 1, keepers.stdout  # none of the bench's keepers is left
