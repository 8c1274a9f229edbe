"""Quotations and who said them: pure rules over the text, its sentences and entities.

For every pair of quote marks (tasks/quote_marks.py) the attribution is looked for
* right after the closing mark: `“…,” Putin said`, `“…,” he quipped`, `“…,” said Putin`;
* right before the opening mark: `And he told journalists: “…”`, `…, stating, “…”`,
  `according to a White House spokesperson, “…”`;
* in another quotation of the same sentence: `“A”, that is, Wednesday, “B,” they added`;
* earlier in the same sentence, for partial quotes in reported speech:
  `Putin claimed yesterday that Moscow’s forces were “moving forward”`.
The speaker is a PERSON or ORG entity of the attribution (a GPE or NORP only as its head
noun), else a trailing capitalized name, else the short noun phrase itself
(`the American spokesman`). `he`/`she` resolve to the latest person quoted or, if more
recent, the first person of the latest sentence naming one (outside quotations);
`they`/`it` to the latest speaker of any kind.

Kept: attributed quotes of any length, partial quotes in reported speech of 4+ words,
unattributed quotes of 5+ words that are not Title Case names; scare quotes are left out.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tasks.quote_marks import quote_spans


@dataclass(frozen=True)
class Quote:
    sent_id: int
    start: int  # the quoted words, without marks, spaces or a trailing comma
    end: int
    text: str
    speaker_text: str | None  # the name, pronoun or noun phrase in the attribution
    speaker_start: int | None
    speaker_end: int | None
    speaker_name: str | None  # the entity it refers to (a pronoun's antecedent)
    verb: str | None
    attribution: str  # name | description | pronoun | none


_VERB_FORMS = (
    "said says say saying told tells telling added adds adding quipped quips stated stating declared "
    "declares declaring wrote writes writing warned warns warning explained explains explaining noted "
    "noting insisted insists insisting argued argues arguing asked replied replies replying claimed "
    "claiming announced announcing continued remarked tweeted commented acknowledged admitted admits "
    "urged urges stressed stresses stressing emphasised emphasized recalled joked complained predicted "
    "conceded countered responded assured vowed promised cautioned confirmed confirms confirming "
    "denied suggested reported observed concluded recounted shouted answered mused boasted alleged "
    "pledged maintained"
).split()
VERB = re.compile(r"\b(according to|" + "|".join(_VERB_FORMS) + r")\b")
PARTICIPLES = {v for v in _VERB_FORMS if v.endswith("ing")}
PRONOUNS = {"he", "she", "they", "it", "we", "i"}
LEADING = re.compile(r"^(?:(?:and|but|then|so|yet|later|meanwhile|also|even|still|only|just)(?:\s+|$))+", re.IGNORECASE)
TRAILING_AUX = re.compile(r"(?:\s+(?:has|had|have|was|is|were|also|later|then|earlier|previously|once|again))+$")
PHRASE_END = re.compile(r"\s(?:from|of|at|in|for|with|who|which|whose|on|after|before|to|during|while)\s")
INVERTED_END = re.compile(r"[,.;:!?\n]|\s(?:in|on|at|after|before|when|who|as|during|to|adding|while|according)\s")
PREPOSITION = re.compile(r"\s*(?:between|to|in|on|at|from|for|with|by|of|into|after|before|during)\s")
CLAUSE_WORD = re.compile(r"\s(?:and|but|that|while|as|when|where|because|although|though|whereas|if)\s")
CAP_RUN = re.compile(r"(?:[A-Z][\w’'\-]+\s+)+[A-Z][\w’'\-]+$")
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
MAX_PHRASE_WORDS = 8
WINDOW = 250


@dataclass
class _Attribution:
    verb: str
    phrase: tuple[int, int]  # the speaker phrase, or (s, s) for a participle's subject
    strict: bool  # right next to the quote marks
    participle_of: tuple[int, int] | None = None  # where to look for a participle's subject


@dataclass
class _Quotation:
    open: int  # offsets of the quote marks
    close: int
    sent_id: int
    after: _Attribution | None  # found after the closing mark
    attribution: _Attribution | None  # the one used


def extract_quotes(
    text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[tuple[int, int, str]]
) -> list[Quote]:
    if not sentences:
        return []
    spans = quote_spans(text)
    starts = [s for s, _ in sentences]
    sentence_of = lambda pos: max(bisect.bisect_right(starts, pos) - 1, 0)  # noqa: E731
    opens = [o for o, _ in spans]
    outside = _Mentions([e for e in entities if e[2] in SPEAKER_LABELS and not _in_quotation(spans, opens, e[0])])
    found: list[_Quotation] = []
    for i, (o, c) in enumerate(spans):
        prev_close = spans[i - 1][1] if i else -1
        next_open = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        sent_id = sentence_of(o)
        sent_start, close_sent_end = sentences[sent_id][0], sentences[sentence_of(c)][1]
        after = _after(text, c + 1, min(next_open, max(close_sent_end, c + 1), c + WINDOW))
        before = _before(text, max(prev_close + 1, sent_start, o - WINDOW), o, sent_start)
        found.append(_Quotation(o, c, sent_id, after, after or before))
    for i, q in enumerate(found):  # quotations split around their attribution share it
        if q.attribution is not None:
            continue
        following, preceding = found[i + 1] if i + 1 < len(found) else None, found[i - 1] if i else None
        if following and following.after is not None and following.sent_id == q.sent_id:
            q.attribution = following.after  # “A”, that is, Wednesday, “B,” they added
        elif preceding and preceding.attribution is not None and preceding.sent_id == q.sent_id:
            q.attribution = replace(preceding.attribution, strict=False)  # claimed that … “A” … and that … “B”
    quotes: list[Quote] = []
    speakers: list[tuple[int, str, str]] = []  # (position, name, label) of resolved speakers
    for q in found:
        start, end = _inner(text, q.open, q.close)
        if start >= end:
            continue
        quote = _attribute(text, start, end, q.sent_id, q.attribution, entities, outside, sentence_of, speakers)
        if _keep(quote, q.attribution):
            quotes.append(quote)
    return quotes


def _in_quotation(spans: list[tuple[int, int]], opens: list[int], pos: int) -> bool:
    i = bisect.bisect_left(opens, pos) - 1  # the last quotation opening before pos
    return i >= 0 and pos < spans[i][1]


def _after(text: str, start: int, limit: int) -> _Attribution | None:
    window = text[start:limit]
    lead = re.match(r"[\s,—–\-]*", window).end()
    if window[lead : lead + 1] in (".", "!", "?", ";", ":") or "\n" in window[:lead]:
        return None
    m = VERB.search(window, lead)
    if not m or m.group(1) in PARTICIPLES or re.search(r"[.;:!?]", window[lead : m.start()]):
        return None
    if len(window[lead : m.start()].split()) > MAX_PHRASE_WORDS:
        lead = window.rfind(",", lead, m.start()) + 1 or lead
    if PREPOSITION.match(window, lead) or len(window[lead : m.start()].split()) > MAX_PHRASE_WORDS:
        return None
    phrase = (start + lead, start + m.start())
    if not text[phrase[0] : phrase[1]].strip() or m.group(1) == "according to":
        tail = INVERTED_END.search(window, m.end())
        phrase = (start + m.end(), start + (tail.start() if tail else len(window)))
    return _Attribution(m.group(1), _trim(text, *phrase), strict=True)


def _before(text: str, start: int, end: int, sentence_start: int) -> _Attribution | None:
    window = text[start:end]
    matches = list(VERB.finditer(window))
    if not matches:
        return None
    m = matches[-1]
    rest = window[m.end() :]
    if m.group(1) == "according to":
        tail = re.match(r"[^,.;:!?]{1,80}[,:]\s*$", rest)
        if tail is None:
            return None
        return _Attribution(m.group(1), _trim(text, start + m.end(), end), strict=True)
    strict = len(rest.split()) <= 3 and not re.search(r"[.;!?]", rest) and (
        rest.strip() == "" or rest.rstrip()[-1] in ":,"
    )
    if not strict and "," in rest:
        return None  # the quotation belongs to another clause
    marks = [(window.rfind(p, 0, m.start()), len(p)) for p in (",", ";", ":", "—", "–", "(", ". ")]
    clause = max([0, *(i + n for i, n in marks if i >= 0)])
    clause = max([clause, *(c.end() - 1 for c in CLAUSE_WORD.finditer(window, 0, m.start()))])
    phrase = _trim(text, start + clause, start + m.start())
    participle = m.group(1) in PARTICIPLES and phrase[0] == phrase[1]
    return _Attribution(m.group(1), phrase, strict, participle_of=(sentence_start, end) if participle else None)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The speaker phrase without leading conjunctions, trailing auxiliaries or trailing clauses."""
    phrase = text[start:end]
    lead = len(phrase) - len(phrase.lstrip(" ,—–-"))
    lead += (m.end() if (m := LEADING.match(phrase[lead:])) else 0)
    phrase = phrase[:len(phrase.rstrip(" ,"))]
    cut = PHRASE_END.search(phrase, lead)
    stop = cut.start() if cut else len(phrase)
    aux = TRAILING_AUX.search(phrase[:stop])
    stop = aux.start() if aux else stop
    if len(phrase[lead:stop].split()) > MAX_PHRASE_WORDS:
        return (start, start)
    return (start + lead, start + max(stop, lead))


