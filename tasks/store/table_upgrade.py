"""A table part written by an older newsetl, in today's layout (schemas.TABLES): pure Arrow.

What changed, oldest first (README: Migration):
- sentences, entities, quotes, amounts: `start`, `end` -> `start_char`, `end_char` (`end` is
  a reserved word in SQL);
- every table: `bundle_id` is a string column of the files (it was only the folder name
  `bundle_id=<id>`, which readers took for a number when it looked like one);
- documents: `published` and `dateline_date` were the texts as given: they are now
  `published_text` and `dateline_date_text`, and `published` (DATE), `published_at`
  (TIMESTAMP WITH TIME ZONE) and `dateline_date` (DATE) are read from them (tasks/text/dates.py).
A column the old part lacks (added since) is null; a column no longer in the layout is left out.
"""
from __future__ import annotations

import pyarrow as pa

from tasks.config import DEFAULT
from tasks.store import schemas
from tasks.text import dates

RENAMED = {"start": "start_char", "end": "end_char"}


def upgrade(name: str, table: pa.Table, bundle_id: str) -> pa.Table:
    """table (a part of table `name`, any layout newsetl wrote) in the layout of schemas.TABLES[name]."""
    schema = schemas.TABLES[name]
    names = table.column_names
    table = table.rename_columns([RENAMED[c] if c in RENAMED and RENAMED[c] not in names else c for c in names])
    table = schemas.add_bundle_id(table, name, bundle_id)
    if name == "documents" and "published_text" not in table.column_names:
        table = _typed_dates(table)
    arrays = [
        table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def _typed_dates(documents: pa.Table) -> pa.Table:
    """Old documents: published / dateline_date texts -> the typed columns and the *_text columns."""
    texts = documents["published"].to_pylist() if "published" in documents.column_names else [None] * len(documents)
    datelines = (
        documents["dateline_date"].to_pylist() if "dateline_date" in documents.column_names else [None] * len(documents)
    )
    values = [dates.published(t) for t in texts]
    typed = {
        "published": pa.array([v.day for v in values], pa.date32()),
        "published_at": pa.array([v.at for v in values], pa.timestamp("us", tz="UTC")),
        "published_text": pa.array(texts, pa.string()),
        "dateline_date": pa.array([_dateline_day(d, v.day) for d, v in zip(datelines, values)], pa.date32()),
        "dateline_date_text": pa.array(datelines, pa.string()),
    }
    documents = documents.drop_columns([c for c in typed if c in documents.column_names])
    for column, array in typed.items():
        documents = documents.append_column(column, array)
    return documents


def _dateline_day(text, published_day):
    """An old part's dateline day, with the default Config's window (the run that wrote it did not record one)."""
    return dates.dateline_day(text, published_day, DEFAULT.dateline_days_before, DEFAULT.dateline_days_after)
