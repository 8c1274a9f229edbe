"""Who a pronoun in a quote's attribution refers to (`“…,” he said`), for tasks/text/quotes.py.

Two ways, chosen by the language's Lexicon (tasks/text/quote_words.py):

* plain (French, Spanish): he/she is the latest person quoted or, if more recent, the first
  person of the latest sentence naming one; they/it the latest speaker of any kind;
* cautious (`Lexicon.cautious_pronouns`, English): an antecedent must be a speaker already
  quoted or a person named as the subject of a clause (`Sen. X said`, `As it rained, X left`:
  not `he denied being X`, `including Sen. X`, `her daughter X`), at most PRONOUN_SENTENCES
  sentences back, of the pronoun's gender when that is known (a title, the first name, or
  the first name of the same surname's full name in the document, by gender-guesser's list).
  The latest such subject wins; it is left unresolved (the quote unattributed) when the
  latest sentence with one names two different people that fit (`Damon and Affleck`), or
  when a more recent subject cannot be checked (an organization, `Trump` tagged ORG; a
  described speaker, `said an officer`). Unattributed rather than wrong.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

from tasks.text.quote_words import Lexicon, name_gender

PRONOUN_SENTENCES = 2  # he/she/it/they refer back at most this many sentences (cautious)
Entity = tuple[int, int, str]

CLAUSE_MARK = re.compile(r"[,;:(—–“”\"]")
TOKEN = re.compile(r"[^\W\d_][\w’'.\-]*")
ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$")  # `the Robin Collective`, `the Obama administration`: no person
# `his fiancee, Rhonda Rouer`: an appositive of someone else's noun
POSSESSED_APPOSITIVE = re.compile(r"\b(?:his|her|their|its|my|our|your)\s+(?:[\w’'-]+\s+){0,2}[\w’'-]+,\s*$", re.I)
COLLECTIVE = re.compile(r"\b(?:family|couple|team|group|company|police|staff|band|board|panel|committee|crew)$", re.I)
WORD_BEFORE = re.compile(r"(?<![\w.’'])([A-Z][a-z][\w’'-]*)\s+$")  # `Colter` in `Colter told`
TITLE_GENDER = re.compile(r"\b(?:(?P<he>Mr|Sir|Lord|Father|Brother)|(?P<she>Mrs|Ms|Miss|Madam|Dame|Lady|Sister))\.?\s+$")


class Mentions:
    """Speaker-like entities outside quotations, in text order (they do not overlap)."""

    def __init__(self, entities: list[Entity]):
        self.entities = sorted(entities)
        self.starts = [e[0] for e in self.entities]
        self.ends = [e[1] for e in self.entities]
        self.people = [e for e in self.entities if e[2] == "PERSON"]
        self.people_ends = [e[1] for e in self.people]
        self.groups = [e for e in self.entities if e[2] in ("ORG", "GPE", "NORP")]
        self.groups_ends = [e[1] for e in self.groups]

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def between(self, start: int, end: int) -> list[Entity]:
        return self.entities[bisect.bisect_left(self.starts, start) : bisect.bisect_right(self.ends, end)]


def is_subject(text: str, entity: Entity, sentence_start: int, lex: Lexicon) -> bool:
    """Whether an entity stands where a clause's subject does: nothing but capitalized words,
    titles and modifiers between it and the start of its clause (`Joplin, Mo., Mayor X`,
    `Wildcats coach X`), no verb, preposition, pronoun or conjunction (`he denied being X`,
    `Asked why X`, `including Sen. X`, `with X`), and not the appositive of a possessed noun."""
    before = text[sentence_start : entity[0]]
    marks = list(CLAUSE_MARK.finditer(before))
    clause = before[marks[-1].end() :] if marks else before
    if marks and not clause.strip() and POSSESSED_APPOSITIVE.search(before[: marks[-1].end()]):
        return False
    tokens = TOKEN.findall(clause)
    for i, token in enumerate(tokens):
        low = token.lower().rstrip(".")
        if low in lex.not_subject_words:
            return False
        if (i == 0 or token[0].islower()) and low.endswith(("ed", "ing")) and low not in lex.subject_modifiers:
            return False  # `Asked why X`, `Contacted by X`, `the team playing X`
        if low == "of" and (i == 0 or tokens[i - 1].rstrip(".") not in lex.titles_with_of):
            return False  # `Mayor of London X`, not `Kassie Siegel of the Center`
    return True


def gender(text: str, entity: Entity, people: Sequence[Entity]) -> str | None:
    """he | she | None for a person's mention: a title before it, else its first known first
    name, else (one word) the first names of the document's longer names ending with it."""
    if m := TITLE_GENDER.search(text, max(0, entity[0] - 12), entity[0]):
        return "he" if m.group("he") else "she"
    words = text[entity[0] : entity[1]].split()
    if len(words) > 1:
        return next((g for w in words[:-1] if (g := name_gender(w))), None)
    fulls = [text[s:e].split() for s, e, _ in people]
    found = {name_gender(full[0]) for full in fulls if len(full) > 1 and full[-1] == words[0]}
    return found.pop() if len(found) == 1 else None


