"""What the NLP model said about a text, kept so that a repeated paragraph is parsed once.

Syndicated copies of an article repeat most of its paragraphs. The model's output for
a text depends on that text alone (the same model in the same process), so it can be
reused as is: sentence and entity spans relative to the text. Entries are keyed by
(model, text), so one text annotated by two models (a French paragraph in an English
article's bundle) keeps both outputs apart. The cache is bounded by the characters of the
texts it holds and forgets the least recently used first.

Several worker processes share what they parsed through the run's staging folder: a
worker hands over the entries it added since it last did (`take_new`, written by
tasks/store/load.py) and takes in those of the others (`absorb`) before each batch, so a
paragraph parsed by one worker is not parsed again by another that sees it later.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class Parsed:
    sentences: tuple[tuple[int, int], ...]  # (start, end) relative to the text
    entities: tuple[tuple[int, int, str], ...]  # (start, end, label) relative to the text


class ParseCache:
    def __init__(self, budget_chars: int):
        self.budget_chars = budget_chars
        self._items: OrderedDict[tuple[str, str], Parsed] = OrderedDict()
        self._chars = 0
        self.sharing = False  # whether entries put are also kept for take_new (set by whoever takes them)
        self._new: list[tuple[tuple[str, str], Parsed]] = []  # put since the last take_new
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, text: str, model: str = "") -> Parsed | None:
        key = (model, text)
        found = self._items.get(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            self._items.move_to_end(key)
        return found

    def put(self, text: str, parsed: Parsed, model: str = "", new: bool = True) -> None:
        if len(text) > self.budget_chars or (model, text) in self._items:
            return
        self._items[(model, text)] = parsed
        self._chars += len(text)
        if new and self.sharing:
            self._new.append(((model, text), parsed))
        self._shrink()

    def take_new(self) -> list[tuple[tuple[str, str], Parsed]]:
        """((model, text), Parsed) of every entry put since the last call (for other processes)."""
        new, self._new = self._new, []
        return new

    def absorb(self, entries) -> int:
        """Put entries handed over by another process (not handed over again); how many were new here."""
        before = len(self._items)
        for (model, text), parsed in entries:
            self.put(text, parsed, model, new=False)
        return len(self._items) - before

    def resize(self, budget_chars: int) -> None:
        self.budget_chars = budget_chars
        self._shrink()

    def _shrink(self) -> None:
        while self._chars > self.budget_chars and self._items:
            (_, text), _ = self._items.popitem(last=False)
            self._chars -= len(text)
