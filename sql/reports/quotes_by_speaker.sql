-- quotes_by_speaker: within one story (documents without one: story_id null), who is quoted,
-- how often, in how many documents and outlets, with which verbs (up to five), and one example
with attributed as (
    select
        d.story_id,
        coalesce(q.speaker, '(unattributed)') as speaker,
        q.doc_id,
        q.verb,
        q.text,
        d.source_path,
        d.outlet_key
    from quotes as q
    inner join document_labels as d using (bundle_id, doc_id)
)

select
    story_id,
    speaker,
    count(*) as n_quotes,
    count(distinct doc_id) as n_documents,
    count(distinct outlet_key) as n_outlets,
    array_to_string(list_sort(list(distinct verb))[1:5], ', ') as verbs,
    arg_min(text, (source_path, length(text))) as example_quote
from attributed
group by story_id, speaker
order by story_id, speaker = '(unattributed)', n_quotes desc, speaker
