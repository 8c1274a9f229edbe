"""newsetl's own files as the pipeline version reads them (tasks/package_source.py)."""
from __future__ import annotations

from tasks import package_source
from tasks.fingerprint import source_digest
from tasks.store.warehouse import SQL_DIR


def test_source_files_are_the_packages_python_and_the_warehouses_sql():
    files = dict(package_source.source_files())
    assert "tasks/fingerprint.py" in files and "flows/etl.py" in files and "tasks/ingest/extract.py" in files
    assert files["sql/views/documents.sql"] == SQL_DIR / "views" / "documents.sql"
    assert all(name.endswith((".py", ".sql")) and "__pycache__" not in name for name in files)
    assert list(files) == sorted(files)


def test_code_digest_is_computed_once():
    expected = source_digest((name, path.read_bytes()) for name, path in package_source.source_files())
    assert package_source.code_digest() == expected
    assert package_source.code_digest() is package_source.code_digest()  # cached for the process
