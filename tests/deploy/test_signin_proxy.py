"""Sign-in behind the documented nginx (mode "proxy", docs/security.md), through the real nginx.

nginx checks passwords against a users file of hashed passwords made here (auth_basic), names the person to
the app in X-Perfeval-User (a header it sets itself: a client's never passes), and rate-limits attempts. The
app (PERFEVAL_AUTH → mode proxy) believes that header only from the proxy's address, and shows each user only
their scope. Skipped where nginx is not installed.
"""
from __future__ import annotations

import base64
import http.client
import re
import ssl
import time
import stat
import subprocess
import urllib.error
import urllib.request

import pytest

from deploy import probe
from deploy.cluster import LOCATIONS, AppProcess, Nginx, http_get, render_site
from tests.browser.pages import FT, SEEDS, TJ, TS

PASSWORDS = {"futian": "ft-correct-horse", "tianjin": "tj-battery-staple", "intruder": "in-password",
             "福田区": "ft2-passwort"}
USERS = """
[[users]]
name = "futian"
role = "district"
regions = ["440304"]
display = "福田区公安分局"

[[users]]
name = "福田区"
role = "district"
regions = ["440304"]

[[users]]
name = "tianjin"
role = "leader"
regions = ["120000"]
display = "天津市局"

[[users]]
name = "admin"
role = "admin"
"""
# "intruder" has a password for nginx but is not in the app's users file; "admin" is in the users file and
# has no password: only a forged header could name it.


def _private(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def _hash(password: str) -> str:
    """A SHA-512 crypt hash (openssl passwd -6), which nginx's auth_basic checks through the system's crypt()."""
    return subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True, text=True,
                          check=True).stdout.strip()


def basic(user: str, password: str | None = None) -> dict:
    token = base64.b64encode(f"{user}:{password or PASSWORDS[user]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module")
def secrets_dir(tmp_path_factory):
    """The secrets outside git: users of nginx (hashed passwords), the app's users and settings, mode 0600 in a
    0700 folder."""
    d = tmp_path_factory.mktemp("signin-proxy-secrets")
    d.chmod(0o700)
    _private(d / "htpasswd", "".join(f"{u}:{_hash(p)}\n" for u, p in PASSWORDS.items()))
    _private(d / "users.toml", USERS)
    _private(d / "auth.toml", f"""
mode = "proxy"
users_file = "users.toml"
audit_log = "{d / 'audit.log'}"
[proxy]
header = "X-Perfeval-User"
trusted = ["127.0.0.1"]
""")
    # the same users, but the app trusts the header only from an address the proxy is not
    _private(d / "auth-elsewhere.toml", f"""
mode = "proxy"
users_file = "users.toml"
audit_log = "{d / 'audit-elsewhere.log'}"
[proxy]
trusted = ["192.0.2.10"]
""")
    return d


@pytest.fixture(scope="module")
def app(secrets_dir, tmp_path_factory):
    a = AppProcess(log_dir=tmp_path_factory.mktemp("signin-proxy-app"),
                   extra_env={"PERFEVAL_AUTH": str(secrets_dir / "auth.toml")})
    a.start()
    yield a
    a.stop()


@pytest.fixture(scope="module")
def signin_proxy(app, secrets_dir, tmp_path_factory):
    if not Nginx.available():
        pytest.skip("nginx is not installed (`make system-deps` installs it)")
    ng = Nginx([app.port], tmp_path_factory.mktemp("signin-nginx"), htpasswd=secrets_dir / "htpasswd")
    ng.start()
    yield ng
    ng.stop()


def seeds_shown(run) -> set[str]:
    text = run.text()
    return {pid for pid, name in SEEDS.items() if name in text}


def _location_blocks(text: str) -> dict[str, str]:
    """{location line: its body} of an nginx config text (blocks without nested braces)."""
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"(location[^{]*)\{([^}]*)\}", text)}


