-- entity_cooccurrence: pairs of named entities mentioned in the same sentence
-- (numeric and date labels left out: they co-occur with everything)
with named as (
    select distinct
        doc_id,
        sent_id,
        canonical,
        label
    from entities
    where label in ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC', 'EVENT', 'PRODUCT', 'WORK_OF_ART', 'LAW')
),

pairs as (
    select
        a.canonical as entity_a,
        a.label as label_a,
        b.canonical as entity_b,
        b.label as label_b,
        a.doc_id,
        a.sent_id
    from named as a
    inner join named as b
        on a.doc_id = b.doc_id
        and a.sent_id = b.sent_id
        and (a.canonical, a.label) < (b.canonical, b.label)
),

counted as (
    select
        entity_a,
        label_a,
        entity_b,
        label_b,
        count(*) as n_sentences,
        count(distinct doc_id) as n_documents
    from pairs
    group by entity_a, label_a, entity_b, label_b
)

select *
from counted
order by n_sentences desc, n_documents desc, entity_a, entity_b
limit 500
