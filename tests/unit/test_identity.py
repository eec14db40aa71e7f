"""perfeval.auth.identity: which user a request is, in each sign-in mode (docs/security.md)."""
from __future__ import annotations

import pathlib

import pytest

from perfeval.auth import identity
from perfeval.auth.identity import SignInLimiter, client_address, identify, peer_address
from perfeval.auth.settings import parse_settings
from perfeval.auth.users import LOCAL_ADMIN, parse_users, scope_for

USERS = parse_users("""
[[users]]
name = "futian"
role = "district"
regions = ["440304"]
display = "福田区公安分局"

[[users]]
name = "shenzhen"
role = "leader"
regions = ["440300"]

[[users]]
name = "alice@example.org"
role = "viewer"
projects = ["tianjin-2022"]

[[users]]
name = "福田区"
role = "district"
regions = ["440304"]

[[users]]
name = "sub-0001"
role = "admin"

[[users]]
name = "mystery"
role = "superuser"
""")

LOCAL = parse_settings('mode = "local"')
PROXY = parse_settings("""
mode = "proxy"
users_file = "users.toml"
[proxy]
header = "X-Perfeval-User"
trusted = ["127.0.0.1", "10.8.0.0/24"]
""", pathlib.Path("/etc/perfeval/auth.toml"))


def oidc(user_claim="preferred_username", extra=""):
    return parse_settings(f"""
mode = "oidc"
users_file = "users.toml"
[oidc]
user_claim = "{user_claim}"
{extra}
""", pathlib.Path("/etc/perfeval/auth.toml"))


def signed_in(**claims):
    return {"is_logged_in": True, "iss": "http://127.0.0.1:9400", **claims}


# --- local mode ---------------------------------------------------------------------------------------------

def test_local_mode_is_the_local_administrator_whatever_the_request_says():
    for kw in ({"oidc_user": None, "headers": {}, "remote_ip": None},
               {"oidc_user": signed_in(preferred_username="futian"), "headers": {"X-Perfeval-User": "futian"},
                "remote_ip": "127.0.0.1"}):
        user = identify(LOCAL, USERS, **kw)
        assert user == LOCAL_ADMIN
        assert (user.name, user.role, user.display) == ("本机", "admin", "本机")
        assert scope_for(user).unrestricted


# --- OIDC ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("claim,claims,expected", [
    ("preferred_username", {"preferred_username": "futian", "email": "x@example.org", "sub": "1"}, "futian"),
    ("email", {"preferred_username": "futian", "email": "alice@example.org", "sub": "1"}, "alice@example.org"),
    ("sub", {"preferred_username": "futian", "email": "alice@example.org", "sub": "sub-0001"}, "sub-0001"),
])
def test_oidc_names_the_user_by_the_configured_claim(claim, claims, expected):
    user = identify(oidc(claim), USERS, oidc_user=signed_in(**claims), headers={}, remote_ip=None)
    assert user is USERS[expected]


def test_oidc_only_the_configured_claim_counts():
    # the email names a user of the file, but the settings say preferred_username, which names nobody
    claims = signed_in(preferred_username="someone-else", email="alice@example.org", sub="sub-0001")
    assert identify(oidc("preferred_username"), USERS, oidc_user=claims, headers={}, remote_ip=None) is None
    assert identify(oidc("preferred_username"), USERS, oidc_user=signed_in(email="alice@example.org"),
                    headers={}, remote_ip=None) is None


def test_oidc_unknown_user_or_not_signed_in_is_nobody():
    s = oidc()
    assert identify(s, USERS, oidc_user=signed_in(preferred_username="nobody-here"), headers={},
                    remote_ip=None) is None
    assert identify(s, USERS, oidc_user={"is_logged_in": False}, headers={}, remote_ip=None) is None
    assert identify(s, USERS, oidc_user=None, headers={}, remote_ip=None) is None
    assert identify(s, USERS, oidc_user={"preferred_username": "futian"}, headers={}, remote_ip=None) is None
    for bad in ("", "   ", "fut\x00ian", "a" * 500, 42, ["futian"]):
        assert identify(s, USERS, oidc_user=signed_in(preferred_username=bad), headers={}, remote_ip=None) is None


