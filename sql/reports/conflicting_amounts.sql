-- conflicting_amounts: within one story, one fact given different values (the view
-- amount_conflicts says what one fact is), each value with a sentence that gives it as evidence
-- and the documents that give it (the first 10, by headline, outlet and link)
with conflicts as (
    select
        *,
        row_number() over () as row_key
    from amount_conflicts
),

value_documents as (
    select
        row_key,
        unnest(documents) as document
    from conflicts
),

links as (
    select
        v.row_key,
        string_agg(l.source_path, ' | ' order by l.source_path) as documents,
        to_json(list(
            {'outlet': l.outlet, 'headline': l.headline, 'url': l.url, 'source_path': l.source_path}
            order by l.outlet, l.source_path
        ))::varchar as document_links
    from value_documents as v
    inner join document_labels as l
        on l.bundle_id = v.document.bundle_id and l.doc_id = v.document.doc_id
    group by v.row_key
)

select
    c.story_id,
    c.subject,
    c.kind,
    c.unit,
    c.value,
    c.n_documents,
    c.n_other_values,
    c.as_written,
    c.evidence,
    e.headline as evidence_headline,
    e.outlet as evidence_outlet,
    c.shared_context,
    l.documents,
    l.document_links
from conflicts as c
left join links as l using (row_key)
left join document_labels as e
    on e.bundle_id = c.evidence_bundle_id and e.doc_id = c.evidence_doc_id
order by c.story_id, c.subject, c.kind, c.unit, c.value
