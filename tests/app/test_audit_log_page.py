"""The audit-log page (app_pages/audit_log.py) through the real entry point: an administrator sees the
entries and filters them; anyone else gets no such page (not routed, and the page file itself refuses).
Every page view of the app writes its entry, with the page's filters, once per page and set of filters."""
from __future__ import annotations

import datetime as dt

import pytest

from perfeval.auth import audit_log
from perfeval.auth.users import User
from perfeval.ui import audit
from tests.app.helpers import APP, run_page, texts

UTC = dt.timezone.utc
DISTRICT = User("futian", "district", ("440304",), (), "福田区公安分局")


@pytest.fixture()
def log(tmp_path, monkeypatch):
    path = tmp_path / "audit.jsonl"
    monkeypatch.setenv(audit_log.ENV, str(path))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)  # local mode: the person at the machine is the admin
    now = dt.datetime.now(UTC)
    audit_log.record("sign_in_failed", user="mallory", role=None, client="10.9.9.9", outcome="refused",
                     params={"reason": "unknown user"}, path=path, now=now - dt.timedelta(minutes=3))
    audit_log.record("import", user="futian", role="district", client="10.0.0.7", params={"file": "福田.xlsx"},
                     rows={"projects": 2, "budget": 8}, path=path, now=now - dt.timedelta(minutes=2))
    audit_log.record("download", user="leader1", role="leader", params={"kind": "deck_portfolio"}, path=path,
                     now=now - dt.timedelta(minutes=1))
    audit_log.record("cli", user="ops", role="admin", params={"command": "summary", "argv": ["summary", "--json"]},
                     path=path, now=now - dt.timedelta(days=30))  # outside the page's default week
    return path


def table(at):
    assert len(at.dataframe) == 1, texts(at)
    return at.dataframe[0].value


def test_admin_reads_and_filters_the_log(log):
    at = run_page("audit_log")
    assert not at.exception, [e.value for e in at.exception]
    df = table(at)
    assert "futian" in set(df["user"]) and "mallory" in set(df["user"]) and "leader1" in set(df["user"])
    assert "ops" not in set(df["user"])  # 30 days ago: before the default "from" date
    imp = df[df["action"] == "导入"].iloc[0]
    assert (imp["role"], imp["client"], imp["outcome"]) == ("区县", "10.0.0.7", "完成")
    assert "file=福田.xlsx" in imp["params"] and "projects 2" in imp["rows"] and "budget 8" in imp["rows"]
    failed = df[df["action"] == "登录失败"].iloc[0]
    assert failed["outcome"] == "被拒绝" and failed["user"] == "mallory"
    # the overview shown first and this page were logged as page views, by the local administrator
    views = audit_log.read(log, action="page_view")
    assert [e["params"]["page"] for e in views][-1] == "audit_log"
    assert {e["user"] for e in views} == {"本机"} and {e["role"] for e in views} == {"admin"}
    assert str(log) in texts(at)

    at.selectbox(key="audit_user").set_value("futian").run()
    assert set(table(at)["user"]) == {"futian"}
    at.selectbox(key="audit_user").set_value(None).run()
    at.multiselect(key="audit_actions").set_value(["sign_in_failed", "download"]).run()
    assert set(table(at)["action"]) == {"登录失败", "下载"}
    at.date_input(key="audit_since").set_value(dt.datetime.now(UTC).date() - dt.timedelta(days=40)).run()
    at.multiselect(key="audit_actions").set_value(["cli"]).run()
    cli = table(at)
    assert list(cli["user"]) == ["ops"] and cli["params"].iloc[0] == "perfeval summary --json"
    assert not at.exception


def test_the_page_says_it_in_english(log):
    at = run_page("audit_log", lang="en")
    assert not at.exception
    df = table(at)
    assert "Import" in set(df["action"]) and "Failed sign-in" in set(df["action"])
    assert at.title[0].value == "Audit log"


def test_a_page_view_is_logged_with_its_filters_once(log):
    def compare_views():
        return [e["params"]["filters"] for e in audit_log.read(log, action="page_view")
                if e["params"]["page"] == "compare"]

    at = run_page("compare", region="4403", year_from="2021")
    assert not at.exception
    assert compare_views() == [{"region": "4403", "year_from": "2021"}]  # as asked for
    at.run()
    # then with the page's own choices it put in the URL (the districts it compares), logged on this run
    # since the page stopped the last one before its end
    last = compare_views()[-1]
    assert (last["region"], last["year_from"]) == ("4403", "2021") and last.get("districts")
    n = len(compare_views())
    at.run()  # a rerun that changes nothing writes nothing
    assert len(compare_views()) == n
    at.run()
    assert len(compare_views()) == n


def test_a_page_view_that_cannot_be_logged_is_said(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv(audit_log.ENV, str(blocker / "audit.jsonl"))  # a folder that cannot be made
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)
    at = run_page("overview")
    assert not at.exception
    assert any("审计日志" in w.value for w in at.warning)


