"""Wait for a child `newsetl run` while showing its progress lines; its stderr is kept for the bench.

`newsetl run` writes timestamped progress lines to stderr when it is not a terminal
(flows/progress.py); a bench that captures stderr (for errors, or to read a logged figure)
relays those lines as they come, so `make bench` never sits silent for minutes.
"""
from __future__ import annotations

import re
import subprocess
import threading

from flows.temporary_server import stop_process

PROGRESS_LINE = re.compile(r"newsetl: (bundle \S+: \d+ (?:of \d+ )?documents done|done in )")


def communicate(proc: subprocess.Popen, timeout: float | None = None, indent: str = "    ") -> str:
    """proc's whole stderr once it exits, its progress lines printed meanwhile.

    On timeout the child is terminated (killed after 10 s) and TimeoutExpired raised."""
    lines: list[str] = []

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            if PROGRESS_LINE.search(line):
                print(indent + line.rstrip(), flush=True)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        stop_process(proc, 10)
        raise
    finally:
        reader.join()
    return "".join(lines)
