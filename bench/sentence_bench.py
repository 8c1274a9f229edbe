"""Speed of the sentence step against the NER model (issue 9, sentences).

English: the model newsetl runs (senter + NER) on the paragraphs of the Multi-News dev
articles, the senter alone (the whole sentence step before tasks/text/sentences.py), and the
rules that now correct its starts (tasks.text.sentences.english_sentences, pysbd only where it
could change them). French/Spanish press: pysbd alone (the step before) and
rule_sentences. Words per second, one process, paragraphs as the model gets them.
Usage: python -m bench.sentence_bench [--articles 300]
"""
from __future__ import annotations

import argparse
import json
import time

from evals.common import eval_file
from tasks.text.nlp import english_pipeline
from tasks.text.sentences import _segmenter, english_sentences, rule_sentences


def _paragraphs(name: str, limit: int | None = None) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in eval_file(name).read_text(encoding="utf-8").splitlines()][:limit]
    found = []
    for row in rows:
        lang = "es" if row["id"].startswith("Espagnol") else "fr" if row["id"].startswith("Francais") else "en"
        found += [(p, lang) for p in row["text"].split("\n") if p.strip()]
    return found


def _rate(label: str, n_words: int, step) -> object:
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    print(f"{label:<58} {n_words / seconds:>12,.0f} words/s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    english = [p for p, _ in _paragraphs("multinews-dev.jsonl", args.articles)]
    words = sum(len(p.split()) for p in english)
    print(f"English: {len(english):,} paragraphs, {words:,} words")
    nlp = english_pipeline()
    docs = _rate("model (senter + NER)", words, lambda: list(nlp.pipe(english, batch_size=256)))
    starts = [[s.start_char for s in doc.sents] for doc in docs]
    with nlp.select_pipes(enable=["senter"]):
        _rate("senter alone (the sentence step before)", words, lambda: list(nlp.pipe(english, batch_size=256)))
    _rate(
        "english_sentences (rules added to the senter)", words,
        lambda: [english_sentences(p, 0, len(p), s) for p, s in zip(english, starts)],
    )
    other = _paragraphs("press-fr-es-dev.jsonl")
    words = sum(len(p.split()) for p, _ in other)
    print(f"French/Spanish: {len(other):,} paragraphs, {words:,} words")
    _rate("pysbd alone (the sentence step before)", words, lambda: [_segmenter(lang).segment(p) for p, lang in other])
    _rate("rule_sentences", words, lambda: [rule_sentences(p, 0, len(p), lang) for p, lang in other])


if __name__ == "__main__":
    main()
