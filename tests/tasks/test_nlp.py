from tasks.nlp import ParagraphSpan, annotate, english_model_name, rule_sentences


def _paragraphs(text: str, headings: set[str] = frozenset()) -> list[ParagraphSpan]:
    spans, pos = [], 0
    for block in text.split("\n\n"):
        spans.append(ParagraphSpan(pos, pos + len(block), block in headings))
        pos += len(block) + 2
    return spans


def test_english_sentences_and_entities_have_exact_offsets():
    text = (
        "German leader Olaf Scholz visited Warsaw on Tuesday. He met Donald Tusk there.\n\n"
        "Trade talks\n\n"
        "The two leaders discussed a €2 billion fund."
    )
    (ann,) = annotate([(text, _paragraphs(text, {"Trade talks"}), "en")])
    sents = [(text[s.start : s.end], s.is_heading) for s in ann.sentences]
    assert sents == [
        ("German leader Olaf Scholz visited Warsaw on Tuesday.", False),
        ("He met Donald Tusk there.", False),
        ("Trade talks", True),
        ("The two leaders discussed a €2 billion fund.", False),
    ]
    found = {(text[s:e], label) for s, e, label, _ in ann.entities}
    assert {("Olaf Scholz", "PERSON"), ("Warsaw", "GPE"), ("Donald Tusk", "PERSON")} <= found
    for start, end, _, sent_id in ann.entities:
        sent = ann.sentences[sent_id]
        assert sent.start <= start < end <= sent.end
    assert ann.ner_model == english_model_name() and ann.ner_model.startswith("en_core_web_sm")


def test_other_languages_get_rule_based_sentences_and_no_entities():
    text = "Le gouvernement a présenté son budget. M. Dupont a voté contre.\n\nLa séance a duré trois heures."
    (ann,) = annotate([(text, _paragraphs(text), "fr")])
    assert [text[s.start : s.end] for s in ann.sentences] == [
        "Le gouvernement a présenté son budget.",
        "M. Dupont a voté contre.",
        "La séance a duré trois heures.",
    ]
    assert ann.entities == [] and ann.ner_model is None


def test_mixed_batch_keeps_input_order():
    en = "Officials in Lagos announced new rules."
    de = "Die Regierung in Berlin hat neue Regeln angekündigt."
    anns = annotate([(de, _paragraphs(de), "de"), (en, _paragraphs(en), "en")])
    assert anns[0].ner_model is None and anns[1].ner_model is not None


def test_rule_sentences_offsets_point_into_the_text():
    text = "  First one here.  Second one there!  "
    spans = rule_sentences(text, 0, len(text), "xx")
    assert [text[s:e] for s, e in spans] == ["First one here.", "Second one there!"]


def test_sentences_an_entity_spans_are_joined_and_later_ones_still_found():
    from tasks.entities import EntitySpan
    from tasks.nlp import SentenceSpan, _merge_across_entities

    sentences = [SentenceSpan(s, e, False) for s, e in [(0, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 60)]]
    entities = [EntitySpan(8, 13, "ORG"), EntitySpan(25, 45, "PERSON"), EntitySpan(52, 55, "GPE")]
    merged = _merge_across_entities(sentences, entities)
    assert [(s.start, s.end) for s in merged] == [(0, 20), (21, 50), (51, 60)]