def test_every_location_sets_the_identity_header_itself(tmp_path):
    """A location that forgot the header would pass a client's X-Perfeval-User to the app: every one sets it
    (from $perfeval_user, or empty), and empties X-Forwarded-For."""
    blocks = _location_blocks(LOCATIONS.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    for where, body in blocks.items():
        assert re.search(r'proxy_set_header X-Perfeval-User (\$perfeval_user|"");', body), where
        assert 'proxy_set_header X-Forwarded-For "";' in body, where
        assert "proxy_pass" in body, where
    # with a password file, both servers ask for a password and name the user; without, nobody is named
    cert, key = tmp_path / "c.crt", tmp_path / "c.key"
    site = render_site([8501], 80, 443, cert, key, tmp_path, htpasswd=tmp_path / "htpasswd")
    assert site.count(f"auth_basic_user_file {tmp_path / 'htpasswd'};") == 2
    assert site.count("set $perfeval_user $remote_user;") == 2
    plain = "\n".join(line.split("#")[0] for line in render_site([8501], 80, 443, cert, key, tmp_path).splitlines())
    assert "auth_basic_user_file" not in plain and "set $perfeval_user $remote_user" not in plain
    assert plain.count('set $perfeval_user "";') == 2


def test_the_secrets_are_private(secrets_dir):
    for f in secrets_dir.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    # nginx gets hashes, never the passwords
    text = (secrets_dir / "htpasswd").read_text()
    assert all(p not in text for p in PASSWORDS.values()) and text.count("$6$") == len(PASSWORDS)


def test_no_page_without_a_password(signin_proxy):
    for path in ("/", "/project", f"/project?project={FT}", "/_stcore/host-config"):
        status, headers, _ = http_get(signin_proxy.url + path)
        assert status == 401 and "basic" in headers.get("www-authenticate", "").lower(), path
    assert http_get(signin_proxy.url + "/", headers=basic("futian", "wrong"))[0] == 401
    assert http_get(signin_proxy.url + "/", headers=basic("nobody", "x"))[0] == 401
    # a forged identity header does not open the door either
    assert http_get(signin_proxy.url + "/", headers={"X-Perfeval-User": "admin"})[0] == 401
    # the health check and Streamlit's static files need no password
    assert http_get(signin_proxy.url + "/_stcore/health")[::2] == (200, b"ok")
    assert http_get(signin_proxy.url + "/", headers=basic("futian"))[0] == 200


def test_a_signed_in_district_sees_only_its_district(signin_proxy):
    run = probe.run_page(signin_proxy.url, "project", headers=basic("futian"))
    assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions, run.exceptions
    assert seeds_shown(run) == {FT}
    assert any("福田区公安分局" in t for t in run.texts)  # the sidebar says who is signed in
    # another district's project by URL: nothing of it
    for pid in (TJ, TS):
        run = probe.run_page(signin_proxy.url, f"project?project={pid}", headers=basic("futian"))
        assert not run.exceptions
        assert SEEDS[pid] not in run.text()


def test_a_leader_sees_its_region_and_a_utf8_name_signs_in(signin_proxy):
    run = probe.run_page(signin_proxy.url, "project", headers=basic("tianjin"))
    assert not run.exceptions and seeds_shown(run) == {TJ}
    run = probe.run_page(signin_proxy.url, "project", headers=basic("福田区"))
    assert not run.exceptions and seeds_shown(run) == {FT}


def test_a_forged_identity_header_from_a_client_is_ignored(signin_proxy):
    for forged in ("admin", "tianjin"):
        for name in ("X-Perfeval-User", "x-perfeval-user", "X-PERFEVAL-USER"):
            run = probe.run_page(signin_proxy.url, "project", headers={**basic("futian"), name: forged})
            assert not run.exceptions
            assert seeds_shown(run) == {FT}, (name, forged)
    # a forged X-Forwarded-For does not make the proxy's connection look like another address either
    run = probe.run_page(signin_proxy.url, "project",
                         headers={**basic("futian"), "X-Forwarded-For": "192.0.2.10", "X-Real-IP": "192.0.2.10"})
    assert not run.exceptions and seeds_shown(run) == {FT}


def test_a_user_nginx_knows_but_the_app_does_not_sees_nothing(signin_proxy):
    run = probe.run_page(signin_proxy.url, "project", headers=basic("intruder"))
    assert not run.exceptions
    assert seeds_shown(run) == set()
    assert any("未授权" in t for t in run.texts)


def test_the_header_is_believed_only_from_the_configured_proxy(secrets_dir, tmp_path_factory):
    # An app that trusts another address than the one connecting believes no identity header at all. (The
    # app of the other tests trusts 127.0.0.1, where nginx and this test run: whoever can connect from a
    # trusted address can name anyone, which is why the replicas listen on 127.0.0.1 only; docs/security.md.)
    other = AppProcess(log_dir=tmp_path_factory.mktemp("signin-proxy-elsewhere"),
                       extra_env={"PERFEVAL_AUTH": str(secrets_dir / "auth-elsewhere.toml")}).start()
    ng = None
    try:
        for headers in ({"X-Perfeval-User": "admin"}, {"X-Perfeval-User": "futian"}):
            run = probe.run_page(other.url, "project", headers=headers)
            assert not run.exceptions and seeds_shown(run) == set()
        # nor the header of a real nginx that signed the user in, when nginx is not the trusted address
        if Nginx.available():
            ng = Nginx([other.port], tmp_path_factory.mktemp("signin-nginx-elsewhere"),
                       htpasswd=secrets_dir / "htpasswd").start()
            run = probe.run_page(ng.url, "project", headers=basic("futian"))
            assert not run.exceptions and seeds_shown(run) == set()
            assert any("未授权" in t for t in run.texts)
    finally:
        if ng is not None:
            ng.stop()
        other.stop()


def test_sign_in_attempts_are_rate_limited(signin_proxy):
    statuses = []
    for _ in range(80):  # bounded, to 127.0.0.1 only
        statuses.append(http_get(signin_proxy.url + "/", headers=basic("futian", "guess"))[0])
    assert statuses[0] == 401
    assert 429 in statuses
    assert statuses.count(401) <= 31 + 80 // 5  # the burst, and what the rate lets through meanwhile
    log = (signin_proxy.run_dir / "logs" / "error.log").read_text(errors="replace")
    assert "password mismatch" in log and "limiting requests" in log
    # the limit is per address and user name: another person behind the same address still signs in
    assert http_get(signin_proxy.url + "/", headers=basic("tianjin"))[0] == 200
    assert http_get(signin_proxy.url + "/", headers=basic("futian", "guess"))[0] == 429


def _tls_get(proxy, path, headers):
    ctx = ssl.create_default_context(cafile=str(proxy.run_dir / "tls" / "perfeval.crt"))
    conn = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=ctx, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        r.read()
        return r.status, r.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


def test_cookies_are_secure_behind_tls_and_xsrf_protection_is_on(signin_proxy):
    time.sleep(1.5)  # let the rate limit of the previous test drain
    status, cookies = _tls_get(signin_proxy, "/", basic("futian"))
    assert status == 200
    # Streamlit sets its XSRF cookie on the health check, which its page script calls first
    status, more = _tls_get(signin_proxy, "/_stcore/health", basic("futian"))
    assert status == 200
    cookies += more
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"_streamlit_xsrf", "perfeval_node"} <= names, cookies
    for c in cookies:
        flags = {f.strip().lower() for f in c.split(";")[1:]}
        assert "secure" in flags, c
        assert "samesite=lax" in flags, c
        if not c.startswith("_streamlit_xsrf="):  # the XSRF cookie is read by Streamlit's page script
            assert "httponly" in flags, c
    # over plain HTTP (which production redirects to TLS) no Secure flag is added
    _, headers, _ = http_get(signin_proxy.url + "/", headers=basic("futian"))
    assert "secure" not in headers.get("set-cookie", "").lower()
    # XSRF protection: an upload without the token is refused
    req = urllib.request.Request(signin_proxy.url + "/_stcore/upload_file/x/y", method="PUT",
                                 headers={**basic("futian")}, data=b"--x--")
    try:
        urllib.request.urlopen(req, timeout=10)
        code, body = 200, b""
    except urllib.error.HTTPError as e:
        code, body = e.code, e.read()
    assert code == 403 and b"XSRF" in body


