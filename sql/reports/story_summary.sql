-- story_summary: one row per story, for analysts: its outlets, when it was first seen, the claims
-- several outlets carry, what each outlet alone adds, its conflicting figures and who said what.
-- Lists are capped (five claims, additions, conflicts and speakers; ten outlets), each with a count;
-- a document without an outlet is named by its headline in claims and additions (story_claims).
with story_documents_labelled as (
    select
        story_id,
        bundle_id,
        doc_id,
        outlet
    from document_labels
    where story_id is not null
),

claims as (
    select
        story_id,
        claim_bundle_id,
        claim_id,
        count(distinct outlet_key) as n_outlets,
        arg_min(text, (document_name, bundle_id, sent_id)) as claim_text
    from story_claims
    where story_id is not null
    group by all
),

shared_claims as (
    select
        story_id,
        count(*) as n_shared_claims,
        list(claim_text || ' [' || n_outlets || ' outlets]' order by n_outlets desc, claim_text)[1:5] as top
    from claims
    where n_outlets > 1
    group by story_id
),

outlet_alone as (
    select
        l.story_id,
        l.document_name,
        count(*) as n_sentences,
        arg_min(l.text, (l.bundle_id, l.doc_id, l.sent_id)) as example
    from story_claims as l
    inner join claims as c using (story_id, claim_bundle_id, claim_id)
    where c.n_outlets = 1
    group by all
),

additions as (
    select
        story_id,
        list(document_name || ': ' || n_sentences || if(n_sentences = 1, ' sentence', ' sentences') || ' of its own, e.g. ' || example
            order by n_sentences desc, document_name)[1:5] as top
    from outlet_alone
    group by story_id
),

conflicts as (
    select
        story_id,
        count(distinct (kind, subject, unit)) as n_conflicts,
        list(
            subject || ' ' || if(value = round(value) and abs(value) < 1e18, format('{:,}', value::bigint), format('{:,}', value))
            || coalesce(' ' || unit, '')
            order by subject, value, unit
        )[1:5] as top
    from amount_conflicts
    group by story_id
),

speakers as (
    select
        d.story_id,
        q.speaker,
        count(*) as n_quotes
    from quotes as q
    inner join story_documents_labelled as d using (bundle_id, doc_id)
    where q.speaker is not null
    group by all
),

who_said as (
    select
        story_id,
        count(*) as n_speakers,
        list(speaker || ' (' || n_quotes || ')' order by n_quotes desc, speaker)[1:5] as top
    from speakers
    group by story_id
),

outlets as (
    select
        story_id,
        list(distinct outlet order by outlet)[1:10] as named
    from story_documents_labelled
    where outlet is not null
    group by story_id
)

select
    st.story_id,
    st.label,
    st.first_seen,
    st.n_documents,
    st.n_outlets,
    array_to_string(o.named, ' | ') as outlets,
    coalesce(sc.n_shared_claims, 0) as n_shared_claims,
    array_to_string(sc.top, ' | ') as shared_claims,
    array_to_string(a.top, ' | ') as outlet_additions,
    coalesce(c.n_conflicts, 0) as n_conflicts,
    array_to_string(c.top, ' | ') as conflicts,
    coalesce(w.n_speakers, 0) as n_speakers,
    array_to_string(w.top, ' | ') as speakers
from stories as st
left join outlets as o using (story_id)
left join shared_claims as sc using (story_id)
left join additions as a using (story_id)
left join conflicts as c using (story_id)
left join who_said as w using (story_id)
order by st.n_documents desc, st.first_seen, st.story_id