def test_oidc_ignores_a_client_sent_identity_header():
    s = oidc()
    forged = {"X-Perfeval-User": "shenzhen", "x-perfeval-user": "sub-0001"}
    for ip in ("127.0.0.1", "10.8.0.5", None):
        assert identify(s, USERS, oidc_user=None, headers=forged, remote_ip=ip) is None
        assert identify(s, USERS, oidc_user=signed_in(preferred_username="futian"), headers=forged,
                        remote_ip=ip) is USERS["futian"]


def test_oidc_unknown_role_in_the_users_file_sees_nothing():
    user = identify(oidc(), USERS, oidc_user=signed_in(preferred_username="mystery"), headers={}, remote_ip=None)
    assert user is USERS["mystery"] and scope_for(user).is_nothing


ROLE_CLAIMS = """
role_claim = "groups"
regions_claim = "perfeval_regions"
projects_claim = "perfeval_projects"
display_claim = "name"
[oidc.roles]
"perfeval-admins" = "admin"
"perfeval-district" = "district"
"perfeval-viewers" = "viewer"
"""


def test_oidc_role_and_regions_from_the_providers_claims():
    s = oidc("email", ROLE_CLAIMS)
    user = identify(s, USERS, headers={}, remote_ip=None, oidc_user=signed_in(
        email="ft@example.org", groups=["staff", "perfeval-district"], perfeval_regions=["440304"], name="福田"))
    assert (user.name, user.role, user.regions, user.display) == ("ft@example.org", "district", ("440304",), "福田")
    assert scope_for(user).prefixes == ["440304"]
    # several mapped groups: the most privileged
    user = identify(s, USERS, headers={}, remote_ip=None, oidc_user=signed_in(
        email="a@example.org", groups=["perfeval-viewers", "perfeval-admins"]))
    assert user.role == "admin"
    # a comma-separated string claim
    user = identify(s, USERS, headers={}, remote_ip=None, oidc_user=signed_in(
        email="v@example.org", groups="perfeval-viewers", perfeval_projects="tianjin-2022, futian-2021-2023"))
    assert (user.role, user.projects) == ("viewer", ("tianjin-2022", "futian-2021-2023"))


def test_oidc_claims_that_map_to_no_role_fall_back_to_the_users_file_else_nobody():
    s = oidc("email", ROLE_CLAIMS)
    # an unmapped group is not a role, even when it is spelled like one
    assert identify(s, USERS, headers={}, remote_ip=None,
                    oidc_user=signed_in(email="x@example.org", groups=["admin", "staff"])) is None
    assert identify(s, USERS, headers={}, remote_ip=None,
                    oidc_user=signed_in(email="alice@example.org", groups=["staff"])) is USERS["alice@example.org"]
    # a district the provider gives no region sees nothing
    user = identify(s, USERS, headers={}, remote_ip=None,
                    oidc_user=signed_in(email="d@example.org", groups=["perfeval-district"]))
    assert user.role == "district" and scope_for(user).is_nothing


# --- proxy --------------------------------------------------------------------------------------------------

def test_proxy_header_from_a_trusted_proxy_names_the_user():
    for ip in ("127.0.0.1", "10.8.0.17"):
        assert identify(PROXY, USERS, oidc_user=None, headers={"X-Perfeval-User": "futian"}, remote_ip=ip) \
            is USERS["futian"]
    # header names are case-insensitive
    assert identify(PROXY, USERS, oidc_user=None, headers={"x-perfeval-user": "shenzhen"},
                    remote_ip="127.0.0.1") is USERS["shenzhen"]


def test_proxy_header_from_any_other_address_is_ignored():
    for ip in ("10.8.1.17", "192.0.2.7", "::1", None, "", "not-an-address"):
        assert identify(PROXY, USERS, oidc_user=None, headers={"X-Perfeval-User": "futian"}, remote_ip=ip) is None


