"""How much of a 自评表 a person sees after importing it: for each workbook of the corpus (tests/data/selfeval/,
built by tests/selfeval_corpus.py), the figures in the document, the figures imported and the figures shown
on a page. Not part of the test suite (it runs the app's pages with AppTest, about a minute a workbook).

    python -m bench.selfeval_visibility              # every workbook, real and authored; prints the tables
    python -m bench.selfeval_visibility --json OUT   # also writes the per-figure results
    python -m bench.selfeval_visibility --doc        # and the tables of docs/selfeval-corpus.md

Per workbook:

1. **In the document**: every cell of the form holding a number (tests.selfeval_corpus.figures: the funds'
   amounts, 分值, 执行率 and 得分, each indicator's 年度指标值, 实际完成值, 分值 and 得分, a weight written in a
   label such as 产出指标（50分）, 总分).
2. **Imported**: the workbook is imported, as published, into an empty lake (the catalogues only) with
   ``perfeval.data.imports.ingest.stage`` / ``commit`` (what ``python -m perfeval import FILE`` does). A figure
   is imported when a row of its project holds it: a number column equal to the figure's number (also ÷ 100
   for a percentage, ÷ 10 000 for an amount in 元 and × 10 000 for a 万 count), or a text column holding the
   cell's text as written (≥2400份). A refused workbook imports nothing; its problems are listed. When the
   import asks for a row the form does not have (项目类别, 行政区划代码), the workbook is measured a second
   time with that row added (`ASKED`), so that what a page shows is measured too.
3. **Shown**: each page of the app is run with AppTest on that lake for each imported project (overview,
   project, budget, outcomes, satisfaction, compare; ``?project=<id>``), and its text is collected: titles,
   markdown, captions, metrics, tables (every cell and header), expanders, tabs and the charts' text. A figure
   is shown when it appears there formatted as the app formats it (perfeval.text.fmt: 万元 amounts with two
   decimals, rates as %, points) or as the cell's own text; an indicator's figure must appear in a table row
   that names its indicator (三级指标), other figures anywhere on a page of their project.

The method's limit: "anywhere on a page" can count a coincidentally equal number (a 100 shown for another
reason). Indicator figures are held to their row, which is where most figures are.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import pathlib
import re
import shutil
import sys
import tempfile
import unicodedata

import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from perfeval.data.gate import DataGate, Scope  # noqa: E402
from perfeval.data.imports import ingest  # noqa: E402
from perfeval.data.lake import Lake  # noqa: E402
from perfeval.text import fmt  # noqa: E402
from tests import selfeval_corpus as corpus  # noqa: E402

PAGES = ("overview", "project", "budget", "outcomes", "satisfaction", "compare")
INDICATOR_KINDS = {"target", "actual", "points", "score"}

# The rows the import asked for (its problem selfeval_category / selfeval_region), as a person would add them:
# workbook file name → sheet → [label, value] rows.
ASKED = {
    "丰都县公安局-辅警人员经费-2022年度绩效自评表.xlsx": {"Sheet1": [["项目类别", "辅警保障"]]},
    "东方市公安局-2023年度项目支出绩效自评表.xlsx": {"信息系统维护费": [["项目类别", "治安防控"]]},
    "蓟州区-雪亮工程转移支付-2020年度绩效自评表.xlsx": {"雪亮工程（转移支付）": [["行政区划代码", "120119"]]},
}


def squash(text: str) -> str:
    """Text as compared: NFKC, no white space, no thousands separators between digits."""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s)
    return re.sub(r"(?<=\d),(?=\d{3})", "", s)


NUM = re.compile(r"-?\d+(?:\.\d+)?")
OPERATOR = re.compile(r"^(≥|≤|>=|<=|=|>|<)")
AMOUNTS = {"budget_initial", "budget_full", "spent"}
POINTS = {"fund_points", "fund_score", "points", "score", "weight", "total_points", "total_score"}


def _parts(fig: corpus.Figure) -> tuple[str, float, str, str] | None:
    """(operator, number, the number as written, what follows it) of a figure's text."""
    text = squash(fig.text)
    m = NUM.search(text)
    if not m:
        return None
    op = OPERATOR.match(text)
    return (op.group() if op else ""), float(m.group()), m.group(), text[m.end():]


