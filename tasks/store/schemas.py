"""Arrow schemas of the output tables, with the description of every table and column
(tasks/store/table_descriptions.py) as metadata. The schemas below hold a table's own columns; the
files (TABLES) start with bundle_id, a string column, added when a batch is staged."""
from __future__ import annotations

import pyarrow as pa

from tasks.store import table_descriptions
from tasks.story.crossdoc_tables import DOC_PAIRS, SENTENCE_LINKS
from tasks.story.state import STORY_DOCUMENTS, STORY_TERMS

DOCUMENTS_STAGED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_path", pa.string()),
        ("ordinal", pa.int64()),
        ("external_id", pa.string()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.date32()),  # the day; published_at the instant when known; published_text as given
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("published_text", pa.string()),
        ("author", pa.string()),  # byline: bundle meta, else the HTML page's, else a head byline in the text
        ("agency", pa.string()),
        ("dateline_place", pa.string()),
        ("dateline_date", pa.date32()),
        ("dateline_date_text", pa.string()),
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

SENTENCES_STAGED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sent_id", pa.int64()),
        ("start_char", pa.int64()),
        ("end_char", pa.int64()),
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
        ("start_char", pa.int64()),
        ("end_char", pa.int64()),
        ("text", pa.string()),
        ("label", pa.string()),
    ]
)

QUOTES_STAGED = pa.schema(
    [
        ("doc_id", pa.string()),
        ("quote_id", pa.int64()),
        ("sent_id", pa.int64()),
        ("start_char", pa.int64()),
        ("end_char", pa.int64()),
        ("text", pa.string()),
        ("speaker_text", pa.string()),
        ("speaker_start", pa.int64()),
        ("speaker_end", pa.int64()),
        ("speaker_name", pa.string()),
        ("verb", pa.string()),
        ("attribution", pa.string()),
    ]
)

AMOUNTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("amount_id", pa.int64()),
        ("sent_id", pa.int64()),
        ("start_char", pa.int64()),
        ("end_char", pa.int64()),
        ("text", pa.string()),
        ("value", pa.float64()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("noun", pa.string()),
    ]
)

# Columns that need the whole bundle, added after every batch is staged.
DOCUMENTS = DOCUMENTS_STAGED.append(pa.field("cluster_id", pa.string())).append(pa.field("story_id", pa.string()))
SENTENCES = SENTENCES_STAGED.append(pa.field("claim_id", pa.string()))
ENTITIES = ENTITIES_STAGED.append(pa.field("canonical", pa.string()))
QUOTES = QUOTES_STAGED.append(pa.field("speaker", pa.string()))

STAGED = {
    "documents": DOCUMENTS_STAGED,
    "removed": REMOVED,
    "sentences": SENTENCES_STAGED,
    "entities": ENTITIES_STAGED,
    "quotes": QUOTES_STAGED,
    "amounts": AMOUNTS,
}

TABLES = {
    "documents": DOCUMENTS,
    "removed": REMOVED,
    "sentences": SENTENCES,
    "entities": ENTITIES,
    "quotes": QUOTES,
    "amounts": AMOUNTS,
    "doc_pairs": DOC_PAIRS,
    "sentence_links": SENTENCE_LINKS,
    "story_documents": STORY_DOCUMENTS,  # the story state (tasks/story/state.py), written with the bundle
    "story_terms": STORY_TERMS,
}

DESCRIPTION = b"description"  # key of a table's or column's description in Arrow (and so Parquet) metadata


def described(table: str, schema: pa.Schema) -> pa.Schema:
    """schema with the description of every column as its field metadata and the table's
    as schema metadata (texts: tasks/store/table_descriptions.py); a column without one has none."""
    fields = []
    for field in schema:
        text = table_descriptions.column(table, field.name)
        fields.append(field.with_metadata({**(field.metadata or {}), DESCRIPTION: text.encode()}) if text else field)
    text = table_descriptions.TABLES.get(table)
    return pa.schema(fields, metadata={**(schema.metadata or {}), **({DESCRIPTION: text.encode()} if text else {})})


BUNDLE_ID = pa.field("bundle_id", pa.string())  # first column of every file: a string for every reader

# Every schema carries its descriptions into the Parquet files written with it.
STAGED = {name: described(name, schema) for name, schema in STAGED.items()}
TABLES = {name: described(name, pa.schema([BUNDLE_ID, *schema], metadata=schema.metadata)) for name, schema in TABLES.items()}


def add_bundle_id(table: pa.Table, name: str, bundle_id: str) -> pa.Table:
    """table with bundle_id as its first column (replaced if present), described as in TABLES[name]."""
    if BUNDLE_ID.name in table.column_names:
        table = table.drop_columns([BUNDLE_ID.name])
    return table.add_column(0, TABLES[name].field(BUNDLE_ID.name), pa.array([bundle_id] * table.num_rows, pa.string()))
