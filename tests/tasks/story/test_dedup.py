import numpy as np

from tasks.story.dedup import DUPLICATE_THRESHOLD, clusters, shingles, signatures, similar_pairs

STORY = (
    "The central bank raised its main interest rate by half a point on Thursday, the largest increase in two decades, "
    "as inflation reached a new high. Officials said further increases were likely in the coming months. "
    "Markets had expected a smaller move, and the currency rose sharply after the announcement. "
    "The governor told reporters that the bank would do whatever it takes to bring prices under control."
)
REWRITE = STORY.replace("on Thursday", "yesterday").replace("rose sharply", "jumped") + " With inputs from agencies."
OTHER = (
    "Heavy rain flooded large parts of the capital overnight, closing schools and cutting power to thousands of homes. "
    "Emergency services rescued dozens of people trapped in cars, and the weather office warned of more storms."
)


def test_shingles_are_normalized_word_5_grams():
    assert shingles("One, two THREE four five six") == [b"one two three four five", b"two three four five six"]
    assert shingles("Too short") == [b"too short"]
    assert shingles("") == []


def test_signatures_are_deterministic_uint32():
    a, b = signatures([STORY, STORY])
    assert a.dtype == np.uint32 and len(a) == 128 and (a == b).all()


def test_rewritten_copy_pairs_up_and_unrelated_text_does_not():
    ids = ["a", "b", "c", "d"]
    pairs = similar_pairs(ids, signatures([STORY, OTHER, REWRITE, STORY]))
    found = {(p.doc_a, p.doc_b): p for p in pairs}
    assert set(found) == {("a", "c"), ("a", "d"), ("c", "d")}
    assert found[("a", "d")].similarity == 1.0
    assert found[("a", "c")].similarity >= DUPLICATE_THRESHOLD
    assert clusters(ids, pairs) == {"a": "a", "b": "b", "c": "a", "d": "a"}


def test_pairs_below_the_duplicate_threshold_do_not_cluster():
    from tasks.story.dedup import DocPair

    pairs = [DocPair("a", "b", 0.25), DocPair("b", "c", 0.9)]
    assert clusters(["a", "b", "c"], pairs) == {"a": "a", "b": "b", "c": "b"}


def test_texts_without_words_pair_with_nothing():
    assert similar_pairs(["a", "b", "c"], signatures(["", "— …", STORY])) == []


def test_signature_of_a_long_text_is_hashed_in_chunks_with_the_same_result():
    import zlib

    from datasketch import MinHash

    from tasks.story.dedup import NUM_PERM, SCHEME, SHINGLE_CHUNK, signatures

    text = " ".join(f"word{i % 997} w{i % 13}" for i in range(SHINGLE_CHUNK * 2))
    whole = MinHash.bulk([shingles(text)], num_perm=NUM_PERM, hashfunc=zlib.crc32, scheme=SCHEME)[0]
    assert len(shingles(text)) > 2 * SHINGLE_CHUNK
    assert (signatures([text])[0] == whole.hashvalues.astype("uint32")).all()


def test_a_block_of_near_identical_documents_gives_capped_pairs_and_one_cluster(monkeypatch):
    from tasks.story import dedup

    monkeypatch.setattr(dedup, "CLUSTER_PAIR_CAP", 5)
    texts = [STORY + f" Reported by correspondent number {i}." for i in range(40)] + [OTHER]
    ids = [f"t{i}" for i in range(40)] + ["other"]
    pairs = similar_pairs(ids, signatures(texts))
    partners = {}
    for p in pairs:
        assert int(p.doc_a[1:]) < int(p.doc_b[1:])
        partners.setdefault(p.doc_b, set()).add(p.doc_a)
    assert all(len(earlier) <= 5 for earlier in partners.values())
    assert len(pairs) <= 40 * 5 and "other" not in partners
    cluster_of = clusters(ids, pairs)
    assert {cluster_of[f"t{i}"] for i in range(40)} == {"t0"} and cluster_of["other"] == "other"


def test_candidate_pairs_are_those_of_datasketch_lsh_below_the_cap():
    from datasketch import LeanMinHash, MinHashLSH

    from tasks.story.dedup import NUM_PERM, PAIR_THRESHOLD, SCHEME, candidate_pairs

    texts = [STORY, OTHER, REWRITE, STORY, OTHER + " Again.", REWRITE + " And more."]
    sigs = signatures(texts)
    lsh = MinHashLSH(threshold=PAIR_THRESHOLD, num_perm=NUM_PERM)
    for i, s in enumerate(sigs):
        lsh.insert(i, LeanMinHash(seed=1, hashvalues=s, scheme=SCHEME))
    expected = sorted((i, j) for i, s in enumerate(sigs) for j in lsh.query(LeanMinHash(seed=1, hashvalues=s, scheme=SCHEME)) if j > i)
    a, b = candidate_pairs(sigs)
    assert list(zip(a.tolist(), b.tolist())) == expected
