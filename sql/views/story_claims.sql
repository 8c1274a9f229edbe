-- story_claims: each body sentence's claim within its story. claim_id groups the matching
-- sentences of one bundle, but a story spans bundles: claims of different bundles of one story
-- that share a wording (norm_hash) are one story claim, named by the smallest (bundle_id,
-- claim_id) among the claims sharing a wording with it. A wording of fewer than 3 words (runs of
-- letters, as tasks/crossdoc.MIN_CLAIM_WORDS) links nothing. A document without a story is a
-- story of its own here (story_key; story_id stays null).
with claimed as (
    select
        d.story_id,
        coalesce(d.story_id, 'document:' || s.bundle_id || '/' || s.doc_id) as story_key,
        s.bundle_id,
        s.doc_id,
        s.sent_id,
        s.norm_hash,
        len(regexp_extract_all(s.text, '\pL+')) >= 3 as links,
        {'bundle_id': s.bundle_id, 'claim_id': s.claim_id} as claim
    from sentences as s
    inner join documents as d using (bundle_id, doc_id)
    where s.claim_id is not null
),

wording_claims as (
    select
        story_key,
        norm_hash,
        min(claim) as first_claim
    from claimed
    where links
    group by story_key, norm_hash
),

claim_names as (
    select
        c.story_key,
        c.claim,
        min(w.first_claim) as story_claim
    from claimed as c
    inner join wording_claims as w using (story_key, norm_hash)
    where c.links
    group by c.story_key, c.claim
)

select
    c.story_id,
    c.story_key,
    c.bundle_id,
    c.doc_id,
    c.sent_id,
    coalesce(n.story_claim, c.claim).bundle_id as claim_bundle_id,
    coalesce(n.story_claim, c.claim).claim_id as claim_id
from claimed as c
left join claim_names as n using (story_key, claim)
