"""Stories: articles about the same event, in a bundle and across runs (pure: no I/O).

`assign_stories` takes a bundle's documents (their terms, tasks/story/terms.py) and the
story state of the corpus (every earlier document's story and terms: STORY_DOCUMENTS and
STORY_TERMS tables, tasks/story/state.py, which the caller reads from OUT) and returns each
new document's story_id and the state rows to keep for them.

Method: each document is a vector of term weights × the corpus's inverse document
frequency (earlier runs and this bundle), compared by cosine; its lead (title and first
`story_lead_words` words) is a second vector, and a pair's similarity is the larger of the
two (articles about one event share their opening facts more than their backgrounds). Candidate pairs come from an
inverted index over each document's `story_block_terms` heaviest terms (a term held by more
than `story_max_postings` documents is too common to block on), so the work grows with
the bundle, not with its square; pairs published more than `story_window_days` apart are
not compared. Average-link clustering (tasks/story/clustering.py) then groups the new
documents with each other and with the stories of earlier runs, which never split or
merge: a new document joins an old story only when it is similar to most of it.

A new story's id is the doc_id of its first document (earliest published, then bundle
order); an old story keeps its id, so story ids are stable across runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain, repeat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from tasks.config import DEFAULT, Config
from tasks.story.clustering import average_link
from tasks.story.state import STORY_DOCUMENTS, STORY_TERMS
from tasks.story.terms import LEAD_PREFIX, document_terms, is_notice, lead_terms


@dataclass(frozen=True)
class StoryDocument:
    doc_id: str
    terms: dict[str, float]
    published: date | None = None


@dataclass
class StoryBatch:
    """Documents to group, compactly: their ids and dates, and their terms as STORY_TERMS rows
    (a bundle of 50,000 articles holds millions of terms: Arrow, not Python dicts)."""

    doc_ids: list[str]
    published: list[date | None]
    terms: pa.Table

    @classmethod
    def of(cls, documents: list[StoryDocument]) -> StoryBatch:
        return cls([d.doc_id for d in documents], [d.published for d in documents], _term_table(documents))

    @classmethod
    def concat(cls, batches: list[StoryBatch]) -> StoryBatch:
        return cls(
            [d for b in batches for d in b.doc_ids],
            [p for b in batches for p in b.published],
            pa.concat_tables([STORY_TERMS.empty_table(), *(b.terms for b in batches)]),
        )


@dataclass
class Assignment:
    story_of: dict[str, str]  # doc_id → story_id, for every document given
    documents: pa.Table  # STORY_DOCUMENTS rows of the new documents (the state to keep)
    terms: pa.Table  # STORY_TERMS rows of the new documents
    n_new_stories: int
    n_joined: int  # new documents that joined a story of an earlier run
    n_candidate_pairs: int


def story_documents(
    documents: pa.Table, entities: pa.Table, config: Config = DEFAULT
) -> tuple[list[StoryDocument], list[str]]:
    """The documents to group (status ok, with text, not a notice) with their terms, in bundle
    order, and the doc_ids of notices (no story). documents: doc_id, text, lang, title,
    published (the documents table's day, read by tasks/text/dates.py), status; entities: doc_id, text, label."""
    names: dict[str, list[tuple[str, str]]] = {}
    for doc_id, text, label in zip(*(entities[c].to_pylist() for c in ("doc_id", "text", "label"))):
        names.setdefault(doc_id, []).append((text, label))
    columns = ("doc_id", "text", "lang", "title", "published", "status")
    grouped, notices = [], []
    for doc_id, text, lang, title, published, status in zip(*(documents[c].to_pylist() for c in columns)):
        if status != "ok" or not text or not text.strip():
            continue
        if is_notice(text, config.story_notice_percent):
            notices.append(doc_id)
            continue
        terms = document_terms(text, lang, names.get(doc_id, ()), title, config.story_max_terms, config.story_min_letters)
        terms.update(lead_terms(text, lang, title, config.story_lead_words, config.story_max_terms, config.story_min_letters))
        grouped.append(StoryDocument(doc_id, terms, published))
    return grouped, notices


def _term_counts(doc_index: np.ndarray, terms: pa.Array, weights: np.ndarray, n: int) -> tuple[sp.csr_matrix, pa.Array]:
    """Term rows (document index, term, weight) → the n documents × terms matrix of weights,
    and the term of each column (in order of first appearance)."""
    codes = pc.dictionary_encode(terms).combine_chunks() if len(terms) else pa.array([], pa.dictionary(pa.int32(), pa.string()))
    cols = codes.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    x = sp.csr_matrix((weights.astype(np.float64), (doc_index, cols)), shape=(n, len(codes.dictionary)))
    x.sum_duplicates()
    return x, codes.dictionary


def _matrix(x: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """Term weights → L2-normalised rows of weight × corpus idf, and each term's document frequency."""
    n, width = x.shape
    df = np.bincount(x.indices, minlength=width)
    x = x @ sp.diags(np.log((n + 1) / (df + 1)) + 1.0)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x), df


def _candidates(x: sp.csr_matrix, df: np.ndarray, n_old: int, config: Config) -> np.ndarray:
    """Pairs (a, b), a < b, at least one of them new (index >= n_old), sharing one of their
    heaviest terms; as int64 keys a * n + b, sorted and unique."""
    n = x.shape[0]
    heads_row, heads_col = [], []
    for row in range(n):
        start, end = x.indptr[row], x.indptr[row + 1]
        cols, vals = x.indices[start:end], x.data[start:end]
        top = cols[np.argsort(-vals, kind="stable")[: config.story_block_terms]]
        top = top[df[top] <= config.story_max_postings]
        heads_row.append(np.full(len(top), row, np.int64))
        heads_col.append(top.astype(np.int64))
    rows = np.concatenate(heads_row) if heads_row else np.empty(0, np.int64)
    cols = np.concatenate(heads_col) if heads_col else np.empty(0, np.int64)
    order = np.lexsort((rows, cols))
    rows, cols = rows[order], cols[order]
    keys = []
    bounds = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1], True])
    for s, e in zip(bounds[:-1], bounds[1:]):
        posting = rows[s:e]
        if len(posting) < 2:
            continue
        new = posting[posting >= n_old]
        if not len(new):
            continue
        a = np.repeat(new, len(posting))
        b = np.tile(posting, len(new))
        keep = a != b
        lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
        keys.append(lo * n + hi)
    return np.unique(np.concatenate(keys)) if keys else np.empty(0, np.int64)


