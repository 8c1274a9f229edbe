"""A publish killed with -9 at each of its steps: readers see the old or the new bundle, the next run recovers.

The child process arms the same primitives as tests/tasks/store/test_load.py and SIGKILLs
itself at call k, so no except/finally of the code under test runs (no test hook in
production code)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tasks.store import bundle_versions as versions
from tasks.store import load
from tests.tasks.store.test_load import (
    CANONICAL,
    NEW,
    NOTHING,
    OLD,
    _bundle,
    _copy_staging,
    _publish,
    _stage,
    _state,
)

REPO = Path(__file__).resolve().parent.parent.parent

CHILD = """
import os, shutil, signal, sys
from pathlib import Path
import pyarrow.parquet as pq
from tasks.store import bundle_versions as versions, load
from tests.tasks.store.test_load import CANONICAL, NOTHING, PRIMITIVES

out, staging, k = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
calls = []
for owner, attr in PRIMITIVES:
    real = getattr(owner, attr)
    def wrapped(*args, _real=real, _name=f"{owner.__name__}.{attr}", **kwargs):
        calls.append(_name)
        if len(calls) - 1 == k:
            os.kill(os.getpid(), signal.SIGKILL)
        return _real(*args, **kwargs)
    setattr(owner, attr, wrapped)
load.finish_bundle(out, staging, "b", NOTHING, CANONICAL)
print("\\n".join(calls))
"""


def _child(out: Path, staging: Path, k: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(out), str(staging), str(k)],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_publish_killed_at_each_step_is_recovered_by_the_next_run(tmp_path):
    expected = {}
    for name, batches in [("old", OLD), ("new", NEW)]:
        _publish(tmp_path / f"expected-{name}", "b", batches, CANONICAL)
        expected[name] = _bundle(tmp_path / f"expected-{name}")
    template = tmp_path / "template"
    _publish(template, "b", OLD, CANONICAL)
    staged = _stage(tmp_path / "staged", "b", NEW)

    counting = tmp_path / "counting"
    shutil.copytree(template, counting, symlinks=True)
    done = _child(counting, _copy_staging(staged, counting), 10**9)
    assert done.returncode == 0, done.stderr
    steps = done.stdout.split()
    first_of_each = sorted({s: i for i, s in reversed(list(enumerate(steps)))}.values())
    points = sorted(set(first_of_each) | {steps.index("tasks.store.bundle_versions.switch_current") + 1})

    seen = set()
    for k in points:
        out = tmp_path / f"k{k}"
        shutil.copytree(template, out, symlinks=True)
        staging = _copy_staging(staged, out)
        killed = _child(out, staging, k)
        assert killed.returncode == -9, (k, steps[k], killed.stderr[-2000:])
        state = _state(out, expected)
        seen.add(state)
        load.recover_bundles(out)  # the next run's start
        assert _state(out, expected) in (state, "new")
        assert load.recover_bundles(out) == []
        load.finish_bundle(out, staging, "b", NOTHING, CANONICAL)  # the next run publishes again
        assert _state(out, expected) == "new", (k, steps[k])
        folder = versions.bundle_dir(load.parquet_root(out), "b")
        assert versions.version_of(folder, versions.CURRENT) == load.version_name(staging)
        assert len([p for p in folder.iterdir() if p.name.startswith(versions.VERSION_PREFIX)]) == 2
        load.discard_staging(staging)
    assert seen == {"old", "new"}
