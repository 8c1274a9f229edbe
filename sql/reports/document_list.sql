-- document_list: every document with its headline (its title, else its opening words), outlet and link,
-- the documents of the largest stories first
with openings as (
    select
        *,
        trim(regexp_extract(left(text, 400), '^\s*([^\n]*)', 1)) as opening,
        if(story_id is null, 0, count(*) over (partition by story_id)) as story_size
    from documents
)

select
    bundle_id,
    story_id,
    coalesce(
        nullif(trim(title), ''),
        if(length(opening) > 110, regexp_extract(opening, '^(.{0,100}\S*)', 1) || ' …', nullif(opening, ''))
    ) as headline,
    nullif(trim(title), '') is not null as has_title,
    coalesce(
        nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
    ) as outlet,
    published,
    author,
    lang,
    status,
    n_sentences,
    n_chars,
    url,
    source_path,
    doc_id
from openings
order by story_size desc, story_id, published nulls last, bundle_id, outlet nulls last, source_path
