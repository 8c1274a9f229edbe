from tasks.story.alignment import SentenceRef, align
from tasks.text.normalize import norm_hash


def _doc(doc_id: str, *texts: str) -> list[SentenceRef]:
    return [SentenceRef(doc_id, i, t, norm_hash(t)) for i, t in enumerate(texts)]


def test_exact_links_fold_quotes_case_and_hyphens():
    a = _doc("a", "President Yoon Suk-yeol called it a “provocation”.", "Only in A here.")
    b = _doc("b", "Something else entirely.", 'President Yoon Suk Yeol called it a "provocation".')
    c = _doc("c", "president yoon suk yeol called it a provocation")
    result = align(a + b + c, [])
    assert [(l.doc_id, l.sent_id, l.other_doc_id, l.other_sent_id, l.kind) for l in result.links] == [
        ("b", 1, "a", 0, "exact"),
        ("c", 0, "a", 0, "exact"),
    ]
    assert result.claim_of[("b", 1)] == result.claim_of[("c", 0)] == "a:0"
    assert result.claim_of[("a", 1)] == "a:1"


def test_near_links_only_within_candidate_pairs():
    a = _doc("a", "Duda was on a four-day visit to South Korea that will end today, with a stop at Hyundai Rotem.")
    b = _doc("b", "Duda was on a four-day visit to South Korea that will end on Friday, with a stop at Hyundai Rotem.")
    unrelated = align(a + b, [])
    assert unrelated.links == []
    linked = align(a + b, [("a", "b")])
    (link,) = linked.links
    assert (link.doc_id, link.other_doc_id, link.kind) == ("b", "a", "near") and 0.8 <= link.similarity < 1
    assert linked.claim_of[("b", 0)] == "a:0"


def test_different_sentences_do_not_link():
    a = _doc("a", "The treaty is due to be fully ratified by the upper house on November 6.")
    b = _doc("b", "This treaty is expected to be passed by the upper house on November 6.")
    assert align(a + b, [("a", "b")]).links == []


def test_one_near_link_per_pair_of_variants_and_exact_links_for_the_copies():
    original = "Duda was on a four-day visit to South Korea that will end today, with a stop at Hyundai Rotem."
    edited = original.replace("today", "on Friday")
    docs = _doc("a", original) + _doc("b", edited) + _doc("c", "Something else entirely here.", edited)
    result = align(docs, [("a", "b"), ("a", "c"), ("b", "c")])
    assert [(l.doc_id, l.sent_id, l.other_doc_id, l.other_sent_id, l.kind) for l in result.links] == [
        ("b", 0, "a", 0, "near"),
        ("c", 1, "b", 0, "exact"),
    ]
    assert result.claim_of[("a", 0)] == result.claim_of[("b", 0)] == result.claim_of[("c", 1)] == "a:0"


def test_near_link_goes_through_a_paired_document_only():
    original = "Duda was on a four-day visit to South Korea that will end today, with a stop at Hyundai Rotem."
    edited = original.replace("today", "on Friday")
    docs = _doc("a", original) + _doc("b", "Nothing shared here at all.") + _doc("c", edited)
    assert align(docs, [("a", "b"), ("b", "c")]).links == []
    (link,) = align(docs, [("c", "a")]).links
    assert (link.doc_id, link.other_doc_id) == ("c", "a")


def test_word_order_matters_for_near_links():
    a = _doc("a", "Russia said the talks with Ukraine would resume next week in Istanbul.")
    b = _doc("b", "Istanbul next week in resume would Ukraine with talks the said Russia.")
    assert align(a + b, [("a", "b")]).links == []


def test_near_variants_inside_a_document_link_across_a_pair():
    original = "Duda was on a four-day visit to South Korea that will end today, with a stop at Hyundai Rotem."
    edited = original.replace("today", "on Friday")
    # b carries both wordings; a only the edited one: the original in b links to a's edit
    docs = _doc("a", edited, "Only in A here, nothing else.") + _doc("b", "Something else entirely.", original, edited)
    result = align(docs, [("a", "b")])
    assert [(l.doc_id, l.sent_id, l.other_doc_id, l.other_sent_id, l.kind) for l in result.links] == [
        ("b", 1, "a", 0, "near"),
        ("b", 2, "a", 0, "exact"),
    ]
    assert result.claim_of[("b", 1)] == result.claim_of[("b", 2)] == "a:0"


def test_each_pair_of_variants_links_once_from_its_first_meeting():
    original = "Duda was on a four-day visit to South Korea that will end today, with a stop at Hyundai Rotem."
    edited = original.replace("today", "on Friday")
    docs = _doc("a", original) + _doc("b", "Filler sentence number one here.") + _doc("c", edited) + _doc("d", "x y", edited)
    pairs = [("a", "c"), ("a", "d"), ("b", "d")]
    (near, exact) = align(docs, pairs).links
    assert (near.doc_id, near.other_doc_id, near.kind) == ("c", "a", "near")
    assert (exact.doc_id, exact.sent_id, exact.other_doc_id, exact.kind) == ("d", 1, "c", "exact")
