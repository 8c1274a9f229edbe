-- syndication: near-duplicate clusters, and which sentences each copy shares with the others
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

shared as (
    select
        c.bundle_id,
        c.cluster_id,
        c.doc_id,
        s.sent_id,
        s.text,
        s.claim_id,
        string_agg(distinct o.source_path, ' | ' order by o.source_path) as shared_with
    from clustered as c
    inner join sentences as s
        on c.bundle_id = s.bundle_id and c.doc_id = s.doc_id
    inner join sentences as os
        on s.bundle_id = os.bundle_id and s.claim_id = os.claim_id and s.doc_id <> os.doc_id
    inner join clustered as o
        on os.bundle_id = o.bundle_id and os.doc_id = o.doc_id and o.cluster_id = c.cluster_id
    group by all
)

select
    c.bundle_id,
    c.cluster_id,
    c.n_copies,
    c.source_path,
    c.outlet_or_agency,
    sh.sent_id,
    sh.text as shared_sentence,
    sh.shared_with
from clustered as c
left join shared as sh
    on c.bundle_id = sh.bundle_id and c.doc_id = sh.doc_id
order by c.bundle_id, c.cluster_id, c.source_path, sh.sent_id
