-- unique_contributions: what each document adds to its story: sentences no other document of
-- the story carries; up to five of them per document (n_unique_sentences counts them all)
with story_claims as (
    select
        d.story_id,
        s.bundle_id,
        s.claim_id,
        count(distinct s.doc_id) as n_documents
    from sentences as s
    inner join documents as d using (bundle_id, doc_id)
    where s.claim_id is not null
    group by all
),

own as (
    select
        s.bundle_id,
        s.doc_id,
        s.sent_id,
        s.text,
        count(*) over (partition by s.bundle_id, s.doc_id) as n_unique_sentences,
        row_number() over (partition by s.bundle_id, s.doc_id order by s.sent_id) as rank_in_document
    from sentences as s
    inner join documents as d using (bundle_id, doc_id)
    inner join story_claims as c
        on c.story_id is not distinct from d.story_id and c.bundle_id = s.bundle_id and c.claim_id = s.claim_id
    where c.n_documents = 1
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
