from flows.run_summary import print_outputs
from tasks.store import warehouse


def test_outputs_name_every_view_of_the_warehouse(tmp_path, capsys):
    print_outputs(str(tmp_path))
    line = next(line for line in capsys.readouterr().out.splitlines() if "DuckDB:" in line)
    listed = line.split("(views: ")[1].rstrip(")").split(", ")
    assert sorted(listed) == sorted(p.stem for p in warehouse.sql_files("views"))
    assert listed[0] == "documents" and "stories" in listed
