"""The story state's tables: what a run keeps of each document so that later runs can group
their articles with it (written with each bundle's tables, read back from OUT by
tasks/store/story_state.py). Arrow layouts only: tasks/store/schemas.py adds them to the output tables.
"""
from __future__ import annotations

import pyarrow as pa

# One row per document that has a story (documents with text, web-archive and other notices left out).
STORY_DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("story_id", pa.string()),
        ("published_date", pa.date32()),  # the day of documents.published, when it can be read
        ("seen_date", pa.date32()),  # published_date, else the day of the run that grouped the document
    ]
)

# The terms each of those documents was compared by, with their weights (before the corpus idf).
STORY_TERMS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("term", pa.string()),
        ("weight", pa.float64()),
    ]
)
