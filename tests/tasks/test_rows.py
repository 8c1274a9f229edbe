from tasks import rows, schemas
from tasks.amounts import Amount
from tasks.quotes import Quote


def test_quote_and_amount_rows_fill_every_column_and_nothing_else():
    quote = Quote(0, 1, 5, "text", "he", 7, 9, "Putin", "said", "pronoun")
    amount = Amount(0, 0, 9, "3,000 troops", 3000.0, "count", None, "troop")
    (q,) = rows.quote_rows("d", [quote])
    (a,) = rows.amount_rows("d", [amount])
    assert list(q) == schemas.QUOTES_STAGED.names and list(a) == schemas.AMOUNTS.names
    assert (q["quote_id"], q["speaker_name"], a["amount_id"], a["noun"]) == (0, "Putin", 0, "troop")
