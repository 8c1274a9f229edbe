"""Stories (issue 10, must-hold 1): documents.story_id against Multi-News events.

multinews-dev.jsonl (690 articles, 250 events) goes through the pipeline's transform; the
story step (tasks/story/) then groups it twice:
- single run: the whole file as one bundle;
- two runs: day 1 = the first half of the file (its first 345 lines), then day 2 = the
  rest, grouped against the story state day 1 left (as two runs into one OUT do).
Scored as the eval data's README says: pairwise precision and recall over all pairs of
articles of at least 80 words (same event in multinews-dev-stories.tsv vs same story_id;
an article without a story_id, e.g. a web-archive notice, pairs with nothing). Targets:
precision >= 0.90 and recall >= 0.80, for both. Also the story step's cost in seconds
per 1,000 articles (terms, candidate search and clustering; the transform not included).
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from datetime import date
from itertools import combinations

import pyarrow as pa

from evals.common import Score, eval_file, pipeline_rows
from tasks.config import DEFAULT, Config
from tasks.story.stories import assign_stories, story_documents

MIN_WORDS = 80
TARGET_PRECISION = 0.90
TARGET_RECALL = 0.80
BENCH = "stories (Multi-News dev)"


def same_pairs(groups: dict[str, str | None]) -> set[tuple[str, str]]:
    """Pairs of ids (sorted) that share a group; ids with no group pair with nothing."""
    members: dict[str, list[str]] = defaultdict(list)
    for item, group in groups.items():
        if group is not None:
            members[group].append(item)
    return {pair for ids in members.values() for pair in combinations(sorted(ids), 2)}


def pairwise(gold: dict[str, str], predicted: dict[str, str | None], ids: set[str]) -> tuple[float, float]:
    """Pairwise (precision, recall) over ids."""
    truth = same_pairs({i: gold[i] for i in ids})
    found = same_pairs({i: predicted.get(i) for i in ids})
    hits = len(truth & found)
    return hits / max(len(found), 1), hits / max(len(truth), 1)


def corpus() -> tuple[list[dict], dict[str, str]]:
    articles = [json.loads(line) for line in eval_file("multinews-dev.jsonl").open(encoding="utf-8")]
    gold = {}
    with eval_file("multinews-dev-stories.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            item, _, event = line.rstrip("\n").partition("\t")
            if item and item != "id":
                gold[item] = event
    return articles, gold


def pipeline_tables(articles: list[dict]) -> tuple[pa.Table, pa.Table, list[dict]]:
    """The corpus through the transform: documents, entities (tables) and quotes (rows)."""
    documents = [(f"multinews/{a['id']}.txt", a["text"], {"external_id": a["id"]}) for a in articles]
    docs, ents, quotes = [], [], []
    for batch in pipeline_rows(documents, bundle_id="multinews-dev"):
        docs += batch["documents"]
        ents += batch["entities"]
        quotes += batch["quotes"]
    return pa.Table.from_pylist(docs), pa.Table.from_pylist(ents), quotes


def english_quotes(docs: pa.Table, quotes: list[dict]) -> list[dict]:
    """The quotes of the English documents."""
    english = {d for d, lang in zip(docs["doc_id"].to_pylist(), docs["lang"].to_pylist()) if lang == "en"}
    return [q for q in quotes if q["doc_id"] in english]


def english_quote_scores(docs: pa.Table, quotes: list[dict]) -> list[Score]:
    """How many of the English documents' quotes get a speaker (the rules leave a quote
    unattributed when unsure, so this is coverage; the speakers' precision is read by hand,
    with evals/quote_sample.py)."""
    mine = english_quotes(docs, quotes)
    attributed = sum(q["speaker_name"] is not None for q in mine)
    return [
        Score("English quotes (Multi-News dev)", "quotes found", len(mine)),
        Score("English quotes (Multi-News dev)", f"share with a speaker ({attributed} of {len(mine)})",
              attributed / max(len(mine), 1)),
    ]


def story_runs(docs: pa.Table, ents: pa.Table, config: Config = DEFAULT) -> tuple[dict, dict, float]:
    """(single-run story ids, two-run story ids) by external id, and seconds of the single run."""
    external = dict(zip(docs["doc_id"].to_pylist(), docs["external_id"].to_pylist()))
    started = time.perf_counter()
    grouped, _ = story_documents(docs, ents, config)
    single = assign_stories(grouped, None, None, date(2026, 1, 2), config).story_of
    seconds = time.perf_counter() - started
    half = docs.num_rows // 2
    day1 = assign_stories(story_documents(docs.slice(0, half), ents, config)[0], None, None, date(2026, 1, 1), config)
    day2 = assign_stories(
        story_documents(docs.slice(half), ents, config)[0], day1.documents, day1.terms, date(2026, 1, 2), config
    )
    two = {**day1.story_of, **day2.story_of}
    return {external[d]: s for d, s in single.items()}, {external[d]: s for d, s in two.items()}, seconds


def scores() -> list[Score]:
    articles, gold = corpus()
    ids = {a["id"] for a in articles if len(a["text"].split()) >= MIN_WORDS}
    docs, ents, quotes = pipeline_tables(articles)
    single, two, seconds = story_runs(docs, ents)
    note = f"{len(ids)} articles >= {MIN_WORDS} words"
    rows = []
    for name, predicted in (("single run", single), ("two runs", two)):
        precision, recall = pairwise(gold, predicted, ids)
        rows += [
            Score(BENCH, f"pairwise precision, {name}", precision, TARGET_PRECISION, note=note),
            Score(BENCH, f"pairwise recall, {name}", recall, TARGET_RECALL, note=note),
        ]
    rows.append(
        Score(BENCH, "story step, seconds per 1,000 articles", 1000 * seconds / max(docs.num_rows, 1), higher_is_better=False)
    )
    return rows + english_quote_scores(docs, quotes)
