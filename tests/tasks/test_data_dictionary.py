import pyarrow as pa
import pytest

from tasks import data_dictionary, schemas, table_descriptions


def test_every_table_and_column_is_described():
    columns = {view: [name for name, _, _ in cols] for view, cols in data_dictionary.view_columns().items()}
    assert data_dictionary.missing_descriptions(columns) == []
    for table, schema in [*schemas.STAGED.items(), *schemas.TABLES.items()]:
        assert schema.metadata[schemas.DESCRIPTION].decode() == table_descriptions.TABLES[table]
        for field in schema:
            assert field.metadata[schemas.DESCRIPTION].decode() == table_descriptions.column(table, field.name)


def test_descriptions_name_only_columns_that_exist():
    for table, overrides in table_descriptions.TABLE_COLUMNS.items():
        names = set(schemas.TABLES[table].names)
        assert set(overrides) <= names, table
    every = {name for schema in schemas.TABLES.values() for name in schema.names}
    assert set(table_descriptions.COLUMNS) <= every
    assert set(table_descriptions.TABLES) == set(schemas.TABLES)


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


def test_duckdb_type_names():
    assert data_dictionary.duckdb_type(pa.timestamp("us", tz="UTC")) == "TIMESTAMP WITH TIME ZONE"
    assert data_dictionary.duckdb_type(pa.date32()) == "DATE"
    with pytest.raises(ValueError, match="no DuckDB type name"):
        data_dictionary.duckdb_type(pa.list_(pa.string()))


def test_the_committed_data_dictionary_is_up_to_date():
    assert data_dictionary.DOC_PATH.read_text(encoding="utf-8") == data_dictionary.render_markdown(), (
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
