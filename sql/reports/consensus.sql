-- consensus: within one story, claims (groups of exactly or nearly matching sentences) carried
-- by several of its documents; documents names up to ten of them (n_documents counts them all)
with claim_sentences as (
    select
        d.story_id,
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
        story_id,
        bundle_id,
        claim_id,
        count(distinct doc_id) as n_documents,
        count(distinct outlet_key) as n_outlets,
        count(distinct text) as n_wordings,
        arg_min(text, (source_path, sent_id)) as claim_text,
        list_sort(list(distinct source_path))[1:10] as documents
    from claim_sentences
    group by story_id, bundle_id, claim_id
)

select
    story_id,
    bundle_id,
    claim_id,
    n_documents,
    n_outlets,
    n_wordings,
    claim_text,
    array_to_string(documents, ' | ') as documents
from claims
where n_documents > 1
order by
    story_id, n_outlets desc, n_documents desc,
    split_part(claim_id, ':', 1), try_cast(split_part(claim_id, ':', 2) as integer)