def _similarities(x: sp.csr_matrix, a: np.ndarray, b: np.ndarray, chunk: int = 200_000) -> np.ndarray:
    out = np.empty(len(a))
    for s in range(0, len(a), chunk):
        out[s : s + chunk] = np.asarray(x[a[s : s + chunk]].multiply(x[b[s : s + chunk]]).sum(axis=1)).ravel()
    return out


def _days(published: list[date | None]) -> np.ndarray:
    return np.array([p.toordinal() if p else -1 for p in published], np.int64)


def assign_stories(
    documents: list[StoryDocument] | StoryBatch,
    state_documents: pa.Table | None,
    state_terms: pa.Table | None,
    run_date: date,
    config: Config = DEFAULT,
) -> Assignment:
    """Story ids for documents (a bundle, in bundle order) given the state of earlier runs
    (STORY_DOCUMENTS and STORY_TERMS rows; rows of these same doc_ids, left by an earlier run
    of the bundle, are ignored). run_date: the seen_date of documents without a published date."""
    batch = documents if isinstance(documents, StoryBatch) else StoryBatch.of(documents)
    mine = pa.array(batch.doc_ids, pa.string())
    n_new = len(batch.doc_ids)
    old_docs = STORY_DOCUMENTS.empty_table() if state_documents is None else state_documents.select(STORY_DOCUMENTS.names)
    old_terms = STORY_TERMS.empty_table() if state_terms is None else state_terms.select(STORY_TERMS.names)
    old_docs = old_docs.filter(pc.invert(pc.is_in(old_docs["doc_id"], mine)))
    taken = set(pc.unique(old_docs["story_id"]).to_pylist())  # every story id in OUT, in the window or not
    old_docs = state_window(old_docs, batch.published, run_date, config.story_window_days)
    old_terms = old_terms.filter(pc.is_in(old_terms["doc_id"], old_docs["doc_id"]))
    n_old, n = old_docs.num_rows, old_docs.num_rows + n_new
    old_story = old_docs["story_id"].to_pylist()

    terms = pa.concat_tables([old_terms.cast(STORY_TERMS), batch.terms.cast(STORY_TERMS)])
    all_ids = pa.concat_arrays([old_docs["doc_id"].combine_chunks().cast(pa.string()), mine])
    doc_index = pc.index_in(terms["doc_id"], value_set=all_ids).to_numpy(zero_copy_only=False).astype(np.int64)
    counts, vocabulary = _term_counts(doc_index, terms["term"], terms["weight"].to_numpy(), n)
    lead = pc.starts_with(vocabulary, LEAD_PREFIX).to_numpy(zero_copy_only=False).astype(bool)  # columns of 'l:' terms
    x, df = _matrix(counts[:, np.flatnonzero(~lead)])

    keys = _candidates(x, df, n_old, config)
    a, b = keys // max(n, 1), keys % max(n, 1)
    days = _days(old_docs["published_date"].to_pylist() + batch.published)  # date32: dates or None already
    dated = (days[a] >= 0) & (days[b] >= 0)
    in_window = ~dated | (np.abs(days[a] - days[b]) <= config.story_window_days)
    a, b = a[in_window], b[in_window]
    sims = _similarities(x, a, b)
    if lead.any():  # the leads compared too: the pair's similarity is the larger of the two
        x_lead, _ = _matrix(counts[:, np.flatnonzero(lead)])
        sims = np.maximum(sims, _similarities(x_lead, a, b))
    kept = sims >= config.story_min_edge_percent / 100  # faint pairs hardly move an average: left out
    a, b, sims = a[kept], b[kept], sims[kept]
    fixed = [*old_story, *([None] * n_new)]
    labels = average_link(n, zip(a.tolist(), b.tolist(), sims.tolist()), config.story_similarity_percent / 100, fixed)

    story_of_cluster: dict[int, str] = {labels[i]: old_story[i] for i in range(n_old)}
    order = sorted(range(n_new), key=lambda k: (batch.published[k] or date.max, k))
    _name_new_stories(story_of_cluster, [(labels[n_old + k], batch.doc_ids[k]) for k in order], taken)
    story_of = {d: story_of_cluster[labels[n_old + k]] for k, d in enumerate(batch.doc_ids)}
    n_joined = sum(labels[n_old + k] < n_old for k in range(n_new))  # clusters are named by their smallest item
    table = pa.table(
        {
            "doc_id": mine,
            "story_id": pa.array([story_of[d] for d in batch.doc_ids], pa.string()),
            "published_date": pa.array(batch.published, pa.date32()),
            "seen_date": pa.array([p or run_date for p in batch.published], pa.date32()),
        },
        schema=STORY_DOCUMENTS,
    )
    n_stories = len(set(story_of.values()) - set(old_story))
    return Assignment(story_of, table, batch.terms.cast(STORY_TERMS), n_stories, n_joined, len(keys))


