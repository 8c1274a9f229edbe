-- quotes_by_speaker: who is quoted, how often, in how many documents, with which verbs
with attributed as (
    select
        q.bundle_id,
        coalesce(q.speaker, '(unattributed)') as speaker,
        q.doc_id,
        q.verb,
        q.text,
        d.source_path
    from quotes as q
    inner join documents as d using (bundle_id, doc_id)
)

select
    bundle_id,
    speaker,
    count(*) as n_quotes,
    count(distinct doc_id) as n_documents,
    string_agg(distinct verb, ', ' order by verb) as verbs,
    arg_min(text, (source_path, length(text))) as example_quote
from attributed
group by bundle_id, speaker
order by bundle_id, n_quotes desc, speaker
