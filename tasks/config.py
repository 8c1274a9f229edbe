"""Every limit and threshold a run depends on, in one frozen object recorded with the run.

Pure data: no Prefect, no I/O. The CLI builds one from its options; the flow logs it and
writes it into the run summary, so a run's outputs can be traced to its settings.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

MiB = 2**20
ZERO_ALLOWED = ("nlp_cache_chars", "dateline_days_before", "dateline_days_after", "story_lead_words")  # settings that may be 0


@dataclass(frozen=True)
class Config:
    # Largest document read from a bundle (a file, an archive member, a piece of a
    # concatenated file), in bytes, checked while reading or decompressing: a larger
    # one is not read further and becomes a `too_large` row. Measured (make bench): a
    # one-paragraph document of 10 MiB peaks at 1.5x the sample run's memory, so 5 MiB
    # (far above any news article or web page's text) keeps every input well within it.
    max_document_bytes: int = 5 * MiB
    # Largest JSONL line, in bytes, checked while reading: a longer line is skipped
    # (read through in small chunks, never held whole) and becomes a `too_large` row.
    max_line_bytes: int = 5 * MiB
    # Longest text given to the NLP model at once, in characters: longer paragraphs are
    # cut into pieces at sentence-like boundaries (spaCy refuses more than 1,000,000;
    # measured: a 100,000-character piece costs spaCy ~300 MB, 10,000 ~50 MB, same speed).
    nlp_max_chars: int = 10_000
    # Most characters in one NLP model batch (its working memory grows with them).
    nlp_batch_chars: int = 100_000
    # Characters of paragraph text whose model output each process keeps, so that a
    # paragraph repeated in the bundle (syndicated copies) is parsed once; 0 = off.
    nlp_cache_chars: int = 20_000_000
    # Whether the NER models run (False: sentences only, no entities, ner_model null; for
    # runs that only need text, sentences and cross-document links, and for the 50,000-
    # article scale bench, which must end within 30 minutes on 2 cores).
    nlp_entities: bool = True
    # Memory DuckDB may use for the reports, in MB (it spills to disk beyond); reports are
    # streamed to their CSV files. At 1024 the reports were the run's memory peak at 50,000
    # articles (bench/e2e_scale_bench.py: 50k/10k 1.41x); at 256 the cross-document step is (1.27x).
    report_memory_mb: int = 256
    # A rule-based sentence (pysbd) longer than this, in characters, is cut again by plain
    # punctuation (pysbd keeps text between quote marks whole, so one unbalanced quote
    # can make a 'sentence' of thousands of characters); see tasks/text/sentences.py. Measured
    # on French press: at 500, fewer quotes get a speaker (0.575 against 0.589 at 1,000).
    sentence_resplit_chars: int = 1000
    # Bytes that are not valid UTF-8 but mostly are (valid multi-byte characters, and
    # invalid bytes at most this percent of the non-ASCII ones): decoded as UTF-8 with
    # U+FFFD for each bad byte (counted in status_detail), never with a guessed codec.
    utf8_max_invalid_percent: int = 10
    # A visible line of an HTML page stays in the text when at least this percent of its
    # non-blank characters are in trafilatura's main content (tasks/ingest/web_page.py).
    page_line_kept_percent: int = 50
    # Lines of prose (at least this many words, ending a sentence) next to a page's main
    # content, with only such lines between them and it, are main content too.
    page_gap_prose_words: int = 12
    # An HTML page with more tags ('<') than this skips main-content extraction (its time
    # grows faster than the page: 400,000 tags took 30 s) and gets the line rules only.
    # The largest of the 347 development pages has ~20,000.
    page_max_tags: int = 100_000
    # Language id (tasks/text/language.py, lingua, all its 75 languages): every text is scored
    # by the low-accuracy mode (trigrams, ~100 MB) on its first lang_sample_chars
    # characters (measured: same answers on news as 5,000; the cost grows with it); a text
    # shorter than lang_short_chars (lingua's own limit for the low-accuracy mode)
    # is judged again by the high-accuracy mode (1- to 5-grams, models loaded per language
    # on first need) among the lang_short_candidates languages ranked highest.
    lang_short_chars: int = 120
    lang_sample_chars: int = 500
    lang_short_candidates: int = 8
    # Below this confidence (percent) no language stands out (on the short-text dev set
    # fewer than 1 in 5 such answers are right): lang 'und', lang_prob 0, the reason (best
    # guess and its confidence) in status_detail.
    lang_min_confidence_percent: int = 20
    # A document's language is judged on its prose lines: at least this percent of a line's
    # words without capitals or digits (tasks/text/language.py). Lines of names and figures
    # (results tables, standings) read as the language of the names: on CoNLL-2003 test
    # 5 English tables were da/de/nl, and their entities were lost.
    lang_prose_percent: int = 34
    # ...and at least this many letters in its plain words ('LIKE us on:' has 4, "Men's
    # singles" 7; 'unq unq unq unq' counts once): shorter lines are table cells, not prose.
    lang_prose_min_letters: int = 10
    # Inbox mode (`newsetl run --inbox DIR`): an entry of DIR modified less than this many
    # seconds ago (for a folder: anything in it) is taken to be still being written (a copy,
    # an upload) and is left for the next run, which says so. Not part of the fingerprint.
    inbox_settle_seconds: int = 60
    # Stories (tasks/story/): articles join a story while their average cosine similarity
    # to its documents (content words and names, tf x rarity x corpus idf) is at least this
    # percent. Measured on Multi-News dev, pairwise precision/recall, single run and two runs:
    # 17 (python -m evals.run stories): 0.941/0.688 and 0.904/0.696; 15: 0.906/0.714 and
    # 0.874/0.713 (precision >= 0.9 both ways at 17: a wrong merge misleads more than a split).
    story_similarity_percent: int = 17
    # Documents published more than this many days apart (both dates known) are never
    # compared: a story in OUT is joined only by articles of its time.
    story_window_days: int = 14
    # A document keeps its this-many heaviest terms (in the story state in OUT, too).
    story_max_terms: int = 150
    # A document's lead (its title and this many first words; 0 = off) is compared as a
    # second vector; a pair's similarity is the larger of the two. Multi-News dev at 17
    # (python -m evals.run stories): precision/recall 0.941/0.688 -> 0.941/0.711 in one
    # run, 0.904/0.696 -> 0.934/0.719 in two (lead of 100 words: 0.940/0.704, 0.907/0.720;
    # 400: at 16, 0.937/0.728, 0.896/0.725).
    story_lead_words: int = 250
    # Candidate pairs share one of their this-many heaviest terms (blocking: near-linear)...
    story_block_terms: int = 50
    # ...held by at most this many documents of the corpus (more: too common to block on).
    story_max_postings: int = 30
    # Candidate pairs less similar than this percent are left out of the clustering (they
    # hardly move an average, and the clustering's time grows with the pairs it holds).
    story_min_edge_percent: int = 5
    # Content words of fewer letters are no story terms (in scripts written without spaces
    # every pair of characters is a term).
    story_min_letters: int = 3
    # A document at least this percent of whose words are in known non-article notices
    # (web-archive crawl pages, 'enable JavaScript', 'page not found') gets no story.
    story_notice_percent: int = 50
    # A dateline's day without a year ('Oct 25', '05/12') takes the year that puts it on the
    # publication day, at most dateline_days_before days before it (a report filed some days
    # before it ran), or at most dateline_days_after days after it (time zones: a dateline in
    # Asia, a publication dated in America); a day/month reading both ways is kept when only
    # one reading falls in this window (tasks/text/dates.py). 0 allowed for both.
    dateline_days_before: int = 7
    dateline_days_after: int = 1

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool):
                continue
            if not isinstance(value, int) or value < (0 if name in ZERO_ALLOWED else 1):
                zero = ", ".join(ZERO_ALLOWED)
                raise ValueError(f"{name} must be an integer of at least 1 (0 for {zero}), got {value!r}")

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


DEFAULT = Config()
