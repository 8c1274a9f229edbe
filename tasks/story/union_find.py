"""Disjoint sets (union-find) whose representative is the smallest member.

Used to group near-duplicate documents, linked sentences into claims, and entity
spellings into one name. Keys are any comparable hashables (indexes in bundle order
make "smallest" mean "first"); a key never seen is a set of its own.
"""
from __future__ import annotations

from collections.abc import Hashable


class DisjointSets:
    def __init__(self) -> None:
        self._parent: dict[Hashable, Hashable] = {}

    def find(self, key):
        """The smallest member of key's set."""
        parent = self._parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]  # path halving
            key = parent[key]
        return key

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)
