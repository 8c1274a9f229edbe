-- unique_contributions: what each document adds, i.e. body sentences no other document carries
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

claim_spread as (
    select
        bundle_id,
        claim_id,
        count(distinct doc_id) as n_documents
    from sentences
    where claim_id is not null
    group by bundle_id, claim_id
),

own as (
    select
        s.bundle_id,
        s.doc_id,
        s.sent_id,
        s.text
    from sentences as s
    inner join claim_spread as c using (bundle_id, claim_id)
    where c.n_documents = 1
),

per_document as (
    select
        d.bundle_id,
        d.doc_id,
        d.source_path,
        l.headline,
        l.outlet,
        l.url,
        d.n_sentences,
        count(o.sent_id) over (partition by d.bundle_id, d.doc_id) as n_unique_sentences,
        o.sent_id,
        o.text
    from documents as d
    inner join doc_labels as l using (bundle_id, doc_id)
    left join own as o using (bundle_id, doc_id)
    where d.status = 'ok'
)

select
    bundle_id,
    source_path,
    headline,
    outlet,
    url,
    n_sentences,
    n_unique_sentences,
    round(n_unique_sentences / nullif(n_sentences, 0), 4) as unique_share,
    sent_id,
    text as unique_sentence
from per_document
order by bundle_id, source_path, sent_id
