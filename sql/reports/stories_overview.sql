-- stories_overview: the stories (view stories: label, first seen, documents, outlets) with their
-- outlets by name, languages and publication dates, the largest first
with members as (
    select
        story_id,
        bundle_id,
        lang,
        published,
        coalesce(
            nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
        ) as outlet
    from documents
    where story_id is not null
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
