from __future__ import annotations

import re

import pytest

from tasks.text.quote_marks import quote_spans
from tasks.text.quotes import extract_quotes


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans for tests: split after . ! ? (and a closing mark) before a capital."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?…][”\"’]?\s+(?=[“\"‘A-Z])", text):
        spans.append((start, m.end()))
        start = m.end()
    return spans + [(start, len(text))]


def _entities(text: str, *named: tuple[str, str]) -> list[tuple[int, int, str]]:
    found = []
    for name, label in named:
        found += [(m.start(), m.end(), label) for m in re.finditer(re.escape(name), text)]
    return sorted(found)


def _quotes(text: str, *named: tuple[str, str]):
    quotes = extract_quotes(text, _sentences(text), _entities(text, *named))
    for q in quotes:
        assert text[q.start : q.end] == q.text
        if q.speaker_text is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
    return quotes


def _summary(quotes):
    return [(q.text, q.speaker_name, q.verb, q.attribution) for q in quotes]


@pytest.mark.parametrize("open_, close", [("“", "”"), ('"', '"'), ("‘", "’"), ("'", "'"), ("«", "»"), ("‹", "›")])
def test_every_kind_of_mark_after_attribution(open_, close):
    text = f"{open_}What we will do is our business,{close} Putin said after the summit."
    assert _summary(_quotes(text, ("Putin", "PERSON"))) == [
        ("What we will do is our business", "Putin", "said", "name")
    ]


def test_apostrophes_are_not_quote_marks():
    text = "Russia’s forces and the officials’ report didn't say it's over, Seoul's envoy said."
    assert quote_spans(text) == []


def test_single_quotes_inside_double_quotes_are_not_quotations_of_their_own():
    text = "“They called it ‘a baseless rumor’ and moved on,” the envoy said."
    assert quote_spans(text) == [(0, text.index("”"))]


def test_unbalanced_marks_pair_with_nothing():
    assert quote_spans("He said “this never closes.\nNext line") == []


def test_inverted_attribution():
    text = "“We will not accept these conditions,” said union leader Maria Silva on Monday."
    (q,) = _quotes(text, ("Maria Silva", "PERSON"))
    assert (q.speaker_text, q.verb, q.attribution) == ("Maria Silva", "said", "name")


def test_name_found_without_an_entity_and_description_kept_as_written():
    text = (
        "“We will not accept these conditions,” union leader Maria Silva told reporters. "
        "“These soldiers are legitimate targets,” the American spokesman had warned."
    )
    first, second = _quotes(text)
    assert (first.speaker_name, first.verb, first.attribution) == ("Maria Silva", "told", "name")
    assert (second.speaker_name, second.verb, second.attribution) == ("the American spokesman", "warned", "description")


def test_attribution_before_the_quote():
    text = "President Vladimir Putin spoke in Kazan. And he told journalists: “We have never doubted them.”"
    (q,) = _quotes(text, ("Vladimir Putin", "PERSON"), ("Kazan", "GPE"))
    assert (q.text, q.speaker_text, q.speaker_name, q.verb, q.attribution) == (
        "We have never doubted them.", "he", "Vladimir Putin", "told", "pronoun",
    )


def test_participle_takes_the_sentence_subject():
    text = "On October 24, Russian President Vladimir Putin did not deny the claims, stating, “We are coordinating with our friends.”"
    (q,) = _quotes(text, ("Russian", "NORP"), ("Vladimir Putin", "PERSON"))
    assert (q.speaker_name, q.verb, q.attribution) == ("Vladimir Putin", "stating", "name")


def test_according_to():
    text = "But according to a White House spokesperson, “between early and mid-October, North Korea moved 3,000 troops” east."
    (q,) = _quotes(text, ("White House", "ORG"), ("North Korea", "GPE"))
    # the spokesperson, a described role (the organization only when it is the head: `the White House said`)
    assert (q.speaker_name, q.verb) == ("a White House spokesperson", "according to")


def test_quote_split_around_its_attribution_shares_it():
    text = "“On October 23, 2024”, that is, Wednesday, “their appearance was recorded in the region,” they added."
    quotes = _quotes(text, ("the Ukrainian intelligence service", "ORG"))
    assert [q.text for q in quotes] == ["On October 23, 2024", "their appearance was recorded in the region"]
    assert {(q.verb, q.attribution) for q in quotes} == {("added", "pronoun")}


