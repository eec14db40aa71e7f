"""The command line (python -m perfeval): summary, validate, sql, dictionary, --data and the hook for
more commands. Expected figures are the reports' own (quoted), not copied from the code."""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from perfeval import cli
from perfeval.cli import common
from perfeval.data import schema

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
REPORTS = {"tj-2022-fraud-ops", "ft-2021-2023-anti-fraud-service", "ts-2021-security-informatization"}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture()
def seed_lake(tmp_path):
    """A copy of the bundled catalogue and the three reports (no demo data)."""
    root = tmp_path / "data"
    shutil.copytree(DATA / "catalog", root / "catalog")
    shutil.copytree(DATA / "seed", root / "seed")
    return root


# ---------------------------------------------------------------------------------------- summary
def test_summary_json_has_the_three_reports_with_their_figures(capsys):
    code, out, _ = run(capsys, "summary", "--json")
    assert code == 0
    rows = {r["project_id"]: r for r in json.loads(out)}
    assert REPORTS <= set(rows)
    for r in rows.values():
        assert {"project_id", "name", "province", "city", "district", "category", "period_start", "period_end",
                "evaluator", "reported_total_score", "grade", "budget", "funds_received", "spent",
                "arrival_rate", "execution_rate", "source"} <= set(r)
    tj = rows["tj-2022-fraud-ops"]
    # 天津: "项目得分 91.5 分，评价等级为“优”"; 财政资金到位 1150 万元; 累计拨付 824.81 万元; 执行率 71.72%
    assert tj["reported_total_score"] == 91.5 and tj["grade"] == "优"
    assert tj["funds_received"] == 1150 and tj["spent"] == 824.81
    assert round(tj["execution_rate"], 4) == 0.7172
    assert tj["province"] == "天津市" and tj["period_start"] == "2022-01-01" and tj["period_end"] == "2022-12-31"
    ft = rows["ft-2021-2023-anti-fraud-service"]
    # 福田: 调整预算金额 3715.28 万元，实际使用 3674.16 万元，预算执行率为 98.89%
    assert ft["budget"] == 3715.28 and ft["spent"] == 3674.16
    assert round(ft["spent"] / ft["budget"], 4) == 0.9889
    assert ft["district"] == "福田区" and ft["source"] == "report:futian-2021-2023"
    ts = rows["ts-2021-security-informatization"]
    # 天水: 最终得分82.06分 … 绩效评定等级为“良”; no 年初预算 → budget and arrival rate not reported (null)
    assert ts["reported_total_score"] == 82.06 and ts["grade"] == "良"
    assert ts["budget"] is None and ts["arrival_rate"] is None
    assert ts["city"] == "天水市" and ts["district"] is None


def test_summary_table_and_no_demo(capsys, seed_lake):
    code, out, _ = run(capsys, "--data", str(seed_lake), "summary")
    assert code == 0
    assert "天津电诈运行保障经费" in out and "71.72%" in out and "未披露" in out  # 天水's budget
    assert "3 个项目" in out
    code, out, _ = run(capsys, "summary", "--json", "--no-demo")
    assert {r["project_id"] for r in json.loads(out)} == REPORTS


# ---------------------------------------------------------------------------------------- --data
def test_data_option_env_and_position(capsys, seed_lake, tmp_path, monkeypatch):
    one = tmp_path / "one"
    shutil.copytree(seed_lake / "catalog", one / "catalog")
    shutil.copytree(seed_lake / "seed" / "tianjin-2022", one / "seed" / "tianjin-2022")
    ids = lambda out: {r["project_id"] for r in json.loads(out)}  # noqa: E731
    assert ids(run(capsys, "--data", str(one), "summary", "--json")[1]) == {"tj-2022-fraud-ops"}
    assert ids(run(capsys, "summary", "--json", "--data", str(one))[1]) == {"tj-2022-fraud-ops"}
    monkeypatch.setenv("PERFEVAL_DATA", str(one))
    assert ids(run(capsys, "summary", "--json")[1]) == {"tj-2022-fraud-ops"}
    assert common.data_path(None) == one
    monkeypatch.delenv("PERFEVAL_DATA")
    assert common.data_path(None) == DATA