def numbers_of(fig: corpus.Figure, yuan: bool) -> list[float]:
    """The numbers a figure's cell may be stored as."""
    parts = _parts(fig)
    if parts is None:
        return []
    _, v, _, rest = parts
    out = [v]
    if rest.startswith("%"):
        out.append(v / 100)
    if rest.startswith("万"):
        out.append(v * 10000)
    if yuan and fig.kind in AMOUNTS:
        out.append(v / 10000)
    return out


def _pcts(v: float) -> set[str]:
    return {squash(fmt.pct(v / 100, decimals=d)) for d in (0, 1, 2)}


def shown_forms(fig: corpus.Figure, yuan: bool) -> list[str]:
    """How a page may write the figure: the cell's own text, and the app's formats of its number
    (perfeval.text.fmt) with the operator and unit the cell writes."""
    forms = {squash(fig.text)}
    parts = _parts(fig)
    if parts is None:
        return sorted(forms)
    op, v, written, rest = parts
    if fig.kind in AMOUNTS:
        for x in ([v, v / 10000] if yuan else [v]):
            forms |= {squash(fmt.number(x)), squash(fmt.number(x, strip=False))}
    elif fig.kind == "rate":
        forms |= _pcts(v)
    elif fig.kind in POINTS:
        forms.add(squash(fmt.score(v)))
    else:  # a target or a result: operator, number, unit
        numbers = {written, squash(fmt.number(v)), squash(fmt.number(v, strip=False))}
        unit = rest
        if rest.startswith("%"):
            numbers |= {p[:-1] for p in _pcts(v)}
        if rest.startswith("万"):
            numbers |= {squash(fmt.number(v * 10000))}
            unit = rest[1:]
            forms |= {op + squash(fmt.number(v * 10000)) + unit}
        for n in numbers:
            forms |= {op + n + rest, n + rest} if fig.kind == "actual" else {op + n + rest}
    return sorted(forms)


def ambiguous(form: str) -> bool:
    """A form too short to count elsewhere than in its row unless its word comes right before it (0, 1, 5)."""
    return bool(re.fullmatch(r"-?\d", form))


def _in(text: str, form: str) -> re.Match | None:
    """Where ``form`` appears in ``text`` as a whole (a number not inside a longer one)."""
    if not re.match(r"^[-≥≤=<>]?\d", form):
        i = text.find(form)
        return re.search(re.escape(form), text) if i >= 0 else None
    return re.search(r"(?<![\d.])" + re.escape(form) + r"(?![\d%])(?!\.\d)", text)


# ----------------------------------------------------------------------------------------------- import
@dataclasses.dataclass
class Imported:
    ok: bool
    problems: list[str]
    projects: pd.DataFrame
    rows: dict[str, pd.DataFrame]


def import_into_empty_lake(path: pathlib.Path, data: bytes, lake: pathlib.Path) -> Imported:
    lake.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "catalog", lake / "catalog")
    staged = ingest.stage(path.name, data, lake)
    if staged.problems:
        return Imported(False, [f"{p.file} 行{p.row} {p.column} {p.value!r}: {p.code} — {p.message_zh}"
                                for p in staged.problems], pd.DataFrame(), {})
    ingest.commit(staged, lake)
    gate = DataGate(Lake(lake))
    everything = Scope.everything()
    rows = {name: gate.table(name, everything) for name in staged.rows}
    return Imported(True, [], rows.get("projects", pd.DataFrame()), rows)


def project_of(imp: Imported, form: dict) -> str | None:
    df = imp.projects
    hit = df[df["name"].map(squash) == squash(form["project"])]
    return None if hit.empty else str(hit["project_id"].iloc[0])


def is_imported(fig: corpus.Figure, imp: Imported, pid: str, yuan: bool) -> bool:
    wanted = numbers_of(fig, yuan)
    text = squash(fig.text)
    for name, df in imp.rows.items():
        if "project_id" in df.columns:
            df = df[df["project_id"] == pid]
        for col in df.columns:
            s = df[col].dropna()
            if s.empty:
                continue
            if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
                if any(abs(float(x) - w) <= 1e-9 * max(1.0, abs(w)) for x in s for w in wanted):
                    return True
            elif s.map(lambda x: text in squash(x)).any():
                return True
    return False


