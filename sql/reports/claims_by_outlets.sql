-- claims_by_outlets: how many claims (groups of matching sentences) are carried by 1, 2, 3 … outlets
-- (a document without an outlet counts as an outlet of its own, as in consensus)
with claim_sentences as (
    select
        s.bundle_id,
        s.claim_id,
        s.doc_id,
        coalesce(d.outlet, d.doc_id) as outlet_key
    from sentences as s
    inner join documents as d using (bundle_id, doc_id)
    where s.claim_id is not null
),

claims as (
    select
        bundle_id,
        claim_id,
        count(distinct outlet_key) as n_outlets
    from claim_sentences
    group by bundle_id, claim_id
)

select
    n_outlets,
    count(*) as n_claims,
    round(count(*) / sum(count(*)) over (), 4) as share
from claims
group by n_outlets
order by n_outlets
