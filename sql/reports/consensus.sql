-- consensus: claims (groups of exactly or nearly matching sentences) carried by several documents
with claim_sentences as (
    select
        s.bundle_id,
        s.claim_id,
        s.doc_id,
        s.sent_id,
        s.text,
        d.source_path,
        coalesce(d.outlet, d.doc_id) as outlet_key
    from sentences as s
    inner join documents as d using (bundle_id, doc_id)
    where s.claim_id is not null
),

claims as (
    select
        bundle_id,
        claim_id,
        count(distinct doc_id) as n_documents,
        count(distinct outlet_key) as n_outlets,
        count(distinct text) as n_wordings,
        arg_min(text, (source_path, sent_id)) as claim_text,
        string_agg(distinct source_path, ' | ' order by source_path) as documents
    from claim_sentences
    group by bundle_id, claim_id
)

select
    bundle_id,
    claim_id,
    n_documents,
    n_outlets,
    n_wordings,
    claim_text,
    documents
from claims
where n_documents > 1
order by bundle_id, n_outlets desc, n_documents desc, split_part(claim_id, ':', 1), try_cast(split_part(claim_id, ':', 2) as integer)
