"""newsetl's own code and table layout as the pipeline version sees them (tasks/fingerprint.py).

`code_digest()`: every .py file under tasks/ and flows/ and every .sql file under the SQL
folder the warehouse reads (tasks/store/warehouse.py SQL_DIR: sql/ of a checkout, tasks/sql/ of a
wheel), by path relative to its root (tasks/…, flows/…, sql/…) and bytes, so a checkout and
its wheel give the same digest; read once per process. With the table layout (load.LAYOUT)
it is part of the pipeline version, so a bundle is reprocessed after an upgrade of newsetl
even when the package version stayed the same.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from tasks.fingerprint import source_digest
from tasks.store.warehouse import SQL_DIR

_TASKS = Path(__file__).resolve().parent
_FLOWS = _TASKS.parent / "flows"  # the same distribution installs flows/ beside tasks/


def source_files() -> list[tuple[str, Path]]:
    """(relative path, file) of every .py of tasks/ and flows/ and every .sql of SQL_DIR, sorted."""
    found = []
    for root, prefix, pattern in ((_TASKS, "tasks", "*.py"), (_FLOWS, "flows", "*.py"), (SQL_DIR, "sql", "*.sql")):
        if root.is_dir():
            found += [
                (f"{prefix}/{path.relative_to(root).as_posix()}", path)
                for path in root.rglob(pattern)
                if path.is_file() and "__pycache__" not in path.parts
            ]
    return sorted(found)


@cache
def code_digest() -> str:
    return source_digest((name, path.read_bytes()) for name, path in source_files())