def test_quote_spanning_sentences_and_the_attribution_in_the_middle():
    text = "“Images are a serious thing. If there are images they must show something,” he said, “and we know it.”"
    quotes = _quotes(text)
    assert [q.text for q in quotes] == [
        "Images are a serious thing. If there are images they must show something",
        "and we know it.",
    ]
    assert [q.verb for q in quotes] == ["said", "said"]
    assert quotes[0].sent_id == 0  # the sentence the quotation starts in


def test_pronouns_resolve_to_the_latest_person():
    text = (
        "Russian President Vladimir Putin, who met his counterpart Kim Jong Un in June, avoided answering. "
        "“Imagery is a serious thing,” he quipped. "
        "“It's our business,” he added."
    )
    quotes = _quotes(text, ("Vladimir Putin", "PERSON"), ("Kim Jong Un", "PERSON"), ("Russian", "NORP"))
    assert [(q.speaker_name, q.verb) for q in quotes] == [("Vladimir Putin", "quipped"), ("Vladimir Putin", "added")]


def test_they_resolves_to_the_latest_speaker():
    text = "“The first units have arrived,” the intelligence service GUR said. “Their presence was recorded in Kursk,” they added."
    quotes = _quotes(text, ("GUR", "ORG"), ("Kursk", "GPE"))
    assert [(q.speaker_name, q.attribution) for q in quotes] == [("GUR", "name"), ("GUR", "pronoun")]


def test_names_inside_quotations_are_not_antecedents():
    text = "Putin spoke. “I met Joe Biden in Geneva,” he said."
    (q,) = _quotes(text, ("Putin", "PERSON"), ("Joe Biden", "PERSON"))
    assert q.speaker_name == "Putin"


def test_partial_quote_in_reported_speech():
    text = "Yoon said yesterday that Seoul would “take necessary actions in cooperation with the community” to respond."
    (q,) = _quotes(text, ("Yoon", "PERSON"), ("Seoul", "GPE"))
    assert (q.speaker_name, q.verb, q.attribution) == ("Yoon", "said", "name")


def test_scare_quotes_are_left_out():
    text = (
        "Troops arrived in the “combat zone” in Kursk. The Kremlin dismissed reports as “fake news”. "
        "MPs ratified the “Comprehensive Strategic Partnership Treaty” on Thursday, "
        "adding they had been “recorded”."
    )
    assert _quotes(text, ("Kursk", "GPE"), ("Kremlin", "ORG")) == []


def test_short_quote_kept_when_attributed_right_next_to_it():
    text = "“It's our business,” he added."
    (q,) = _quotes(text)
    assert (q.text, q.speaker_text, q.speaker_name, q.attribution) == ("It's our business", "he", None, "pronoun")


def test_long_unattributed_quote_is_kept_without_speaker():
    text = "The leader mocked the images. “Images are a serious thing. If there are images they must show something.”"
    (q,) = _quotes(text)
    assert (q.speaker_text, q.speaker_name, q.verb, q.attribution) == (None, None, None, "none")


def test_no_sentences_no_quotes():
    assert extract_quotes("“Hello there my friend,” he said.", [], []) == []


def _quotes_in(lang: str, text: str, *named: tuple[str, str]):
    quotes = extract_quotes(text, _sentences(text), _entities(text, *named), lang)
    for q in quotes:
        assert text[q.start : q.end] == q.text
    return [(q.text, q.speaker_name, q.attribution) for q in quotes]


@pytest.mark.parametrize(
    "text",
    [
        "«\u00a0Nous ne reculerons pas\u00a0», a déclaré Emmanuel Macron lundi.",
        "«Nous ne reculerons pas», a expliqué à l'AFP Emmanuel Macron, président.",
        "« Nous ne reculerons pas », affirme Emmanuel Macron.",
        "Emmanuel Macron a déclaré : « Nous ne reculerons pas ».",
        "Selon Emmanuel Macron, « nous ne reculerons pas ».",
        "D'après Emmanuel Macron, « nous ne reculerons pas ».",
    ],
)
def test_french_attribution_forms(text):
    ((words, speaker, attribution),) = _quotes_in("fr", text, ("Emmanuel Macron", "PERSON"))
    assert words.lower() == "nous ne reculerons pas" and speaker == "Emmanuel Macron" and attribution == "name"


def test_french_inverted_pronoun_resolves_to_the_person_named_before_and_never_after():
    text = "Sophie Durand est arrivée. « C'est une journée historique », a-t-elle dit."
    assert _quotes_in("fr", text, ("Sophie Durand", "PERSON")) == [
        ("C'est une journée historique", "Sophie Durand", "pronoun")
    ]
    text = "« C'est une journée historique pour nous », a-t-elle dit. Sophie Durand est partie."
    assert _quotes_in("fr", text, ("Sophie Durand", "PERSON"))[0][1] is None