def test_every_command_takes_data_before_or_after_it():
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert {"summary", "validate", "sql", "dictionary"} <= set(sub.choices)
    positional = {"sql": ["SELECT 1"], "import": ["x.xlsx"], "template": ["t.xlsx"], "withdraw": ["b1"],
                  "restore": ["b1"]}  # required
    for name, p in sub.choices.items():
        assert "--data" in p._option_string_actions, name
        args = parser.parse_args(["--data", "/x", name] + positional.get(name, []))
        assert args.data == "/x", f"{name}: its own --data default must not hide the global one"


def test_a_command_registered_through_the_hook(monkeypatch, capsys, seed_lake):
    """The documented two-line registration: add_X_parser(subparsers) + X_command(args)."""
    def add_hello_parser(subparsers):
        p = subparsers.add_parser("hello")
        p.add_argument("--name", default="世界")
        return p

    def hello_command(args):
        print(f"你好 {args.name} {args.data}")
        return 3

    original = cli._commands
    monkeypatch.setattr(cli, "_commands", lambda: original() + [(add_hello_parser, hello_command)])
    code, out, _ = run(capsys, "--data", str(seed_lake), "hello", "--name", "福田")
    assert code == 3 and out.strip() == f"你好 福田 {seed_lake}"


# ---------------------------------------------------------------------------------------- validate
def test_validate_the_seed_lake_is_clean(capsys, seed_lake):
    code, out, _ = run(capsys, "validate", str(seed_lake))
    assert code == 0, out
    assert "未发现问题" in out and "no problems" in out


def malformed_budget(seed_lake: pathlib.Path) -> pathlib.Path:
    """天津's budget with three errors typed in the way people make them in Excel."""
    path = seed_lake / "seed" / "tianjin-2022" / "budget.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("tj-2022-fraud-ops,2022,S2,财政资金,,190,", "tj-2022-fraud-ops,2022,S2,财政资金,,一百九十,", 1)
    text = text.replace("1150,824.81,2023-06-30", "1150,824.81,2023/06/30", 1)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_validate_a_malformed_file_names_file_row_column_value_in_both_languages(capsys, seed_lake):
    path = malformed_budget(seed_lake)
    before = path.read_bytes()
    listing = sorted(str(p) for p in seed_lake.rglob("*"))
    code, out, _ = run(capsys, "--data", str(seed_lake), "validate", str(path))
    assert code == 1
    assert out.count(str(path)) == 2
    # S2 is the 2nd data row → Excel row 3; the whole-project row is the 6th → Excel row 7
    assert f"{path}:3 [initial_budget]" in out and '"一百九十"' in out
    assert "应为数字" in out and "must be a number" in out
    assert f"{path}:7 [as_of]" in out and '"2023/06/30"' in out
    assert "YYYY-MM-DD" in out
    assert "2 个问题" in out and "2 problems" in out
    assert path.read_bytes() == before                      # nothing changed on disk
    assert sorted(str(p) for p in seed_lake.rglob("*")) == listing


def test_validate_json_and_the_whole_folder(capsys, seed_lake):
    path = malformed_budget(seed_lake)
    code, out, _ = run(capsys, "--data", str(seed_lake), "validate", "--json")
    assert code == 1
    problems = json.loads(out)
    assert {(p["row"], p["column"], p["value"], p["code"]) for p in problems} == {
        (3, "initial_budget", "一百九十", "not_number"), (7, "as_of", "2023/06/30", "not_date")}
    assert all(p["file"].endswith("seed/tianjin-2022/budget.csv") and p["message_zh"] and p["message_en"]
               for p in problems)
    assert path.exists()


