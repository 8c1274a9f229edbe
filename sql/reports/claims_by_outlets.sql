-- claims_by_outlets: how many claims (matching sentences within a story, across its bundles:
-- view story_claims, with each document's outlet_key) are carried by 1, 2, 3 … outlets (a document
-- without an outlet counts as an outlet of its own, as in consensus)
with claims as (
    select
        story_key,
        claim_bundle_id,
        claim_id,
        count(distinct outlet_key) as n_outlets
    from story_claims
    group by all
)

select
    n_outlets,
    count(*) as n_claims,
    round(count(*) / sum(count(*)) over (), 4) as share
from claims
group by n_outlets
order by n_outlets
