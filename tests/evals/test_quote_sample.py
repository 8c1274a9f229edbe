"""evals/quote_sample.py: the pool is the English quotes with a speaker, and the context spans quote and speaker."""
import pyarrow as pa

from evals.quote_sample import attributed_english, context


def _quote(doc_id, start, end, speaker=None, speaker_start=None, speaker_end=None):
    return {"doc_id": doc_id, "start_char": start, "end_char": end, "speaker_name": speaker,
            "speaker_start": speaker_start, "speaker_end": speaker_end}


def test_only_english_quotes_with_a_speaker_are_sampled():
    docs = pa.table({"doc_id": ["en1", "fr1"], "lang": ["en", "fr"]})
    quotes = [_quote("en1", 0, 5, "Ann Lee"), _quote("en1", 9, 12), _quote("fr1", 0, 5, "Jean Roy")]
    assert attributed_english(docs, quotes) == [quotes[0]]


def test_the_context_covers_the_speaker_before_the_quote():
    text = "x" * 20 + "Ann Lee said: “We won.” " + "y" * 20
    quote = _quote("d", text.index("We"), text.index("won") + 3, "Ann Lee", text.index("Ann"), text.index("Ann") + 7)
    shown = context(text, quote, before=2, after=2)
    assert shown == "xxAnn Lee said: “We won.”"
    assert context(text, _quote("d", 20, 27), before=0, after=0) == "Ann Lee"