def _name_new_stories(story_of_cluster: dict[int, str], members: list[tuple[int, str]], taken: set) -> None:
    """Name each cluster not yet named after its first document (members: (cluster, doc_id) in
    order) whose doc_id is no story of OUT yet: when a bundle is run again with other text, its
    first document's old story may live on in other bundles' documents, and two events must
    never share an id. A cluster whose every doc_id is taken gets its first one + '~N'."""
    used = set(taken) | set(story_of_cluster.values())
    unnamed: dict[int, str] = {}
    for cluster, doc_id in members:
        if cluster in story_of_cluster:
            continue
        if doc_id not in used:
            story_of_cluster[cluster] = doc_id
            used.add(doc_id)
        else:
            unnamed.setdefault(cluster, doc_id)
    for cluster, doc_id in unnamed.items():
        if cluster not in story_of_cluster:
            n = 1
            while f"{doc_id}~{n}" in used:
                n += 1
            story_of_cluster[cluster] = f"{doc_id}~{n}"
            used.add(story_of_cluster[cluster])


def state_window(state: pa.Table, published: list[date | None], run_date: date, days: int) -> pa.Table:
    """The state documents (STORY_DOCUMENTS rows) that a bundle's documents may be compared
    with: those whose day (published_date, else seen_date: the day a run first saw them) is
    within `days` of a bundle document's day (published, else run_date). The rest could never
    pair: they are not read into the matrix, and their terms need not be read at all."""
    if not state.num_rows or not published:
        return state.slice(0, 0)
    days_of_bundle = [p or run_date for p in published]
    first, last = min(days_of_bundle), max(days_of_bundle)
    epoch = date(1970, 1, 1).toordinal()
    low = pa.scalar(first.toordinal() - days - epoch, pa.int32()).cast(pa.date32())
    high = pa.scalar(last.toordinal() + days - epoch, pa.int32()).cast(pa.date32())
    day = pc.coalesce(state["published_date"], state["seen_date"])
    near = pc.and_(pc.greater_equal(day, low), pc.less_equal(day, high))
    return state.filter(pc.fill_null(near, True))


def _term_table(documents: list[StoryDocument]) -> pa.Table:
    total = sum(len(d.terms) for d in documents)
    return pa.table(
        {
            "doc_id": pa.array(chain.from_iterable(repeat(d.doc_id, len(d.terms)) for d in documents), pa.string(), size=total),
            "term": pa.array(chain.from_iterable(d.terms for d in documents), pa.string(), size=total),
            "weight": pa.array(chain.from_iterable(d.terms.values() for d in documents), pa.float64(), size=total),
        },
        schema=STORY_TERMS,
    )
