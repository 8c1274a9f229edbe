"""Refresh views and re-run the SQL reports without re-processing bundles."""
from __future__ import annotations

from prefect import flow, get_run_logger

from tasks.prefect_tasks import refresh_views, run_reports
from tasks.store import load


@flow(name="newsetl-report")
def report(out: str = "data/out") -> None:
    for note in load.recover_bundles(out):  # bundles of an older layout upgraded, a killed publish tidied
        get_run_logger().info(note)
    refresh_views(out)
    run_reports(out)