def test_french_civility_abbreviation_stays_in_the_speaker():
    text = "« Il faut interdire ces manifestations », a insisté M.\u00a0Griveaux. La suite est connue."
    (quote,) = extract_quotes(text, [(0, text.index(" La suite")), (text.index("La suite"), len(text))], [], "fr")
    assert (quote.speaker_name, quote.attribution) == ("M.\u00a0Griveaux", "description")


def test_french_scare_quotes_and_nouns_are_not_attributions():
    text = "Les «gilets jaunes» dénoncent la hausse des taxes. Le juge «de proximité» a tranché."
    assert _quotes_in("fr", text) == []
    text = "La menace glisse aujourd'hui vers une «sorte de terrorisme d'atmosphère diffus» ici."
    assert _quotes_in("fr", text) == [("sorte de terrorisme d'atmosphère diffus", None, "none")]


def test_french_reported_speech_needs_que():
    text = "Emmanuel Macron a déclaré qu'il «n'accepterait jamais la violence» samedi."
    assert _quotes_in("fr", text, ("Emmanuel Macron", "PERSON")) == [
        ("n'accepterait jamais la violence", "Emmanuel Macron", "name")
    ]


def test_spanish_attribution_forms_and_omitted_subject():
    text = "“Ha sido la decisión más difícil de mi vida”, ha señalado Dmitri Rogozin. “No me arrepiento de nada”, dijo."
    assert _quotes_in("es", text, ("Dmitri Rogozin", "PERSON")) == [
        ("Ha sido la decisión más difícil de mi vida", "Dmitri Rogozin", "name"),
        ("No me arrepiento de nada", "Dmitri Rogozin", "pronoun"),
    ]
    text = "Según la CIA, “la injerencia fue deliberada”."
    assert _quotes_in("es", text, ("CIA", "ORG"))[0][1] == "CIA"


def test_english_words_never_attribute_in_other_languages():
    text = "« The plan will fail this winter », said John Smith."
    assert _quotes_in("fr", text, ("John Smith", "PERSON"))[0][1] is None
    assert _quotes_in("de", text, ("John Smith", "PERSON"))[0][1] is None
    assert _quotes_in("en", text, ("John Smith", "PERSON"))[0][1] == "John Smith"


def test_french_attribution_inside_the_quotation():
    text = "« L'intervention était préventive, analyse Hasni Abidi. C'était une guerre d'anticipation. »"
    assert _quotes_in("fr", text, ("Hasni Abidi", "PERSON"))[0][1:] == ("Hasni Abidi", "name")
    text = "Pierre Martin hésite. « C'est une opération politique, ajoute-t-il. Elle ne rajoute rien. »"
    assert _quotes_in("fr", text, ("Pierre Martin", "PERSON"))[0][1:] == ("Pierre Martin", "pronoun")


def test_french_inverted_speaker_before_the_quotation_and_noun_like_verbs_next_to_it():
    text = "Résultat, poursuit Jacques Levy : « De plus en plus de Français ont cette impression. »"
    assert _quotes_in("fr", text, ("Jacques Levy", "PERSON"))[0][1] == "Jacques Levy"
    text = "« La situation est alarmante », juge Édouard Philippe."
    assert _quotes_in("fr", text, ("Édouard Philippe", "PERSON"))[0][1] == "Édouard Philippe"
    text = "« La situation est alarmante », le juge a estimé lundi."
    assert _quotes_in("fr", text)[0][1:] == ("le juge", "description")


def test_french_speaker_after_a_clause_that_follows_the_quotation():
    text = "Il veut punir les «casseurs» et les manifestations sauvages, a aussi dit Edouard Philippe lundi."
    assert _quotes_in("fr", text, ("Edouard Philippe", "PERSON"))[0][1] == "Edouard Philippe"
    text = "Les «gilets jaunes», qui portent ces vestes, dénoncent la hausse des prix du carburant."
    assert _quotes_in("fr", text) == []


def test_french_verb_right_before_a_quote_is_no_attribution_without_que_or_colon():
    text = "Ils étaient 27 000 à se dire «intéressés par la manifestation de samedi prochain» hier."
    assert _quotes_in("fr", text)[0][1:] == (None, "none")


