"""Average-link agglomerative clustering over a sparse similarity graph, with fixed groups.

Two clusters merge, best pair first, while the average similarity over all their member
pairs is at least the threshold; a pair not in the graph counts as 0, so a cluster grows
only when the new member is similar to most of it (no chaining through one member, as
single link would). Groups given as fixed (stories of earlier runs) start whole, may take
in free items, and never merge with each other. Cost: O(E log E) for E edges, as every
merge only touches the edges of the two clusters.
"""
from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence


def average_link(
    n: int, edges: Iterable[tuple[int, int, float]], threshold: float, fixed: Sequence[Hashable | None] | None = None
) -> list[int]:
    """Cluster items 0..n-1; edges (i, j, similarity) with i != j (repeats add up). fixed[i]: the
    group of item i, or None for a free item. Returns for each item its cluster: the smallest
    item of the cluster."""
    group: list[Hashable | None] = list(fixed) if fixed is not None else [None] * n
    if len(group) != n:
        raise ValueError(f"fixed has {len(group)} items, expected {n}")
    root = list(range(n))
    members: dict[int, list[int]] = {}
    first_of: dict[Hashable, int] = {}
    for i in range(n):
        r = i if group[i] is None else first_of.setdefault(group[i], i)
        root[i] = r
        members.setdefault(r, []).append(i)
    sims: dict[int, dict[int, float]] = {r: {} for r in members}
    for i, j, s in edges:
        a, b = root[i], root[j]
        if a != b:
            sims[a][b] = sims[a].get(b, 0.0) + s
            sims[b][a] = sims[b].get(a, 0.0) + s

    def average(a: int, b: int) -> float:
        return sims[a].get(b, 0.0) / (len(members[a]) * len(members[b]))

    heap = [(-average(a, b), a, b) for a in sims for b in sims[a] if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if a not in members or b not in members or average(a, b) != -negative:
            continue  # stale: one side merged since, or the pair's average changed
        if group[a] is not None and group[b] is not None:
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        del sims[a][b], sims[b][a]
        for c, s in sims.pop(b).items():
            sims[a][c] = sims[a].get(c, 0.0) + s
            sims[c][a] = sims[a][c]
            del sims[c][b]
        members[a].extend(members.pop(b))
        group[a] = group[a] if group[a] is not None else group[b]
        for c in sims[a]:
            heapq.heappush(heap, (-average(a, c), min(a, c), max(a, c)))
    label = [0] * n
    for items in members.values():
        smallest = min(items)
        for i in items:
            label[i] = smallest
    return label
