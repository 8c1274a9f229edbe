-- outlets: documents per outlet (view document_labels: the document's outlet, else its URL's host,
-- else its agency)
with labelled as (
    select
        l.outlet,
        l.bundle_id,
        l.story_id,
        d.lang,
        d.status,
        d.published
    from document_labels as l
    inner join documents as d using (bundle_id, doc_id)
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
