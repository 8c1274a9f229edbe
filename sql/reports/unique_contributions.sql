-- unique_contributions: what each document adds to its story: sentences no other document of
-- the story carries (claims across the story's bundles: view story_claims); up to five of them
-- per document (n_unique_sentences counts them all)
with claim_spread as (
    select
        story_key,
        claim_bundle_id,
        claim_id,
        count(distinct (bundle_id, doc_id)) as n_documents
    from story_claims
    group by all
),

own as (
    select
        c.bundle_id,
        c.doc_id,
        c.sent_id,
        c.text,
        count(*) over (partition by c.bundle_id, c.doc_id) as n_unique_sentences,
        row_number() over (partition by c.bundle_id, c.doc_id order by c.sent_id) as rank_in_document
    from story_claims as c
    inner join claim_spread as p using (story_key, claim_bundle_id, claim_id)
    where p.n_documents = 1
)

select
    d.story_id,
    d.bundle_id,
    d.source_path,
    l.headline,
    l.outlet,
    l.url,
    d.n_sentences,
    coalesce(o.n_unique_sentences, 0) as n_unique_sentences,
    round(coalesce(o.n_unique_sentences, 0) / nullif(d.n_sentences, 0), 4) as unique_share,
    o.sent_id,
    o.text as unique_sentence
from documents as d
inner join document_labels as l using (bundle_id, doc_id)
left join own as o
    on o.bundle_id = d.bundle_id and o.doc_id = d.doc_id and o.rank_in_document <= 5
where d.status = 'ok'
order by d.story_id, d.bundle_id, d.source_path, o.sent_id
