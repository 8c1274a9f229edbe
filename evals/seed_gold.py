"""The sample bundle's gold (data/seeds-gold.json) through a real run of the flow."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from evals.common import REPO, Score
from flows.kept_server import IDLE_VARIABLE


def scores() -> list[Score]:
    from tests.gold import score
    from tests.invariants import bundle_rows

    gold = json.loads((REPO / "data" / "seeds-gold.json").read_text())
    with tempfile.TemporaryDirectory(prefix="newsetl-eval-") as out:
        run = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", str(REPO / "data" / "seeds"), "--out", out],
            cwd=REPO, capture_output=True, text=True,
            env={IDLE_VARIABLE: "0", **os.environ},  # a server of its own, stopped with the run, unless the caller says
        )
        if run.returncode:
            raise RuntimeError(f"the sample run failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
        checks = score(bundle_rows(Path(out), "seeds"), gold)
    passed = sum(c.passed for c in checks)
    return [Score("sample gold", "checks passed", passed, target=len(checks), note=f"of {len(checks)}")]