def test_proxy_without_header_with_an_unknown_name_or_with_two_headers_is_nobody():
    ip = "127.0.0.1"
    assert identify(PROXY, USERS, oidc_user=None, headers={}, remote_ip=ip) is None
    assert identify(PROXY, USERS, oidc_user=None, headers={"X-Perfeval-User": ""}, remote_ip=ip) is None
    assert identify(PROXY, USERS, oidc_user=None, headers={"X-Perfeval-User": "intruder"}, remote_ip=ip) is None
    two = [("X-Perfeval-User", "futian"), ("x-perfeval-user", "shenzhen")]
    assert identify(PROXY, USERS, oidc_user=None, headers=two, remote_ip=ip) is None


def test_proxy_ignores_oidc_claims_and_other_headers():
    user = identify(PROXY, USERS, oidc_user=signed_in(preferred_username="shenzhen"),
                    headers={"X-Remote-User": "shenzhen", "X-Forwarded-User": "shenzhen"}, remote_ip="127.0.0.1")
    assert user is None


def test_proxy_reads_a_utf8_user_name_that_the_server_decoded_as_latin1():
    raw = "福田区".encode("utf-8").decode("latin-1")  # what Starlette hands over for nginx's bytes
    assert identify(PROXY, USERS, oidc_user=None, headers={"X-Perfeval-User": raw}, remote_ip="127.0.0.1") \
        is USERS["福田区"]


def test_proxy_header_name_comes_from_the_settings():
    s = parse_settings("""
mode = "proxy"
users_file = "users.toml"
[proxy]
header = "X-Remote-User"
trusted = ["::1"]
""", pathlib.Path("/etc/perfeval/auth.toml"))
    assert identify(s, USERS, oidc_user=None, headers={"X-Remote-User": "futian"}, remote_ip="::1") \
        is USERS["futian"]
    assert identify(s, USERS, oidc_user=None, headers={"X-Perfeval-User": "futian"}, remote_ip="::1") is None
    assert identify(s, USERS, oidc_user=None, headers={"X-Remote-User": "futian"}, remote_ip="127.0.0.1") is None


class StreamlitHeaders:
    """The shape of st.context.headers: get_all(name) gives every value."""

    def __init__(self, pairs):
        self.pairs = pairs

    def get_all(self, name):
        return [v for k, v in self.pairs if k.lower() == name.lower()]


def test_header_reads_streamlits_headers_object():
    h = StreamlitHeaders([("X-Perfeval-User", "futian"), ("Host", "x")])
    assert identity.header(h, "x-perfeval-user") == ["futian"]
    assert identify(PROXY, USERS, oidc_user=None, headers=h, remote_ip="127.0.0.1") is USERS["futian"]


# --- addresses ----------------------------------------------------------------------------------------------

def test_peer_address_from_streamlits_ip_address():
    assert peer_address("10.1.2.3", {"Host": "x"}) == "10.1.2.3"
    assert peer_address(None, {"Host": "x"}) == "127.0.0.1"  # Streamlit says None for a loopback peer
    assert peer_address(None, {}) is None  # no connection at all (AppTest): no address


def test_client_address_is_the_proxys_real_ip_only_from_a_trusted_proxy():
    h = {"X-Real-IP": "10.20.30.40"}
    assert client_address(PROXY, h, "127.0.0.1") == "10.20.30.40"
    assert client_address(PROXY, h, "192.0.2.9") == "192.0.2.9"
    assert client_address(PROXY, {}, "127.0.0.1") == "127.0.0.1"
    assert client_address(PROXY, [("X-Real-IP", "1.1.1.1"), ("X-Real-IP", "2.2.2.2")], "127.0.0.1") == "127.0.0.1"


