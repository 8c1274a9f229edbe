from tasks.config import DEFAULT
from tasks.text.language import LanguageGuess, detect_language, detect_languages, prose

FRENCH = "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs. "
ENGLISH = "The government announced new measures to support farmers on Tuesday, officials said. "


def test_detects_common_languages_with_confidence():
    texts = [
        "The government announced new measures to support farmers on Tuesday.",
        "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs.",
        "Die Regierung hat am Dienstag neue Maßnahmen zur Unterstützung der Landwirte angekündigt.",
    ]
    results = detect_languages(texts)
    assert [g.lang for g in results] == ["en", "fr", "de"]
    assert all(0.5 < g.prob <= 1.0 and g.reason == "" for g in results)


def test_long_text_is_judged_on_its_first_sample_chars():
    text = FRENCH * 3 + ENGLISH * 30
    assert detect_language(text, sample_chars=200).lang == "fr"
    assert detect_language(text, sample_chars=5000).lang == "en"
    assert detect_language(ENGLISH * 30).prob >= 0.9


def test_text_without_letters_is_undetermined_with_a_reason():
    for guess in detect_languages(["", "12 345 — 678", "!!"]):
        assert (guess.lang, guess.prob) == ("und", 0.0) and "no letters" in guess.reason


def test_single_chinese_japanese_korean_characters_are_detected():
    assert [g.lang for g in detect_languages(["中", "ひ", "한"])] == ["zh", "ja", "ko"]


def test_short_texts_are_detected():
    found = detect_languages(["economía española", "Le président", "Москва"])
    assert [g.lang for g in found] == ["es", "fr", "ru"]


def test_a_word_without_evidence_is_und_not_a_confident_wrong_language():
    # langdetect called this Albanian at 0.999995; no language stands out for it.
    guess = detect_language("shell")
    assert guess.lang == "und" and guess.prob == 0.0
    assert guess.reason.startswith("language undetermined: best guess") and "< 0.2" in guess.reason
    named = detect_language("shell", min_confidence=0.0)
    assert named.lang != "und" and 0.0 < named.prob < 0.5


def test_too_short_for_any_trigram_is_und_with_a_reason():
    guess = detect_language("ok")
    assert guess.lang == "und" and guess.reason == "language undetermined: too little text"


def test_minimum_confidence_is_a_setting():
    assert detect_language("general manager", min_confidence=0.1).lang == "en"
    assert detect_language("general manager", min_confidence=0.9).lang == "und"


def test_codes_are_iso_639_1_and_settings_match_config():
    texts = ["Ciao a tutti, oggi parliamo di politica e di economia in Italia.", "Olá a todos", "Hallo allemaal"]
    assert all(len(g.lang) == 2 and g.lang.islower() for g in detect_languages(texts))
    from_config = detect_languages(
        texts, DEFAULT.lang_short_chars, DEFAULT.lang_sample_chars, DEFAULT.lang_min_confidence_percent / 100
    )
    assert from_config == detect_languages(texts)


def test_guess_unpacks_as_lang_and_probability_first():
    guess = detect_language(ENGLISH)
    assert isinstance(guess, LanguageGuess) and (guess[0], guess[1]) == (guess.lang, guess.prob)


def test_detection_is_repeatable():
    text = "Ciao a tutti, oggi parliamo di politica e di economia in Italia."
    assert len({detect_language(text) for _ in range(5)}) == 1


SKI_STANDINGS = """ALPINE SKIING - WOMEN'S WORLD CUP STANDINGS.

Standings after Saturday's downhill race in the women's World Cup:

1. Katja Seizinger (Germany) 180 points
2. Renate Goetschl (Austria) 132
3. Hilde Gerg (Germany) 86
4. Regina Haeusl (Germany) 75
5. Heidi Zurbriggen (Switzerland) 69
6. Martina Ertl (Germany) 66
7. Alexandra Meissnitzer (Austria) 65
8. Stefanie Schuster (Austria) 60
9. Miriam Vogt (Germany) 47
10. Katharina Gutensohn (Germany) 45"""

BADMINTON = """BADMINTON - GRAND PRIX RESULTS.

Results of the group matches at the Grand Prix finals on Friday:

Group B

Chen Gang (China) beat Martin Lundgaard Hansen (Denmark) 15-12 15-6
Peter Rasmussen (Denmark) beat Jens Olsson (Sweden) 15-10 15-6
Poul-Erik Hoyer-Larsen (Denmark) beat Thomas Stuer-Lauridsen (Denmark) 15-7 15-4
Anders Nielsen (Denmark) beat Soren Kjaer (Denmark) 15-8 15-2"""


def test_a_results_table_is_judged_on_its_prose_lines():
    # Judged whole (no line counts as prose above 100%), the names make it German or Danish.
    for table, names_say in ((SKI_STANDINGS, "de"), (BADMINTON, "da")):
        assert detect_language(table, prose_percent=101).lang == names_say
        assert detect_language(table).lang == "en"


def test_prose_keeps_lines_of_plain_words_only():
    assert prose(SKI_STANDINGS) == "Standings after Saturday's downhill race in the women's World Cup:"
    assert prose(BADMINTON) == "Results of the group matches at the Grand Prix finals on Friday:"
    # Addresses are no words; repeated abbreviations of a table are not prose.
    assert prose("FOLLOW us on: http://www.example.com/page\nOats unq unq unq unq") == (
        "FOLLOW us on: http://www.example.com/page\nOats unq unq unq unq"
    )
    # Without a prose line the text is judged whole; scripts without capitals are plain.
    assert prose("  Bochum 2 (Wosz 89th) Bayer Leverkusen 2\nHalftime 1-1.  ") == (
        "Bochum 2 (Wosz 89th) Bayer Leverkusen 2\nHalftime 1-1."
    )
    assert prose("RESULTS\n中国今天宣布了新的经济政策。\nBeijing 2 Shanghai 1") == "中国今天宣布了新的经济政策。"
    assert prose("Die Regierung hat am Dienstag neue Maßnahmen angekündigt.") == (
        "Die Regierung hat am Dienstag neue Maßnahmen angekündigt."
    )


def test_the_letters_a_prose_line_needs_are_a_setting():
    text = "the results follow\nBrazil 3 Spain 1"
    assert prose(text, min_letters=10) == "the results follow"
    assert prose(text, min_letters=30) == text
