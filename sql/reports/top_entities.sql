-- top_entities: the 25 most frequent canonical entities of each label, with document frequency
with mentions as (
    select
        e.label,
        e.canonical,
        e.text,
        e.doc_id
    from entities as e
),

per_entity as (
    select
        label,
        canonical,
        count(*) as n_mentions,
        count(distinct doc_id) as n_documents,
        count(distinct text) as n_surface_forms,
        string_agg(distinct text, ' | ' order by text) as surface_forms
    from mentions
    group by label, canonical
),

ranked as (
    select
        *,
        row_number() over (
            partition by label order by n_documents desc, n_mentions desc, canonical
        ) as rank_in_label
    from per_entity
)

select
    label,
    rank_in_label,
    canonical,
    n_documents,
    n_mentions,
    n_surface_forms,
    surface_forms
from ranked
where rank_in_label <= 25
order by
    coalesce(list_position(['PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'EVENT', 'FAC', 'PRODUCT', 'WORK_OF_ART', 'LAW'], label), 99),
    label,
    rank_in_label