def test_claimed_name_for_the_audit_of_failed_sign_ins():
    assert identity.claimed_name(PROXY, oidc_user=None, headers={"X-Perfeval-User": "intruder"},
                                 remote_ip="127.0.0.1") == "intruder"
    assert identity.claimed_name(PROXY, oidc_user=None, headers={"X-Perfeval-User": "futian"},
                                 remote_ip="192.0.2.9") == "untrusted:futian"
    assert identity.claimed_name(oidc(), oidc_user=signed_in(preferred_username="x"), headers={},
                                 remote_ip=None) == "x"
    assert identity.claimed_name(oidc(), oidc_user=None, headers={"X-Perfeval-User": "futian"},
                                 remote_ip="127.0.0.1") is None
    assert identity.claimed_name(LOCAL, oidc_user=None, headers={}, remote_ip=None) is None


# --- the limiter ---------------------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_limiter_locks_an_address_out_after_repeated_failures_then_lets_it_in_again():
    clock = Clock()
    lim = SignInLimiter(max_failures=3, window=60, lockout=300, clock=clock)
    assert lim.allowed("10.0.0.1")
    assert not lim.failed("10.0.0.1") and not lim.failed("10.0.0.1")
    assert lim.failed("10.0.0.1")  # the third
    assert not lim.allowed("10.0.0.1")
    assert lim.allowed("10.0.0.2")  # other addresses are not affected
    clock.now += 299
    assert not lim.allowed("10.0.0.1")
    clock.now += 2
    assert lim.allowed("10.0.0.1")


def test_limiter_counts_failures_within_the_window_only_and_forgets_them_on_success():
    clock = Clock()
    lim = SignInLimiter(max_failures=3, window=60, lockout=300, clock=clock)
    lim.failed("a")
    lim.failed("a")
    clock.now += 61
    assert not lim.failed("a")  # the first two are out of the window
    lim.failed("a")
    lim.succeeded("a")
    assert not lim.failed("a") and lim.allowed("a")


def test_limiter_memory_is_bounded():
    clock = Clock()
    lim = SignInLimiter(max_failures=3, window=1, lockout=1, clock=clock, max_addresses=100)
    for i in range(1000):
        lim.failed(f"10.0.{i // 256}.{i % 256}")
        clock.now += 0.01
    assert len(lim._records) <= 100


# --- secrets files ------------------------------------------------------------------------------------------

def test_a_private_secrets_file_outside_the_repository_is_accepted(tmp_path):
    f = tmp_path / "secrets.toml"
    f.write_text('[auth]\ncookie_secret = "x"\n')
    f.chmod(0o600)
    assert identity.secret_file_problems([f, tmp_path / "missing.toml"], repository=tmp_path / "repo") == []
    f.chmod(0o640)  # readable by its group (the service's): allowed
    assert identity.secret_file_problems([f], repository=tmp_path / "repo") == []


@pytest.mark.parametrize("mode", [0o644, 0o604, 0o602, 0o601, 0o666, 0o660])
def test_a_secrets_file_others_can_read_or_the_group_can_write_is_refused(tmp_path, mode):
    f = tmp_path / "secrets.toml"
    f.write_text('[auth]\ncookie_secret = "x"\n')
    f.chmod(mode)
    problems = identity.secret_file_problems([str(f)], repository=tmp_path / "repo")
    assert len(problems) == 1 and str(f) in problems[0] and f"{mode:04o}" in problems[0]
    assert "拒绝" in problems[0] and "refusing" in problems[0]


def test_a_secrets_folder_is_checked_file_by_file(tmp_path):
    d = tmp_path / "secrets"
    (d / "auth").mkdir(parents=True)
    d.chmod(0o700)
    (d / "auth").chmod(0o700)
    ok, bad = d / "auth" / "cookie_secret", d / "auth" / "client_secret"
    ok.write_text("x")
    bad.write_text("y")
    ok.chmod(0o600)
    bad.chmod(0o644)
    problems = identity.secret_file_problems([d], repository=tmp_path / "repo")
    assert len(problems) == 1 and str(bad) in problems[0]


def test_a_secrets_file_inside_the_repository_is_refused(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".streamlit").mkdir(parents=True)
    f = repo / ".streamlit" / "secrets.toml"
    f.write_text('[auth]\ncookie_secret = "x"\n')
    f.chmod(0o600)
    problems = identity.secret_file_problems([f], repository=repo)
    assert len(problems) == 1 and "repository" in problems[0]