def test_french_appositive_name_adverbs_and_relative_clauses():
    text = "«Il y a 800 nouveaux cas chez les jeunes», a souligné la ministre de la Santé, Agnès Buzyn, sur France Inter."
    assert _quotes_in("fr", text, ("Agnès Buzyn", "PERSON"))[0][1] == "Agnès Buzyn"
    text = "«L'ultra-violence des casseurs doit cesser», a auparavant dit Christophe Castaner."
    assert _quotes_in("fr", text, ("Christophe Castaner", "PERSON"))[0][1] == "Christophe Castaner"
    text = "«Vivre et non survivre, voilà ce que nous voulons» Le gouvernement, qui a annoncé des mesures, recule."
    assert _quotes_in("fr", text)[0][1:] == (None, "none")
    text = "Il avait appelé à manifester, alors qu'il se dirigeait vers «les Champs-Élysées où la foule attendait»."
    assert _quotes_in("fr", text)[0][1:] == (None, "none")


def test_french_other_clause_subject_and_demonstrative_speaker():
    text = "Elle rit : «Monsieur se repent», persifle Elisabeth, une retraitée, quand le président reconnaît ses torts."
    assert _quotes_in("fr", text, ("Elisabeth", "PERSON"))[0][1] == "Elisabeth"
    text = "Voici Marie Dupont. «Les gens qui ne sont rien veulent vivre», explique celle qui a tout perdu."
    assert _quotes_in("fr", text, ("Marie Dupont", "PERSON"))[0][1:] == ("Marie Dupont", "pronoun")


def test_french_reflexive_verb_after_a_quote_has_no_speaker():
    text = "La question des «gens du voyage qui passent l'été ici» se répète tous les étés en France."
    assert _quotes_in("fr", text)[0][1:] == (None, "none")


def test_french_auprès_de_anaphors_and_one_letter_names():
    text = "« Le pilote nous a avertis », a témoigné auprès de l'AFP Martial Lévêque, 59 ans."
    assert _quotes_in("fr", text, ("Martial Lévêque", "PERSON"))[0][1] == "Martial Lévêque"
    text = "Voici Jacline Mouraud. « C'est le système qui est à bout », explique cette dernière, en souriant."
    assert _quotes_in("fr", text, ("Jacline Mouraud", "PERSON"))[0][1:] == ("Jacline Mouraud", "pronoun")
    text = "Selon n, rien. « Il est en réalité disproportionné », estime-t-il."
    assert _quotes_in("fr", text, ("n", "PERSON"))[0][1] is None


def test_french_pronoun_after_a_described_speaker():
    text = (
        "Gérard Larcher est venu. « Qu'on arrête de piocher dans police secours », réclame un policier. "
        "« Ce qui gêne, c'est qu'on n'est pas dehors », déplore-t-il."
    )
    quotes = _quotes_in("fr", text, ("Gérard Larcher", "PERSON"))
    assert [q[1] for q in quotes] == ["un policier", "un policier"]
    # English: he is a named person, and not one named before a more recent described speaker (the officer?)
    assert _quotes_in("en", "John Smith came. “It is over now for us,” said an officer. “We are tired,” he said.",
                      ("John Smith", "PERSON"))[1][1] is None
    assert _quotes_in("en", "John Smith came. “It is over now for us,” said officers. “We are tired,” he said.",
                      ("John Smith", "PERSON"))[1][1] == "John Smith"


def test_single_angle_quotes_inside_french_quotes_are_not_quotations_of_their_own():
    text = "« Il m'a dit ‹ jamais › et il est parti », a raconté Paul Durand."
    assert _quotes_in("fr", text, ("Paul Durand", "PERSON")) == [
        ("Il m'a dit ‹ jamais › et il est parti", "Paul Durand", "name")
    ]


def _speaker(text: str, entities=()) -> str | None:
    from tasks.text.quotes import extract_quotes

    (quote,) = extract_quotes(text, [(0, len(text))], list(entities), "en")
    return quote.speaker_name


def test_titles_and_initials_do_not_end_a_speaker_after_the_verb():
    text = '"The question is how much competition you get," said Mr. Hovenkamp.'
    assert _speaker(text, [(text.index("Hovenkamp"), text.index("Hovenkamp") + 9, "PERSON")]) == "Hovenkamp"
    text = '"We were able to say it," said William E. Copeland, lead author of the study.'
    assert _speaker(text) == "William E. Copeland"
    text = '"Eleven years ago the Senate was confident," said Sen. Ted Cruz (R-Texas).'
    assert _speaker(text, [(text.index("Ted"), text.index("Ted") + 8, "PERSON")]) == "Ted Cruz"