# ------------------------------------------------------------------------------------------------ pages
@contextlib.contextmanager
def lake_env(lake: pathlib.Path):
    old = os.environ.get("PERFEVAL_DATA")
    os.environ["PERFEVAL_DATA"] = str(lake)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PERFEVAL_DATA", None)
        else:
            os.environ["PERFEVAL_DATA"] = old


@dataclasses.dataclass
class PageText:
    page: str
    text: str                 # everything, squashed
    rows: list[str]           # every table row, squashed (cells joined)
    exception: str = ""


def chart_texts(value) -> list[str]:
    """Every text a chart's figure holds (titles, labels, hover texts, custom data), JSON strings inside
    it decoded, so that what the chart can show is compared as text (not as escaped JSON)."""
    out: list[str] = []
    if isinstance(value, str):
        if value[:1] in "[{":
            with contextlib.suppress(ValueError):
                return chart_texts(json.loads(value))
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            out += chart_texts(v)
    elif isinstance(value, list):
        for v in value:
            out += chart_texts(v)
    return out


def page_texts(pid: str) -> list[PageText]:
    from tests.app.helpers import chart_specs, run_page, texts

    out = []
    for page in PAGES:
        query = {"projects": pid} if page == "compare" else {"project": pid}
        at = run_page(page, timeout=120, **query)
        parts = [texts(at)]
        rows: list[str] = []
        for kind in ("dataframe", "table"):
            for el in getattr(at, kind):
                df = el.value
                if hasattr(df, "data"):  # a Styler
                    df = df.data
                df = pd.DataFrame(df)
                parts.append(" ".join(map(str, df.columns)))
                for row in df.astype(str).itertuples(index=False, name=None):
                    rows.append(squash(" | ".join(row)))
        for kind in ("expander", "tabs"):
            with contextlib.suppress(Exception):
                parts += [str(e.label) for e in getattr(at, kind)]
        for el in at.get("html"):
            with contextlib.suppress(Exception):
                parts.append(str(el.proto.body))
        with contextlib.suppress(Exception):
            for spec in chart_specs(at):
                parts += chart_texts(spec)
        exc = "; ".join(str(e.value)[:200] for e in at.exception)
        # "¦" keeps the texts of two elements apart (squash drops white space: 100 and a 0 after it stay two)
        out.append(PageText(page, "¦".join(squash(t) for part in parts + rows for t in str(part).split("\n")),
                            rows, exc))
    return out


# the words that must come shortly before a figure found outside its table row (what it is, on the page)
LABELS = {"budget_initial": ("预算", "资金", "拨款"), "budget_full": ("预算", "资金", "拨款"),
          "spent": ("执行", "支出"), "rate": ("执行率",), "fund_points": ("分值",), "fund_score": ("得分",),
          "weight": ("分值", "权重"), "total_points": ("总分", "满分"), "total_score": ("总分",)}


def labelled(text: str, m: re.Match, kind: str, near: int = 16) -> bool:
    """The figure found at ``m`` is introduced by a word saying what it is (within ``near`` characters)."""
    before = text[max(0, m.start() - near): m.start()]
    return any(w in before for w in LABELS.get(kind, ()))


def row_label(fig: corpus.Figure) -> str:
    """The label a table row showing the figure names: the indicator, or the fund row without 其中："""
    label = squash(fig.row_label)
    label = re.sub(r"^指标\d+[:：]", "", label)
    label = re.sub(r"^其中[:：]", "", label).rstrip(":：")
    return "" if label in ("……", "") else label


def shown_on(fig: corpus.Figure, pages: list[PageText], yuan: bool) -> tuple[str, str, str] | None:
    """(the page that shows the figure, 'row' or 'page', the text around it), or None where no page does:
    first a table row naming the figure's indicator or fund row; for a figure not of an indicator, a form
    of it elsewhere on a page when the form is not ambiguous and a word saying what it is comes just
    before it (预算合计（万元）181, 预算执行率93.86%, 总分97.8/100)."""
    forms = shown_forms(fig, yuan)
    label = row_label(fig)
    for p in pages:
        for row in p.rows:
            if label and label in row:
                for f in forms:
                    if _in(row, f):
                        return p.page, "row", row[:200]
    if fig.kind in INDICATOR_KINDS and label:
        return None
    if fig.kind in AMOUNTS | {"fund_points", "fund_score"} and not squash(fig.row_label).startswith("年度资金总额"):
        return None  # a 其中 row (当年财政拨款, 上年结转 …): only its own row shows it, not the project's total
    for p in pages:
        for f in forms:
            near = 2 if ambiguous(f) else 16  # a single digit only right after its word (得分9)
            pattern = r"(?<![\d.])" + re.escape(f) + r"(?![\d%])(?!\.\d)" if re.match(r"^[-≥≤=<>]?\d", f) \
                else re.escape(f)
            for m in re.finditer(pattern, p.text):
                if labelled(p.text, m, fig.kind, near):
                    return p.page, "page", p.text[max(0, m.start() - 40): m.end() + 40]
    return None


