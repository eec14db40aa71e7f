"""Users, roles and their scope (perfeval.auth.users) and the auth settings file (perfeval.auth.settings):
default deny for every unknown or incomplete entry, and the example files as documented."""
from __future__ import annotations

import pathlib

import pytest

from perfeval import config
from perfeval.auth import settings as auth_settings
from perfeval.auth import users
from perfeval.auth.users import User, import_scope, scope_for
from perfeval.data.gate import DataGate, Scope
from perfeval.data.lake import Lake

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE_USERS = ROOT / "deploy" / "users.example.toml"
EXAMPLE_SETTINGS = ROOT / "deploy" / "auth.example.toml"


@pytest.fixture(scope="module")
def gate():
    return DataGate(Lake(ROOT / "data"))


def _regions(gate, scope):
    return sorted(gate.query("project_list", scope)["project_id"]) if not scope.is_nothing else []


def test_roles_give_their_scope():
    assert scope_for(User("a", "admin")) == Scope.everything()
    assert scope_for(User("a", "admin"), include_demo=False) == Scope.everything(False)
    assert scope_for(User("l", "leader", ("440300",))).prefixes == ["4403"]
    assert scope_for(User("l", "leader", ("*",))).unrestricted
    assert scope_for(User("d", "district", ("440304", "440305"))).prefixes == ["440304", "440305"]
    v = scope_for(User("v", "viewer", projects=("p-b", "p-a", "p-a")))
    assert v.projects == ("p-a", "p-b") and v.regions is None


@pytest.mark.parametrize("user", [
    None,
    User("x", "superuser", ("44",)),         # unknown role
    User("x", "", ("44",)),                  # no role
    User("x", "Admin"),                      # roles are exact
    User("x", "leader"),                     # leader without region
    User("x", "district", ("",)),            # an empty code is no prefix of everything
    User("x", "district", ("福田区",)),        # a name is no code
    User("x", "district", ("*",)),           # only a leader may have every region
    User("x", "viewer"),                     # viewer without projects
    User("x", "viewer", ("44",)),            # a viewer's regions give nothing
])
def test_default_deny(user, gate):
    scope = scope_for(user)
    assert scope.is_nothing
    assert gate.query("project_list", scope).empty
    assert gate.run_sql("SELECT count(*) AS n FROM documents", scope)["n"][0] == 0
    if user is not None:
        assert users.problems(user) or user.role == "admin"


def test_scope_reads_only_its_projects(gate):
    ft = scope_for(User("futian", "district", ("440304",)), include_demo=False)
    assert list(gate.query("project_list", ft)["project_id"]) == ["ft-2021-2023-anti-fraud-service"]
    gd = scope_for(User("gd", "leader", ("440000",)), include_demo=False)
    assert list(gate.query("project_list", gd)["project_id"]) == ["ft-2021-2023-anti-fraud-service"]
    viewer = scope_for(User("v", "viewer", projects=("tj-2022-fraud-ops", "no-such")))
    assert list(gate.query("project_list", viewer)["project_id"]) == ["tj-2022-fraud-ops"]
    # the documents a restricted viewer sees are those its projects cite
    docs = gate.run_sql("SELECT source FROM documents", ft)["source"].tolist()
    assert docs and all("futian" in s for s in docs)


def test_import_scope_only_admin_and_district():
    assert import_scope(User("a", "admin")).unrestricted
    d = import_scope(User("d", "district", ("440304",)))
    assert d.covers_region("440304") and not d.covers_region("440305") and not d.covers_region("120000")
    for u in (User("l", "leader", ("*",)), User("v", "viewer", projects=("x",)), User("x", "nope"), None):
        s = import_scope(u)
        assert s.is_nothing and not s.covers_region("440304")


def test_users_file_parsing(tmp_path):
    text = ('[[users]]\nname = "a@b.cn"\nrole = "district"\nregions = "440304"\n\n'
            '[[users]]\nname = "x"\nrole = "viewer"\nprojects = ["p1"]\n')
    us = users.parse_users(text)
    assert us["a@b.cn"].regions == ("440304",) and us["x"].projects == ("p1",)
    with pytest.raises(users.UsersFileError, match="twice"):
        users.parse_users('[[users]]\nname = "a"\nrole = "admin"\n[[users]]\nname = "a"\nrole = "viewer"\n')
    with pytest.raises(users.UsersFileError, match="name"):
        users.parse_users('[[users]]\nrole = "admin"\n')
    with pytest.raises(users.UsersFileError, match="TOML"):
        users.parse_users("[[users]\n")
    with pytest.raises(users.UsersFileError, match="cannot read"):
        users.load_users(tmp_path / "missing.toml")
    assert users.load_users(None) == {}
    f = tmp_path / "users.toml"
    f.write_text('[[users]]\nname = "a"\nrole = "admin"\n', encoding="utf-8")
    f.chmod(0o646)
    with pytest.raises(users.UsersFileError, match="writable by anyone"):
        users.load_users(f)
    f.chmod(0o640)
    assert users.load_users(f)["a"].role == "admin"


def test_example_users_file():
    us = users.load_users(EXAMPLE_USERS)
    assert {u.role for u in us.values()} == set(users.ROLES)
    assert not [u.name for u in us.values() if users.problems(u)]
    assert us["futian"].label("zh") == "福田区公安分局（区县）"
    assert us["futian"].label("en") == "福田区公安分局 (district)"


def test_settings(tmp_path, monkeypatch):
    monkeypatch.delenv(config.AUTH_ENV, raising=False)
    local = auth_settings.load_settings()
    assert local.mode == "local" and not local.sign_in and local.users_file is None
    s = auth_settings.load_settings(EXAMPLE_SETTINGS)
    assert s.mode == "proxy" and s.sign_in and s.users_file == EXAMPLE_USERS
    assert s.trusts("127.0.0.1") and s.trusts("::1") and not s.trusts("10.0.0.5") and not s.trusts(None)
    assert not s.trusts("not an address")
    f = tmp_path / "auth.toml"
    f.write_text('mode = "proxy"\nusers_file = "u.toml"\n[proxy]\ntrusted = ["10.1.0.0/16"]\nheader = "X-User"\n',
                 encoding="utf-8")
    monkeypatch.setenv(config.AUTH_ENV, str(f))
    s = auth_settings.load_settings()
    assert s.users_file == tmp_path / "u.toml" and s.proxy_header == "X-User"
    assert s.trusts("10.1.2.3") and not s.trusts("127.0.0.1")


@pytest.mark.parametrize("text, words", [
    ('mode = "open"', "mode"),
    ('mode = "proxy"', "users_file"),
    ('mode = "oidc"', "users_file"),
    ('mode = "proxy"\nusers_file = "u"\n[proxy]\ntrusted = ["everyone"]', "trusted"),
    ('mode = ', "TOML"),
])
def test_bad_settings_refused(tmp_path, text, words):
    f = tmp_path / "auth.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(auth_settings.AuthSettingsError, match=words) as e:
        auth_settings.load_settings(f)
    assert str(f) in str(e.value)


def test_oidc_with_claims_needs_no_users_file(tmp_path):
    f = tmp_path / "auth.toml"
    f.write_text('mode = "oidc"\n[oidc]\nrole_claim = "r"\nregions_claim = "g"\n[oidc.roles]\n"grp-admin" = "admin"\n',
                 encoding="utf-8")
    s = auth_settings.load_settings(f)
    assert s.claims.maps_roles and s.claims.roles == (("grp-admin", "admin"),) and s.users_file is None
