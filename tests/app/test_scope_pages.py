"""Who sees what on the pages (AppTest of app.py, signed in by OIDC as AppTest simulates ``st.user``).

The marker lake of tests/scope_markers.py (福田区 and 南山区 of 深圳市, 天河区 of 广州市, 秦州区 of 天水市, each with
its token in every text). For every page, a district user sees only its own markers, a leader those under its
region, a viewer its project; URL parameters (?project= ?projects= ?districts= ?region=) naming another
district's project or region show nothing of it; an unknown user, an unknown role or nobody sees nothing and
is told so; two users in one process never get each other's cached results; without sign-in the app refuses
a non-loopback address.
"""
from __future__ import annotations

import json
import pathlib

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from perfeval import config
from perfeval.ui import state
from tests import scope_markers as sm
from tests.app.helpers import chart_specs, texts

APP = str(pathlib.Path(__file__).resolve().parents[2] / "app.py")
IDS = {code: sm.project_id(code) for code in sm.MARKERS}
ALL_IDS = ",".join(IDS.values())
ALL_CODES = ",".join(sm.MARKERS)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    lake = sm.build(tmp_path_factory.mktemp("markers") / "lake")
    auth = sm.write_auth(tmp_path_factory.mktemp("auth"), mode="oidc")
    mp = pytest.MonkeyPatch()
    mp.setenv(config.DATA_ENV, str(lake))
    mp.setenv(config.AUTH_ENV, str(auth))
    state._model.clear()
    yield lake
    mp.undo()
    state._model.clear()


def run(user: str | None, page: str | None = None, **query) -> AppTest:
    """app.py as ``user`` (signed in by OIDC; None: signed out) on app_pages/<page>.py with ``query``."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = ({"is_logged_in": True, "preferred_username": user, "name": user} if user
               else {"is_logged_in": False})
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py")
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def everything(at: AppTest) -> str:
    """All a page shows: texts, the sidebar, tables, charts and the widgets' options."""
    parts = [texts(at)]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(t.value) for t in at.table]
    parts += chart_specs(at)
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            parts.append(json.dumps([str(o) for o in w.options], ensure_ascii=False))
            parts.append(str(w.value))
    parts += [str(e.value) for e in at.sidebar.caption] + [str(e.value) for e in at.sidebar.markdown]
    parts += [e.proto.label for e in at.get("download_button")]
    return "\n".join(parts)


def assert_sees(at: AppTest, allowed: set[str], what: str) -> set[str]:
    got = sm.seen(everything(at))
    assert got <= allowed, f"{what}: sees {got - allowed}"
    return got


# user → (its own marker codes, one marker code it must not see)
CASES = {
    "futian": ({"440304"}, "440305"),
    "shenzhen": ({"440304", "440305"}, "440106"),
    "guest": ({"440106"}, "440304"),
}


@pytest.mark.parametrize("user", list(CASES))
def test_overview_and_forged_region(env, user):
    own, other = CASES[user]
    at = run(user)
    assert assert_sees(at, own, "overview") == own
    assert "👤" in everything(at) and sm.SEES[user] == own
    # a forged ?region= of another district, and of everything
    for region in (other, other[:2], other[:4]):
        at = run(user, region=region)
        assert_sees(at, own, f"overview ?region={region}")


@pytest.mark.parametrize("user", list(CASES))
@pytest.mark.parametrize("page", ["project", "budget", "outcomes", "satisfaction"])
def test_project_pages_with_forged_ids(env, user, page):
    own, other = CASES[user]
    mine = sorted(own)[0]
    at = run(user, page, project=IDS[mine])
    assert mine in assert_sees(at, own, f"{page} of its own project")
    at = run(user, page, project=IDS[other])  # another district's project by its id
    assert_sees(at, own, f"{page} ?project={IDS[other]}")


@pytest.mark.parametrize("user", list(CASES))
def test_compare_with_forged_lists(env, user):
    own, _ = CASES[user]
    assert_sees(run(user, "compare", projects=ALL_IDS), own, "compare ?projects=every marker")
    assert_sees(run(user, "compare", districts=ALL_CODES), own, "compare ?districts=every district")


def test_import_page_for_a_district(env):
    at = run("futian", "import")
    assert_sees(at, {"440304"}, "import")


def test_leader_of_a_province_and_another(env):
    at = run("guangdong")
    assert assert_sees(at, {"440304", "440305", "440106"}, "overview") == {"440304", "440305", "440106"}
    at = run("gansu", "compare", districts=ALL_CODES)
    assert_sees(at, {"620502"}, "compare")


@pytest.mark.parametrize("user", ["stranger", "typo", "noregion", "badcode", None])
@pytest.mark.parametrize("page, query", [(None, {}), ("project", {"project": IDS["440304"]}),
                                         ("compare", {"districts": ALL_CODES})])
def test_nobody_sees_nothing(env, user, page, query):
    at = AppTest.from_file(APP, default_timeout=120)
    at.user = ({"is_logged_in": True, "preferred_username": user} if user else {"is_logged_in": False})
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    shown = everything(at)
    assert not sm.seen(shown)
    assert not at.dataframe and not chart_specs(at) and not at.metric
    said = texts(at)
    if user is None:
        assert "请先登录" in said and [b for b in at.button if b.key == "auth_login"]
    elif user == "stranger":
        assert "未授权的用户" in said
    else:
        assert "看不到任何数据" in said


