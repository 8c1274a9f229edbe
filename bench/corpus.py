"""A generated benchmark corpus: the sample articles' paragraphs recombined, with boilerplate."""
from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

BOILERPLATE = [
    "View All",
    "Advertisement",
    "Impact Shorts",
    "Post navigation",
    "Photo from the Straits Times",
    "With inputs from agencies.",
    "150% Deposit Bonus up to $5,000",
]
DATELINES = ["SEOUL, Oct 25 — ", "KYIV, Oct 24 (Reuters) - ", "MOSCOW, Oct 23 — ", ""]


def seed_paragraphs(seeds: Path) -> list[str]:
    paragraphs = []
    for path in sorted(seeds.glob("*.txt")):
        paragraphs += [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.split()) > 8]
    return paragraphs


def _varied(paragraph: str, vocabulary: list[str], rng: random.Random) -> str:
    """The paragraph with two words swapped for others of the sample: every paragraph of
    the corpus is distinct, so reusing the model's output for repeated text (which
    newsetl does and bare spaCy does not) cannot flatter the comparison."""
    words = paragraph.split()
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return " ".join(words)


def generate(seeds: Path, target: Path, n_articles: int, seed: int = 13) -> tuple[int, int]:
    """Write n_articles as a .jsonl.gz bundle; returns (articles, words of article text)."""
    rng = random.Random(seed)
    pool = seed_paragraphs(seeds)
    vocabulary = sorted({word for paragraph in pool for word in paragraph.split()})
    target.parent.mkdir(parents=True, exist_ok=True)
    words = 0
    with gzip.open(target, "wt", encoding="utf-8") as fh:
        for i in range(n_articles):
            body = [_varied(p, vocabulary, rng) for p in rng.sample(pool, k=rng.randint(8, 20))]
            body[0] = rng.choice(DATELINES) + body[0]
            for _ in range(rng.randint(0, 3)):
                body.insert(rng.randrange(len(body) + 1), rng.choice(BOILERPLATE))
            text = "\n\n".join(body)
            words += len(text.split())
            fh.write(json.dumps({"id": f"bench-{i}", "text": text, "source": "bench"}) + "\n")
    return n_articles, words
