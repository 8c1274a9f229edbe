-- conflicting_amounts: the same counted noun (or the same thing paid for, in one currency)
-- given different values across documents
with doc_labels as (
    -- each document's headline (its title, else its first line cut near 100 characters), outlet and link
    select
        bundle_id,
        doc_id,
        coalesce(
            nullif(trim(title), ''),
            if(length(first_line) > 110, regexp_extract(first_line, '^(.{0,100}\S*)', 1) || ' …', nullif(first_line, ''))
        ) as headline,
        coalesce(
            nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
        ) as outlet,
        url
    from (
        select
            bundle_id,
            doc_id,
            title,
            outlet,
            url,
            agency,
            trim(regexp_extract(left(text, 400), '^\s*([^\n]*)', 1)) as first_line
        from documents
    )
),

amounts_in_docs as (
    select
        a.bundle_id,
        a.kind,
        a.noun as subject,
        coalesce(a.unit, '') as unit,
        a.value,
        a.text,
        d.source_path,
        {'outlet': l.outlet, 'headline': l.headline, 'url': l.url, 'source_path': d.source_path} as link
    from amounts as a
    inner join documents as d using (bundle_id, doc_id)
    inner join doc_labels as l using (bundle_id, doc_id)
    where a.noun is not null
),

per_value as (
    select
        bundle_id,
        kind,
        subject,
        unit,
        value,
        count(distinct source_path) as n_documents,
        string_agg(distinct text, ' | ' order by text) as as_written,
        string_agg(distinct source_path, ' | ' order by source_path) as documents,
        to_json(list_sort(list(distinct link))[1:10])::varchar as document_links  -- the first 10, as JSON
    from amounts_in_docs
    group by all
),

conflicts as (
    select
        bundle_id,
        kind,
        subject,
        unit
    from per_value
    group by all
    having count(*) > 1 and sum(n_documents) > 1
)

select
    v.bundle_id,
    v.subject,
    v.kind,
    nullif(v.unit, '') as unit,
    v.value,
    v.n_documents,
    v.as_written,
    v.documents,
    v.document_links
from per_value as v
inner join conflicts using (bundle_id, kind, subject, unit)
order by v.bundle_id, v.subject, v.value