def _inner(text: str, o: int, c: int) -> tuple[int, int]:
    start, end = o + 1, c
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _attribute(text, start, end, sent_id, attribution, entities, outside, sentence_of, speakers) -> Quote:
    words = text[start:end]
    none = Quote(sent_id, start, end, words, None, None, None, None, None, "none")
    if attribution is None:
        return none
    if attribution.participle_of is not None:
        s, e = attribution.participle_of
        subject = _first_entity(outside.between(s, e), ("PERSON", "ORG"))
        if subject is None:
            return Quote(sent_id, start, end, words, None, None, None, None, attribution.verb, "none")
        speakers.append((subject[0], text[subject[0] : subject[1]], subject[2]))
        return Quote(sent_id, start, end, words, *_named(text, subject), attribution.verb, "name")
    ps, pe = attribution.phrase
    phrase = text[ps:pe]
    if not phrase.strip():
        return Quote(sent_id, start, end, words, None, None, None, None, attribution.verb, "none")
    if phrase.lower() in PRONOUNS:
        name = _antecedent(text, phrase.lower(), ps, outside, sentence_of, speakers)
        if name:
            speakers.append((ps, name[0], name[1]))
        return Quote(sent_id, start, end, words, phrase, ps, pe, name[0] if name else None, attribution.verb, "pronoun")
    inside = [x for x in entities if ps <= x[0] and x[1] <= pe]
    entity = _first_entity(inside, ("PERSON", "ORG")) or _first_entity(
        [x for x in inside if x[1] == pe], ("GPE", "NORP")
    )
    if entity is None and (cap := CAP_RUN.search(phrase)) and len(cap.group().split()) >= 2:
        entity = (ps + cap.start(), pe, "PERSON")
    if entity is not None:
        speakers.append((entity[0], text[entity[0] : entity[1]], entity[2]))
        return Quote(sent_id, start, end, words, *_named(text, entity), attribution.verb, "name")
    speakers.append((ps, phrase, "DESCRIPTION"))
    return Quote(sent_id, start, end, words, phrase, ps, pe, phrase, attribution.verb, "description")


