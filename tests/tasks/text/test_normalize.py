from tasks.text.normalize import content_hash, norm_hash, normalize_sentence


def test_normalized_sentence_ignores_case_quotes_and_dashes():
    a = "“Images are a serious thing,” Putin said — again."
    b = '"images are a serious thing," putin said - again'
    assert normalize_sentence(a) == normalize_sentence(b) == "images are a serious thing putin said again"
    assert norm_hash(a) == norm_hash(b)
    assert norm_hash(a) != norm_hash("Images are a serious matter.")
    assert len(norm_hash(a)) == 16


def test_content_hash_is_sha256_hex():
    assert content_hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