def test_two_users_in_one_process_never_share_cached_results(env):
    """The page models' and queries' caches are process-wide: users with different scopes, one after another
    and back, each get their own results (and the same user gets the same)."""
    seq = ["futian", "gansu", "shenzhen", "futian", "guest", "gansu"]
    for user in seq:
        at = run(user)
        assert assert_sees(at, sm.SEES[user], f"overview as {user}") == sm.SEES[user]
        at = run(user, "compare", districts=ALL_CODES)
        assert_sees(at, sm.SEES[user], f"compare as {user}")


def test_sidebar_names_the_user(env):
    at = run("futian")
    assert any("福田区用户（区县）" in c.value for c in at.sidebar.caption)
    assert [b for b in at.sidebar.button if b.key == "auth_sidebar_logout"]


def test_local_mode_says_so_and_refuses_a_public_address(monkeypatch):
    monkeypatch.delenv(config.AUTH_ENV, raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert any("本机模式（未启用登录）" in c.value for c in at.sidebar.caption)
    old = st_config.get_option("server.address")
    try:
        for address in ("0.0.0.0", "10.1.2.3", None):
            st_config.set_option("server.address", address)
            at = AppTest.from_file(APP, default_timeout=120)
            at.run()
            assert not at.exception
            assert "拒绝启动" in texts(at) and "refusing to serve" in texts(at)
            assert not at.dataframe and not at.metric and not chart_specs(at)
    finally:
        st_config.set_option("server.address", old)


def _import(user: str, name: str, data: bytes) -> AppTest:
    at = run(user, "import")
    at.file_uploader(key="w_upload").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _files(lake: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(lake)): p.read_bytes() for p in sorted(lake.rglob("*"))
            if p.is_file() and "_derived" not in p.parts}


NEW_PROJECT = ("project_id,name,short_name,category,province,city,district,region_code,implementing_unit,evaluator,"
               "evaluator_type,period_start,period_end\n"
               "new-{code},新项目 NEW{code},新项目,反诈,广东省,深圳市,某区,{code},某分局,某机构,自评,2023-01-01,2023-12-31\n")


def test_import_page_imports_only_the_users_regions(env):
    """A district's upload of another district's project is refused with the reason and writes nothing; its
    own is imported under its name; the batch list shows each user only the batches of its scope."""
    lake = env
    foreign = NEW_PROJECT.format(code="440305").encode("utf-8")
    before = _files(lake)
    at = _import("futian", "projects.csv", foreign)
    if [b for b in at.button if b.key == "commit"]:
        at.button(key="commit").click().run()
    said = texts(at) + "\n".join(d.value.to_csv() for d in at.dataframe)
    assert "440305" in said and ("不在您的权限范围" in said or "outside your scope" in said), said
    assert _files(lake) == before
    # a leader may not import at all
    at = _import("shenzhen", "projects.csv", NEW_PROJECT.format(code="440304").encode("utf-8"))
    if [b for b in at.button if b.key == "commit"]:
        at.button(key="commit").click().run()
    assert _files(lake) == before
    # its own region: imported, under its name
    at = _import("futian", "projects.csv", NEW_PROJECT.format(code="440304").encode("utf-8"))
    at.button(key="commit").click().run()
    assert not at.exception
    batches = [p for p in (lake / "imports").iterdir() if not p.name.startswith(".")]
    assert len(batches) == 1
    assert json.loads((batches[0] / "batch.json").read_text(encoding="utf-8")).get("who") == "futian"
    try:
        for user, listed in (("futian", True), ("shenzhen", True), ("nanshan", False), ("gansu", False)):
            shown = everything(run(user, "import"))
            assert (batches[0].name in shown) is listed, user
    finally:  # the other tests read the marker lake as it was
        import shutil

        shutil.rmtree(batches[0])
        state._model.clear()


@pytest.mark.parametrize("headers, peer, sees, said", [
    ({"X-Perfeval-User": "futian"}, "127.0.0.1", {"440304"}, None),
    ({"X-Perfeval-User": "shenzhen"}, "::1", {"440304", "440305"}, None),
    ({"X-Perfeval-User": "futian"}, "10.0.0.9", set(), "未授权的用户"),     # not from the trusted proxy
    ({"X-Perfeval-User": "nobody-known"}, "127.0.0.1", set(), "未授权的用户"),
    ({}, "127.0.0.1", set(), "请先登录"),
])
def test_proxy_mode(env, tmp_path, monkeypatch, headers, peer, sees, said):
    """Mode proxy: the user is the trusted proxy's header (the connection's headers and peer address, which
    AppTest cannot set, are given to perfeval.ui.auth as the server would see them)."""
    from perfeval.ui import auth

    monkeypatch.setenv(config.AUTH_ENV, str(sm.write_auth(tmp_path / "auth", mode="proxy")))
    monkeypatch.setattr(auth, "_connection", lambda: ({}, headers, peer))
    monkeypatch.setattr(auth, "_limiter", auth.identity.SignInLimiter())
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert sm.seen(everything(at)) == sees
    if said:
        assert said in texts(at) and not at.dataframe and not at.metric
    else:
        assert any("👤" in c.value for c in at.sidebar.caption)
