-- claims_by_outlets: how many claims (matching sentences within a story, across its bundles:
-- view story_claims) are carried by 1, 2, 3 … outlets (a document without an outlet counts as
-- an outlet of its own, as in consensus)
with claims as (
    select
        c.story_key,
        c.claim_bundle_id,
        c.claim_id,
        count(distinct l.outlet_key) as n_outlets
    from story_claims as c
    inner join document_labels as l using (bundle_id, doc_id)
    group by all
)

select
    n_outlets,
    count(*) as n_claims,
    round(count(*) / sum(count(*)) over (), 4) as share
from claims
group by n_outlets
order by n_outlets
