import pytest

from tasks.store import data_dictionary, schemas, table_descriptions, warehouse


@pytest.fixture(scope="module")
def views():
    return warehouse.describe_views()


def test_every_view_table_and_column_is_described(views):
    assert set(views) == {p.stem for p in warehouse.sql_files("views")} >= set(schemas.TABLES)
    assert data_dictionary.missing_descriptions({v: [name for name, _ in cols] for v, cols in views.items()}) == []
    for table, schema in [*schemas.STAGED.items(), *schemas.TABLES.items()]:
        assert schema.metadata[schemas.DESCRIPTION].decode() == table_descriptions.TABLES[table]
        for field in schema:
            assert field.metadata[schemas.DESCRIPTION].decode() == table_descriptions.column(table, field.name)


def test_descriptions_name_only_views_and_columns_that_exist(views):
    for view, overrides in table_descriptions.TABLE_COLUMNS.items():
        assert set(overrides) <= {name for name, _ in views[view]}, view
    assert set(table_descriptions.COLUMNS) <= {name for cols in views.values() for name, _ in cols}
    assert set(table_descriptions.TABLES) == set(views)


def test_missing_descriptions_are_found():
    assert data_dictionary.missing_descriptions({"documents": ["doc_id", "no_such"], "nowhere": []}) == [
        "documents.no_such", "nowhere"
    ]


def test_comment_statements_quote_their_text():
    statements = data_dictionary.comment_statements({"documents": ["dateline_place", "unknown"]})
    assert statements[0].startswith('comment on view "documents" is \'One row per document')
    assert statements[1] == (
        "comment on column \"documents\".\"dateline_place\" is "
        "'Place of the dateline that opens the article (KYIV in ''KYIV, Oct 25 -'').'"
    )
    assert len(statements) == 2  # nothing for a column without a description


def test_the_committed_data_dictionary_is_up_to_date(views):
    assert data_dictionary.DOC_PATH.read_text(encoding="utf-8") == data_dictionary.render_markdown(views), (
        f"docs/data-dictionary.md is out of date: run `{data_dictionary.COMMAND}`"
    )


def test_check_mode_reports_a_stale_file(tmp_path, capsys):
    path = tmp_path / "dd.md"
    assert data_dictionary.main(["--check", "--path", str(path)]) == 1
    assert data_dictionary.main(["--path", str(path)]) == 0
    assert data_dictionary.main(["--check", "--path", str(path)]) == 0
    path.write_text(path.read_text() + "edited by hand\n")
    assert data_dictionary.main(["--check", "--path", str(path)]) == 1
    assert "not up to date" in capsys.readouterr().err
