"""The audit-log page's model (perfeval.views.audit_log): the entries as a table in words, newest first,
filtered by user and action, capped with a caption that says so; damaged lines said."""
from __future__ import annotations

import datetime as dt

from perfeval.auth import audit_log
from perfeval.auth.users import ROLES
from perfeval.views import audit_log as view

T0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)


def entries():
    def e(action, user, role, minutes, **kw):
        return audit_log.entry(action, user=user, role=role, now=T0 + dt.timedelta(minutes=minutes), **kw)

    return [
        e("page_view", "futian", "district", 0, params={"page": "project", "filters": {"project": "P1", "lang": "en"}}),
        e("import", "futian", "district", 1, params={"file": "a.xlsx", "batch": "b1"}, rows={"projects": 2},
          client="10.0.0.7"),
        e("withdraw", "futian", "district", 2, params={"batch_id": "b1"}, outcome="refused", message="依赖"),
        e("sign_in_failed", "mallory", None, 3, params={"reason": "unknown"}, outcome="refused"),
        e("cli", "ops", "admin", 4, params={"command": "sql", "argv": ["sql", "SELECT 1", "--json"], "exit": 0}),
        e("download", None, None, 5, params={"kind": "deck_portfolio", "bytes": 1234}),
    ]


def test_labels_cover_every_action_and_role():
    assert set(view.ACTIONS) == set(audit_log.ACTIONS)
    assert set(view.OUTCOMES) == set(audit_log.OUTCOMES)
    assert view.ROLES == ROLES


def test_table_newest_first_in_words():
    v = view.table(entries(), lang="zh")
    df = v["table"]
    assert list(df.columns) == [k for k, _, _ in view.COLUMNS]
    assert list(df["action"]) == ["下载", "命令行", "登录失败", "撤回", "导入", "访问页面"]
    assert df["time"].iloc[-1] == "2026-12-01 08:00:00"
    row = df.iloc[4]
    assert (row["user"], row["role"], row["params"], row["rows"], row["client"], row["outcome"]) == (
        "futian", "区县", "file=a.xlsx · batch=b1", "projects 2", "10.0.0.7", "完成")
    assert df.iloc[-1]["params"] == "project · project=P1 · lang=en"
    assert df.iloc[1]["params"] == "perfeval sql SELECT 1 --json (exit=0)"
    assert df.iloc[2]["outcome"] == "被拒绝" and df.iloc[2]["role"] == ""
    assert (df.iloc[0]["user"], df.iloc[0]["client"]) == ("（未登录）", "（未知）")
    assert v["caption"].startswith("共 6 条（") and v["caption"].endswith("。")


def test_filters_and_options():
    es = entries()
    assert view.options(es, "en")["users"] == ["futian", "mallory", "ops"]
    assert view.options(es, "en")["actions"]["sign_in_failed"] == "Failed sign-in"
    assert set(view.table(es, lang="en", user="futian")["table"]["action"]) == {"Page view", "Import", "Withdraw"}
    df = view.table(es, lang="en", actions=("import", "withdraw"))["table"]
    assert list(df["action"]) == ["Withdraw", "Import"] and list(df["outcome"]) == ["Refused", "Done"]
    none = view.table(es, lang="en", user="nobody")
    assert none["table"].empty and none["caption"] == "0 entries."


def test_cap_says_how_many_are_not_shown():
    v = view.table(entries(), lang="en", max_rows=2)
    assert len(v["table"]) == 2
    assert "6 entries" in v["caption"] and "the newest 2 are shown" in v["caption"]


def test_damaged_lines_are_said():
    assert view.damaged([], "zh") is None
    text = view.damaged([("/var/log/a.jsonl", 7, "{")], "en")
    assert "1 line(s)" in text and "/var/log/a.jsonl:7" in text
