"""Round trip through the import template: the three bundled reports (data/seed/*), written as our import
template by the exporter (perfeval.data.imports.export) and imported into an empty lake (the catalogues
only), give the same rows in every table and the same results of every query of queries/ as the bundled
CSVs do."""
from __future__ import annotations

import io
import pathlib
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from perfeval.data.gate import DataGate, Scope, query_parameters, query_text
from perfeval.data.imports import export, ingest
from perfeval.data.imports.reading import IMPORT_TABLES
from perfeval.data.imports.template import sheet_name
from perfeval.data.lake import QUERIES, Lake
from tests.conftest import DATA

ALL = Scope.everything()
SEEDS = sorted(p.name for p in (DATA / "seed").iterdir() if p.is_dir())


def seed_lake(root: pathlib.Path) -> pathlib.Path:
    """The bundled reports and the catalogues, without the demonstration data."""
    root.mkdir()
    shutil.copytree(DATA / "catalog", root / "catalog")
    shutil.copytree(DATA / "seed", root / "seed")
    return root


def empty_lake(root: pathlib.Path) -> pathlib.Path:
    """A lake holding the catalogues only (what a new district starts from)."""
    root.mkdir()
    shutil.copytree(DATA / "catalog", root / "catalog")
    return root


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    """(gate over the bundled reports, gate over an empty lake into which their template was imported,
    the template's bytes)."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    ref = DataGate(Lake(seed_lake(tmp / "seed")))
    data = export.export_workbook(ref, ALL)
    target = empty_lake(tmp / "empty")
    staged = ingest.stage("三份报告.xlsx", data, target)
    assert staged.problems == []
    ingest.commit(staged, target)
    return ref, DataGate(Lake(target)), data


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values(list(df.columns)[: min(4, len(df.columns))], kind="stable").reset_index(drop=True)


@pytest.mark.parametrize("table", IMPORT_TABLES)
def test_every_table_reads_back_the_same(lakes, table):
    ref, imported, _ = lakes
    before, after = ref.table(table, ALL), imported.table(table, ALL)
    if table == "documents":  # the batch adds its own document (import:<batch>), the reports' are kept
        after = after[after["source"].isin(before["source"])]
    assert len(before) == len(after)
    pd.testing.assert_frame_equal(_sorted(after), _sorted(before), obj=table)


def test_the_template_holds_every_seed_row_and_no_catalogue(lakes):
    ref, _, data = lakes
    wb = load_workbook(io.BytesIO(data))
    assert not any("grade_bands" in name for name in wb.sheetnames)
    for table in IMPORT_TABLES:
        if table == "documents":
            continue
        # the bundled metric catalogue stays central: its sheet (new metrics) is left empty
        rows = 0 if table == "metrics" else len(ref.table(table, ALL))
        assert wb[sheet_name(table)].max_row - 1 == rows, table
    # a note that starts with "=" is text, not a formula
    texts = [c.value for row in wb[sheet_name("figures")].iter_rows(min_row=2) for c in row
             if isinstance(c.value, str)]
    assert any(t.startswith("=") for t in texts)
    assert all(c.data_type != "f" for table in IMPORT_TABLES for row in wb[sheet_name(table)].iter_rows()
               for c in row)


# ------------------------------------------------------------------------------------------ queries
FILTERS = dict(region=None, year_from=None, year_to=None, category=None, evaluator_type=None)
NOT_COMPARED = {"audit_batches"}  # lists the import batches: the imported lake has one, the seeds none


def _queries() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("[a-z]*.sql") if p.stem not in NOT_COMPARED)


def _parameter_sets(name: str, projects: list[str]) -> list[dict]:
    """The parameter sets a query is run with: every project (and none) where it takes one, each level."""
    names = query_parameters(query_text(name))
    base = {k: None for k in names}
    base.update({k: v for k, v in FILTERS.items() if k in names})
    for k, v in dict(limit=1000, search="", numeric_only=False, project_ids=projects, region_codes=None,
                     categories=None, metric_key=None, year=None).items():
        if k in names:
            base[k] = v
    sets = [base]
    if "project_id" in names:
        sets += [dict(base, project_id=p) for p in projects]
    if "level" in names:
        sets = [dict(s, level=lv) for s in sets for lv in (1, 2, 3)]
    if "search" in names:
        sets += [dict(s, search=w) for s in sets[:1] for w in ("天津", "反诈", "tianshui")]
    return sets


@pytest.mark.parametrize("name", _queries())
def test_every_query_gives_the_same_result(lakes, name):
    ref, imported, _ = lakes
    projects = sorted(ref.table("projects", ALL)["project_id"])
    for params in _parameter_sets(name, projects):
        before = ref.query(name, ALL, **params)
        after = imported.query(name, ALL, **params)
        pd.testing.assert_frame_equal(after.reset_index(drop=True), before.reset_index(drop=True),
                                      obj=f"{name} {params}")


def test_the_cli_writes_a_projects_rows_as_a_template_that_imports_again(capsys, tmp_path):
    from perfeval import cli

    seed = seed_lake(tmp_path / "seed")
    out = tmp_path / "天津.xlsx"
    assert cli.main(["--data", str(seed), "template", str(out), "--project", "tj-2022-fraud-ops"]) == 2
    assert "--with-data" in capsys.readouterr().err
    assert cli.main(["--data", str(seed), "template", str(out), "--with-data", "--project",
                     "tj-2022-fraud-ops"]) == 0
    target = empty_lake(tmp_path / "empty")
    staged = ingest.stage(out.name, out.read_bytes(), target)
    assert staged.problems == []
    ref = DataGate(Lake(seed))
    assert staged.rows["projects"] == 1
    for table in ("budget", "indicators", "targets", "outcomes", "payments", "findings"):
        df = ref.table(table, ALL)
        assert staged.rows.get(table, 0) == int((df["project_id"] == "tj-2022-fraud-ops").sum()), table
