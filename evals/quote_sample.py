"""A random sample of attributed English quotes of Multi-News dev, each in its context, for
reading by hand (issue 10, must-hold 4: at least 95% of a sample of 50 with the right speaker).

    .venv/bin/python -m evals.quote_sample SEED [--size 50]

prints, for each sampled quote, the speaker newsetl gives (speaker_name, and the attribution's
words when they differ), the quoted words and the text around them (350 characters before,
150 after). Not part of `make eval`: the verdicts are a reader's.
"""
from __future__ import annotations

import argparse
import random

from evals.stories import corpus, english_quotes, pipeline_tables


def attributed_english(docs, quotes: list[dict]) -> list[dict]:
    return [q for q in english_quotes(docs, quotes) if q["speaker_name"] is not None]


def context(text: str, quote: dict, before: int = 350, after: int = 150) -> str:
    start = min(quote["start_char"], quote["speaker_start"] if quote["speaker_start"] is not None else quote["start_char"])
    end = max(quote["end_char"], quote["speaker_end"] if quote["speaker_end"] is not None else quote["end_char"])
    return text[max(0, start - before):end + after].replace("\n", " / ")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", type=int)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args(argv)
    articles, _ = corpus()
    docs, _, quotes = pipeline_tables(articles)
    text_of = dict(zip(docs["doc_id"].to_pylist(), docs["text"].to_pylist()))
    pool = attributed_english(docs, quotes)
    print(f"{len(pool)} attributed English quotes; a sample of {min(args.size, len(pool))} (seed {args.seed})\n")
    for number, quote in enumerate(random.Random(args.seed).sample(pool, min(args.size, len(pool))), 1):
        said = quote["speaker_name"]
        attribution = " ".join(w for w in (quote["speaker_text"], quote["verb"]) if w)
        if quote["speaker_text"] != said and attribution:
            said += f" ('{attribution}')"
        print(f"#{number} {said}  [doc {quote['doc_id']}, {quote['attribution']}]")
        print(f"   words: {quote['text']}")
        print(f"   context: …{context(text_of[quote['doc_id']], quote)}…\n")


if __name__ == "__main__":
    main()