def test_relatives_documents_and_nobody_are_not_speakers():
    text = 'Charlie Sheen, who likes to say, "I am an F-18, bro, and fast," was slow on Tuesday.'
    assert _speaker(text, [(0, 13, "PERSON")]) == "Charlie Sheen"
    text = 'The band, who likes to say, "we are the loudest band in town," played.'
    assert _speaker(text) is None
    text = '"Mr. Kushner previously volunteered to share what he knows," the statement said.'
    assert _speaker(text) is None
    text = 'Third, no one is saying they "put somebody else\'s arm in the video at all."'
    assert _speaker(text) is None


def test_a_surname_resolves_to_a_full_name_of_the_same_document_only_when_unique():
    text = 'Paula Blade lives on a farm. "We live on a little farm and love it," Blade said.'
    assert _speaker(text, [(0, 11, "PERSON"), (text.rindex("Blade"), text.rindex("Blade") + 5, "PERSON")]) == "Paula Blade"
    text = 'Venus Williams and Serena Williams played. "It was a long and hard match," Williams said.'
    ents = [(0, 14, "PERSON"), (19, 34, "PERSON"), (text.rindex("Williams"), text.rindex("Williams") + 8, "PERSON")]
    assert _speaker(text, ents) == "Williams"


def test_passive_verbs_participles_and_far_or_plural_antecedents():
    from tasks.text.quotes import extract_quotes

    text = "The patient was said to have been “near death, without any other alternative available” last week."
    assert [q.speaker_name for q in extract_quotes(text, [(0, len(text))], [], "en")] == [None]
    text = "Miller characterized the team by saying “Everyone's dealing with something in this team.”"
    (q,) = extract_quotes(text, [(0, len(text))], [(0, 6, "PERSON")], "en")
    assert q.speaker_name == "Miller"
    text = "Damon and Affleck walk over to Todd. “That killed,” she tells them."
    (q,) = extract_quotes(text, [(0, 36), (37, len(text))], [(0, 5, "PERSON"), (10, 17, "PERSON"), (31, 35, "PERSON")], "en")
    assert q.speaker_name is None
    text = "Ann Lee spoke. It rained. It rained again. Then it snowed. “We will be back,” she said."
    sentences = [(0, 14), (15, 25), (26, 42), (43, 58), (59, len(text))]
    (q,) = extract_quotes(text, sentences, [(0, 7, "PERSON")], "en")
    assert q.speaker_name is None  # four sentences back: not sure enough


def test_listeners_organizations_in_a_role_and_documents():
    from tasks.text.quotes import extract_quotes

    text = "“They are rushing into this,” Rafael Lemaitre, a former top staffer in the drug control office, told the Sun."
    (q,) = extract_quotes(text, [(0, len(text))], [(text.index("the Sun"), len(text) - 1, "ORG")], "en")
    assert q.speaker_name != "the Sun"
    text = "“We wish them the best in their pursuit,” said a spokesman for SynCardia, whose heart is approved."
    (q,) = extract_quotes(text, [(0, len(text))], [(text.index("SynCardia"), text.index("SynCardia") + 9, "ORG")], "en")
    assert q.speaker_name == "a spokesman for SynCardia"
    text = "Paul said the remarks were wrong, while a spokesman for Heller declared them “appalling and racist and wrong.”"
    (q,) = extract_quotes(text, [(0, len(text))], [], "en")
    assert q.speaker_name == "a spokesman"
    text = "He was given a sandwich, “despite them knowing about his allergy,” according to a page set up on GoFundMe."
    assert [q.speaker_name for q in extract_quotes(text, [(0, len(text))], [], "en")] == [None]


def test_the_head_person_of_a_phrase_and_no_possessive_antecedents():
    from tasks.text.quotes import extract_quotes

    text = "“There are five people with expertise,” Annan spokesman Ahmad Fawzi told AFP."
    ents = [(text.index("Annan"), text.index("Annan") + 5, "PERSON"), (text.index("Ahmad"), text.index("Ahmad") + 11, "PERSON")]
    (q,) = extract_quotes(text, [(0, len(text))], ents, "en")
    assert q.speaker_name == "Ahmad Fawzi"
    text = "Erin Stoffel's friend described them as kind. “But then I realize they are safe,” she said."
    (q,) = extract_quotes(text, [(0, 44), (45, len(text))], [(0, 12, "PERSON")], "en")
    assert q.speaker_name is None


