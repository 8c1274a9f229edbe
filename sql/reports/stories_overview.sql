-- stories_overview: one row per story (documents.story_id): its size, outlets, dates and a headline
-- (the headline of its earliest document); no rows while documents carry no story_id
with docs as (
    select * from documents
    union all by name
    select null::varchar as story_id where false  -- story_id until documents carry it
),

openings as (
    select
        *,
        trim(regexp_extract(text, '^\s*([^\n]*)', 1)) as opening
    from docs
    where story_id is not null
),

labelled as (
    select
        story_id,
        bundle_id,
        doc_id,
        source_path,
        published,
        lang,
        coalesce(
            nullif(trim(title), ''),
            if(length(opening) > 110, regexp_extract(opening, '^(.{0,100}\S*)', 1) || ' …', nullif(opening, ''))
        ) as headline,
        coalesce(
            nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
        ) as outlet
    from openings
),

per_story as (
    select
        story_id::varchar as story_id,
        arg_min(headline, (published is null, published, source_path)) as headline,
        count(*) as n_documents,
        count(distinct outlet) as n_outlets,
        count(distinct bundle_id) as n_bundles,
        list_sort(list(distinct outlet))[1:8] as first_outlets,
        string_agg(distinct lang, ', ' order by lang) as languages,
        min(published) as first_published,
        max(published) as last_published
    from labelled
    group by story_id
)

select
    story_id,
    headline,
    n_documents,
    n_outlets,
    array_to_string(first_outlets, ', ') || if(n_outlets > len(first_outlets), ', …', '') as outlets,
    languages,
    n_bundles,
    first_published,
    last_published
from per_story
order by n_documents desc, n_outlets desc, first_published nulls last, story_id
