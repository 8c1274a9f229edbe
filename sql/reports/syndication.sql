-- syndication: near-duplicate clusters, and which sentences each copy shares with the others
-- (shared_with names up to five other copies; n_shared_with counts them all)
with copies as (
    select
        bundle_id,
        cluster_id,
        doc_id,
        source_path,
        coalesce(outlet, agency) as outlet_or_agency,
        count(*) over (partition by bundle_id, cluster_id) as n_copies
    from documents
    where cluster_id is not null
),

clustered as (
    select *
    from copies
    where n_copies > 1
),

cluster_sentences as (
    select
        c.bundle_id,
        c.cluster_id,
        c.doc_id,
        c.source_path,
        s.sent_id,
        s.text,
        s.claim_id
    from clustered as c
    inner join sentences as s using (bundle_id, doc_id)
    where s.claim_id is not null
),

claim_carriers as (
    select
        bundle_id,
        cluster_id,
        claim_id,
        count(distinct doc_id) as n_carriers,
        list_sort(list(distinct source_path))[1:6] as first_carriers
    from cluster_sentences
    group by all
),

shared as (
    select
        cs.bundle_id,
        cs.doc_id,
        cs.sent_id,
        cs.text,
        cc.n_carriers - 1 as n_shared_with,
        list_filter(cc.first_carriers, lambda p: p <> cs.source_path)[1:5] as named
    from cluster_sentences as cs
    inner join claim_carriers as cc using (bundle_id, cluster_id, claim_id)
    where cc.n_carriers > 1
)

select
    c.bundle_id,
    c.cluster_id,
    c.n_copies,
    c.source_path,
    c.outlet_or_agency,
    sh.sent_id,
    sh.text as shared_sentence,
    sh.n_shared_with,
    array_to_string(sh.named, ' | ')
    || if(sh.n_shared_with > len(sh.named), ' | … ' || (sh.n_shared_with - len(sh.named)) || ' more', '')
        as shared_with
from clustered as c
left join shared as sh
    on c.bundle_id = sh.bundle_id and c.doc_id = sh.doc_id
order by c.bundle_id, c.cluster_id, c.source_path, sh.sent_id
