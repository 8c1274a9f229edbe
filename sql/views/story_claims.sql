-- story_claims: each body sentence's claim within its story. claim_id groups the matching
-- sentences of one bundle, but a story spans bundles: claims of one story that share a wording
-- (norm_hash), directly or through other claims, are one story claim, named by the smallest
-- (bundle_id, claim_id) among them. A wording of fewer than 3 words (runs of letters, as
-- tasks/crossdoc.MIN_CLAIM_WORDS) links nothing. A document without a story is a story of its
-- own here (story_key; story_id stays null).
with recursive claimed as (
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

shared_wordings as (
    -- wordings that more than one claim of a story carries (within a bundle a wording is one claim)
    select
        story_key,
        norm_hash
    from claimed
    where links
    group by story_key, norm_hash
    having count(distinct claim) > 1
),

claim_edges as (
    select distinct
        a.story_key,
        a.claim as from_claim,
        b.claim as to_claim
    from shared_wordings as w
    inner join claimed as a using (story_key, norm_hash)
    inner join claimed as b using (story_key, norm_hash)
),

reachable (story_key, from_claim, to_claim) as (
    select
        story_key,
        from_claim,
        to_claim
    from claim_edges
    union
    select
        r.story_key,
        r.from_claim,
        e.to_claim
    from reachable as r
    inner join claim_edges as e
        on e.story_key = r.story_key and e.from_claim = r.to_claim
),

claim_names as (
    select
        story_key,
        from_claim as claim,
        min(to_claim) as story_claim
    from reachable
    group by story_key, from_claim
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
