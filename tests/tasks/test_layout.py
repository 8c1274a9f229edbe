"""The folders of tasks/ draw the architecture: no import runs upward.

Read from the source (every import statement, also those inside functions): ingest and text
import neither story, store, report nor Prefect; story imports neither store, report nor
Prefect; report (drawn by the warehouse) imports no stage; nothing under tasks/ imports
flows/; only tasks/prefect_tasks.py imports Prefect.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

TASKS = REPO / "tasks"
NOT_FROM = {  # folder -> modules it must not import
    "ingest": ("tasks.story", "tasks.store", "tasks.report", "tasks.prefect_tasks", "tasks.transform"),
    "text": ("tasks.story", "tasks.store", "tasks.report", "tasks.prefect_tasks", "tasks.transform"),
    "story": ("tasks.store", "tasks.report", "tasks.prefect_tasks", "tasks.transform"),
    "report": ("tasks.ingest", "tasks.text", "tasks.story", "tasks.store", "tasks.prefect_tasks", "tasks.transform"),
}


def imported(path: Path) -> set[str]:
    """Every module path imports (`from tasks import x` counts as tasks.x)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _breaks(names: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == f or n.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("folder", sorted(NOT_FROM))
def test_a_stage_imports_nothing_above_it(folder):
    modules = sorted((TASKS / folder).rglob("*.py"))
    assert modules
    found = {str(m.relative_to(REPO)): _breaks(imported(m), NOT_FROM[folder]) for m in modules}
    assert {m: names for m, names in found.items() if names} == {}


def test_only_the_task_wrappers_import_prefect_and_nothing_imports_flows():
    found = {}
    for module in sorted(TASKS.rglob("*.py")):
        forbidden = ("flows",) if module.name == "prefect_tasks.py" else ("flows", "prefect")
        names = _breaks(imported(module), forbidden)
        if names:
            found[str(module.relative_to(REPO))] = names
    assert found == {}


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from tasks import load\n    import prefect.flows as p\n", encoding="utf-8")
    names = imported(module)
    assert _breaks(names, ("tasks.load",)) == ["tasks.load"] and _breaks(names, ("prefect",)) == ["prefect.flows"]
