"""A table part written by an older newsetl, in today's layout (schemas.TABLES): pure Arrow.

What changed, oldest first (README: Migration):
- sentences, entities, quotes, amounts: `start`, `end` -> `start_char`, `end_char` (`end` is
  a reserved word in SQL);
- every table: `bundle_id` is a string column of the files (it was only the folder name
  `bundle_id=<id>`, which readers took for a number when it looked like one).
A column the old part lacks (added since) is null; a column no longer in the layout is left out.
"""
from __future__ import annotations

import pyarrow as pa

from tasks import schemas

RENAMED = {"start": "start_char", "end": "end_char"}


def upgrade(name: str, table: pa.Table, bundle_id: str) -> pa.Table:
    """table (a part of table `name`, any layout newsetl wrote) in the layout of schemas.TABLES[name]."""
    schema = schemas.TABLES[name]
    names = table.column_names
    table = table.rename_columns([RENAMED[c] if c in RENAMED and RENAMED[c] not in names else c for c in names])
    table = schemas.add_bundle_id(table, name, bundle_id)
    arrays = [
        table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)
