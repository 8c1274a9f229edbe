"""`newsetl run` with one timestamp more: when the first transform task reaches its documents.

Run as `python bench/first_document.py TREE run BUNDLE --out OUT ...`: the newsetl source tree
TREE (this one, or a worktree of an older commit) is put first on sys.path, and an import hook
wraps `tasks.prefect_tasks.transform_batch` (the function every transform task calls on its
batch of raw documents, in every version since the first) so that its first call prints
`FIRST_DOCUMENT <seconds since this process started>` on stderr. Nothing else changes: the
run is the CLI's own `main`. Used by bench/startup_bench.py.
"""
from __future__ import annotations

import time

STARTED = time.perf_counter()

import importlib.abc  # noqa: E402 - the clock starts before any import
import importlib.util  # noqa: E402
import sys  # noqa: E402

MARK = "FIRST_DOCUMENT"
HOOKED = "tasks.prefect_tasks"


class _FirstCall(importlib.abc.MetaPathFinder):
    """Wraps transform_batch of HOOKED as that module is first imported."""

    def find_spec(self, name, path, target=None):
        if name != HOOKED:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            inner = module.transform_batch
            seen = []

            def transform_batch(*args, **kwargs):
                if not seen:
                    seen.append(True)
                    print(f"{MARK} {time.perf_counter() - STARTED:.3f}", file=sys.stderr, flush=True)
                return inner(*args, **kwargs)

            module.transform_batch = transform_batch

        spec.loader.exec_module = exec_module
        return spec


def main() -> int:
    tree, *argv = sys.argv[1:]
    sys.path[0] = tree  # not bench/, this script's folder
    sys.meta_path.insert(0, _FirstCall())
    from flows.cli import main as newsetl

    return newsetl(argv)


if __name__ == "__main__":
    sys.exit(main())