def test_phrases_that_describe_no_one():
    from tasks.text.quotes import extract_quotes

    for text in [
        "He said it on “Fox News Sunday” when asked if the Senate was broken.",
        "The campaign “Pledge” last year said “we will end the practice of packaging bills together.”",
        "Anyone who asked “what did you expect would happen when you drank that much?” was wrong.",
        "Well, if you say to the banks, “You don't have some inherent right just to get a profit.”",
    ]:
        quotes = extract_quotes(text, [(0, len(text))], [], "en")
        # a show's title is no quote once it has no speaker; the others stay, unattributed
        assert [q.speaker_name for q in quotes] == ([] if "Fox" in text else [None]), text
    text = "“We are not going to put our ideology ahead of the country,” the Oregon Democrat said."
    (q,) = extract_quotes(text, [(0, len(text))], [(text.index("Democrat"), text.index("Democrat") + 8, "NORP")], "en")
    assert q.speaker_name == "the Oregon Democrat"


def _en(text: str, *named: tuple[str, str]) -> list[str | None]:
    """English speakers of a text's quotes, sentences split as in _sentences, entities by name."""
    return [q.speaker_name for q in _quotes(text, *named)]


def test_a_document_is_no_speaker_whoever_it_names():
    text = "“It was engineered to deliver maximum carnage,” according to the lawsuit against manufacturer Bushmaster."
    assert _en(text, ("Bushmaster", "ORG")) == [None]
    text = "“The document itself is to remain confidential,” the email, obtained by NBC News, said."
    assert _en(text, ("NBC News", "ORG")) == [None]


def test_he_and_she_resolve_only_to_a_clause_subject_of_their_gender():
    # an object is no antecedent: `he denied being X`
    text = (
        "As the doxxing unfolded, Peinovich said nothing. Contacted by email, he denied being Mike Enoch. "
        "“I was involved with that site years ago,” he wrote."
    )
    assert _en(text, ("Peinovich", "PERSON"), ("Mike Enoch", "PERSON")) == ["Peinovich"]
    # nor the appositive of his fiancee; a woman's first name is not `he`
    text = "In the conversation with his fiancee, Rhonda Rouer, he also complained. “Two were kids,” he continued."
    assert _en(text, ("Rhonda Rouer", "PERSON")) == [None]
    text = "Ben Affleck walks over. “The show's going great,” Affleck says. “It's a little long,” she says."
    assert _en(text, ("Ben Affleck", "PERSON"), ("Affleck", "PERSON")) == ["Ben Affleck", None]
    text = "Mr Khan spoke after Theresa May left. “The plans mean cuts,” he said."
    assert _en(text, ("Khan", "PERSON"), ("Theresa May", "PERSON")) == ["Khan"]
    # `including Sen. X`, `Asked why X`: not subjects, so the president's `he` stays unresolved
    text = (
        "Others, including Senator Lindsey Graham, had said there would be no hearing. "
        "But in his post, the president closed with a hope. “I hope they'll move quickly,” he said."
    )
    assert _en(text, ("Lindsey Graham", "PERSON")) == [None]


def test_he_and_she_stay_unresolved_when_a_more_recent_subject_cannot_be_checked():
    # `Trump` tagged as an organization, then `he wrote`: not the earlier Marc Short
    text = (
        "“We're excited,” said Marc Short, the legislative director. Trump tweeted in support of the deal. "
        "“The Budget Agreement today is so important,” he wrote."
    )
    assert _en(text, ("Marc Short", "PERSON"), ("Trump", "ORG")) == ["Marc Short", None]
    # someone the entities missed speaks in between (`Colter told`)
    text = (
        "Coach Pat Fitzgerald took the stand. Colter told the hearing that football came first. "
        "“To play football,” he responded."
    )
    assert _en(text, ("Pat Fitzgerald", "PERSON")) == [None]
    # a title run names one person: `Hobart Lord Mayor Ron Christie`
    text = "Hobart Lord Mayor Ron Christie said the council approved it. “I voted against it,” he said."
    assert _en(text, ("Hobart Lord", "PERSON"), ("Ron Christie", "PERSON")) == ["Ron Christie"]


def test_they_and_it_are_never_a_person():
    text = "Clemente and Richards made a vague reference to it. Instead, they claimed they would use “more modern audio technology” now."
    assert _en(text, ("Clemente", "PERSON"), ("Richards", "PERSON")) == [None]


