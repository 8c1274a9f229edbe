"""Bundle-wide canonical names for entity surface forms.

Rules, applied in this order:
1. Spelling: forms with the same normalized key (NFKC, case-folded, curly quotes
   straightened, hyphens as spaces, no leading 'the', no possessive 's) are one entity:
   'Kim Jong Un' / 'Kim Jong-un', 'the Kremlin' / 'Kremlin'.
2. Aliases: a small table of common aliases (tasks/story/entity_aliases.csv) joins forms such
   as 'DPRK' and 'Democratic People's Republic of Korea' to 'North Korea'.
3. Acronyms: a form of 2–6 capitals ('NIS') joins the unique multi-word form whose
   initials, ignoring 'of', 'the', 'and', 'for', spell it.
4. Person short forms: a one-word PERSON form ('Putin', 'Yoon') joins the unique
   multi-word PERSON entity whose first or last word it is (Korean names put the family
   name first); when several entities qualify it stays on its own.
A group's name is the alias table's name when the table formed it, else its most
frequent form among those with the most words (ties: alphabetical).
Cost: one pass to bucket forms by key, word and initials; no all-pairs comparison.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from tasks.story.union_find import DisjointSets

ALIASES_CSV = Path(__file__).with_name("entity_aliases.csv")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‐": " ", "‑": " ", "–": " ", "—": " ", "-": " "})
_POSSESSIVE = re.compile(r"'s$")
_EDGES = " \t\n.,;:!?\"'()[]"
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")
_MINOR_WORDS = {"of", "the", "and", "for"}


def normalize_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    key = " ".join(key.split()).strip(_EDGES)
    if key.startswith("the "):
        key = key[4:]
    return _POSSESSIVE.sub("", key).strip(_EDGES)


@lru_cache(maxsize=1)
def alias_table() -> dict[str, str]:
    """Normalized alias key -> canonical name (canonical names map to themselves)."""
    table: dict[str, str] = {}
    with ALIASES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            table[normalize_key(row["alias"])] = row["canonical"]
            table.setdefault(normalize_key(row["canonical"]), row["canonical"])
    return table


def _initials(key: str) -> str:
    return "".join(word[0] for word in key.split() if word not in _MINOR_WORDS)


def canonical_names(mentions: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """Map every surface text of (text, label, count) mentions to one bundle-wide name."""
    counts: dict[str, int] = defaultdict(int)
    labels: dict[str, set[str]] = defaultdict(set)
    for text, label, count in mentions:
        counts[text] += count
        labels[text].add(label)
    key_of = {text: normalize_key(text) or text for text in counts}
    groups = DisjointSets()
    for key in key_of.values():
        groups.find(key)

    aliases = alias_table()
    alias_name: dict[str, str] = {}
    anchor: dict[str, str] = {}
    for key in sorted(set(key_of.values())):
        if key in aliases:
            name = aliases[key]
            anchor.setdefault(name, key)
            groups.union(anchor[name], key)
            alias_name[key] = name

    multiword = sorted({k for k in key_of.values() if " " in k})
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in multiword:
        by_initials[_initials(key)].add(groups.find(key))
    for text, key in sorted(key_of.items()):
        if _ACRONYM.match(text.strip()) and key not in aliases:
            targets = {groups.find(k) for k in by_initials.get(key.replace(".", ""), ())}
            if len(targets) == 1:
                groups.union(targets.pop(), key)

    person_keys = sorted({key_of[t] for t in key_of if "PERSON" in labels[t]})
    by_edge_word: dict[str, set[str]] = defaultdict(set)
    for key in person_keys:
        words = key.split()
        if len(words) > 1:
            by_edge_word[words[0]].add(groups.find(key))
            by_edge_word[words[-1]].add(groups.find(key))
    for key in person_keys:
        if " " not in key:
            targets = {groups.find(k) for k in by_edge_word.get(key, ())}
            if len(targets) == 1:
                groups.union(targets.pop(), key)

    members: dict[str, list[str]] = defaultdict(list)
    for text, key in key_of.items():
        members[groups.find(key)].append(text)
    result: dict[str, str] = {}
    for root, texts in members.items():
        named = sorted({alias_name[key_of[t]] for t in texts if key_of[t] in alias_name})
        if named:
            name = named[0]
        else:
            name = min(texts, key=lambda t: (-len(key_of[t].split()), -counts[t], t))
        for text in texts:
            result[text] = name
    return result
