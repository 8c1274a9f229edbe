"""Arrow layouts of the two tables tasks/story/crossdoc.py returns: doc_pairs and sentence_links.

Layouts only, like tasks/story/state.py: tasks/store/schemas.py adds them to the output tables
(with bundle_id first and the column descriptions), so the story stage imports nothing of the store.
"""
from __future__ import annotations

import pyarrow as pa

DOC_PAIRS = pa.schema(
    [
        ("doc_id_a", pa.string()),
        ("doc_id_b", pa.string()),
        ("similarity", pa.float64()),
        ("is_near_duplicate", pa.bool_()),
        ("n_shared_sentences", pa.int64()),
    ]
)

SENTENCE_LINKS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_id", pa.int64()),
        ("other_doc_id", pa.string()),
        ("other_sent_id", pa.int64()),
        ("kind", pa.string()),
        ("similarity", pa.float64()),
    ]
)
