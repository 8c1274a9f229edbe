"""What every eval shares: where the data is, a score row, the pipeline run on documents.

The pipeline here is newsetl's own transform (decode → clean → language → sentences →
entities → quotes, amounts), the same code a Prefect run calls, without the flow around it.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL_DATA = Path(os.environ.get("NEWSETL_EVAL_DATA", REPO.parent / "shared" / "data" / "eval"))
BATCH = 64


@dataclass(frozen=True)
class Score:
    benchmark: str  # e.g. "web pages"
    metric: str  # e.g. "F1"
    value: float
    target: float | None = None  # the target, when it has one
    higher_is_better: bool = True
    note: str = ""  # e.g. "347 pages"

    @property
    def passed(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


def eval_file(name: str) -> Path:
    path = EVAL_DATA / name
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: set NEWSETL_EVAL_DATA to the folder of the eval data")
    return path


def pipeline_rows(
    documents: Iterable[tuple[str, bytes | str, dict]], bundle_id: str = "eval", batch: int = BATCH
) -> Iterator[dict[str, list[dict]]]:
    """Run (source_path, payload, meta) documents through transform_batch, `batch` at a
    time; yield each batch's staged tables as lists of rows (table name → rows). meta is
    what a JSONL bundle would give (title, url, source, published, external_id)."""
    from tasks.ingest.raw_document import RawDocument
    from tasks.transform import transform_batch

    pending: list[RawDocument] = []
    for ordinal, (source_path, payload, meta) in enumerate(documents):
        pending.append(RawDocument(bundle_id, source_path, ordinal, payload, dict(meta)))
        if len(pending) == batch:
            yield {name: t.to_pylist() for name, t in transform_batch(pending).tables.items()}
            pending = []
    if pending:
        yield {name: t.to_pylist() for name, t in transform_batch(pending).tables.items()}