def same_person(a: str, b: str) -> bool:
    """`Obama` and `Barack Obama`, `Anne` and `Anne Ziegenhorn`: one person (within a document)."""
    if a == b:
        return True
    short, long_ = sorted((a.split(), b.split()), key=len)
    return len(short) == 1 and short[0] in (long_[0], long_[-1])


def antecedent(
    text: str,
    pronoun: str,
    pos: int,
    mentions: Mentions,
    sentence_of: Callable[[int], int],
    sentence_start: Callable[[int], int],
    speakers: list[tuple[int, str, str]],
    lex: Lexicon,
    quoted: Callable[[int], bool] = lambda pos: False,
) -> tuple[str, str] | None:
    """(name, label) a pronoun (he | she | they | it) in an attribution at pos refers to, if any;
    quoted(position) tells whether a position is inside a quotation."""
    if not lex.cautious_pronouns:
        return _plain(text, pronoun, pos, mentions, sentence_of, speakers, lex.pronoun_speakers)
    first_sentence = sentence_of(pos) - PRONOUN_SENTENCES
    window = [e for e in mentions.between(sentence_start(max(first_sentence, 0)), pos) if e[1] <= pos]
    subjects = [
        e
        for e in _heads(text, window, lex)
        if not (e[2] == "PERSON" and ARTICLE_BEFORE.search(text, max(0, e[0] - 5), e[0]))
        and is_subject(text, e, sentence_start(sentence_of(e[0])), lex)
    ]
    # (position, name, label, gender or None)
    said = [(p, n, label) for p, n, label in speakers if p < pos and sentence_of(p) >= first_sentence]
    described = [(p, p + len(n)) for p, n, label in said if label == "DESCRIPTION"]
    subjects = [e for e in subjects if not any(a <= e[0] < b for a, b in described)]  # `The U.S. researchers said`
    if pronoun in ("they", "it"):  # the latest speaker quoted, if a group (they) or a thing (it), and no subject since
        if not said:
            return None  # `Clemente and Richards …, they claimed`: no speaker quoted yet
        p, name, label = said[-1]
        fits = (
            label in ("NORP", "ORG") or (label == "DESCRIPTION" and (_plural(name) or COLLECTIVE.search(name)))
            if pronoun == "they"
            else label in ("ORG", "GPE") or (label == "DESCRIPTION" and not _plural(name))
        )
        if not fits or any(e[0] > p + len(name) for e in subjects if e[2] in ("PERSON", "ORG")):
            return None  # `wrote El Molto and Peter Sheldrick. “…,” they wrote`: not El Molto alone
        return name, label
    people = mentions.people
    candidates = [(p, n, label, _speaker_gender(text, n, p, people)) for p, n, label in said]
    candidates += [(e[0], text[e[0] : e[1]], e[2], gender(text, e, people) if e[2] == "PERSON" else None) for e in subjects]
    candidates.sort(key=lambda x: x[0])
    for i in range(len(candidates) - 1, -1, -1):
        p, name, label, sex = candidates[i]
        if label == "PERSON" and sex in (pronoun, None):
            break
    else:
        return None
    later = candidates[i + 1 :]  # more recent subjects: all of another gender, or none is sure
    if any(x[3] is None and x[2] != "PERSON" and not (x[2] == "DESCRIPTION" and _plural(x[1])) for x in later):
        return None
    if _unnamed_speaker(text, p + len(name), pos, name, mentions, lex, quoted):
        return None
    sentence = sentence_of(p)
    rivals = {
        x[1] for x in candidates[:i] if sentence_of(x[0]) == sentence and x[2] == "PERSON" and x[3] in (pronoun, None)
    }
    if any(not same_person(r, name) for r in rivals):
        return None  # `Damon and Affleck …`: he/she is either
    return name, label


