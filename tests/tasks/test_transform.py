from datetime import date, datetime, timezone

import pytest

from tasks import transform
from tasks.config import Config
from tasks.ingest.raw_document import RawDocument
from tasks.store import schemas
from tasks.transform import transform_batch

TEXTS = {
    "nairobi.txt": "Officials in Nairobi said on Friday that the new rail line will open in May. "
    "“It will change everything,” said Maria Lopez, who runs the project.\n",
    "bad.txt": "The minister in Lisbon announced a €3 billion budget for the harbour on Monday.\n",
    "berlin.txt": "Die Regierung in Berlin hat am Dienstag neue Regeln für den Hafen angekündigt.\n",
    "warsaw.txt": "German leader Olaf Scholz visited Warsaw on Tuesday. He met Donald Tusk there.\n",
}
BAD_WORD = "Lisbon"


def _raws() -> list[RawDocument]:
    return [RawDocument("b", path, i, text.encode("utf-8")) for i, (path, text) in enumerate(TEXTS.items())]


def _by_path(batch) -> dict[str, dict]:
    return {d["source_path"]: d for d in batch.tables["documents"].to_pylist()}


def _check_batch(batch, bad_path: str, detail_start: str) -> dict:
    docs = _by_path(batch)
    bad = docs[bad_path]
    assert bad["status"] == "error" and bad["status_detail"].startswith(detail_start)
    assert bad["text"] == "" and bad["n_chars"] == 0 and bad["content_hash"] is None and bad["lang"] is None
    assert (bad["n_sentences"], bad["n_headings"], bad["n_entities"], bad["n_removed"]) == (0, 0, 0, 0)
    for name, table in batch.tables.items():
        assert table.schema == schemas.STAGED[name]
        if name != "documents":
            assert bad["doc_id"] not in table.column("doc_id").to_pylist(), name
    good = [d for path, d in docs.items() if path != bad_path]
    assert all(d["status"] == "ok" and d["text"] and d["n_sentences"] >= 1 for d in good)
    with_sentences = set(batch.tables["sentences"].column("doc_id").to_pylist())
    assert with_sentences == {d["doc_id"] for d in good}
    assert batch.status_counts == {"ok": len(good), "error": 1}
    assert bad["doc_id"] not in batch.text_doc_ids and len(batch.signatures) == len(batch.text_doc_ids) == len(good)
    assert not any(BAD_WORD in text for text, _ in batch.entity_counts)
    return docs


def _raise_for_bad(function, exc: Exception | None = None):
    """function, except that it raises exc when its first argument mentions BAD_WORD."""

    def wrapped(first, *args, **kwargs):
        if BAD_WORD in repr(first):
            raise exc or ValueError("boom")
        return function(first, *args, **kwargs)

    return wrapped


def test_a_batch_without_failures_is_all_ok():
    batch = transform_batch(_raws())
    assert batch.status_counts == {"ok": 4}
    docs = _by_path(batch)
    assert docs["berlin.txt"]["lang"] == "de" and docs["nairobi.txt"]["ner_model"]


STEPS = [("decode", "decode"), ("clean", "clean"), ("quotes", "extract_quotes"), ("amounts", "extract_amounts")]


@pytest.mark.parametrize("stage, name", STEPS)
def test_one_document_failing_in_a_step_fails_alone(monkeypatch, stage, name):
    monkeypatch.setattr(transform, name, _raise_for_bad(getattr(transform, name)))
    _check_batch(transform_batch(_raws()), "bad.txt", f"{stage}: ValueError: boom")


def test_a_document_failing_in_batched_nlp_is_found_by_running_them_one_by_one(monkeypatch):
    calls = []

    def annotate(docs, max_chars, batch_chars, cache_chars, entities=True, resplit_chars=1000):
        calls.append((len(docs), max_chars))
        if any(BAD_WORD in text for text, _, _ in docs):
            raise RuntimeError("model broke on " + "x" * 1000)
        return real(docs, max_chars, batch_chars, cache_chars, entities, resplit_chars)

    real = transform.annotate
    monkeypatch.setattr(transform, "annotate", annotate)
    batch = transform_batch(_raws(), Config(nlp_max_chars=1234))
    docs = _check_batch(batch, "bad.txt", "nlp: RuntimeError: model broke on x")
    assert calls == [(4, 1234)] + [(1, 1234)] * 4
    assert 300 <= len(docs["bad.txt"]["status_detail"]) <= 330
    assert docs["warsaw.txt"]["n_entities"] >= 2