# ------------------------------------------------------------------------------------------------ measure
def with_rows(forms: list[tuple], asked: dict[str, list[list[str]]]) -> list[tuple]:
    out = []
    for doc, form in forms:
        extra = asked.get(form["sheet"])
        out.append((doc, dict(form, extra=list(form.get("extra", [])) + extra) if extra else form))
    return out


def measure_workbook(path: pathlib.Path, forms: list[tuple], tmp: pathlib.Path, label: str) -> dict:
    data, figures = corpus.build_workbook(forms)
    yuan = any("元" in f["funds_label"] and "万元" not in f["funds_label"] for _, f in forms)
    imp = import_into_empty_lake(path, data, tmp / label)
    result = {"workbook": path.name, "variant": label, "real": forms[0][0].real, "figures": len(figures),
              "imported": 0, "shown": 0, "problems": imp.problems, "rows": [], "page_errors": []}
    pages_by_pid: dict[str, list[PageText]] = {}
    for fig in figures:
        form = next(f for _, f in forms if f["sheet"] == fig.sheet)
        pid = project_of(imp, form) if imp.ok else None
        got = bool(pid) and is_imported(fig, imp, pid, yuan)
        page = None
        if got:
            if pid not in pages_by_pid:
                with lake_env(tmp / label):
                    pages_by_pid[pid] = page_texts(pid)
                result["page_errors"] += [f"{p.page}: {p.exception}" for p in pages_by_pid[pid] if p.exception]
            page = shown_on(fig, pages_by_pid[pid], yuan)
        result["imported"] += got
        result["shown"] += page is not None
        result["rows"].append(dict(dataclasses.asdict(fig), imported=got, shown_on=page and page[0],
                                   match=page and page[1], evidence=page and page[2]))
    # the form's prose: 预期目标, 实际完成情况, each 偏差原因分析及改进措施 (found whole, as written)
    result["texts"] = []
    for _, form in forms:
        pid = project_of(imp, form) if imp.ok else None
        prose = [("goal_expected", form["goal_expected"]), ("goal_actual", form["goal_actual"])]
        prose += [("deviation", row[7]) for row in form["indicators"] if row[7]]
        for kind, text in prose:
            if not text:
                continue
            # a reason's cause and its measures (split at ；) may be kept apart (a problem, a recommendation)
            wants = [squash(x).strip("。.") for x in re.split(r"[；;]", text) if squash(x).strip("。.")]
            cells = [squash(x) for df in imp.rows.values() if "project_id" in df.columns
                     for c in df.columns if pd.api.types.is_string_dtype(df[c]) or df[c].dtype == object
                     for x in df.loc[df["project_id"] == pid, c].dropna()] if pid else []
            got = bool(cells) and all(any(w in x for x in cells) for w in wants)
            if got and pid not in pages_by_pid:
                with lake_env(tmp / label):
                    pages_by_pid[pid] = page_texts(pid)
            page = next((p.page for p in pages_by_pid.get(pid, [])
                         if all(w in p.text.replace("¦", "") for w in wants)), None) if got else None
            result["texts"].append(dict(sheet=form["sheet"], kind=kind, text=text, imported=got, shown_on=page))
    return result


def measure_all() -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory() as d:
        tmp = pathlib.Path(d)
        for i, (path, forms) in enumerate(corpus.workbooks().items()):
            res = measure_workbook(path, forms, tmp, f"w{i}-as-published")
            results.append(res)
            asked = ASKED.get(path.name)
            if asked and res["problems"]:
                results.append(measure_workbook(path, with_rows(forms, asked), tmp, f"w{i}-with-asked-rows"))
    return results


