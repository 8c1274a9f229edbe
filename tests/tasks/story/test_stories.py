from datetime import date

import pyarrow as pa

from tasks.config import Config
from tasks.story.stories import StoryBatch, StoryDocument, assign_stories, story_documents
from tasks.story.terms import document_terms

RUN = date(2026, 3, 2)

FLOOD = [
    "A berm holding the flooded Missouri River back from the Fort Calhoun nuclear power station collapsed on Sunday. "
    "The Nuclear Regulatory Commission said the Nebraska plant remained safe and its reactor was shut down.",
    "Floodwater from the Missouri River surrounded the Fort Calhoun nuclear plant in Nebraska after a berm collapsed. "
    "Regulators from the Nuclear Regulatory Commission said the reactor had been shut down since April.",
    "The Nuclear Regulatory Commission chairman toured the Fort Calhoun plant as the Missouri River kept rising. "
    "Officials said the berm failure let water reach the Nebraska station's transformers.",
]
JERSEYS = [
    "The Colorado Rockies gave out 15,000 replica jerseys honoring shortstop Troy Tulowitzki with his name misspelled. "
    "Fans at Coors Field noticed the jerseys read Tulowizki.",
    "Fans got Troy Tulowitzki jerseys with a spelling error at the Rockies game on Saturday, and the Colorado team "
    "offered to exchange the misspelled shirts.",
]


def _doc(doc_id: str, text: str, published: date | None = None) -> StoryDocument:
    return StoryDocument(doc_id, document_terms(text, "en"), published)


def _bundle(prefix: str, texts: list[str], published: date | None = None) -> list[StoryDocument]:
    return [_doc(f"{prefix}{i}", t, published) for i, t in enumerate(texts)]


def test_same_event_in_other_words_shares_a_story_named_after_its_first_document():
    docs = _bundle("f", FLOOD) + _bundle("j", JERSEYS)
    result = assign_stories(docs, None, None, RUN)
    assert {result.story_of[d] for d in ("f0", "f1", "f2")} == {"f0"}
    assert {result.story_of[d] for d in ("j0", "j1")} == {"j0"}
    assert result.n_new_stories == 2 and result.n_joined == 0
    rows = result.documents.to_pylist()
    assert rows[0] == {"doc_id": "f0", "story_id": "f0", "published_date": None, "seen_date": RUN}
    assert set(result.terms["doc_id"].to_pylist()) == {"f0", "f1", "f2", "j0", "j1"}


def test_a_later_run_joins_the_story_of_an_earlier_one():
    day1 = assign_stories(_bundle("f", FLOOD[:2]) + _bundle("j", JERSEYS[:1]), None, None, date(2026, 3, 1))
    day2 = assign_stories(_bundle("g", FLOOD[2:]) + _bundle("k", JERSEYS[1:]), day1.documents, day1.terms, RUN)
    assert day2.story_of == {"g0": "f0", "k0": "j0"}
    assert day2.n_joined == 2 and day2.n_new_stories == 0
    # running day 1 again with day 1 already in the state: its own rows are ignored, same ids
    again = assign_stories(_bundle("f", FLOOD[:2]) + _bundle("j", JERSEYS[:1]), day1.documents, day1.terms, RUN)
    assert again.story_of == day1.story_of


def test_the_first_published_document_names_a_new_story():
    docs = [_doc("late", FLOOD[0], date(2026, 3, 5)), _doc("early", FLOOD[1], date(2026, 3, 4))]
    result = assign_stories(docs, None, None, RUN)
    assert result.story_of == {"late": "early", "early": "early"}
    assert result.documents["seen_date"].to_pylist() == [date(2026, 3, 5), date(2026, 3, 4)]


def test_articles_published_outside_the_window_are_not_compared():
    config = Config(story_window_days=7)
    near = [_doc("a", FLOOD[0], date(2026, 3, 1)), _doc("b", FLOOD[1], date(2026, 3, 8))]
    assert len(set(assign_stories(near, None, None, RUN, config).story_of.values())) == 1
    far = [_doc("a", FLOOD[0], date(2026, 3, 1)), _doc("b", FLOOD[1], date(2026, 3, 9))]
    assert len(set(assign_stories(far, None, None, RUN, config).story_of.values())) == 2
    undated = [_doc("a", FLOOD[0], date(2026, 3, 1)), _doc("b", FLOOD[1])]
    assert len(set(assign_stories(undated, None, None, RUN, config).story_of.values())) == 1


def test_the_threshold_is_a_setting():
    docs = _bundle("f", FLOOD)
    assert len(set(assign_stories(docs, None, None, RUN, Config(story_similarity_percent=99)).story_of.values())) == 3


def test_candidates_need_a_shared_heavy_term():
    # blocking on each document's 3 heaviest terms: the two flood articles meet (one pair);
    # the unrelated article is compared with neither
    docs = _bundle("f", FLOOD[:2]) + _bundle("j", JERSEYS[:1])
    result = assign_stories(docs, None, None, RUN, Config(story_block_terms=3))
    assert result.n_candidate_pairs == 1
    assert result.story_of == {"f0": "f0", "f1": "f0", "j0": "j0"}
    # on its single heaviest term, no pair shares one: nothing is compared, however similar
    alone = assign_stories(docs, None, None, RUN, Config(story_block_terms=1))
    assert alone.n_candidate_pairs == 0 and len(set(alone.story_of.values())) == 3


def test_empty_bundle_and_empty_state():
    result = assign_stories([], None, None, RUN)
    assert result.story_of == {} and result.documents.num_rows == 0 and result.terms.num_rows == 0


