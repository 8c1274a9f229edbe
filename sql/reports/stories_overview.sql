-- stories_overview: the stories (view stories: label, first seen, documents, outlets) with their
-- outlets by name (view document_labels), languages and publication dates, the largest first
with members as (
    select
        l.story_id,
        l.bundle_id,
        l.outlet,
        d.lang,
        d.published
    from document_labels as l
    inner join documents as d using (bundle_id, doc_id)
    where l.story_id is not null
),

per_story as (
    select
        story_id,
        count(distinct bundle_id) as n_bundles,
        count(distinct outlet) as n_named_outlets,
        list_sort(list(distinct outlet))[1:8] as first_outlets,
        string_agg(distinct lang, ', ' order by lang) as languages,
        min(published) as first_published,
        max(published) as last_published
    from members
    group by story_id
)

select
    s.story_id,
    s.label,
    s.n_documents,
    s.n_outlets,
    array_to_string(p.first_outlets, ', ') || if(p.n_named_outlets > len(p.first_outlets), ', …', '') as outlets,
    p.languages,
    p.n_bundles,
    s.first_seen,
    p.first_published,
    p.last_published
from stories as s
left join per_story as p using (story_id)
order by s.n_documents desc, s.n_outlets desc, s.first_seen, s.story_id
