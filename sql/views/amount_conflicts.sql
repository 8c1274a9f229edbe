-- amount_conflicts: within one story, one fact given different values. A fact is a counted noun
-- (or the thing paid for, in one currency) whose sentences share a context word (4+ letters, not
-- a common word, not a word of the amount itself): "sent 3,000 troops to Russia" and "12,000 troops ... in Russia"
-- are one fact; "30 people were killed" and "30,000 people marched" with nothing else in common
-- are not. One row per conflicting value, with a sentence that gives it as evidence.
with amounts_in_stories as (
    select
        d.story_id,
        a.bundle_id,
        a.doc_id,
        a.kind,
        a.noun as subject,
        coalesce(a.unit, '') as unit,
        a.value,
        a.text as as_written,
        s.text as sentence,
        list_filter(
            regexp_split_to_array(lower(s.text), '[^[:alpha:]]+'),
            lambda w: length(w) >= 4
                and not starts_with(w, a.noun)
                and not list_contains(regexp_split_to_array(lower(a.text), '[^[:alpha:]]+'), w)
                and not list_contains([
                'that', 'this', 'with', 'from', 'have', 'been', 'were', 'said', 'says', 'will', 'would',
                'could', 'should', 'about', 'after', 'before', 'more', 'than', 'they', 'their', 'there',
                'which', 'when', 'what', 'also', 'into', 'over', 'some', 'such', 'only', 'other', 'last',
                'year', 'years', 'week', 'weeks', 'month', 'months', 'most', 'many', 'much', 'total',
                'number', 'least', 'around', 'nearly', 'almost', 'including', 'according', 'told', 'them',
                'then', 'while', 'where', 'because', 'being', 'under', 'between', 'since', 'each', 'both',
                'these', 'those', 'still', 'just', 'very', 'even', 'like', 'made', 'make', 'monday',
                'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'percent', 'million',
                'millions', 'billion', 'billions', 'thousand', 'thousands', 'hundred', 'hundreds',
                'dollars', 'euros', 'pounds'
            ], w)
        ) as words
    from amounts as a
    inner join documents as d using (bundle_id, doc_id)
    inner join sentences as s using (bundle_id, doc_id, sent_id)
    where a.noun is not null and d.story_id is not null
),

per_value as (
    select
        story_id,
        kind,
        subject,
        unit,
        value,
        count(distinct (bundle_id, doc_id)) as n_documents,
        list_sort(list(distinct as_written))[1:5] as as_written,
        arg_min({'bundle_id': bundle_id, 'doc_id': doc_id, 'sentence': sentence}, (bundle_id, doc_id)) as evidence,
        list_sort(list(distinct {'bundle_id': bundle_id, 'doc_id': doc_id}))[1:10] as documents,
        list_distinct(flatten(list(words))) as context
    from amounts_in_stories
    group by all
),

conflicting as (
    select
        x.story_id,
        x.kind,
        x.subject,
        x.unit,
        x.value,
        count(*) as n_other_values,
        list_sort(list_distinct(flatten(list(list_intersect(x.context, y.context)))))[1:5] as shared_context
    from per_value as x
    inner join per_value as y
        on x.story_id = y.story_id
        and x.kind = y.kind
        and x.subject = y.subject
        and x.unit = y.unit
        and x.value <> y.value
    where len(list_intersect(x.context, y.context)) > 0
    group by all
)

select
    v.story_id,
    v.subject,
    v.kind,
    nullif(v.unit, '') as unit,
    v.value,
    v.n_documents,
    c.n_other_values,
    array_to_string(v.as_written, ' | ') as as_written,
    v.evidence.sentence as evidence,
    v.evidence.bundle_id as evidence_bundle_id,
    v.evidence.doc_id as evidence_doc_id,
    v.documents,
    array_to_string(c.shared_context, ', ') as shared_context
from per_value as v
inner join conflicting as c using (story_id, kind, subject, unit, value)
