-- document_list: every document with its headline (its title, else its opening words), outlet and link
-- (view document_labels), the documents of the largest stories first
with listed as (
    select
        l.*,
        d.published,
        d.author,
        d.lang,
        d.status,
        d.n_sentences,
        d.n_chars,
        if(l.story_id is null, 0, count(*) over (partition by l.story_id)) as story_size
    from document_labels as l
    inner join documents as d using (bundle_id, doc_id)
)

select
    bundle_id,
    story_id,
    headline,
    has_title,
    outlet,
    published,
    author,
    lang,
    status,
    n_sentences,
    n_chars,
    url,
    source_path,
    doc_id
from listed
order by story_size desc, story_id, published nulls last, bundle_id, outlet nulls last, source_path
