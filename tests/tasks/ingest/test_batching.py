import itertools

import pytest

from tasks.ingest.batching import batched


def test_batches_a_stream_lazily():
    stream = itertools.count()
    first = next(batched(stream, 3))
    assert first == [0, 1, 2]
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []


def test_rejects_a_zero_size():
    with pytest.raises(ValueError):
        list(batched([1], 0))