@pytest.mark.browser
def test_a_browser_signs_in_through_the_tls_proxy_and_sees_only_its_district(browser, signin_proxy, request_log,
                                                                            request):
    """Chromium with the password nginx asks for (HTTP Basic over TLS): the page and its WebSocket carry it, and
    the district user sees its own project only."""
    test = request.node.nodeid
    ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000},
                              http_credentials={"username": "futian", "password": PASSWORDS["futian"]})
    ctx.on("request", lambda r: request_log.add(test, "request", r.url))
    try:
        page = ctx.new_page()
        page.goto(f"{signin_proxy.https_url}/project", timeout=60_000)
        page.wait_for_function("""() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return !!app && app.dataset.testScriptState === 'notRunning'
                && app.dataset.testConnectionState === 'CONNECTED'
                && !!document.querySelector('[data-testid="stMain"] h1');
        }""", timeout=60_000)
        page.wait_for_timeout(500)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert SEEDS[FT] in main and SEEDS[TJ] not in main and SEEDS[TS] not in main
        assert "福田区公安分局" in page.locator('[data-testid="stSidebar"]').inner_text()
        cookies = {c["name"]: c for c in ctx.cookies()}
        assert cookies["perfeval_node"]["secure"] and cookies["perfeval_node"]["httpOnly"]
    finally:
        ctx.close()
    assert request_log.outside(test) == []
