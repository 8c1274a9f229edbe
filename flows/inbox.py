"""Inbox mode: every immediate child of a folder is a bundle (folder, archive, .jsonl, text file).

Which are read now is decided here; which of those are new or changed is decided per bundle by
its fingerprint (flows/etl.py), so a bundle left in the inbox is processed once and skipped by
later runs. An entry modified less than `settle_seconds` ago is still being written (a copy, an
upload): it is left for the next run, and the command says so (flows/progress.py hands it over). Hidden entries ('.name', e.g. a partial
download) are not bundles. Entries that cannot be bundles, or would share a bundle id, are
reported as failures of the run; the other entries are processed.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from prefect import get_run_logger

from flows import progress
from tasks.fingerprint import inbox_entries
from tasks.ingest.bundle_content import inbox_listing
from tasks.ingest.extract import BundleError, bundle_id_for, check_bundle


def check_inbox(inbox: str | Path) -> Path:
    """The inbox folder, or ValueError when it is not one."""
    path = Path(inbox)
    if not path.is_dir():
        raise ValueError(f"inbox is not a folder: {inbox}")
    return path


def inbox_bundles(
    inbox: str | Path, settle_seconds: float, taken: Iterable[str] = ()
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """((source, bundle id) of every entry to read now, {entry: why it cannot be read}).

    taken: bundle ids of bundles given besides the inbox (an entry with one of them is a failure).
    """
    logger = get_run_logger()
    folder = check_inbox(inbox)
    listing, now = inbox_listing(folder), time.time()
    ready, settling = inbox_entries(listing, now, settle_seconds)
    modified = {entry.name: entry.newest_mtime for entry in listing}
    for name in settling:
        logger.info("inbox %s: %s modified less than %d s ago, still being written: left for the next run", folder, name, settle_seconds)
        progress.left_for_next_run(name, now - modified[name])  # the command says so (flows/cli.py)
    failures: dict[str, str] = {}
    by_id: dict[str, list[str]] = defaultdict(list)
    for name in ready:
        try:
            check_bundle(folder / name)
        except BundleError as exc:
            failures[str(folder / name)] = str(exc)
            continue
        by_id[bundle_id_for(folder / name)].append(name)
    chosen = []
    taken = set(taken)
    for bundle_id, names in sorted(by_id.items()):
        if len(names) > 1 or bundle_id in taken:
            others = ", ".join(names) + (" and a bundle given with it" if bundle_id in taken else "")
            for name in names:
                failures[str(folder / name)] = f"{others} would share the bundle id {bundle_id!r}: rename one"
            continue
        chosen.append((str(folder / names[0]), bundle_id))
    logger.info(
        "inbox %s: %d bundle(s) to check, %d still being written, %d that cannot be read",
        folder,
        len(chosen),
        len(settling),
        len(failures),
    )
    return sorted(chosen), failures
