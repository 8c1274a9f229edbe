from datetime import date, datetime, timezone
from types import SimpleNamespace

from tasks.config import DEFAULT, Config
from tasks.store import schemas
from tasks.store import table_rows as rows
from tasks.text.amounts import Amount
from tasks.text.quotes import Quote


def test_quote_and_amount_rows_fill_every_column_and_nothing_else():
    quote = Quote(0, 1, 5, "text", "he", 7, 9, "Putin", "said", "pronoun")
    amount = Amount(0, 0, 9, "3,000 troops", 3000.0, "count", None, "troop")
    (q,) = rows.quote_rows("d", [quote])
    (a,) = rows.amount_rows("d", [amount])
    assert list(q) == schemas.QUOTES_STAGED.names and list(a) == schemas.AMOUNTS.names
    assert (q["quote_id"], q["speaker_name"], a["amount_id"], a["noun"]) == (0, "Putin", 0, "troop")


def _document(meta: dict, dateline_date: str | None, config: Config = DEFAULT) -> dict:
    raw = SimpleNamespace(doc_id="d", source_path="a.txt", ordinal=0, meta=meta)
    cleaned = SimpleNamespace(agency=None, dateline_place="KYIV", dateline_date=dateline_date, byline=None)
    prepared = SimpleNamespace(raw=raw, cleaned=cleaned, title=None, encoding="utf-8", n_chars_raw=4, status="ok",
                               detail="")
    counts = {"n_sentences": 0, "n_headings": 0, "n_entities": 0, "n_removed": 0}
    row = rows.document_row(prepared, "text", ("en", 1.0), None, counts, config)
    assert list(row) == schemas.DOCUMENTS_STAGED.names
    return row


def test_document_dates_are_typed_and_their_text_kept():
    row = _document({"published": "Fri, 25 Oct 2024 10:00:00 +0200"}, "Oct 24")
    assert (row["published"], row["published_at"], row["published_text"]) == (
        date(2024, 10, 25), datetime(2024, 10, 25, 8, 0, tzinfo=timezone.utc), "Fri, 25 Oct 2024 10:00:00 +0200"
    )
    assert (row["dateline_date"], row["dateline_date_text"]) == (date(2024, 10, 24), "Oct 24")
    unreadable = _document({"published": "last Thursday"}, "Oct 24")
    assert (unreadable["published"], unreadable["published_at"], unreadable["published_text"]) == (
        None, None, "last Thursday"
    )
    assert (unreadable["dateline_date"], unreadable["dateline_date_text"]) == (None, "Oct 24")  # no year known
    nothing = _document({}, None)
    assert [nothing[c] for c in ("published", "published_at", "published_text", "dateline_date")] == [None] * 4


def test_the_dateline_window_comes_from_the_runs_config():
    published = {"published": "2024-10-25"}
    assert _document(published, "Oct 10")["dateline_date"] is None  # 15 days before: outside 7
    wide = Config(dateline_days_before=30)
    assert _document(published, "Oct 10", wide)["dateline_date"] == date(2024, 10, 10)
    assert _document(published, "Oct 26")["dateline_date"] == date(2024, 10, 26)
    assert _document(published, "Oct 26", Config(dateline_days_after=0))["dateline_date"] is None
