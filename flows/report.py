"""Refresh views and re-run the SQL reports without re-processing bundles."""
from __future__ import annotations

from prefect import flow

from tasks.prefect_tasks import refresh_views, run_reports


@flow(name="newsetl-report")
def report(out: str = "data/out") -> None:
    refresh_views(out)
    run_reports(out)
