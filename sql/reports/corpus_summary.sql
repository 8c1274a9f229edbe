-- corpus_summary: size of each bundle and of the whole corpus, and what cleaning removed
with docs as (
    select
        bundle_id,
        count(*) as n_documents,
        count(*) filter (where status = 'ok') as n_ok,
        count(*) filter (where status <> 'ok') as n_not_ok,
        sum(n_chars_raw)::bigint as n_chars_raw,
        sum(n_chars)::bigint as n_chars,
        sum(n_sentences)::bigint as n_sentences,
        sum(n_headings)::bigint as n_headings,
        sum(n_entities)::bigint as n_entities,
        sum(n_removed)::bigint as n_removed_parts,
        count(distinct lang) filter (where status = 'ok') as n_languages
    from documents
    group by grouping sets ((bundle_id), ())
)

select
    coalesce(bundle_id, '(all)') as bundle_id,
    n_documents,
    n_ok,
    n_not_ok,
    n_chars_raw,
    n_chars,
    round(1 - n_chars / nullif(n_chars_raw, 0), 4) as removed_char_share,
    n_removed_parts,
    n_sentences,
    n_headings,
    n_entities,
    n_languages
from docs
order by bundle_id is null, bundle_id
