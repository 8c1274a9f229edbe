from __future__ import annotations

from tasks.text.parse_cache import ParseCache, Parsed

P = Parsed(((0, 3),), ((0, 3, "ORG"),))


def test_hits_misses_and_least_recently_used_eviction_by_characters():
    cache = ParseCache(budget_chars=10)
    assert cache.get("abcd") is None and cache.misses == 1
    cache.put("abcd", P)
    cache.put("efgh", P)
    assert cache.get("abcd") is P and cache.hits == 1  # abcd now most recent
    cache.put("ijkl", P)  # 12 chars > 10: the least recently used (efgh) goes
    assert cache.get("efgh") is None and cache.get("abcd") is P and cache.get("ijkl") is P
    assert len(cache) == 2


def test_a_text_over_the_budget_is_not_kept_and_zero_turns_it_off():
    cache = ParseCache(budget_chars=3)
    cache.put("abcd", P)
    assert len(cache) == 0
    cache = ParseCache(budget_chars=100)
    cache.put("abcd", P)
    cache.resize(0)
    assert len(cache) == 0 and cache.get("abcd") is None


def test_outputs_are_kept_per_model():
    cache = ParseCache(budget_chars=100)
    other = Parsed(((0, 4),), ((0, 4, "LOC"),))
    cache.put("abcd", P, "en_model")
    cache.put("abcd", other, "fr_model")
    assert cache.get("abcd", "en_model") is P and cache.get("abcd", "fr_model") is other
    assert cache.get("abcd") is None


def test_new_entries_are_handed_over_once_and_absorbed_ones_are_not_handed_on(tmp_path):
    from tasks.store import load

    worker_a, worker_b = ParseCache(budget_chars=100), ParseCache(budget_chars=100)
    worker_a.put("kept only here", P)  # not sharing: nothing is collected
    assert worker_a.take_new() == []
    worker_a.sharing = worker_b.sharing = True
    worker_a.put("abcd", P, "m")
    worker_a.put("efgh", P, "m")
    seen_a, seen_b = set(), set()
    seen_a.add(load.share_parses(tmp_path, worker_a.take_new()).name)
    assert worker_a.take_new() == [] and load.share_parses(tmp_path, []) is None
    assert [worker_b.absorb(e) for e in load.shared_parses(tmp_path, seen_b)] == [2]
    assert worker_b.get("abcd", "m") == P and worker_b.take_new() == []  # not handed back
    assert list(load.shared_parses(tmp_path, seen_b)) == [] and list(load.shared_parses(tmp_path, seen_a)) == []
    assert list(load.shared_parses(tmp_path / "gone", set())) == []