def _heads(text: str, entities: list[Entity], lex: Lexicon) -> list[Entity]:
    """Entities without those that only modify the next person (`Hobart Lord Mayor Ron Christie`,
    `Annan spokesman Ahmad Fawzi`)."""
    kept = []
    for e, following in zip(entities, [*entities[1:], None]):
        if following is not None and following[2] == "PERSON" and e[2] in ("PERSON", "ORG", "GPE", "NORP"):
            words = TOKEN.findall(between := text[e[1] : following[0]])
            if len(words) <= 3 and not re.search(r"[,;:()\"“”]", between) and not any(
                w.lower().rstrip(".") in lex.not_subject_words or w.lower() in ("and", "or") for w in words
            ):
                continue
        kept.append(e)
    return kept


def _unnamed_speaker(text, start, end, name, mentions: Mentions, lex: Lexicon, quoted) -> bool:
    """Whether someone the entities missed speaks between start and end (`Colter told the
    hearing …`: a capitalized word right before an attribution verb, outside quotations)."""
    for m in lex.verb.finditer(text, start, end):
        word = WORD_BEFORE.search(text, max(start, m.start() - 40), m.start())
        if word is None or quoted(m.start()) or word.group(1).lower() in lex.not_subject_words | {"the", "a", "an"}:
            continue
        if not mentions.covers(word.start(1)) and not same_person(word.group(1), name):
            return True
    return False


def _speaker_gender(text: str, name: str, pos: int, people: Sequence[Entity]) -> str | None:
    """The gender of a speaker quoted at pos: its pronoun's (`she said`), else its name's."""
    if pronoun := re.match(r"(?i)(she|he)\b", text[pos : pos + 4]):
        return pronoun.group(1).lower()
    at = text.find(name, pos, pos + len(name) + 1)
    return gender(text, (at, at + len(name), "PERSON"), people) if at == pos else None


def _plural(description: str) -> bool:
    last = description.split()[-1].lower() if description.split() else ""
    return last.endswith("s") and not last.endswith("ss")


def _plain(text, pronoun, pos, mentions: Mentions, sentence_of, speakers, quoted_labels) -> tuple[str, str] | None:
    if pronoun in ("he", "she"):
        quoted = next(((p, n, label) for p, n, label in reversed(speakers) if label in quoted_labels), None)
        n_before = bisect.bisect_right(mentions.people_ends, pos)
        named = None
        if n_before:
            sentence = sentence_of(mentions.people[n_before - 1][0])
            i = n_before - 1
            while i > 0 and sentence_of(mentions.people[i - 1][0]) == sentence:
                i -= 1
            first = mentions.people[i]  # the first person named in the latest sentence naming one
            named = (first[0], text[first[0] : first[1]], "PERSON")
        best = max((x for x in (quoted, named) if x), default=None, key=lambda x: x[0])
        return (best[1], best[2]) if best else None
    if speakers:
        return speakers[-1][1], speakers[-1][2]
    n_before = bisect.bisect_right(mentions.groups_ends, pos)
    if not n_before:
        return None
    group = mentions.groups[n_before - 1]
    return text[group[0] : group[1]], group[2]
