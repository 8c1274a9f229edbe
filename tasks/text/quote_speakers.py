"""Who said a quotation, given its attribution (tasks/text/quotes.py finds both).

The speaker is a PERSON or ORG entity of the attribution phrase (a GPE or NORP only as its
head noun), else a trailing capitalized name, else the short noun phrase itself (`the American
spokesman`); a pronoun is resolved by tasks/text/quote_antecedents.py, a participle (`…, saying “…”`)
takes its sentence's subject. In English (rules measured on English news, issue 10) it is no
one rather than a wrong one: not a document (`the statement said`, `the lawsuit against X`), a
clause (`Now what they'll say is`), a possessive, a place after `of`; and a title (`“Taking a
Bite Out of Twilight”`) is said by no one.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from tasks.text.quote_antecedents import Mentions, antecedent, is_subject, same_person
from tasks.text.quote_words import Lexicon


class Speaker(NamedTuple):
    """The speaker columns of tasks.text.quotes.Quote, by the same names (what each one holds is said there)."""

    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_name: str | None
    verb: str | None
    attribution: str


NO_SPEAKER = Speaker(None, None, None, None, None, "none")  # no attribution, or a title (said by no one)

CAP_RUN = re.compile(r"(?:[A-Z][\w’'\-]+\s+)+[A-Z][\w’'\-]+$")
_DOCUMENTS = (
    r"(?:page|statement|statements|report|reports|release|letter|document|documents|memo|memorandum|filing|complaint|"
    r"lawsuit|ruling|notice|announcement|tweet|message|email|e-mail|website|web\s+site|site|blog|post|history|paper|"
    r"papers|indictment|affidavit|transcript|records|footage|recording|thread|suit|motion|petition|order|forecast|"
    r"warning|bulletin|advisory|disclaimer|guidelines|agreement|profile|article|study|survey|poll|book|video|headline|"
    r"caption|copy|communiqué|rapport|lettre|texte|courrier|comunicado|informe|carta|texto)"
)
# Descriptions that name no one: a document (`the statement said`, `the Academy's new position paper`),
# a negation (`no one is saying`), a bare quantifier (`many say`)
NOT_A_SPEAKER = re.compile(
    r"^(?:no one|nobody|none|nothing|noone|many|some|others|few|most|several|all|both)$"
    rf"|^(?:[\w’'-]+\s+){{0,2}}{_DOCUMENTS}\b|\b{_DOCUMENTS}$",
    re.I,
)
OF_ORGANIZATION = re.compile(r"\b(?:for|of|at|with|from|to|by|in|de|du|des|del|para)\s*$", re.I)
# A described speaker starts with a capital, a determiner or a number (`the mayor`, `a neighbor`,
# `two officials`, `Officials`), not with a time or place word (`last year`, `backstage`, `when`).
DESCRIBED = re.compile(
    r"\s*(?:[A-ZÀ-Ý]|(?:the|a|an|his|her|their|its|our|one|two|three|several|some|many|other|another|both|"
    r"all|most|police|officials|authorities|experts|researchers|scientists|witnesses|residents|neighbors|"
    r"neighbours|analysts|doctors|lawyers|prosecutors|investigators|sources|critics|supporters|le|la|les|un|une|"
    r"des|el|los|las|una|unos|unas|cette|ce|ces|cet|son|sa|ses|leur|leurs|plusieurs|certains|certaines|su|sus|"
    r"este|esta|estos|estas|varios|varias)\b|[ld][’'])(?!\s*(?:year|week|month|day|night|time)\b)"
)
RELATIVE_END = re.compile(r"\b(?:who|which|that|whose|qui|que|quien|que)\s*$", re.I)
# `Now what they'll say is, “…”`: a clause (a question word, a pronoun, a contraction), no one described
NOT_DESCRIBED = re.compile(
    r"\b(?:what|whatever|how|why|where|whoever|they|we|i|you|he|she|it|is|was|are|were|be|been|has|have|had|will|"
    r"would|can|could|do|does|did)\b|[’'](?:ll|re|ve|d|m)\b|[a-z]ed$",
    re.I,
)  # and `Senate Candidate A was a`, `regression models provided`: a clause, a verb
PAST_VERB = re.compile(r"(?<!\b[Aa] )(?<!\b[Aa]n )(?<!\b[Tt]he )\b([a-z]+ed)\b")  # `CBS included a disclaimer`
# `“Harry Potter and the Deathly Hallows: Part 2”`: every word capitalized but these
TITLE_SMALL_WORDS = frozenset("a an the and or nor but of in on at to for by with from as vs".split())


def speaker_of(text: str, words: str, attribution, entities, outside: Mentions, sentences, speakers, lex: Lexicon) -> Speaker:
    """The speaker of a quotation (its words) from its attribution (tasks/text/quotes.py), if any;
    sentences: (sentence_of(pos), sentence_start(i), quoted(pos)); speakers: (position, name,
    label) of the speakers resolved so far, appended to."""
    if attribution is None:
        return NO_SPEAKER
    nobody = Speaker(None, None, None, None, attribution.verb, "none")  # an attribution that names no one
    sentence_of, sentence_start, quoted = sentences
    if lex.title_case_titles and title_case(words):
        return NO_SPEAKER  # `“Harry Potter and the Deathly Hallows: Part 2”`: a title, said by no one
    if attribution.participle_of is not None:
        s, e = attribution.participle_of
        subject = participle_subject(text, outside.between(s, e), s, lex)
        if subject is None:
            return nobody
        speakers.append((subject[0], text[subject[0] : subject[1]], subject[2]))
        return Speaker(*_named(text, subject), attribution.verb, "name")
    ps, pe = attribution.phrase
    phrase = text[ps:pe]
    if attribution.pronoun is not None:  # an omitted subject (`”, dijo.`)
        name = antecedent(text, attribution.pronoun, ps, outside, sentence_of, sentence_start, speakers, lex, quoted)
        if name:
            speakers.append((ps, name[0], name[1]))
        return Speaker(None, None, None, name[0] if name else None, attribution.verb, "pronoun")
    if not phrase.strip():
        return nobody
    if phrase.lower() in lex.pronouns:
        resolved = lex.pronouns[phrase.lower()]
        name = (
            antecedent(text, resolved, ps, outside, sentence_of, sentence_start, speakers, lex, quoted)
            if resolved
            else None
        )
        if name:
            speakers.append((ps, name[0], name[1]))
        return Speaker(phrase, ps, pe, name[0] if name else None, attribution.verb, "pronoun")
    english = lex.cautious_speakers  # the rules below were measured on English news only (issue 10's sample)
    if english and lex.relative.match(phrase):  # `Charlie Sheen, who likes to say, “…”`: the name the relative follows
        before = text[max(0, ps - 2) : ps]
        relative_of = next((x for x in entities if x[1] == ps - len(before) and x[2] in ("PERSON", "ORG")), None)
        if not before.startswith(",") or relative_of is None:
            return nobody
        speakers.append((relative_of[0], text[relative_of[0] : relative_of[1]], relative_of[2]))
        return Speaker(*_named(text, relative_of), attribution.verb, "name")
    if english and NOT_A_SPEAKER.search(phrase.strip()):
        return nobody
        # `the lawsuit against Bushmaster`, `the email, obtained by NBC News,`: a document, whoever it names
    inside = [x for x in entities if ps <= x[0] and x[1] <= pe]
    people = [
        x
        for x in inside
        if x[2] == "PERSON" and not (english and (possessive(text, x) or OF_ORGANIZATION.search(text[ps : x[0]])))
    ]  # `Melodye Shore of Laguna Niguel`: not the place tagged as a person
    if english and people and NOT_DESCRIBED.search(text[ps : people[-1][0]]):
        return nobody
        # `When asked why the Amber Alert was the impetus … Pasztor replied`: a clause, its subject unclear
    # the last person is the head: `Annan spokesman Ahmad Fawzi`, `Hayes's attorney, John Fuller`
    head = (people[-1] if english else people[0]) if people else None
    if not english:
        head = head or _first_entity(inside, ("ORG",))
    entity = head or _first_entity(
        [x for x in inside if x[1] == pe and not (english and OF_ORGANIZATION.search(text[ps : x[0]]))],
        ("ORG", "GPE", "NORP"),
    )  # an organization as the head (`the intelligence service GUR`): `a spokesman for X`, `the former House
    # speaker` are described people
    if (
        entity is None
        and (cap := CAP_RUN.search(phrase))
        and len(cap.group().split()) >= 2
        and not (english and OF_ORGANIZATION.search(phrase[: cap.start()]))
    ):
        entity = (ps + cap.start(), pe, "PERSON")
    if english and entity is not None and entity[2] == "NORP" and len(phrase.split()) > 1 and DESCRIBED.match(phrase):
        entity = None  # `the Oregon Democrat`: a described person, not the group
    if english and entity is not None and entity[2] == "PERSON" and re.fullmatch(r"(?i)the\s+\w+\s+", text[ps : entity[0]]):
        if len(text[entity[0] : entity[1]].split()) == 1:  # `the younger Goodlatte`: which one, the phrase says
            speakers.append((ps, text[ps:pe], "DESCRIPTION"))
            return Speaker(text[ps:pe], ps, pe, text[ps:pe], attribution.verb, "description")
    if entity is not None:
        speakers.append((entity[0], text[entity[0] : entity[1]], entity[2]))
        return Speaker(*_named(text, entity), attribution.verb, "name")
    verbs = [v for v in PAST_VERB.findall(phrase) if v not in lex.subject_modifiers]  # not `a retired general`
    if english and (not DESCRIBED.match(phrase) or RELATIVE_END.search(phrase) or NOT_DESCRIBED.search(phrase.strip()) or verbs):
        return nobody
    speakers.append((ps, phrase, "DESCRIPTION"))
    return Speaker(phrase, ps, pe, phrase, attribution.verb, "description")


def participle_subject(text: str, entities, sentence_start: int, lex: Lexicon):
    """The subject of `…, saying “…”` among the sentence's entities before the participle: in
    languages with cautious pronouns the one person or organization standing as a subject
    (`Poe took to the House floor, saying`: Poe), none when two do or when a pronoun is the
    subject (`he told anchor X, adding`); else the first person, else organization."""
    if not lex.cautious_pronouns:
        return _first_entity(entities, ("PERSON", "ORG"))
    subjects = [e for e in entities if e[2] in ("PERSON", "ORG") and is_subject(text, e, sentence_start, lex)]
    names = [text[e[0] : e[1]] for e in subjects]
    if not subjects or any(not same_person(n, names[0]) for n in names[1:]):
        return None
    return subjects[0]


def title_case(words: str) -> bool:
    """Whether a quotation is a title: 2+ words, every one capitalized but small words (`of`, `the`),
    and no comma (`On October 23, 2024` is a date)."""
    if "," in words:
        return False
    tokens = re.findall(r"[^\W\d_][\w’'-]*", words)
    capitalized = [t for t in tokens if t[0].isupper()]
    return len(capitalized) >= 2 and all(t[0].isupper() or t.lower() in TITLE_SMALL_WORDS for t in tokens)


def possessive(text: str, entity: tuple[int, int, str]) -> bool:
    return text[entity[1] : entity[1] + 2] in ("'s", "’s") or text[entity[1] - 2 : entity[1]] in ("'s", "’s")


def _named(text: str, entity: tuple[int, int, str]) -> tuple:
    name = text[entity[0] : entity[1]]
    return name, entity[0], entity[1], name


def _first_entity(entities, labels):
    for label in labels:
        for e in entities:
            if e[2] == label:
                return e
    return None
