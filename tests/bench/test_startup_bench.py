"""bench/startup_bench: the first-document moment comes from a real run of a tree's CLI."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.startup_bench import ROOT, _environment, first_document


@pytest.mark.slow
def test_first_document_is_timed_in_a_real_run(tmp_path: Path) -> None:
    seconds = first_document(ROOT, ROOT / "data" / "seeds", _environment(tmp_path / "prefect", None))
    assert 0 < seconds < 600


def test_a_run_that_reaches_no_document_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="exited with 2 and no first document"):
        first_document(ROOT, tmp_path / "no-such-bundle", _environment(tmp_path / "prefect", None))
