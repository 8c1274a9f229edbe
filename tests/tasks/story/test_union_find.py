from tasks.story.union_find import DisjointSets


def test_representative_is_the_smallest_member():
    sets = DisjointSets()
    sets.union(5, 3)
    sets.union(9, 5)
    sets.union(7, 8)
    assert [sets.find(k) for k in (3, 5, 9, 7, 8)] == [3, 3, 3, 7, 7]
    assert sets.find(42) == 42  # unseen: a set of its own


def test_string_keys_and_merging_two_groups():
    sets = DisjointSets()
    sets.union("putin", "vladimir putin")
    sets.union("kim jong un", "kim jong-un")
    assert sets.find("vladimir putin") == "putin" and sets.find("kim jong-un") == "kim jong un"
    sets.union("vladimir putin", "kim jong-un")
    assert {sets.find(k) for k in ("putin", "vladimir putin", "kim jong un", "kim jong-un")} == {"kim jong un"}