def test_story_documents_leave_out_notices_and_documents_without_text():
    documents = pa.table(
        {
            "doc_id": ["a", "b", "c", "d"],
            "text": [FLOOD[0], "JavaScript is disabled. You need to enable JavaScript to use this site.", None, FLOOD[1]],
            "lang": ["en", "en", None, "en"],
            "title": [None, None, None, "Berm collapses at Nebraska plant"],
            "published": [date(2026, 3, 1), None, None, None],  # documents.published: a day, read by tasks/text/dates.py
            "status": ["ok", "ok", "empty", "ok"],
        }
    )
    entities = pa.table({"doc_id": ["a"], "text": ["Fort Calhoun"], "label": ["FAC"]})
    grouped, notices = story_documents(documents, entities)
    assert [d.doc_id for d in grouped] == ["a", "d"] and notices == ["b"]
    assert grouped[0].published == date(2026, 3, 1) and grouped[1].published is None
    assert "e:fort calhoun" in grouped[0].terms and "berm" in grouped[1].terms


def test_state_documents_outside_the_window_are_left_out():
    config = Config(story_window_days=7)
    day1 = assign_stories(
        [_doc("old", FLOOD[0], date(2026, 1, 1)), _doc("recent", FLOOD[1], date(2026, 2, 27)), _doc("undated", JERSEYS[0])],
        None, None, RUN, config,
    )
    later = assign_stories([_doc("new", FLOOD[2], date(2026, 3, 2))], day1.documents, day1.terms, RUN, config)
    assert later.story_of["new"] == day1.story_of["recent"] != day1.story_of["old"]
    undated = assign_stories([_doc("new", FLOOD[2])], day1.documents, day1.terms, RUN, config)
    assert undated.story_of["new"] in {day1.story_of["recent"], day1.story_of["old"]}


def test_a_compact_batch_groups_as_the_documents_do():
    docs = _bundle("f", FLOOD) + _bundle("j", JERSEYS)
    halves = StoryBatch.concat([StoryBatch.of(docs[:2]), StoryBatch.of(docs[2:]), StoryBatch.of([])])
    assert halves.doc_ids == [d.doc_id for d in docs]
    assert assign_stories(halves, None, None, RUN).story_of == assign_stories(docs, None, None, RUN).story_of
    assert halves.terms.num_rows == sum(len(d.terms) for d in docs)


def test_a_rerun_with_other_text_never_reuses_a_story_id_other_documents_keep():
    day1 = assign_stories(_bundle("f", FLOOD[:1]), None, None, date(2026, 3, 1))
    day2 = assign_stories(_bundle("g", FLOOD[1:]), day1.documents, day1.terms, RUN)
    assert set(day2.story_of.values()) == {"f0"}
    state_docs = pa.concat_tables([day1.documents, day2.documents])
    state_terms = pa.concat_tables([day1.terms, day2.terms])
    # bundle f again, its document now about another event: story f0 lives on in g0, g1
    again = assign_stories(_bundle("f", JERSEYS[:1]), state_docs, state_terms, RUN)
    assert again.story_of == {"f0": "f0~1"} and again.n_new_stories == 1


def test_chinese_articles_about_one_event_share_a_story():
    storm = ["北京市周一遭遇特大暴雨，全市中小学停课一天，地铁部分线路暂停运营。",
             "特大暴雨袭击北京，中小学停课，多条地铁线路暂停运营，市民出行受阻。"]
    other = "上海国际电影节周六开幕，多部新片举行全球首映，影迷排队入场。"
    docs = [StoryDocument(f"z{i}", document_terms(t, "zh"), None) for i, t in enumerate([*storm, other])]
    result = assign_stories(docs, None, None, RUN)
    assert result.story_of == {"z0": "z0", "z1": "z0", "z2": "z2"}


def test_the_state_window_uses_the_day_a_document_was_seen_when_it_has_no_date():
    from tasks.story.stories import state_window

    day1 = assign_stories([_doc("dated", FLOOD[0], date(2026, 2, 27)), _doc("seen_long_ago", FLOOD[1])],
                          None, None, date(2025, 6, 1))
    near = state_window(day1.documents, [None], RUN, 7)  # an undated new document: the run's day
    assert near["doc_id"].to_pylist() == ["dated"]
    assert state_window(day1.documents, [date(2025, 6, 3)], RUN, 7)["doc_id"].to_pylist() == ["seen_long_ago"]
    assert state_window(day1.documents, [], RUN, 7).num_rows == 0


COOKING = (
    "Slice the onions thinly and fry them slowly in butter until golden, then stir in the garlic, "
    "thyme and a spoonful of flour before adding the stock, simmering the soup for forty minutes. "
    "Toast thick slices of bread, cover them with grated cheese and grill them until bubbling."
)


def test_articles_that_share_their_lead_share_a_story_though_their_backgrounds_differ():
    from tasks.story.terms import lead_terms

    lead = FLOOD[0]
    texts = {"a": f"{lead} " + " ".join(JERSEYS * 4), "b": f"{lead} " + " ".join([COOKING] * 4)}

    def group(words: int) -> dict:
        config = Config(story_lead_words=words)
        docs = [StoryDocument(d, {**document_terms(t, "en"), **lead_terms(t, "en", None, words, 150, 3)}) for d, t in texts.items()]
        return assign_stories(docs, None, None, RUN, config).story_of

    assert group(0) == {"a": "a", "b": "b"}  # the whole texts alone: too little in common
    assert group(40) == {"a": "a", "b": "a"}
    assert lead_terms(lead, "en", "Flood", 0, 150, 3) == {}
    assert all(t.startswith("l:") for t in lead_terms(lead, "en", "Flood", 40, 150, 3))
