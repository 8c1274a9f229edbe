"""A wheel of newsetl carries every module and data file, and runs the sample bundle when installed alone.

The wheel is built with pip (build isolation: setuptools and wheel come from the package
index or pip's cache) and installed without its dependencies into a throwaway venv that sees
this environment's site-packages through a .pth file, so nothing is downloaded but the build
backend, and `flows`/`tasks` can only come from the wheel (the editable install's finder is
not loaded there, and the run starts outside the checkout).
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS


@functools.cache
def _checkout_files() -> tuple[str, ...]:
    """The checkout's files as git sees them: tracked, and new ones git does not ignore (relative paths).
    A wheel built in the checkout itself would also take whatever setuptools left in its ignored build/
    folder, such as modules since moved or deleted, so the wheel is built from a copy of these."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, check=True, timeout=60,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"not a git checkout, or no git: {exc}")
    return tuple(os.fsdecode(name) for name in listed.split(b"\0") if name and (REPO / os.fsdecode(name)).is_file())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    folder, source = tmp_path_factory.mktemp("wheel"), tmp_path_factory.mktemp("source")
    for name in _checkout_files():  # a tracked file deleted in the working tree is not copied
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(source)],
        check=True,
        timeout=600,
    )
    return next(folder.glob("newsetl-*.whl"))


def _project_files() -> set[str]:
    """Every file of the packages (flows/, tasks/) and of sql/ that git sees, as the wheel names it
    (sql/ → tasks/sql/)."""
    installed_as = {"flows": "flows", "tasks": "tasks", "sql": "tasks/sql"}
    names = set()
    for name in _checkout_files():
        top, _, rest = name.partition("/")
        if top in installed_as and rest:
            names.add(f"{installed_as[top]}/{rest}")
    return names


def test_the_wheel_holds_every_module_and_data_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    project = _project_files()
    missing = sorted(project - in_wheel)
    assert missing == [], f"not in the wheel (setup.py packages, pyproject.toml package-data): {missing}"
    extra = sorted(n for n in in_wheel - project if not n.split("/")[0].endswith(".dist-info"))
    assert extra == [], f"in the wheel but not in the checkout: {extra}"
    assert "tasks/story/entity_aliases.csv" in in_wheel and "tasks/sql/reports/corpus_summary.sql" in in_wheel


@pytest.mark.slow
def test_the_wheel_installed_alone_runs_the_sample(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # this environment's packages
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        timeout=300,
    )
    where = tmp_path / "elsewhere"  # not the checkout: nothing can be imported from the current folder
    where.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PYTHONPATH")}
    located = subprocess.check_output(
        [python, "-c", "import flows.cli, tasks.story.canonical as c, tasks.store.warehouse as w; print(flows.cli.__file__, c.ALIASES_CSV, w.SQL_DIR)"],
        cwd=where, env=env, text=True,
    ).split()
    assert all(Path(p).is_relative_to(site) for p in located), located  # modules, aliases and SQL all from the wheel

    out = tmp_path / "out"
    run = subprocess.run(
        [venv / "bin" / "newsetl", "run", str(SEEDS), "--out", str(out), "--json"],
        cwd=where, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads(run.stdout)
    [bundle] = summary["bundles"]
    assert (bundle["bundle_id"], bundle["outcome"], bundle["n_documents"]) == ("seeds", "published", 5)
    assert summary["corpus_summary"][0]["n_entities"] > 0
    assert "bundle seeds: 5 of 5 documents done" in run.stderr  # progress lines (not a terminal)
    assert "Traceback" not in run.stderr and "Finished in state" not in run.stderr  # no engine chatter
    reports = {p.stem for p in (out / "reports").glob("*.csv")}
    assert reports == {p.stem for p in (REPO / "sql" / "reports").glob("*.sql")}
    import duckdb

    with duckdb.connect(str(out / "warehouse.duckdb"), read_only=True) as con:
        con.execute(f"set file_search_path = '{out}'")
        views = {row[0] for row in con.sql("select view_name from duckdb_views() where not internal").fetchall()}
        assert views >= {p.stem for p in (REPO / "sql" / "views").glob("*.sql")}
        dprk = con.sql("select distinct canonical from entities where text = 'DPRK'").fetchall()
    assert dprk == [("North Korea",)]  # joined by tasks/story/entity_aliases.csv (the gold file expects this group)