def test_a_participle_takes_the_one_subject_of_its_sentence():
    text = "Poe, a former prosecutor, took to the House floor, saying: “The punishment should be longer.”"
    assert _en(text, ("Poe", "PERSON"), ("House", "ORG")) == ["Poe"]
    text = (
        "No one has said Peinovich is not Enoch, and in a screenshot, Enoch appears to admit it, "
        "writing “I am just a guy who puts ideas out there on the internet.”"
    )
    assert _en(text, ("Peinovich", "PERSON"), ("Enoch", "PERSON")) == ["Enoch"]
    text = (
        "Kercher's sister, Stephanie Kercher and brother Lyle Kercher speak in Florence, as well as posting an image "
        "in which she holds up a sign saying “we are innocent and we will say it again” in Italian."
    )
    assert _en(text, ("Stephanie Kercher", "PERSON"), ("Lyle Kercher", "PERSON")) == [None]
    text = "“Maybe I sinned,” he told anchor Chris Cuomo on Friday, adding, “We need to get over this prejudice stuff.”"
    assert _en(text, ("Chris Cuomo", "PERSON"))[1] is None


def test_titles_and_clauses_are_not_quotations_of_a_speaker():
    text = "As we pointed out in “Taking a Bite Out of Twilight,” Meyer has insisted that she sees Bella as a feminist."
    assert _en(text, ("Meyer", "PERSON")) == []
    text = "Universal said the film set a record, behind only “Harry Potter and the Deathly Hallows: Part 2.”"
    assert _en(text, ("Universal", "ORG")) == []
    text = "Now what they'll say is, “He hasn't been able to get it through Congress.”"
    assert _en(text) == [None]


def test_a_dotted_abbreviation_does_not_end_a_speaker_after_the_verb():
    text = "“These can be hard cooked successfully,” according to the U.S. Department of Agriculture."
    assert _speaker(text) == "the U.S. Department of Agriculture"


def test_clauses_adjectives_and_sites_are_not_speakers():
    text = "Their most oft-asked question is “How did you do it with all of them?”"
    assert _en(text) == [None]
    text = "The staff told the FBI that “somewhere it was communicated to him that” Senate Candidate A was a suggested pick."
    assert _en(text) == ["The staff"]  # not `Senate Candidate A was a`
    text = "Regression models provided predicted means on the outcome of ‘motivated to reduce the amount I drink’ for each ad."
    assert _en(text) == [None]
    text = "The group’s “sole mission,” according to its Web site, “is to expose and neutralize the propaganda arm.”"
    assert _en(text) == [None]


def test_a_quotation_the_sentence_goes_on_after_has_its_speaker_after_the_last_comma():
    text = "“If women lose just 10 percent of their weight, it's linked to less inflammation” and other factors, McTiernan said."
    assert _en(text, ("McTiernan", "PERSON")) == ["McTiernan"]
    text = "“If women lose just 10 percent of their weight, it's linked to less inflammation” and other factors associated said."
    assert _en(text) == [None]


def test_a_listener_quoted_and_a_quotation_after_another_clause():
    text = "Earlier on Wednesday, Avenatti told “Today” that the lawsuit would allow his client to “tell her story to all.”"
    quotes = _quotes(text, ("Avenatti", "PERSON"))
    assert [(q.text, q.speaker_name) for q in quotes] == [("tell her story to all.", None)]  # the show is no quote
    text = (
        "The rancher said he doesn't feel “abandoned” by the uproar from Sean Hannity, who has ripped what he "
        "called the “ignorant, racist, repugnant, despicable comments.”"
    )
    assert _en(text, ("Sean Hannity", "PERSON")) == [None]


def test_which_of_two_people_of_one_name_the_phrase_says():
    text = "“This is how we show that we are tired,” the younger Goodlatte tweeted."
    assert _en(text, ("Goodlatte", "PERSON")) == ["the younger Goodlatte"]


def test_reports_of_reports_adverbs_and_suits():
    text = "Officers issued a statement urging soldiers to “join the people” and help remove Gadhafi, Al Jazeera reported."
    assert _en(text, ("Al Jazeera", "ORG")) == []  # the officers' words, reported by Al Jazeera: no speaker
    text = "GMCR specifically stated that “high inventory levels at retail” was to blame."
    assert _en(text) == ["GMCR"]
    text = "“We are heartbroken by what happened here,” the Stoffel family said."
    assert _en(text) == ["the Stoffel family"]
    text = "“To be clear, the attempts to intimidate her continue unabated,” says the suit."
    assert _en(text) == [None]


def test_they_is_not_a_place_inside_a_described_speaker():
    text = (
        "The U.S. researchers said their study is “the most definitive to date.” "
        "They said they used “a much richer data set” than others."
    )
    assert _en(text, ("U.S.", "GPE")) == ["The U.S. researchers", "The U.S. researchers"]


