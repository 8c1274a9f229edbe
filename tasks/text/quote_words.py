"""The words of attribution, per language, for tasks/text/quotes.py: English, French, Spanish.

Each language gives the attribution verbs (the `verb` pattern's group 1 is the whole
verb phrase, auxiliary included: `a déclaré`, `ha señalado`, `explique-t-il`), the
"according to" words, the pronouns a speaker can be (mapped to he/she/they for
resolution; `on` and others to None: never resolved), and the small words that bound a
speaker phrase. Another language gets no attribution (quotes are still found).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Lexicon:
    verb: re.Pattern  # group 1: the verb phrase; group "pron": a pronoun inverted into it (fr)
    according: frozenset[str]  # verb phrases whose speaker follows them (`according to X`, `selon X`)
    participles: frozenset[str]  # verbs whose subject is the sentence's (`…, stating, “…”`)
    pronouns: dict[str, str | None]  # pronoun → he | she | they | None (never resolved)
    leading: re.Pattern  # conjunctions before a speaker phrase
    trailing_aux: re.Pattern  # auxiliaries and adverbs after it
    phrase_end: re.Pattern  # where a speaker phrase ends (`… of`, `… qui`)
    inverted_end: re.Pattern  # where a speaker after its verb ends
    preposition: re.Pattern  # a phrase starting with one is not a speaker
    clause_word: re.Pattern  # starts a new clause before the verb
    inverted_object: re.Pattern  # skipped between a verb and its inverted subject (`à l'AFP`)
    relative: re.Pattern  # a phrase starting with one is a relative clause (or reflexive `se`), not a speaker
    comma_before_inversion: bool = False  # `«…», a dit X` needs the comma (`les «gilets jaunes» ont dit` is no quote)
    reported_speech: re.Pattern | None = None  # must stand between a verb and a partial quote after it (`a dit qu'il «…»`)
    null_subject: bool = False  # a verb right after a quote with no subject means the last speaker (es)
    not_verbs: frozenset[str] = frozenset()  # forms more often nouns (`le juge`), verbs only right after a quote
    incise: bool = False  # the attribution may stand inside the quotation: `«A, explique X. B»`
    # which earlier speakers he/she may refer to: in French and Spanish press also a described one
    # (`réclame un policier. «…», déplore-t-il`)
    pronoun_speakers: tuple[str, ...] = ("PERSON",)
    # English (measured on English news only, issue 10): pronouns resolve only to a clause subject of
    # their gender with no rival (tasks/text/quote_antecedents.py), and the words that tell a subject
    cautious_pronouns: bool = False
    # and a speaker phrase is no one rather than a wrong one (tasks/text/quote_speakers.py): not a document,
    # a clause, a possessive, a place after `of`; a name's possessive is no speaker of a later pronoun
    cautious_speakers: bool = False
    passive: re.Pattern | None = None  # an auxiliary before the verb: `“…,” he was told` (the listener)
    not_subject_words: frozenset[str] = frozenset()  # before a name in its clause: it is no subject
    subject_modifiers: frozenset[str] = frozenset()  # -ed/-ing words that may stand before a subject
    titles_with_of: frozenset[str] = frozenset()  # `Mayor of London X`: `of` inside a title
    title_case_titles: bool = False  # a quotation in Title Case is a title (`“Taking a Bite Out of Twilight”`)
    content_after: re.Pattern | None = None  # `“…,” X insisted that …`: what X said follows, not the quotation
    not_verb_before: re.Pattern | None = None  # `oft-asked`, `a suggested candidate`: an adjective, not a verb
    listener_verbs: frozenset[str] = frozenset()  # `told “Today” that`, `“…,” told the Sun`: a listener follows
    # `“…” and other factors, McTiernan said`: a quotation the sentence goes on after (no comma or
    # end mark) has its speaker after the clause's last comma, if any
    speaker_after_clause: bool = False
    # another quotation of the sentence shares an attribution only with no person or organization
    # between them (`The rancher said “…” about Hannity, who called it “…”`)
    share_across_names: bool = True
    # a quotation inside a sentence with an attribution verb before it takes no speaker from a verb after it
    verb_before_blocks_after: bool = False
    subject_pronouns: frozenset[str] = frozenset()  # right before a verb, the subject (`a margin of error they concluded`)
    relative_inside: re.Pattern | None = None  # between a quotation and its verb: another clause (`to which X answered`)


_EN_VERBS = (
    "said says say saying told tells telling added adds adding quipped quips stated stating declared "
    "declares declaring wrote writes writing warned warns warning explained explains explaining noted "
    "noting insisted insists insisting argued argues arguing asked replied replies replying claimed "
    "claiming announced announcing continued remarked tweeted commented acknowledged admitted admits "
    "urged urges stressed stresses stressing emphasised emphasized recalled joked complained predicted "
    "conceded countered responded assured vowed promised cautioned confirmed confirms confirming "
    "denied suggested reported observed concluded recounted shouted answered mused boasted alleged "
    "pledged maintained"
).split()

_EN_NOT_SUBJECT = (
    "about above across after against along among around as at before behind below beside besides between beyond "
    "by despite down during except for from in inside into like near off on onto out outside over past per since "
    "than through to toward towards under until up upon via with within without including such told tell tells "
    "asked asks said says say called calls met meets named names is was are were be been being am has have had do "
    "does did will would can could should may might must shall he she they it we i you him her his their them its "
    "our my your me us who whom whose which that what why how where when while if because although though whereas "
    "unless whether not no nor or but so"
).split()
_EN_SUBJECT_MODIFIERS = (
    "king acting leading ranking founding managing reigning retired embattled beleaguered renowned celebrated noted "
    "disgraced alleged accused elected unnamed married wounded injured talented united red ted fred ned reading "
    "sterling wyoming beijing"
).split()
_EN_TITLES_WITH_OF = (
    "Mayor Secretary Minister Governor Gov President Director Chief Head Chairman Chairwoman Chair Speaker Leader "
    "Commissioner General Bishop Archbishop Duke Duchess Prince Princess King Queen Earl Dean Chancellor Editor "
    "Member Ambassador Attorney Judge Justice Superintendent Sheriff Lord Lady Countess Count Mayor"
).split()

ENGLISH = Lexicon(
    verb=re.compile(r"\b(according to|" + "|".join(_EN_VERBS) + r")\b"),
    according=frozenset({"according to"}),
    participles=frozenset(v for v in _EN_VERBS if v.endswith("ing")),
    pronouns={"he": "he", "she": "she", "they": "they", "it": "it", "we": None, "i": None, "you": None, "one": None},
    leading=re.compile(
        r"^(?:(?:and|but|then|so|yet|later|meanwhile|also|even|still|only|just|while|as|whereas|though|although|when|if)"
        r"(?:\s+|$))+",
        re.I,
    ),
    trailing_aux=re.compile(
        r"(?:\s+(?:has|had|have|was|is|were|also|later|then|earlier|previously|once|again|went|(?!(?:family|ally|assembly|supply|rally|bully|monopoly|reply)\b)[a-z]+ly))+$"
    ),  # `GMCR specifically stated`
    # (`of` before a capital is inside a title: `President's Chief of Staff`, `Secretary of State`)
    phrase_end=re.compile(r"\s(?:from|of(?!\s+[A-Z])|at|in|for|with|who|which|whose|on|after|before|to|during|while)\s"),
    inverted_end=re.compile(r"[,.;:!?\n]|\s(?:in|on|at|after|before|when|who|as|during|to|adding|while|according)\s"),
    preposition=re.compile(r"\s*(?:between|to|in|on|at|from|for|with|by|of|into|after|before|during)\s"),
    clause_word=re.compile(r"\s(?:and|but|that|while|as|when|where|because|although|though|whereas|if|which)\s"),
    inverted_object=re.compile(r"(?!)"),
    relative=re.compile(r"\s*(?:who|which|that)\b", re.I),
    cautious_pronouns=True,
    cautious_speakers=True,
    passive=re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$"),
    not_subject_words=frozenset(_EN_NOT_SUBJECT),
    subject_modifiers=frozenset(_EN_SUBJECT_MODIFIERS),
    titles_with_of=frozenset(_EN_TITLES_WITH_OF),
    title_case_titles=True,
    content_after=re.compile(r"\s+(?:that|whether)\b"),
    not_verb_before=re.compile(r"(?:\b(?:a|an|the)\s+|\b(?:is|was|are|were|be)\s+to\s+|-)$", re.I),  # `is to say`
    listener_verbs=frozenset({"told", "tells", "telling", "asked"}),
    speaker_after_clause=True,
    share_across_names=False,
    relative_inside=re.compile(r"\b(?:which|whom)\b", re.I),
    verb_before_blocks_after=True,
    subject_pronouns=frozenset({"he", "she", "they", "it", "we", "i", "you"}),
)

# French: regular -er verbs by stem; their 3rd-person forms are built below.
_FR_ER = (
    "déclar affirm expliqu ajout assur indiqu estim soulign précis lanc confi racont témoign regrett dénonc "
    "jug observ comment résum not déplor insist gliss lâch ironis tranch analys détaill souffl confirm annonc "
    "avou protest plaid clam fustig critiqu exclam insurg indign interrog demand signal mentionn rapport "
    "avanc tweet poursuiv martel rappel relev répét raill tempêt accus reconnaiss nuanc scand réitér rajout "
    "interpell rétorqu objet alert complét enchaîn rectifi développ argument justifi soupir pest fulmin "
    "résum constat reprend persifl réclam exig répliqu abond grinc tonn philosoph esclaff amus"
).split()
_FR_IRREGULAR_PRESENT = (
    "dit disent disait disaient écrit écrivent écrivait répond répondent répondait poursuit poursuivent "
    "poursuivait conclut concluent concluait admet admettent admettait reconnaît reconnaissent reconnaissait "
    "prévient préviennent prévenait avertit avertissent avertissait soutient soutiennent soutenait sourit "
    "martèle martèlent rappelle rappellent relève relèvent répète répètent réagit réagissent réagissait "
    "s'exclame s’exclame s'insurge s’insurge s'indigne s’indigne s'interroge s’interroge renchérit "
    "reprend reprennent reprenait décrit décrivent décrivait s'enthousiasme s’enthousiasme s'emporte s’emporte "
    "s'agace s’agace s'étonne s’étonne s'inquiète s’inquiète s'alarme s’alarme s'écrie s’écrie "
    "s'amuse s’amuse s'esclaffe s’esclaffe concède concèdent"
).split() + ["se félicite", "se réjouit"]
_FR_PARTICIPLES = (
    "dit écrit répondu poursuivi conclu admis reconnu prévenu averti soutenu souri réagi renchéri repris décrit"
).split() + ["fait valoir", "mis en garde", "fait savoir"]


def _fr_forms() -> tuple[list[str], list[str]]:
    finite, participles = list(_FR_IRREGULAR_PRESENT), list(_FR_PARTICIPLES)
    for stem in _FR_ER:
        soft = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
        if stem in ("reconnaiss", "poursuiv"):
            continue
        finite += [stem + "e", stem + "ent", soft + "ait", soft + "aient", soft + "a"]
        participles += [stem + "é", stem + "ée", stem + "és", stem + "ées"]
    return sorted(set(finite), key=len, reverse=True), sorted(set(participles), key=len, reverse=True)


_FR_FINITE, _FR_PAST = _fr_forms()
_FR_PRON = r"(?P<pron>il|elle|ils|elles|on)"
_FR_ADVERB = (r"(?:\s+(?:encore|aussi|également|notamment|ensuite|alors|déjà|bien|même|pourtant|enfin|ainsi|toutefois|"
              r"auparavant|aussitôt|plus\s+tard|de\s+son\s+côté|pour\s+sa\s+part|\w+ment))?")
_FR_AUX = r"(?:a|ont|avait|avaient|aurait|auraient)"
_FR_REFLEXIVE = r"(?:s['’]est|se\s+sont|s['’]était)\s+(?:exclam|insurg|indign|interrog|étonn|félicit)ée?s?"

FRENCH = Lexicon(
    verb=re.compile(
        r"(?<![\w'’-])("
        rf"selon|d['’]après|{_FR_REFLEXIVE}"
        rf"|{_FR_AUX}(?:-t-{_FR_PRON}|-(?P<pron2>ils|elles))?{_FR_ADVERB}\s+(?:{'|'.join(_FR_PAST)})"
        rf"|(?:{'|'.join(_FR_FINITE)})(?:-t-{_FR_PRON.replace('pron', 'pron3')}|-(?P<pron4>il|elle|ils|elles|on))?"
        r")(?![\w-])",
        re.IGNORECASE,
    ),
    according=frozenset({"selon", "d'après", "d’après"}),
    participles=frozenset(),
    pronouns={"il": "he", "elle": "she", "ils": "they", "elles": "they", "on": None, "nous": None, "je": None,
              "celui": "he", "celle": "she", "ceux": "they", "celles": "they",  # `explique celle qui …`
              "ce dernier": "he", "cette dernière": "she", "ces derniers": "they", "ces dernières": "they"},
    leading=re.compile(r"^(?:(?:et|mais|puis|alors|ensuite|aussi|enfin|donc|or)(?:\s+|$))+", re.I),
    trailing_aux=re.compile(r"(?:\s+(?:lui|leur|nous|encore|aussi|déjà|alors|ensuite|même))+$"),
    phrase_end=re.compile(r"\s(?:qui|dont|lors|dans|pour|avec|sur|pendant|après|avant|devant|depuis|par|lundi|mardi|"
                          r"mercredi|jeudi|vendredi|samedi|dimanche|hier|mais|et)\s"),
    inverted_end=re.compile(r"[,;:!?\n(]|(?<!\b[A-Z])(?<!\bMM)(?<!\bMme)(?<!\bMgr)\.|\s(?:à|au|aux|dans|lors|en|après|avant|devant|qui|pendant|sur|dont|alors|lundi|"
                            r"mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|mais|et|car|pour|avec|sous|depuis)\s"),
    preposition=re.compile(r"\s*(?:à|au|aux|dans|en|sur|pour|avec|par|de|du|des|entre|après|avant|pendant)\s"),
    clause_word=re.compile(r"\s(?:et|mais|que|qu['’]|quand|lorsque|car|puisque|si|où|tandis|alors)\s?"),
    inverted_object=re.compile(
        r"\s+(?:(?:à|au|aux|auprès\s+de|auprès\s+du|auprès\s+des)\s+(?:l['’]|(?:la|le|les|La|Le|Les)\s+)?[\w’'\-]+"
        r"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui)(?:\s+(?:soir|matin))?"
        r"|dans\s+un\s+(?:communiqué|entretien|tweet|message))(?=[\s,])"
    ),
    relative=re.compile(r"\s*(?:(?:qui|que|dont|où|lequel|laquelle|lesquels|lesquelles|se)\b|qu['’]|s['’])", re.I),
    comma_before_inversion=True,
    incise=True,
    pronoun_speakers=("PERSON", "DESCRIPTION"),
    reported_speech=re.compile(r"(?<![\w])(?:que\b|qu['’])|:", re.I),
    not_verbs=frozenset("juge note demande critique analyse tempête souffle tranche avance lâche relève".split()),
)

_ES_VERBS = (
    "dijo dice dicen dijeron decía afirmó afirma afirman afirmaron declaró declara declararon señaló señala "
    "señalaron aseguró asegura aseguran aseguraron explicó explica explican explicaron añadió añade añadieron "
    "agregó agrega indicó indica indicaron manifestó sostuvo sostiene advirtió advierte subrayó subraya "
    "destacó destaca apuntó apunta insistió insiste recordó recuerda reconoció reconoce admitió respondió "
    "replicó comentó comenta escribió escribe tuiteó anunció anuncia denunció denuncia criticó concluyó "
    "precisó precisa expresó relató cuenta contó lamentó defendió defiende opinó confesó aclaró"
).split()
_ES_PARTICIPLES = (
    "dicho afirmado declarado señalado asegurado explicado añadido agregado indicado manifestado sostenido "
    "advertido subrayado destacado apuntado insistido recordado reconocido admitido respondido replicado "
    "comentado escrito tuiteado anunciado denunciado criticado concluido precisado expresado relatado "
    "contado lamentado defendido opinado confesado aclarado"
).split()

SPANISH = Lexicon(
    verb=re.compile(
        r"(?<![\w-])(según"
        rf"|(?:ha|han|había|habían|habría)\s+(?:{'|'.join(_ES_PARTICIPLES)})"
        rf"|(?:{'|'.join(_ES_VERBS)}))(?![\w-])",
        re.IGNORECASE,
    ),
    according=frozenset({"según"}),
    participles=frozenset(),
    pronouns={"él": "he", "ella": "she", "ellos": "they", "ellas": "they", "yo": None, "nosotros": None},
    leading=re.compile(r"^(?:(?:y|pero|luego|entonces|también|además)(?:\s+|$))+", re.I),
    trailing_aux=re.compile(r"(?:\s+(?:le|les|nos|también|ya|luego|además))+$"),
    phrase_end=re.compile(r"\s(?:que|quien|cuyo|durante|tras|antes|después|en|con|para|por|ante|desde|el\s+lunes|"
                          r"el\s+martes|el\s+miércoles|el\s+jueves|el\s+viernes|el\s+sábado|el\s+domingo|ayer|y|pero)\s"),
    inverted_end=re.compile(r"[,.;:!?\n(]|\s(?:a|al|en|durante|tras|antes|después|que|quien|ante|con|para|por|desde|"
                            r"este|esta|ayer|y|pero)\s"),
    preposition=re.compile(r"\s*(?:a|al|en|con|para|por|de|del|entre|tras|durante|ante|desde)\s"),
    clause_word=re.compile(r"\s(?:y|pero|que|cuando|porque|aunque|si|donde|mientras)\s"),
    inverted_object=re.compile(
        r"\s+(?:(?:a|al)\s+(?:la\s+|el\s+|los\s+|las\s+)?[\w\-]+"
        r"|(?:este|el)\s+(?:lunes|martes|miércoles|jueves|viernes|sábado|domingo)|ayer"
        r"|en\s+un\s+(?:comunicado|mensaje|tuit|comunicado))(?=[\s,])"
    ),
    relative=re.compile(r"\s*(?:que|quien|quienes|cual|cuales|donde|se)\b", re.I),
    comma_before_inversion=True,
    pronoun_speakers=("PERSON", "DESCRIPTION"),
    reported_speech=re.compile(r"(?<![\w])que\b|:", re.I),
    null_subject=True,
    not_verbs=frozenset("cuenta precisa".split()),
)

LEXICONS = {"en": ENGLISH, "fr": FRENCH, "es": SPANISH}


@lru_cache(maxsize=1)
def _gender_detector():
    import gender_guesser.detector  # a first-name list (40,000 names, many countries), loaded once

    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def name_gender(first_name: str) -> str | None:
    """he | she for a first name the list gives as male or female; None when unknown, either or only
    mostly one (`Lindsey` is mostly female, `Kim` too: not enough to rule a person out)."""
    if not first_name[:1].isupper() or not first_name.isalpha() or len(first_name) < 2:
        return None
    found = _gender_detector().get_gender(first_name)
    return {"male": "he", "female": "she"}.get(found)


def lexicon(lang: str | None) -> Lexicon | None:
    """The attribution words of a language; English when the language is unknown (None, und)."""
    return ENGLISH if lang in (None, "und") else LEXICONS.get(lang)
