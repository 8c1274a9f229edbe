-- outlets: documents per outlet (the document's outlet, else its URL's host, else its agency)
with labelled as (
    select
        coalesce(
            nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
        ) as outlet,
        bundle_id,
        story_id,
        lang,
        status,
        published
    from documents
)

select
    coalesce(outlet, '(outlet unknown)') as outlet,
    count(*) as n_documents,
    count(*) filter (where status = 'ok') as n_ok,
    count(distinct bundle_id) as n_bundles,
    count(distinct story_id) as n_stories,
    string_agg(distinct lang, ', ' order by lang) filter (where status = 'ok') as languages,
    min(published) as first_published,
    max(published) as last_published
from labelled
group by outlet
order by n_documents desc, outlet