def test_a_document_failing_in_batched_language_detection(monkeypatch):
    monkeypatch.setattr(transform, "detect_languages", _raise_for_bad(transform.detect_languages, KeyError("lang")))
    _check_batch(transform_batch(_raws()), "bad.txt", "language: KeyError: 'lang'")


def test_an_environment_error_still_fails_the_batch(monkeypatch):
    def annotate(docs, max_chars, batch_chars, cache_chars, entities=True, resplit_chars=1000):
        raise OSError("[E050] Can't find model")

    monkeypatch.setattr(transform, "annotate", annotate)
    with pytest.raises(OSError, match="E050"):
        transform_batch(_raws())


def test_the_configured_piece_size_reaches_the_model(monkeypatch):
    sizes = []

    def annotate(docs, max_chars, batch_chars, cache_chars, entities=True, resplit_chars=1000):
        sizes.append((max_chars, batch_chars))
        return real(docs, max_chars, batch_chars, cache_chars, entities, resplit_chars)

    real = transform.annotate
    monkeypatch.setattr(transform, "annotate", annotate)
    text = " ".join(["Officials in Nairobi said on Friday that the new rail line will open in May."] * 40)
    raw = RawDocument("b", "long.txt", 0, text.encode("utf-8"))
    whole = transform_batch([raw]).tables["sentences"].to_pylist()
    cut = transform_batch([raw], Config(nlp_max_chars=100, nlp_batch_chars=300)).tables["sentences"].to_pylist()
    assert sizes == [(Config().nlp_max_chars, Config().nlp_batch_chars), (100, 300)]
    assert len(whole) == 40  # the pieces end at sentence ends: the same sentences
    assert [(s["start_char"], s["end_char"], s["text"]) for s in cut] == [(s["start_char"], s["end_char"], s["text"]) for s in whole]


def test_bundle_metadata_fills_the_document_row():
    meta = {"title": "Rail line", "url": "http://x/1", "source": "AFP", "published": "2024-10-24T09:30:00+02:00",
            "author": "Ann Lee"}
    raw = RawDocument("b", "feed.jsonl:1", 0, TEXTS["nairobi.txt"].encode("utf-8"), meta)
    (doc,) = transform_batch([raw]).tables["documents"].to_pylist()
    assert (doc["title"], doc["url"], doc["outlet"], doc["published_text"], doc["author"]) == (
        "Rail line", "http://x/1", "AFP", "2024-10-24T09:30:00+02:00", "Ann Lee")
    assert (doc["published"], doc["published_at"]) == (date(2024, 10, 24), datetime(2024, 10, 24, 7, 30, tzinfo=timezone.utc))


def test_sentence_resplit_chars_comes_from_the_config():
    # Sentences glued to the next one ('nationale.Ronds') are cut only where a sentence is too long.
    text = (
        "Les manifestants ont bloqué la route nationale toute la journée selon la police nationale."
        "Ronds-points occupés, a dit l’AFP.La préfecture n’a pas encore réagi à cette action.\n"
    )
    raw = RawDocument("b", "route.txt", 0, text.encode("utf-8"))

    def sentences(config: Config) -> list[str]:
        batch = transform_batch([raw], config)
        assert _by_path(batch)["route.txt"]["lang"] == "fr"
        return [s["text"] for s in batch.tables["sentences"].to_pylist()]

    assert sentences(Config()) == [text.strip()]
    assert sentences(Config(sentence_resplit_chars=100)) == [
        "Les manifestants ont bloqué la route nationale toute la journée selon la police nationale.",
        "Ronds-points occupés, a dit l’AFP.La préfecture n’a pas encore réagi à cette action.",  # 84: kept whole
    ]
