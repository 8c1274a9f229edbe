"""Owner records of working folders (staging, warehouse builds), and whether they are stale.

A folder a run works in holds a file `owner` with the host, pid and process start time
of the process that made it, so a later run can tell a folder left by a killed run
(its owner is gone; a reused pid does not count) from one a live run still uses.
"""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import psutil

OWNER = "owner"  # {"host", "pid", "started"} of the process that made the folder
UNOWNED_STALE_SECONDS = 600  # a folder without owner file is stale once untouched this long


def owner_record() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()}


def write_owner(folder: Path) -> None:
    (folder / OWNER).write_text(json.dumps(owner_record()), encoding="utf-8")


def _owner_alive(owner: dict) -> bool:
    """Whether the process that wrote this owner record still runs (a reused pid does not count)."""
    if owner.get("host") != socket.gethostname():
        return True  # another machine's run (shared OUT): cannot tell, leave it alone
    try:
        process = psutil.Process(int(owner["pid"]))
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return abs(process.create_time() - float(owner["started"])) < 1.0
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def _last_touched(path: Path) -> float:
    """The newest mtime in a folder tree (a run still writing parts keeps it recent)."""
    newest = path.stat().st_mtime
    for folder, _, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, f) for f in files)]:
            try:
                newest = max(newest, os.stat(name).st_mtime)
            except OSError:
                pass
    return newest


def is_stale(path: Path, unowned_after: float) -> bool:
    try:
        owner = json.loads((path / OWNER).read_text(encoding="utf-8"))
        return not _owner_alive(owner)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no (readable) owner file: made by an older newsetl, or killed right after mkdir
    try:
        return time.time() - _last_touched(path) > unowned_after
    except OSError:
        return False


