"""`make bench`: the bundle-wide cross-document step scales near-linearly (issue: n^1.8).

Times the bundle step (tasks.story.crossdoc.cross_document over the staged sentences, then
tasks.store.load.finish_bundle: every final table written once and published) on generated
bundles of 1,000 / 10,000 / 50,000 real-length articles (>= 400 words, no NER: the staged documents and sentences
tables the step reads are written directly, in batches of 500 as the transform stages
them). The mix: distinct stories (60%), syndicated copies of earlier stories with edits
(a word changed in some sentences, a sentence dropped, one added, quote marks changed:
30%), one block of near-identical template documents (the same text with names and
numbers filled in: 10%, spread over the bundle), and agency boilerplate lines shared
by some documents. MinHash signatures are computed before the clock starts (the
transform computes them). Each size runs in its own process: seconds, peak RSS during
the step (VmHWM reset before it), and the growth exponent log(t2/t1)/log(n2/n1)
between successive sizes. Targets: exponent <= 1.1, peak RSS at 50k <= 1.3x of 10k.
Usage: python -m bench.scale_bench [--sizes 1000 10000 50000] [--timeout 1200]
"""
from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path

from bench import growth

ROOT = Path(__file__).resolve().parent.parent
BATCH = 500
BOILERPLATE = [
    "Reporting by the agency staff; editing by the news desk.",
    "This story has been published from a wire agency feed without modifications to the text.",
    "Follow our live coverage for the latest updates on this developing story.",
    "Copyright the agency. All rights reserved. This material may not be redistributed.",
]


def _vocabulary() -> list[str]:
    words = {w for p in (ROOT / "data" / "seeds").glob("*.txt") for w in re.findall(r"[A-Za-z]{3,}", p.read_text())}
    return sorted(words)


def _sentence(rng: random.Random, vocabulary: list[str]) -> str:
    words = rng.choices(vocabulary, k=rng.randint(12, 24))
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _story(rng: random.Random, vocabulary: list[str]) -> list[str]:
    sentences, n_words = [], 0
    while n_words < 420:
        sentences.append(_sentence(rng, vocabulary))
        n_words += len(sentences[-1].split())
    return sentences


def _edited(rng: random.Random, vocabulary: list[str], story: list[str]) -> list[str]:
    copy = list(story)
    for i in range(len(copy)):
        roll = rng.random()
        if roll < 0.2:  # one word changed
            words = copy[i].split()
            words[rng.randrange(1, len(words) - 1)] = rng.choice(vocabulary)
            copy[i] = " ".join(words)
        elif roll < 0.25:  # quoted: same norm_hash
            copy[i] = "“" + copy[i] + "”"
    del copy[rng.randrange(len(copy))]
    copy.insert(rng.randrange(len(copy)), _sentence(rng, vocabulary))
    return copy


def _template(rng: random.Random, vocabulary: list[str], template: list[str]) -> list[str]:
    copy = list(template)
    for i in (1, 4, 9):  # the filled-in slots: a name and a number
        copy[i] = copy[i].replace("NAME", rng.choice(vocabulary).capitalize()).replace("NUMBER", str(rng.randint(1, 10**6)))
    return copy


def generate(n_docs: int, seed: int = 11):
    """(doc_id, sentences) in bundle order."""
    rng = random.Random(seed)
    vocabulary = _vocabulary()
    template = _story(rng, vocabulary)
    for i in (1, 4, 9):
        template[i] = template[i].rstrip(".") + " NAME reported NUMBER cases."
    stories: list[list[str]] = []
    for i in range(n_docs):
        roll = rng.random()
        if roll < 0.1:
            sentences = _template(rng, vocabulary, template)
        elif roll < 0.4 and stories:
            sentences = _edited(rng, vocabulary, rng.choice(stories[-2000:]))
        else:
            sentences = _story(rng, vocabulary)
            stories.append(sentences)
        if rng.random() < 0.2:
            sentences = sentences + [rng.choice(BOILERPLATE)]
        yield f"doc{i:06d}", sentences


def _stage(staging: Path, n_docs: int):
    import pyarrow as pa

    from tasks.store import load, schemas
    from tasks.store import table_rows as rows
    from tasks.text.nlp import SentenceSpan

    ids, texts, n_words, n_sentences = [], [], 0, 0
    doc_rows, sent_rows, index = [], [], 0
    blank = {n: None for n in schemas.DOCUMENTS_STAGED.names}

    def flush():
        nonlocal doc_rows, sent_rows, index
        load.stage_batch(
            staging,
            "b",
            index,
            {
                "documents": pa.Table.from_pylist(doc_rows, schema=schemas.DOCUMENTS_STAGED),
                "sentences": pa.Table.from_pylist(sent_rows, schema=schemas.SENTENCES_STAGED),
            },
        )
        doc_rows, sent_rows, index = [], [], index + 1

    for doc_id, sentences in generate(n_docs):
        text = " ".join(sentences)
        ids.append(doc_id)
        texts.append(text)
        n_words += len(text.split())
        doc_rows.append(blank | {"doc_id": doc_id, "text": text, "status": "ok"})
        starts = [0, *accumulate(len(s) + 1 for s in sentences[:-1])]
        spans = [SentenceSpan(a, a + len(s), False) for a, s in zip(starts, sentences)]
        sent_rows += rows.sentence_rows(doc_id, text, spans)
        n_sentences += len(sentences)
        if len(doc_rows) == BATCH:
            flush()
    if doc_rows:
        flush()
    return ids, texts, n_words, n_sentences


