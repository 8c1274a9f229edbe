import pytest

from tasks.story.clustering import average_link


def test_two_groups_with_a_weak_link_stay_apart():
    edges = [(0, 1, 0.9), (1, 2, 0.8), (0, 2, 0.85), (3, 4, 0.7), (2, 3, 0.2)]
    assert average_link(5, edges, 0.5) == [0, 0, 0, 3, 3]


def test_no_chaining_through_one_member():
    # c is like b only: the average of {a, b} to c is 0.45, under the threshold
    assert average_link(3, [(0, 1, 0.9), (1, 2, 0.9)], 0.5) == [0, 0, 2]
    assert average_link(3, [(0, 1, 0.9), (1, 2, 0.9)], 0.4) == [0, 0, 0]


def test_fixed_groups_start_whole_take_free_items_and_never_merge():
    fixed = ["s1", "s1", "s2", None, None]
    # 3 is like both members of s1; 4 is like s2; s1 and s2 are alike but fixed apart
    edges = [(3, 0, 0.6), (3, 1, 0.5), (4, 2, 0.7), (0, 2, 0.9), (1, 2, 0.9)]
    assert average_link(5, edges, 0.3, fixed) == [0, 0, 2, 0, 2]


def test_a_free_item_like_one_member_of_a_big_group_does_not_join_it():
    fixed = ["s", "s", "s", "s", None]
    assert average_link(5, [(4, 0, 0.8)], 0.3, fixed) == [0, 0, 0, 0, 4]


def test_repeated_edges_add_up_and_bad_input_is_refused():
    assert average_link(2, [(0, 1, 0.2), (1, 0, 0.2)], 0.3) == [0, 0]
    with pytest.raises(ValueError, match="fixed has 1 items"):
        average_link(2, [], 0.3, ["a"])
