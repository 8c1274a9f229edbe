-- document_labels: how reports and the report page name a document: its headline (its title,
-- else its first line cut near 100 characters), its outlet (the outlet, else the web address's
-- host, else the agency), the key reports count outlets by (that outlet, else the document
-- itself: a document without an outlet counts as an outlet of its own) and its link
with first_lines as (
    select
        bundle_id,
        doc_id,
        story_id,
        source_path,
        title,
        outlet,
        url,
        agency,
        trim(regexp_extract(left(text, 400), '^\s*([^\n]*)', 1)) as first_line
    from documents
),

outlets as (
    select
        * exclude (outlet),
        coalesce(
            nullif(trim(outlet), ''), nullif(regexp_extract(url, '^\w+://(?:www\.)?([^/:?#]+)', 1), ''), agency
        ) as outlet
    from first_lines
)

select
    bundle_id,
    doc_id,
    story_id,
    source_path,
    coalesce(
        nullif(trim(title), ''),
        if(length(first_line) > 110, regexp_extract(first_line, '^(.{0,100}\S*)', 1) || ' …', nullif(first_line, ''))
    ) as headline,
    nullif(trim(title), '') is not null as has_title,
    outlet,
    coalesce(outlet, 'document:' || bundle_id || '/' || doc_id) as outlet_key,
    url
from outlets