@pytest.fixture()
def oidc(tmp_path, monkeypatch):
    """Sign-in by OpenID Connect (st.user, which an AppTest seeds): an administrator and a district."""
    path = tmp_path / "audit" / "audit.jsonl"
    (tmp_path / "users.toml").write_text(
        '[[users]]\nname = "boss"\nrole = "admin"\n\n[[users]]\nname = "futian"\nrole = "district"\n'
        'regions = ["440304"]\ndisplay = "福田区公安分局"\n', encoding="utf-8")
    (tmp_path / "auth.toml").write_text(f'mode = "oidc"\nusers_file = "users.toml"\naudit_log = "{path}"\n',
                                        encoding="utf-8")
    monkeypatch.setenv("PERFEVAL_AUTH", str(tmp_path / "auth.toml"))

    def signed_in(name: str):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(APP, default_timeout=60)
        at.user = {"is_logged_in": True, "preferred_username": name}
        at.run()
        return at

    return path, signed_in


def test_sign_ins_are_logged_and_only_an_admin_gets_the_page(oidc):
    log, signed_in = oidc
    at = signed_in("futian")
    assert not at.exception
    with pytest.raises(Exception):  # not routed for a district
        at.switch_page("app_pages/audit_log.py").run()
    [e] = audit_log.read(log, action="sign_in")
    assert (e["user"], e["role"], e["params"]["display"], e["outcome"]) == ("futian", "district", "福田区公安分局", "ok")
    views = audit_log.read(log, action="page_view", user="futian")
    assert views and views[0]["params"]["page"] == "overview" and views[0]["role"] == "district"

    at = signed_in("mallory")  # not in the users file
    assert not at.exception and not at.dataframe
    [e] = audit_log.read(log, action="sign_in_failed")
    assert (e["user"], e["role"], e["outcome"], e["params"]["reason"]) == ("mallory", None, "refused", "unknown")
    assert not audit_log.read(log, action="page_view", user="mallory")

    at = signed_in("boss")
    at.switch_page("app_pages/audit_log.py").run()
    assert not at.exception
    df = table(at)
    assert {"futian", "mallory", "boss"} <= set(df["user"])
    assert set(df[df["user"] == "mallory"]["action"]) == {"登录失败"}


def test_the_page_file_itself_refuses_others(log, monkeypatch):
    monkeypatch.setattr(audit.auth, "current_user", lambda: DISTRICT)
    from streamlit.testing.v1 import AppTest

    page = AppTest.from_file(str(audit.state.config.ROOT / "app_pages" / "audit_log.py"), default_timeout=60)
    page.run()
    assert not page.exception
    assert not page.dataframe
    assert any("仅管理员" in e.value for e in page.error)
    assert "mallory" not in texts(page) and "futian" not in texts(page)
    with pytest.raises(PermissionError):
        audit.read(None, None)


@pytest.fixture()
def deferred(monkeypatch):
    """The ``data`` callables of the deferred download buttons, by key (an AppTest has no server to run them
    when the button is clicked: the test runs them as the server would)."""
    import streamlit as st

    made = {}
    real = st.download_button

    def spy(label, data=None, *args, **kwargs):
        if callable(data):
            made[kwargs.get("key")] = data
        return real(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    return made


def test_a_deck_download_writes_its_entry(log, deferred):
    from tests.browser.pages import FT

    at = run_page("overview", region="4403", lang="en")
    assert not at.exception
    data = deferred["deck_portfolio"]()
    assert data[:2] == b"PK"  # the PPTX
    [e] = audit_log.read(log, action="download", user="本机")  # (the fixture planted another's)
    assert (e["user"], e["role"], e["outcome"]) == ("本机", "admin", "ok")
    p = e["params"]
    assert p["kind"] == "deck_portfolio" and p["bytes"] == len(data) and p["file"].endswith(".pptx")
    assert p["filters"]["region"] == "4403" and p["lang"] == "en"

    at = run_page("project", project=FT)
    assert not at.exception
    data = deferred["deck_project"]()
    e = audit_log.read(log, action="download")[-1]
    assert (e["params"]["kind"], e["params"]["project"], e["params"]["bytes"]) == ("deck_project", FT, len(data))


def test_no_entry_no_deck(tmp_path, monkeypatch, deferred):
    import shutil

    folder = tmp_path / "logs"
    monkeypatch.setenv(audit_log.ENV, str(folder / "audit.jsonl"))
    monkeypatch.delenv("PERFEVAL_AUTH", raising=False)
    at = run_page("overview")
    assert not at.exception
    shutil.rmtree(folder)
    folder.write_text("")  # the log cannot be written any more when the button is clicked
    with pytest.raises(audit_log.AuditLogError):
        deferred["deck_portfolio"]()
