-- stories: one row per story of OUT (documents.story_id: across bundles and runs), with the day
-- it was first seen, its documents and outlets, and a label: the headline of its first document
-- that has one, else its three names found in most of its documents, else the opening of its
-- first document
with members as (
    select
        l.story_id,
        l.bundle_id,
        l.doc_id,
        s.seen_date,
        l.source_path,
        if(l.has_title, l.headline, null) as headline,
        if(l.has_title, null, l.headline) as opening,
        l.outlet_key
    from document_labels as l
    left join story_documents as s on s.bundle_id = l.bundle_id and s.doc_id = l.doc_id
    where l.story_id is not null
),

name_counts as (
    select
        m.story_id,
        coalesce(e.canonical, e.text) as name,
        count(distinct m.doc_id) as n_documents,
        count(*) as n_mentions
    from members as m
    inner join entities as e on e.bundle_id = m.bundle_id and e.doc_id = m.doc_id
    where e.label in ('PERSON', 'PER', 'ORG', 'GPE', 'LOC', 'FAC', 'EVENT', 'NORP', 'PRODUCT', 'WORK_OF_ART', 'LAW', 'MISC')
    group by m.story_id, coalesce(e.canonical, e.text)
),

top_names as (
    select
        story_id,
        array_to_string(list(name order by n_documents desc, n_mentions desc, name)[1:3], ', ') as names
    from name_counts
    group by story_id
),

per_story as (
    select
        story_id,
        min(seen_date) as first_seen,
        count(*) as n_documents,
        count(distinct outlet_key) as n_outlets,
        arg_min(headline, (seen_date, bundle_id, source_path)) filter (where headline is not null) as headline,
        arg_min(opening, (seen_date, bundle_id, source_path)) as opening
    from members
    group by story_id
)

select
    p.story_id,
    p.first_seen,
    p.n_documents,
    p.n_outlets,
    coalesce(p.headline, nullif(t.names, ''), p.opening) as label
from per_story as p
left join top_names as t using (story_id)
order by p.n_documents desc, p.first_seen, p.story_id
