"""The corpus of real public 自评表 (tests/data/selfeval/, SOURCES.md): the workbooks are what their
transcriptions build, each is recognised as a 项目支出绩效自评表 by its layout and imports as published (no
edit, no flag) into an empty lake, and every number the form holds is in the imported rows.
What a page then shows of them is measured by bench/selfeval_visibility.py (docs/selfeval-corpus.md)."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bench.selfeval_visibility import import_into_empty_lake, is_imported, project_of
from perfeval.data.imports import selfeval
from tests import selfeval_corpus as corpus

WORKBOOKS = corpus.workbooks()
IDS = {p: p.name for p in WORKBOOKS}

# Where the reader does not (yet) take a corpus form's figure: workbook → (figure cells, why).
NOT_IMPORTED: dict[str, tuple[set[str], str]] = {}  # workbook → (cells the reader drops, why): none today


def _cells(data: bytes) -> dict:
    wb = load_workbook(io.BytesIO(data))
    return {ws.title: ({c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row
                        if c.value is not None},
                       sorted(str(r) for r in ws.merged_cells.ranges)) for ws in wb}


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS.get)
def test_the_committed_workbook_is_what_its_transcription_builds(path):
    built, _ = corpus.build_workbook(WORKBOOKS[path])
    assert path.exists(), f"{path.name}: run python -m tests.selfeval_corpus"
    assert _cells(path.read_bytes()) == _cells(built)


def test_sources_name_every_workbook_and_keep_the_authored_apart():
    text = (corpus.HERE / "SOURCES.md").read_text(encoding="utf-8")
    real, authored = text.split("## Authored, not real")[0], text.split("## Authored, not real")[1]
    for path, forms in WORKBOOKS.items():
        doc = forms[0][0]
        if doc.real:
            assert path.parent == corpus.HERE and path.name in real and doc.source["url"] in real
            assert doc.source["url"] and doc.source["published"] and doc.source["publisher"]
        else:
            assert path.parent == corpus.AUTHORED and path.name in authored
            assert all("自拟" in f["project"] for _, f in forms)
    assert sum(1 for forms in WORKBOOKS.values() if forms[0][0].real) >= 4


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """Workbook path → its import, as published, into an empty lake of its own."""
    tmp = tmp_path_factory.mktemp("selfeval")
    return {path: import_into_empty_lake(path, path.read_bytes(), tmp / f"lake{i}")
            for i, path in enumerate(WORKBOOKS)}


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS.get)
def test_it_is_recognised_by_its_layout_and_imports_as_published(path, imported):
    assert selfeval.is_selfeval(path.name, path.read_bytes())
    imp = imported[path]
    assert imp.problems == []
    forms = [f for _, f in WORKBOOKS[path]]
    assert len(imp.projects) == len(forms)
    for form in forms:
        assert project_of(imp, form), form["project"]


@pytest.mark.parametrize("path", WORKBOOKS, ids=IDS.get)
def test_every_number_of_the_form_is_imported(path, imported):
    imp = imported[path]
    forms = {f["sheet"]: f for _, f in WORKBOOKS[path]}
    yuan = any("元" in f["funds_label"] and "万元" not in f["funds_label"] for f in forms.values())
    cells, why = NOT_IMPORTED.get(path.name, (set(), ""))
    _, figures = corpus.build_workbook(WORKBOOKS[path])
    missing = [f"{f.sheet}!{f.cell} {f.text}" for f in figures
               if f.cell not in cells and not is_imported(f, imp, project_of(imp, forms[f.sheet]), yuan)]
    assert missing == []


def test_an_equals_target_with_a_unit_is_imported(imported):
    path = next(p for p in WORKBOOKS if p.name.startswith("丰都"))
    imp = imported[path]
    targets = imp.rows["targets"]
    row = targets[targets["name"] == "辅警人员"]
    assert len(row) == 1
    assert row[["operator", "target_value", "unit", "target_text"]].values.tolist() == [["=", 512.0, "人", "=512人"]]


def test_the_figures_are_every_number_cell_of_the_form():
    """The measure's denominator: every value cell of the form holding a digit (funds, each indicator's
    年度指标值 / 实际完成值 / 分值 / 得分, 总分) and each weight a label writes once (产出指标（50分）)."""
    for path, forms in WORKBOOKS.items():
        _, figures = corpus.build_workbook(forms)
        expected = 0
        for _, form in forms:
            values = [v for row in form["funds"] for v in row[1:]]
            values += [v for row in form["indicators"] for v in row[3:7]] + list(form.get("total", [])[1:])
            expected += sum(any(ch.isdigit() for ch in v) for v in values)
            labels = {tuple(row[: level + 1]) for row in form["indicators"] for level in (0, 1)}
            expected += sum(bool(corpus.POINTS_IN_LABEL.search(key[-1])) for key in labels)
        assert len(figures) == expected, path.name
        assert len({(f.sheet, f.cell) for f in figures}) == len(figures)
