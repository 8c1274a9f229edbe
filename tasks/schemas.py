"""Arrow schemas of the output tables (bundle_id is the hive partition, not a column in the files)."""
from __future__ import annotations

import pyarrow as pa

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("ordinal", pa.int64()),
        ("external_id", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.string()),
        ("agency", pa.string()),
        ("dateline_place", pa.string()),
        ("dateline_date", pa.string()),
        ("lang", pa.string()),
        ("lang_prob", pa.float64()),
        ("ner_model", pa.string()),
        ("encoding", pa.string()),
        ("n_chars_raw", pa.int64()),
        ("n_chars", pa.int64()),
        ("n_sentences", pa.int64()),
        ("n_headings", pa.int64()),
        ("n_entities", pa.int64()),
        ("n_removed", pa.int64()),
        ("content_hash", pa.string()),
        ("text", pa.string()),
        ("status", pa.string()),
        ("status_detail", pa.string()),
    ]
)

REMOVED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("line_no", pa.int64()),
        ("col", pa.int64()),
        ("text", pa.string()),
        ("reason", pa.string()),
    ]
)

SENTENCES = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_id", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("norm_hash", pa.string()),
        ("is_heading", pa.bool_()),
    ]
)

ENTITIES_STAGED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_id", pa.int64()),
        ("ent_id", pa.int64()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("label", pa.string()),
    ]
)

ENTITIES = ENTITIES_STAGED.append(pa.field("canonical", pa.string()))

TABLES = {
    "documents": DOCUMENTS,
    "removed": REMOVED,
    "sentences": SENTENCES,
    "entities": ENTITIES,
}
