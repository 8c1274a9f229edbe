from tasks.language import detect_language, detect_languages


def test_detects_common_languages_with_probability():
    texts = [
        "The government announced new measures to support farmers on Tuesday.",
        "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs.",
        "Die Regierung hat am Dienstag neue Maßnahmen zur Unterstützung der Landwirte angekündigt.",
    ]
    results = detect_languages(texts)
    assert [lang for lang, _ in results] == ["en", "fr", "de"]
    assert all(0.5 < prob <= 1.0 for _, prob in results)


def test_text_without_letters_is_undetermined():
    assert detect_languages(["", "12 345 — 678", "!!"]) == [("und", 0.0)] * 3


def test_seeded_detection_is_repeatable():
    text = "Ciao a tutti, oggi parliamo di politica e di economia in Italia."
    assert len({detect_language(text) for _ in range(5)}) == 1
