-- consensus: within one story, claims (matching sentences, across the story's bundles: view
-- story_claims) carried by several of its documents; documents names up to ten of them
-- (n_documents counts them all; one of another bundle than the claim's as bundle_id/source_path);
-- bundle_id and claim_id name the claim
with claims as (
    select
        any_value(story_id) as story_id,
        claim_bundle_id,
        claim_id,
        count(distinct (bundle_id, doc_id)) as n_documents,
        count(distinct outlet_key) as n_outlets,
        count(distinct text) as n_wordings,
        arg_min(text, (bundle_id, source_path, sent_id)) as claim_text,
        -- a document of another bundle than the claim's is named bundle_id/source_path (paths repeat across bundles)
        list_sort(list(distinct if(bundle_id = claim_bundle_id, source_path, bundle_id || '/' || source_path)))[1:10]
            as documents
    from story_claims
    group by story_key, claim_bundle_id, claim_id
)

select
    story_id,
    claim_bundle_id as bundle_id,
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
    bundle_id, split_part(claim_id, ':', 1), try_cast(split_part(claim_id, ':', 2) as integer)
