"""The keeper of a kept Prefect server (flows/kept_server.py): `python -m flows.server_keeper`.

Launched by a run (detached: a double fork in its own session), it starts Prefect's server
(flows/temporary_server.TemporaryServer, whose uvicorn process dies with it), records itself
in PREFECT_HOME, and serves until no run has held a lease for its idle time, until it has
been replaced and the runs that joined it have ended, until the server dies, or until
SIGTERM. Its output goes to newsetl-server/<pid>.log, removed when it ends well.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import time
from contextlib import suppress
from pathlib import Path

from flows.kept_server import (
    RECORD,
    TICK_SECONDS,
    hold_lock,
    identity,
    keeper_dir,
    keeper_log,
    live_leases,
    locked,
    read_record,
    write_json,
)


class Stopped(Exception):
    """The keeper was asked to stop (SIGTERM, SIGINT, SIGHUP)."""


def _stop_now(signum, frame) -> None:
    raise Stopped(signum)


def keep(home: Path, idle: int) -> int:
    """The keeper: launch the server, record it, serve until idle for `idle` seconds, replaced and unused, or
    stopped; an exit code."""
    from flows.temporary_server import ServerFailed, TemporaryServer, startup_timeout

    mine = keeper_dir(home, os.getpid())
    (mine / "leases").mkdir(parents=True, exist_ok=True)
    alive = hold_lock(mine / "alive")
    log = os.open(keeper_log(home, os.getpid()), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    server, code = None, 1
    try:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, _stop_now)
        server = TemporaryServer()
        write_json(mine / "server.json", {"state": "starting", "api_url": server.api_url})
        write_json(home / RECORD, {"pid": os.getpid(), **identity(), "idle_seconds": idle})
        try:
            api_url = server.wait_ready(startup_timeout())
        except ServerFailed as exc:
            print(exc, flush=True)
            return 1
        write_json(mine / "server.json", {"state": "ready", "api_url": api_url})
        print(f"Prefect server at {api_url}, kept until no run has used it for {idle} s", flush=True)
        code = _serve(home, idle, server)
        return code
    except Stopped:
        print("stopped", flush=True)
        code = 0
        return code
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # ending already: a second signal must not cut the cleanup short
        with locked(home):  # not while a run is joining or launching a replacement
            _forget(home)
        if server is not None:
            server.stop()
        if code == 0:
            keeper_log(home, os.getpid()).unlink(missing_ok=True)
        shutil.rmtree(mine, ignore_errors=True)
        os.close(alive)


def _serve(home: Path, idle: int, server) -> int:
    idle_since = time.monotonic()
    while True:
        time.sleep(TICK_SECONDS)
        if server.process.poll() is not None:
            print(f"the server exited with code {server.process.returncode}", flush=True)
            return 1
        if live_leases(home, os.getpid()):
            idle_since = time.monotonic()
            continue
        record = read_record(home)
        if record is None or record["pid"] != os.getpid():
            print("replaced by a newer keeper, and no run uses this one: stopped", flush=True)
            return 0
        if time.monotonic() - idle_since >= idle:
            with locked(home):  # no run joins between this look and the record's removal
                if live_leases(home, os.getpid()):
                    continue
                _forget(home)
            print(f"no run for {idle} s: stopped", flush=True)
            return 0


def _forget(home: Path) -> None:
    """Remove the record if it names this keeper (a newer one may have replaced it)."""
    record = read_record(home)
    if record is not None and record["pid"] == os.getpid():
        with suppress(FileNotFoundError):
            (home / RECORD).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.server_keeper", description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="PREFECT_HOME: where the record and keepers live")
    parser.add_argument("--idle", type=int, required=True, help="seconds with no run before the server is stopped")
    parser.add_argument("--detach", action="store_true", help="fork: the keeper runs in a grandchild")
    args = parser.parse_args(argv)
    if args.detach and os.fork() > 0:
        return 0
    return keep(args.home.resolve(), args.idle)


if __name__ == "__main__":
    sys.exit(main())
