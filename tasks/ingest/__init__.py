"""Bundle → raw documents: extract, decode (html_text: visible lines of a page), web pages
(web_page, page_rules: main content, metadata, removed blocks), batching."""