def tables(results: list[dict]) -> str:
    lines = ["| workbook | real | as | figures in the document | imported | shown on a page |",
             "|---|---|---|---:|---:|---:|"]
    for real in (True, False):
        for r in (r for r in results if r["real"] == real):
            variant = "as published" if r["variant"].endswith("as-published") else "with the rows asked for"
            lines.append(f"| {r['workbook']} | {'real' if real else 'authored'} | {variant} | {r['figures']} | "
                         f"{r['imported']} | {r['shown']} |")
    variants = ("as-published", "best") if any(r["variant"].endswith("with-asked-rows") for r in results) \
        else ("as-published",)
    for real in (True, False):
        for variant in variants:
            rs = [r for r in results if r["real"] == real]
            if variant == "as-published":
                rs = [r for r in rs if r["variant"].endswith("as-published")]
            else:  # the later measurement of each workbook (with the rows asked for, where there is one)
                last = {}
                for r in rs:
                    last[r["workbook"]] = r
                rs = list(last.values())
            n, i, s = (sum(r[k] for r in rs) for k in ("figures", "imported", "shown"))
            what = "as published" if variant == "as-published" else "with the rows asked for added"
            lines.append(f"| **all {'real' if real else 'authored'}, {what}** | | | **{n}** | "
                         f"**{i} ({i / n:.0%})** | **{s} ({s / n:.0%})** |" if n else "")
    return "\n".join(x for x in lines if x)


def prose(results: list[dict]) -> str:
    """The form's texts (goals, deviation reasons): in the document, imported, shown."""
    lines = ["| workbook | real | texts in the document | imported | shown on a page | not shown |",
             "|---|---|---:|---:|---:|---|"]
    for r in results:
        ts = r.get("texts", [])
        gone = "; ".join(f"{t['sheet']} {t['kind']}" + ("" if t["imported"] else " (not imported)")
                         for t in ts if not t["shown_on"]) or "—"
        lines.append(f"| {r['workbook']} | {'real' if r['real'] else 'authored'} | {len(ts)} | "
                     f"{sum(t['imported'] for t in ts)} | {sum(bool(t['shown_on']) for t in ts)} | {gone} |")
    return "\n".join(lines)


def missing(results: list[dict]) -> str:
    lines = ["| workbook | as | sheet | cell | what | text | imported | why not shown |", "|---|---|---|---|---|---|---|---|"]
    for r in results:
        for row in r["rows"]:
            if row["shown_on"] is None:
                variant = "as published" if r["variant"].endswith("as-published") else "with rows asked for"
                why = "not imported" if not row["imported"] else "imported, on no page"
                lines.append(f"| {r['workbook']} | {variant} | {row['sheet']} | {row['cell']} | {row['kind']} | "
                             f"{row['text']} | {'yes' if row['imported'] else 'no'} | {why} |")
    return "\n".join(lines)


DOC = ROOT / "docs" / "selfeval-corpus.md"
BEGIN, END = "<!-- measure: begin (python -m bench.selfeval_visibility --doc) -->", "<!-- measure: end -->"


def write_doc(results: list[dict]) -> None:
    """Replace the tables between the measure's markers in docs/selfeval-corpus.md."""
    import datetime as dt
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    body = "\n\n".join([
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on the working tree at {commit}.",
        tables(results),
        "The form's texts (预期目标, 实际完成情况, 偏差原因分析及改进措施), found as written (a reason's parts "
        "split at ； may be apart):\n\n" + prose(results),
        "Problems the import reported:\n\n" + ("\n".join(f"- {r['workbook']} ({r['variant']}): {p}"
                                                         for r in results for p in r["problems"]) or "- none"),
        "Pages that raised an exception:\n\n" + ("\n".join(f"- {r['workbook']}: {e}" for r in results
                                                           for e in r["page_errors"]) or "- none"),
        "Every figure not shown:\n\n" + missing(results)])
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    DOC.write_text(head + BEGIN + "\n" + body + "\n" + END + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="write the per-figure results here")
    ap.add_argument("--doc", action="store_true", help="write the tables into docs/selfeval-corpus.md")
    args = ap.parse_args(argv)
    results = measure_all()
    if args.doc:
        write_doc(results)
    print(tables(results))
    print()
    print(prose(results))
    print()
    for r in results:
        for p in r["problems"]:
            print(f"problem [{r['workbook']} {r['variant']}]: {p}")
        for e in r["page_errors"]:
            print(f"page error [{r['workbook']} {r['variant']}]: {e}")
    print()
    print(missing(results))
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