def _signatures(texts: list[str]):
    from tasks.story.dedup import signatures

    return signatures(texts)


def _memory(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _prepare(work: Path, n_docs: int) -> None:
    """Stage the bundle and save ids and signatures (in a child process, so that the
    generator's garbage is not counted in the step's memory)."""
    started = time.perf_counter()
    ids, texts, n_words, n_sentences = _stage(work / "staging", n_docs)
    chunks = [texts[i : i + 2000] for i in range(0, len(texts), 2000)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        sigs = [s for chunk in pool.map(_signatures, chunks) for s in chunk]
    import numpy as np

    np.save(work / "sigs.npy", np.stack(sigs))
    (work / "ids.json").write_text(json.dumps({"ids": ids, "words": n_words, "sentences": n_sentences}))
    print(f"  {n_docs}: staged {n_sentences} sentences, {n_words} words, signed in {time.perf_counter() - started:.0f} s", flush=True)


def one_size(n_docs: int) -> dict:
    """Generate, stage, sign, then time the bundle step (run in a child process)."""
    import numpy as np

    from tasks.store import load
    from tasks.story.crossdoc import SENTENCE_COLUMNS, cross_document

    work = Path(tempfile.mkdtemp(prefix=f"scale-{n_docs}-", dir=ROOT / "bench" / "out"))
    try:
        staging = work / "staging"
        prepare = multiprocessing.get_context("fork").Process(target=_prepare, args=(work, n_docs))
        prepare.start()
        prepare.join()
        if prepare.exitcode != 0:
            raise RuntimeError(f"generating {n_docs} documents failed")
        meta = json.loads((work / "ids.json").read_text())
        ids, n_words, n_sentences = meta["ids"], meta["words"], meta["sentences"]
        sigs = list(np.load(work / "sigs.npy"))  # one uint32 array a document, as the transform hands them over
        del meta
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak RSS
        before = _memory("VmRSS")
        started = time.perf_counter()
        cross = cross_document(load.iter_staged(staging, "sentences", "b", SENTENCE_COLUMNS), ids, sigs)
        linked = time.perf_counter() - started
        load.finish_bundle(work / "out", staging, "b", cross, {})
        seconds = time.perf_counter() - started
        summary = cross.summary
        return {
            "documents": n_docs,
            "words": n_words,
            "sentences": n_sentences,
            "seconds": seconds,
            "cross_document_seconds": linked,
            "rss_before": before,
            "peak_rss": _memory("VmHWM"),
            "pairs": summary.n_pairs,
            "near_duplicate_pairs": summary.n_near_duplicate_pairs,
            "clusters": summary.n_clusters_with_copies,
            "links": summary.n_links,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 50_000])
    parser.add_argument("--timeout", type=float, default=1200, help="seconds allowed per size (setup included)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_size(args.one)), flush=True)
        return
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    print(f"cross-document step on generated bundles of {args.sizes} documents (>= 400 words each)", flush=True)
    results = []
    for n in args.sizes:
        print(f"size {n}: running", flush=True)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.scale_bench", "--one", str(n)],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                timeout=args.timeout,
            )
        except subprocess.TimeoutExpired:
            print(f"size {n}: not finished within {args.timeout:.0f} s; stopping", flush=True)
            break
        lines = [l for l in done.stdout.splitlines() if l.strip()]
        for line in lines[:-1]:
            print(line, flush=True)
        if done.returncode != 0 or not lines:
            print(f"size {n}: failed (exit {done.returncode})", flush=True)
            break
        r = json.loads(lines[-1])
        results.append(r)
        print(
            f"size {n}: {r['seconds']:8.1f} s (cross-document {r['cross_document_seconds']:.1f} s, then the final tables)  peak RSS {r['peak_rss'] / 2**20:7.0f} MB (before the step {r['rss_before'] / 2**20:.0f} MB)"
            f"  {r['pairs']} pairs ({r['near_duplicate_pairs']} near-duplicate), {r['clusters']} clusters, {r['links']} links",
            flush=True,
        )
    print("\nsummary", flush=True)
    print(f"  {'documents':>10} {'seconds':>9} {'peak RSS MB':>12} {'exponent':>9} {'RSS ratio':>10}", flush=True)
    for r, exponent, ratio in growth.steps(results, "documents", "seconds", "peak_rss"):
        print(f"  {r['documents']:>10} {r['seconds']:>9.1f} {r['peak_rss'] / 2**20:>12.0f} {exponent:>9} {ratio:>10}", flush=True)
    if len(results) >= 2:
        first, last = results[0], results[-1]
        overall = growth.exponent(first["seconds"], first["documents"], last["seconds"], last["documents"])
        print(f"  exponent {first['documents']} -> {last['documents']}: {overall:.2f} (target <= 1.1)", flush=True)


if __name__ == "__main__":
    main()
