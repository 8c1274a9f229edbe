-- story_claims: each body sentence's claim within its story. claim_id groups the matching
-- sentences of one bundle, but a story spans bundles: claims of one story that share a wording
-- (norm_hash), directly or through up to two other claims, are one story claim, named by the
-- smallest (bundle_id, claim_id) among them. A wording of fewer than 3 words (runs of letters, as
-- tasks/story/crossdoc.MIN_CLAIM_WORDS) links nothing. A document without a story is a story of its
-- own here (story_key; story_id stays null). Each row carries the sentence's text and how
-- reports name and count its document (source_path, outlet_key, document_name).
with claimed as (
    select
        d.story_id,
        coalesce(d.story_id, 'document:' || s.bundle_id || '/' || s.doc_id) as story_key,
        s.bundle_id,
        s.doc_id,
        s.sent_id,
        s.text,
        s.norm_hash,
        d.source_path,
        d.outlet_key,
        coalesce(d.outlet, d.headline, d.source_path) as document_name,
        len(regexp_extract_all(s.text, '\pL+')) >= 3 as links,
        {'bundle_id': s.bundle_id, 'claim_id': s.claim_id} as claim
    from sentences as s
    inner join document_labels as d using (bundle_id, doc_id)
    where s.claim_id is not null
),

claim_wordings as (
    select distinct
        story_key,
        claim,
        norm_hash
    from claimed
    where links
),

-- Each claim takes the smallest claim it reaches through shared wordings: three rounds of
-- "a wording's smallest claim, then a claim's smallest wording label" (each linear in the
-- rows; no pairs of claims, so a wording that 20,000 claims share costs 20,000 rows, not
-- 400 million). Three rounds join chains of up to three bundles' claims (A-B, B-C, C-D).
-- Written out on purpose: the same three rounds as a recursive CTE (a round counter, min() in
-- the recursive step) give the same rows but ran about 20% slower on 600,000 sentences.
wording_labels_1 as (
    select
        story_key,
        norm_hash,
        min(claim) as label
    from claim_wordings
    group by all
),

claim_labels_1 as (
    select
        c.story_key,
        c.claim,
        min(w.label) as label
    from claim_wordings as c
    inner join wording_labels_1 as w using (story_key, norm_hash)
    group by all
),

wording_labels_2 as (
    select
        c.story_key,
        c.norm_hash,
        min(l.label) as label
    from claim_wordings as c
    inner join claim_labels_1 as l using (story_key, claim)
    group by all
),

claim_labels_2 as (
    select
        c.story_key,
        c.claim,
        min(w.label) as label
    from claim_wordings as c
    inner join wording_labels_2 as w using (story_key, norm_hash)
    group by all
),

wording_labels_3 as (
    select
        c.story_key,
        c.norm_hash,
        min(l.label) as label
    from claim_wordings as c
    inner join claim_labels_2 as l using (story_key, claim)
    group by all
),

claim_names as (
    select
        c.story_key,
        c.claim,
        min(w.label) as story_claim
    from claim_wordings as c
    inner join wording_labels_3 as w using (story_key, norm_hash)
    group by all
)

select
    c.story_id,
    c.story_key,
    c.bundle_id,
    c.doc_id,
    c.sent_id,
    coalesce(n.story_claim, c.claim).bundle_id as claim_bundle_id,
    coalesce(n.story_claim, c.claim).claim_id as claim_id,
    c.text,
    c.source_path,
    c.outlet_key,
    c.document_name
from claimed as c
left join claim_names as n using (story_key, claim)
