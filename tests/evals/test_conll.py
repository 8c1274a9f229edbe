from collections import Counter

import pytest

from evals import conll

SAMPLE = """-DOCSTART- -X- -X- O

SOCCER NN B-NP O
- : O O
BLINKER NNP B-NP B-PER
BAN NN I-NP O
LIFTED VBN B-VP O
. . O O

LONDON NNP B-NP B-LOC
1996-12-06 CD I-NP O

Dutch JJ B-NP B-MISC
forward NN I-NP O
Reggie NNP I-NP B-PER
Blinker NNP I-NP I-PER
was VBD B-VP O
fined VBN I-VP O
by IN B-PP O
FIFA NNP B-NP B-ORG
( ( O O
$ $ B-NP O
57,600 CD I-NP O
) ) O O
, , O O
" " O O
it PRP B-NP O
's VBZ B-VP O
over RB B-ADVP O
" " O O
. . O O

-DOCSTART- -X- -X- O

Bonn NNP B-NP B-LOC
"""


def test_documents_are_rejoined_with_english_spacing_and_gold_mentions(tmp_path):
    path = tmp_path / "eng.testb"
    path.write_text(SAMPLE, encoding="utf-8")
    (text, gold), (text2, gold2) = conll.read_conll(path)
    assert text == (
        "SOCCER - BLINKER BAN LIFTED.\nLONDON 1996-12-06\n"
        'Dutch forward Reggie Blinker was fined by FIFA ($57,600), "it\'s over".'
    )
    assert gold == Counter({("BLINKER", "PER"): 1, ("LONDON", "LOC"): 1, ("Reggie Blinker", "PER"): 1, ("FIFA", "ORG"): 1})
    assert (text2, gold2) == ("Bonn", Counter({("Bonn", "LOC"): 1}))


def test_scores_need_the_file_the_variable_names(monkeypatch, tmp_path):
    monkeypatch.delenv(conll.CONLL_ENV, raising=False)
    assert conll.scores() == []
    monkeypatch.setenv(conll.CONLL_ENV, str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="no such file"):
        conll.scores()