def test_validate_a_gbk_file_outside_the_lake(capsys, seed_lake, tmp_path):
    upload = tmp_path / "upload" / "targets.csv"
    upload.parent.mkdir()
    cols = schema.table("targets").column_names
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    w.writerow([{"project_id": "tj-2022-fraud-ops", "target_id": "T99", "name": "预警信息准确率",
                 "operator": "≥", "source": "report:tianjin-2022"}.get(c, "") for c in cols])
    upload.write_bytes(buf.getvalue().encode("gbk"))
    code, out, _ = run(capsys, "--data", str(seed_lake), "validate", str(upload))
    assert code == 1
    assert f"{upload}:2 [operator]" in out and '"≥"' in out and "允许的值" in out


def test_validate_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.csv"))
    assert code == 2 and "not found" in err


# ---------------------------------------------------------------------------------------- sql
def test_sql_table_json_csv(capsys, seed_lake):
    q = "SELECT project_id, reported_total_score, period_start FROM projects ORDER BY project_id"
    code, out, _ = run(capsys, "--data", str(seed_lake), "sql", q)
    assert code == 0 and "tj-2022-fraud-ops" in out and "91.5" in out and "(3 行 / rows)" in out
    code, out, _ = run(capsys, "--data", str(seed_lake), "sql", q, "--json")
    rows = json.loads(out)
    assert rows[1] == {"project_id": "tj-2022-fraud-ops", "reported_total_score": 91.5,
                       "period_start": "2022-01-01"}
    code, out, _ = run(capsys, "--data", str(seed_lake), "sql",
                       "SELECT year, sum(received) AS received, sum(spent) AS spent FROM budget "
                       "WHERE project_id = 'ft-2021-2023-anti-fraud-service' GROUP BY year ORDER BY year", "--csv")
    # 福田 表1 实际支付金额: 1242.66 / 1208.99 / 1222.51
    assert list(csv.reader(io.StringIO(out))) == [
        ["year", "received", "spent"], ["2021", "1251.28", "1242.66"], ["2022", "1232.0", "1208.99"],
        ["2023", "1232.0", "1222.51"]]


@pytest.mark.parametrize("statement", [
    "DELETE FROM projects",
    "SELECT 1; SELECT 2",
    "COPY projects TO 'x.csv'",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM no_such_table",
])
def test_sql_refuses_or_fails_cleanly(capsys, seed_lake, statement):
    code, out, err = run(capsys, "--data", str(seed_lake), "sql", statement)
    assert code == 2 and out == "" and "query refused or failed" in err


# ---------------------------------------------------------------------------------------- dictionary
def test_dictionary_check_and_write(capsys, tmp_path):
    target = tmp_path / "dd.md"
    assert run(capsys, "dictionary", "--check", "--output", str(target))[0] == 1
    code, out, _ = run(capsys, "dictionary", "--output", str(target))
    assert code == 0 and target.is_file()
    assert run(capsys, "dictionary", "--check", "--output", str(target))[0] == 0


# ---------------------------------------------------------------------------------------- module
def test_python_dash_m_perfeval(seed_lake):
    env = dict(os.environ, PERFEVAL_DATA=str(seed_lake))
    done = subprocess.run([sys.executable, "-m", "perfeval", "summary", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {r["project_id"] for r in json.loads(done.stdout)} == REPORTS
    bad = subprocess.run([sys.executable, "-m", "perfeval", "validate", str(malformed_budget(seed_lake))],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "initial_budget" in bad.stdout


def test_json_values():
    import math

    import pandas as pd

    assert common.jsonable(float("nan")) is None and common.jsonable(pd.NA) is None and common.jsonable(pd.NaT) is None
    assert common.jsonable(pd.Timestamp("2023-06-30")) == "2023-06-30"
    assert common.jsonable(3715.2799999999997) == 3715.28
    assert common.jsonable(0.9889321935358842) == pytest.approx(0.9889321935358842, abs=1e-12)
    assert not math.isnan(common.jsonable(1.0))
    digest = hashlib.sha1(b"x").hexdigest()
    assert common.jsonable(digest) == digest
