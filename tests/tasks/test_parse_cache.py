from __future__ import annotations

from tasks.parse_cache import ParseCache, Parsed

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
