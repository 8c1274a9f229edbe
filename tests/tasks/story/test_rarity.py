import pytest

from tasks.story.rarity import MIN_FREQUENCY, UNKNOWN_LANGUAGE, rarity


def test_common_words_are_less_rare_than_names():
    assert rarity("the", "en") < rarity("government", "en") < rarity("yevkurov", "en")
    assert rarity("yevkurov zzqx", "en") == pytest.approx(-__import__("math").log10(MIN_FREQUENCY))


@pytest.mark.parametrize("lang, common, rare", [("zh", "中国", "齉齉齉"), ("ja", "東京", "齉齉齉"), ("ko", "한국", "齉齉齉")])
def test_languages_wordfreq_segments_with_optional_packages(lang, common, rare):
    # wordfreq needs jieba (zh) or MeCab (ja, ko) to segment these: not dependencies of newsetl
    assert 0 < rarity(common, lang) < rarity(rare, lang)
    assert rarity(f"{common} {common}", lang) > rarity(common, lang)


def test_a_language_wordfreq_lacks_weighs_every_word_alike():
    assert rarity("anything", "xx") == rarity("else", "xx") == UNKNOWN_LANGUAGE
