"""Quotations and who said them: pure rules over the text, its sentences and entities.

For every pair of quote marks (tasks/text/quote_marks.py) the attribution is looked for
* right after the closing mark: `“…,” Putin said`, `“…,” he quipped`, `“…,” said Putin`;
* right before the opening mark: `And he told journalists: “…”`, `…, stating, “…”`,
  `according to a White House spokesperson, “…”`;
* in another quotation of the same sentence: `“A”, that is, Wednesday, “B,” they added`;
* earlier in the same sentence, for partial quotes in reported speech:
  `Putin claimed yesterday that Moscow’s forces were “moving forward”`.
Who the attribution names is tasks/text/quote_speakers.py's (a person or organization, else a
described role, in English never a document or a clause), a pronoun's antecedent
tasks/text/quote_antecedents.py's (in English only a clause subject of the pronoun's gender with
no rival: else no speaker).

Kept: attributed quotes of any length, partial quotes in reported speech of 4+ words,
unattributed quotes of 5+ words that are not Title Case names; scare quotes are left out.

The words are the document's language's (tasks/text/quote_words.py: English, French, Spanish):
`«…», a déclaré Emmanuel Macron`, `«…», a-t-il dit`, `explique-t-elle`, `selon X, «…»`,
`d'après X`, `”, ha señalado el portavoz`, `según X`. In French and Spanish a speaker
after its verb needs a comma after the quote (`«…», a dit X`); a verb after it with no
subject in Spanish (`”, dijo.`) is the latest person's. Pronouns are speakers only
through their antecedent; `on` never is. A language without words gets unattributed quotes.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tasks.text.quote_antecedents import Mentions
from tasks.text.quote_marks import quote_spans
from tasks.text.quote_speakers import possessive, speaker_of, title_case
from tasks.text.quote_words import Lexicon, lexicon


@dataclass(frozen=True)
class Quote:  # the speaker_… fields to attribution: tasks.text.quote_speakers.Speaker's, by name
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


APPOSITIVE_NAME = re.compile(r",\s+(?:[A-ZÀ-Ý][\w’'\-]+\s+)+[A-ZÀ-Ý][\w’'\-]+(?=\s*[,.;:!?\n]|$)")


def _relative_after_comma(lex, phrase: str) -> bool:
    return any(lex.relative.match(phrase, c.end()) for c in re.finditer(r",", phrase))


# A period right after one of these ends no speaker phrase: `said Sen. Ted Cruz`, `said Mr. Luu`,
# `said William E. Copeland`, `a dit M. Macron` (titles, and single initials).
ABBREVIATION_DOT = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Messrs|Dr|Sen|Sens|Rep|Reps|Gov|Lt|Gen|Col|Maj|Capt|Cmdr|Adm|Sgt|Cpl|Prof|Rev|Fr|Sr|Jr|St|"
    r"Supt|Det|Insp|Atty|Pres|Amb|Hon|Del|Mme|Mlle|Me|Pr|Sra|Sr|Dña|Dña|Lic|Ing)|(?<![\w.])[A-Z]|\b(?:[A-Z]\.)+[A-Z])$"
)
NOT_A_NAME = re.compile(r"[/@]|^[\W\d_]*(?:[^\W\d_][\W\d_]*)?$")  # a link, a handle, one letter or none: never a speaker
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
MAX_PHRASE_WORDS = 8
WINDOW = 250


@dataclass
class _Attribution:
    verb: str
    phrase: tuple[int, int]  # the speaker phrase, or (s, s) for a participle's subject
    strict: bool  # right next to the quote marks
    participle_of: tuple[int, int] | None = None  # where to look for a participle's subject
    pronoun: str | None = None  # he | she | they: a pronoun subject (inverted or omitted) to resolve


@dataclass
class _Quotation:
    open: int  # offsets of the quote marks
    close: int
    sent_id: int
    after: _Attribution | None  # found after the closing mark
    attribution: _Attribution | None  # the one used


def extract_quotes(
    text: str, sentences: Sequence[tuple[int, int]], entities: Sequence[tuple[int, int, str]], lang: str | None = "en"
) -> list[Quote]:
    if not sentences:
        return []
    lex = lexicon(lang)
    spans = quote_spans(text)
    starts = [s for s, _ in sentences]
    sentence_of = lambda pos: max(bisect.bisect_right(starts, pos) - 1, 0)  # noqa: E731
    sentence_start = lambda i: starts[i]  # noqa: E731
    opens = [o for o, _ in spans]
    entities = [
        e for e in entities if not NOT_A_NAME.search(text[e[0] : e[1]]) and not ABBREVIATION_DOT.fullmatch(text[e[0] : e[1]])
    ]  # nor a bare title: `said Sgt. Riley`, `Sgt` tagged as a person
    cautious = lex is not None and lex.cautious_speakers
    outside = Mentions(
        [
            e
            for e in entities
            if e[2] in SPEAKER_LABELS and not _in_quotation(spans, opens, e[0]) and not (cautious and possessive(text, e))
        ]
    )  # `Erin Stoffel's friend … she said`: the friend, not Erin Stoffel
    found: list[_Quotation] = []
    for i, (o, c) in enumerate(spans):
        prev_close = spans[i - 1][1] if i else -1
        next_open = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        sent_id = sentence_of(o)
        sent_start, close_sent_end = sentences[sent_id][0], sentences[sentence_of(c)][1]
        after = before = incise = None
        if lex is not None:
            opens_sentence = not re.search(r"\w", text[sent_start:o])
            after = _after(text, o, c, min(next_open, max(close_sent_end, c + 1), c + WINDOW), lex, opens_sentence)
            if after is not None and lex.verb_before_blocks_after and not opens_sentence and any(
                not _in_quotation(spans, opens, sent_start + v.start()) for v in _verbs(lex, text[sent_start:o])
            ):
                after = None  # `X told RTV6 …, calling it “not good,” authorities said`: whose words, X's or theirs?
            before = _before(text, max(prev_close + 1, sent_start, o - WINDOW), o, sent_start, lex)
            incise = _incise(text, o, c, lex) if lex.incise and not (after or before) else None
        found.append(_Quotation(o, c, sent_id, after, after or before or incise))
    for i, q in enumerate(found):  # quotations split around their attribution share it
        if q.attribution is not None:
            continue
        following, preceding = found[i + 1] if i + 1 < len(found) else None, found[i - 1] if i else None
        if following and following.after is not None and following.sent_id == q.sent_id:
            q.attribution = following.after  # “A”, that is, Wednesday, “B,” they added
        elif (
            preceding
            and preceding.attribution is not None
            and preceding.sent_id == q.sent_id
            and (lex.share_across_names or not outside.between(preceding.close, q.open))
        ):
            q.attribution = replace(preceding.attribution, strict=False)  # claimed that … “A” … and that … “B”
    quotes: list[Quote] = []
    speakers: list[tuple[int, str, str]] = []  # (position, name, label) of resolved speakers
    for q in found:
        start, end = _inner(text, q.open, q.close)
        if start >= end:
            continue
        quoted = lambda pos: _in_quotation(spans, opens, pos)  # noqa: E731
        found_speaker = speaker_of(
            text, text[start:end], q.attribution, entities, outside, (sentence_of, sentence_start, quoted), speakers, lex
        )
        quote = Quote(q.sent_id, start, end, text[start:end], **found_speaker._asdict())
        if _keep(quote, q.attribution):
            quotes.append(quote)
    return _full_names(quotes, text, entities)


def _full_names(quotes: list[Quote], text: str, entities) -> list[Quote]:
    """A one-word speaker (`Obama`, `Paula`) becomes the full name it shortens when exactly one
    person of the document has a longer name ending (or else starting) with it. Only within
    the document: the same surname in another article may be someone else."""
    full = {text[s:e] for s, e, label in entities if label == "PERSON" and len(text[s:e].split()) > 1}
    by_last, by_first = {}, {}
    for name in full:
        by_last.setdefault(name.split()[-1], set()).add(name)
        by_first.setdefault(name.split()[0], set()).add(name)
    resolved = []
    for quote in quotes:
        name = quote.speaker_name
        if name and len(name.split()) == 1 and (
            quote.attribution in ("name", "pronoun") or (quote.attribution == "description" and name[:1].isupper())
        ):  # `Celli went on to say`: a surname the entities missed
            found = by_last.get(name) or by_first.get(name) or set()
            if len(found) == 1:
                quote = replace(quote, speaker_name=next(iter(found)))
        resolved.append(quote)
    return resolved


def _in_quotation(spans: list[tuple[int, int]], opens: list[int], pos: int) -> bool:
    i = bisect.bisect_left(opens, pos) - 1  # the last quotation opening before pos
    return i >= 0 and pos < spans[i][1]


def _verbs(lex: Lexicon, window: str, pos: int = 0, adjacent: int = -1):
    """Attribution verbs in window from pos; a noun-like form only at `adjacent` (right after a quote)."""
    return (
        m
        for m in lex.verb.finditer(window, pos)
        if (m.start() == adjacent or m.group(1).lower() not in lex.not_verbs)
        and not (lex.not_verb_before is not None and lex.not_verb_before.search(window, max(0, m.start() - 12), m.start()))
    )


def _incise(text: str, o: int, c: int, lex: Lexicon) -> _Attribution | None:
    """An attribution inside the quotation, right after a comma: `«A, explique X. B»`, `«A, ajoute-t-il. B»`."""
    for comma in re.finditer(r",\s+", text[o + 1 : c]):
        at = o + 1 + comma.end()
        m = lex.verb.match(text, at)
        if m and m.group(1).lower() not in lex.according:
            found = _after(text, o, o + comma.start(), min(c, at + WINDOW), lex)
            if found is not None:
                return replace(found, strict=False)
    return None


def _after(text: str, o: int, c: int, limit: int, lex: Lexicon, opens_sentence: bool = True) -> _Attribution | None:
    start = c + 1
    window = text[start:limit]
    lead = re.match(r"[\s,—–\-]*", window).end()
    if window[lead : lead + 1] in (".", "!", "?", ";", ":") or "\n" in window[:lead]:
        return None
    next_to_quote = lead
    m = next(_verbs(lex, window, lead, adjacent=lead), None)
    if not m or m.group(1) in lex.participles or any(
        stop.group() != "." or not ABBREVIATION_DOT.search(window, lead, stop.start())
        for stop in re.finditer(r"[.;:!?]", window[: m.start()])
        if stop.start() >= lead
    ):
        return None  # another sentence between (but `“…,” Mr. Smith said`, `Sen. Cruz`)
    if lex.speaker_after_clause and lead < m.start() and not re.search(r"[,.!?…—–\-]$", text[o + 1 : c].rstrip()) and not (
        re.search(r"[,—–\-]", window[:lead])
    ):
        lead = window.rfind(",", lead, m.start()) + 1  # `“…” and other factors, McTiernan said`
        if not lead or not opens_sentence:
            return None  # `Officers urged soldiers to “join the people” and …, Al Jazeera reported`: a report of a report
    if len(window[lead : m.start()].split()) > MAX_PHRASE_WORDS:
        lead = window.rfind(",", lead, m.start()) + 1 or lead
    if lex.preposition.match(window, lead) or len(window[lead : m.start()].split()) > MAX_PHRASE_WORDS:
        return None
    if lead < m.start() and (lex.relative.match(window, lead) or _relative_after_comma(lex, window[lead : m.start()])):
        return None
    if lex.relative_inside is not None and lex.relative_inside.search(window, lead, m.start()):
        return None  # `“…?”—a simple question to which Cosby might have answered`: another clause's verb
    between = window[lead : m.start()]
    if lex.comma_before_inversion and between.strip() and not between.rstrip().endswith(",") and lex.clause_word.match(
        " " + between
    ):
        return None  # `«…», …, quand le président reconnaît`: another clause's subject  # `«…» qui a dit`, `«…» Le gouvernement, qui a annoncé`: a relative clause, not a speaker
    if lex.passive is not None and lex.passive.search(window, 0, m.start()):
        return None  # `“…,” he was told`: the listener
    if lex.content_after is not None and lex.content_after.match(window, m.end()):
        return None  # `“Taking a Bite Out of Twilight,” Meyer has insisted that she …`: the quotation is not what was said
    phrase = (start + lead, start + m.start())
    if (pronoun := re.search(r"\b(\w+)\s+$", window[lead : m.start()])) and pronoun.group(1).lower() in lex.subject_pronouns:
        phrase = (start + lead + pronoun.start(1), start + lead + pronoun.end(1))  # `, a margin of error they concluded`
    verb = m.group(1)
    comma_then_verb = lex.comma_before_inversion and text[phrase[0] : phrase[1]].rstrip().endswith(",")
    if not text[phrase[0] : phrase[1]].strip() or verb.lower() in lex.according or comma_then_verb:
        inner = text[o + 1 : c].rstrip()
        pronoun = next((m.group(g) for g in ("pron", "pron2", "pron3", "pron4") if m.groupdict().get(g)), None)
        if lex.comma_before_inversion and m.start() != next_to_quote:
            # `«…» et X, a dit Y`: Y's, when Y is a name or a pronoun (not `…, dénoncent la hausse`)
            after_verb = window[m.end() :].lstrip()
            if not window[next_to_quote : m.start()].rstrip().endswith(",") or not (
                pronoun or after_verb[:1].isupper()
            ):
                return None
        elif lex.comma_before_inversion and "," not in window[:lead] and not inner.endswith((",", "!", "?", "…")):
            return None  # `les «gilets jaunes» ont dénoncé …`: the quotation is a subject or object
        if pronoun:  # `a-t-il dit`, `explique-t-elle`
            at = start + m.start(1) + m.group(1).lower().rindex(pronoun.lower())
            return _Attribution(verb, (at, at + len(pronoun)), strict=True)
        if verb.lower() in lex.listener_verbs:
            return None  # `“…,” told the Sun`: who follows is the listener
        pos = m.end()
        while verb.lower() not in lex.according and (skip := lex.inverted_object.match(window, pos)):
            pos = skip.end()  # `a expliqué à l'AFP François Pitrel`
        tail = lex.inverted_end.search(window, pos)
        while tail and tail.group() == "." and ABBREVIATION_DOT.search(window, pos, tail.start()):
            tail = lex.inverted_end.search(window, tail.end())  # `said Sen. Ted Cruz`
        phrase = (start + pos, start + (tail.start() if tail else len(window)))
        if tail and (named := APPOSITIVE_NAME.match(window, tail.start())):  # `la ministre, Agnès Buzyn`
            phrase = (phrase[0], start + named.end())
        if lex.null_subject and not text[phrase[0] : phrase[1]].strip():  # `”, dijo.`
            return _Attribution(verb, (phrase[0], phrase[0]), strict=True, pronoun="he")
    inverted = phrase[0] >= start + m.end()  # the speaker after its verb: `said University of Texas professor X`
    return _Attribution(verb, _trim(text, *phrase, lex, cut_clauses=not inverted), strict=True)


def _before(text: str, start: int, end: int, sentence_start: int, lex: Lexicon) -> _Attribution | None:
    window = text[start:end]
    matches = list(_verbs(lex, window))
    if not matches:
        return None
    m = matches[-1]
    if lex.passive is not None and lex.passive.search(window, 0, m.start()):
        return None  # `The patient was said to have been “near death”`
    rest = window[m.end() :]
    if m.group(1).lower() in lex.listener_verbs and not rest.strip():
        return None  # `Avenatti told “Today” that …`: the quotation is who was told
    if m.group(1).lower() in lex.according:
        tail = re.match(r"[^,.;:!?]{1,80}[,:]\s*$", rest)
        if tail is None:
            return None
        return _Attribution(m.group(1), _trim(text, start + m.end(), end, lex), strict=True)
    strict = len(rest.split()) <= 3 and not re.search(r"[.;!?]", rest) and (
        (rest.strip() == "" and lex.reported_speech is None) or rest.rstrip()[-1:] in (":", ",")
    )  # in French and Spanish a verb right before a quote is reported speech (`se disaient «intéressées»`)
    if not strict and "," in rest:
        return None  # the quotation belongs to another clause
    if not strict and lex.reported_speech is not None and not lex.reported_speech.search(rest):
        return None  # `la menace glisse dans une «sorte de …»`: no reported speech
    marks = [(window.rfind(p, 0, m.start()), len(p)) for p in (",", ";", ":", "—", "–")]
    paren = window.rfind("(", 0, m.start())
    if paren >= 0 and ")" not in window[paren : m.start()]:
        marks.append((paren, 1))  # `Sen. Dianne Feinstein (D-Calif.) said`: a closed one starts no clause
    stop = m.start()
    while (period := window.rfind(". ", 0, stop)) >= 0 and ABBREVIATION_DOT.search(window, 0, period):
        stop = period  # `The U.S. researchers said`: no sentence ends after `U.S.`
    marks.append((period, 2))
    clause = max([0, *(i + n for i, n in marks if i >= 0)])
    clause = max([clause, *(c.end() - 1 for c in lex.clause_word.finditer(window, 0, m.start()))])
    phrase = _trim(text, start + clause, start + m.start(), lex)
    if (pronoun := re.search(r"\b(\w+)\s+$", window[: m.start()])) and pronoun.group(1).lower() in lex.subject_pronouns:
        phrase = (start + pronoun.start(1), start + pronoun.end(1))  # `a margin of error they concluded was “…”`: they
    if phrase[0] == phrase[1] and strict and lex.comma_before_inversion:  # `poursuit Jacques Levy : «…»`
        pronoun = next((g for g in ("pron", "pron2", "pron3", "pron4") if m.groupdict().get(g)), None)
        if pronoun:
            return _Attribution(m.group(1), (start + m.start(pronoun), start + m.end(pronoun)), strict)
        phrase = _trim(text, start + m.end(), start + m.end() + len(rest.rstrip(" :,\u00a0")), lex)
    participle = m.group(1) in lex.participles  # `…, saying “…”`, `characterized the team by saying “…”`: the subject
    return _Attribution(m.group(1), phrase, strict, participle_of=(sentence_start, start + m.start()) if participle else None)


def _trim(text: str, start: int, end: int, lex: Lexicon, cut_clauses: bool = True) -> tuple[int, int]:
    """The speaker phrase without leading conjunctions, trailing auxiliaries or (cut_clauses) trailing clauses."""
    phrase = text[start:end]
    lead = len(phrase) - len(phrase.lstrip(" ,—–-\u00a0"))
    lead += (m.end() if (m := lex.leading.match(phrase[lead:])) else 0)
    phrase = phrase[:len(phrase.rstrip(" ,\u00a0"))]
    words = phrase[lead:].split()
    if len(words) > 1 and lex.leading.fullmatch(words[-1] + " "):  # `wrote TV producer and “Lucifer” showrunner`
        phrase = phrase[: phrase.rfind(words[-1])].rstrip(" ,\u00a0")
    cut = lex.phrase_end.search(phrase, lead) if cut_clauses else None
    stop = cut.start() if cut else len(phrase)
    aux = lex.trailing_aux.search(phrase[:stop])
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


def _keep(quote: Quote, attribution: _Attribution | None) -> bool:
    n_words = len(quote.text.split())
    if quote.attribution != "none" and attribution is not None and attribution.strict:
        return True
    if quote.attribution != "none":
        return n_words >= 4
    return n_words >= 5 and not quote.text.istitle() and not title_case(quote.text)