def test_forecasts_clauses_and_questions_are_not_speakers():
    text = "“Strong winds will cause blowing and drifting of snow,” the agency's forecast said."
    assert _en(text) == [None]
    text = "CBS included a disclaimer at the end which acknowledged that the “opinions and conclusions represent just some scenarios.”"
    assert _en(text, ("CBS", "ORG")) == [None]
    text = "Cosby was asked, “What would you like your legacy to be?”—a simple question to which Cosby might have answered."
    assert _en(text, ("Cosby", "PERSON")) == [None]
    text = "“We will hold the line until the very end,” a retired general said."
    assert _en(text) == ["a retired general"]
    text = "And the whole approach of everything I've tried to do is to say, “What are those big changes we need?”"
    assert _en(text) == [None]


def test_whose_words_a_sentence_with_two_verbs_leaves_open():
    text = "After Chief Curtis Borden told RTV6 the girls were found, calling it “not good,” authorities said bodies were found."
    assert _en(text, ("Curtis Borden", "PERSON")) == []  # Borden's or the authorities'? (two words: dropped)
    text = "They were off by 20 beats, a margin of error they concluded was “dangerous for people at high risk.”"
    assert [q.speaker_text for q in _quotes(text)] == ["they"]
    text = "One thread asked, “Why is the Alt Right full of pathetic people?” — a reference to a word."
    assert _en(text) == [None]


def test_they_and_it_resolve_only_to_the_latest_group_or_thing_quoted():
    text = (
        "The risk was 5 in 1,000, wrote El Molto and Dr. Peter Sheldrick in a paper. "
        "“Thus, the lifetime cancer risk is 100 times greater,” they wrote."
    )
    assert _en(text, ("El Molto", "ORG"), ("Peter Sheldrick", "PERSON")) == [None]
    text = "U.S. website The Onion has named Kim the sexiest man. “His boyish charm is every woman's dream,” it said."
    assert _en(text, ("U.S.", "GPE")) == [None]  # no speaker quoted yet
    text = "“The sanctions are heinous,” the committee said. “Let's reduce the US mainland into ashes,” it said."
    assert _en(text) == ["the committee", "the committee"]
    text = "“He was a kind and gentle person,” his family said. “Our prayers go out to the other family,” they said."
    assert _en(text) == ["his family", "his family"]


def test_party_tags_trailing_words_and_more_documents():
    text = "Sen. Dianne Feinstein (D-Calif.) said, “I'm not pleased with having it happen this way.”"
    assert _en(text, ("Dianne Feinstein", "PERSON")) == ["Dianne Feinstein"]
    text = "“To keep them safe, we decided,” Malu Celli told CTV. Celli went on to say that “it is not too cold for them at all.”"
    assert _en(text, ("Malu Celli", "PERSON")) == ["Malu Celli", "Malu Celli"]
    text = "“We live in strange times,” wrote TV producer and “Lucifer” showrunner Joe Henderson."
    assert _en(text) == ["TV producer"]
    for document in ("the memorandum", "the Academy's new position paper", "the court papers", "his profile"):
        assert _en(f"“It is in the interest of all of us,” {document} said.") == [None], document
    text = "I think that many of them say, “Well, you're a hypocrite, you say one thing and then another.”"
    assert _en(text) == [None]


def test_bare_titles_places_and_clauses_inside_a_named_speaker():
    text = "“We are following up on leads,” said Sgt. Riley."
    assert _speaker(text, [(text.index("Sgt"), text.index("Sgt") + 3, "PERSON")]) == "Sgt. Riley"
    text = "“You could feel the pulsing energy,” said Melodye Shore of Laguna Niguel, who was there."
    assert _en(text, ("Melodye Shore", "PERSON"), ("Laguna Niguel", "PERSON")) == ["Melodye Shore"]
    text = "When asked why the Amber Alert was the impetus to act Pasztor replied, “because I knew the police was coming.”"
    assert _en(text, ("Amber Alert", "PERSON")) == [None]
    text = "The President’s Chief of Staff told the FBI that “he could not say where it was communicated to him.”"
    assert _en(text) == ["The President’s Chief of Staff"]


def test_a_title_before_the_speaker_ends_no_sentence():
    text = "“We are fine, all of us,” Mr. Smith said in London."
    assert _speaker(text, [(text.index("Smith"), text.index("Smith") + 5, "PERSON")]) == "Smith"
    text = "“We are fine, all of us.” Smith left. He said nothing."
    assert [q.speaker_name for q in extract_quotes(text, [(0, len(text))], [], "en")] == [None]