def _named(text: str, entity: tuple[int, int, str]) -> tuple:
    name = text[entity[0] : entity[1]]
    return name, entity[0], entity[1], name


def _first_entity(entities, labels):
    for label in labels:
        for e in entities:
            if e[2] == label:
                return e
    return None


class _Mentions:
    """Speaker-like entities outside quotations, in text order (they do not overlap)."""

    def __init__(self, entities: list[tuple[int, int, str]]):
        self.entities = sorted(entities)
        self.starts = [e[0] for e in self.entities]
        self.ends = [e[1] for e in self.entities]
        self.people = [e for e in self.entities if e[2] == "PERSON"]
        self.people_ends = [e[1] for e in self.people]
        self.groups = [e for e in self.entities if e[2] in ("ORG", "GPE", "NORP")]
        self.groups_ends = [e[1] for e in self.groups]

    def between(self, start: int, end: int) -> list[tuple[int, int, str]]:
        return self.entities[bisect.bisect_left(self.starts, start) : bisect.bisect_right(self.ends, end)]


def _antecedent(text, pronoun, pos, mentions: _Mentions, sentence_of, speakers) -> tuple[str, str] | None:
    """(name, label) a pronoun in an attribution refers to, if any."""
    if pronoun in ("he", "she"):
        quoted = next(((p, n) for p, n, label in reversed(speakers) if label == "PERSON"), None)
        n_before = bisect.bisect_right(mentions.people_ends, pos)
        named = None
        if n_before:
            sentence = sentence_of(mentions.people[n_before - 1][0])
            i = n_before - 1
            while i > 0 and sentence_of(mentions.people[i - 1][0]) == sentence:
                i -= 1
            first = mentions.people[i]  # the first person named in the latest sentence naming one
            named = (first[0], text[first[0] : first[1]])
        best = max((x for x in (quoted, named) if x), default=None, key=lambda x: x[0])
        return (best[1], "PERSON") if best else None
    if speakers:
        return speakers[-1][1], speakers[-1][2]
    n_before = bisect.bisect_right(mentions.groups_ends, pos)
    if not n_before:
        return None
    group = mentions.groups[n_before - 1]
    return text[group[0] : group[1]], group[2]


def _keep(quote: Quote, attribution: _Attribution | None) -> bool:
    n_words = len(quote.text.split())
    if quote.attribution != "none" and attribution is not None and attribution.strict:
        return True
    if quote.attribution != "none":
        return n_words >= 4
    return n_words >= 5 and not quote.text.istitle()
