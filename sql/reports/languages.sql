-- languages: documents per detected language (and per non-ok status)
with labelled as (
    select
        case when status = 'ok' then lang else 'status:' || status end as lang,
        lang_prob,
        n_chars
    from documents
),

counts as (
    select
        lang,
        count(*) as n_documents,
        sum(n_chars) as n_chars,
        round(avg(lang_prob), 4) as avg_lang_prob
    from labelled
    group by lang
)

select
    lang,
    n_documents,
    round(n_documents / sum(n_documents) over (), 4) as share,
    n_chars,
    avg_lang_prob
from counts
order by n_documents desc, lang
