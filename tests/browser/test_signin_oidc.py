"""Sign-in with an identity provider (mode "oidc", Streamlit's st.login; docs/security.md), end to end in Chromium.

A real OpenID Connect provider process (oidc-provider-mock, requirements-test.txt) on 127.0.0.1, the app served
by Streamlit on 127.0.0.1 with a secrets.toml ([auth]: redirect_uri, cookie_secret, client_id, client_secret,
server_metadata_url) written for this test outside the repository, mode 0600 in a 0700 folder. A district user
signs in through the provider's form and sees only its district's projects; a client-sent identity header
changes nothing; the user signs out. A user the provider knows but the users file does not sees nothing; a
world-readable secrets file is refused; behind the documented nginx over TLS every cookie is Secure.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import urllib.parse

import pytest

from deploy.cluster import AppProcess, free_port, release_port, wait_for
from tests.browser.conftest import is_local
from tests.browser.pages import FT, SEEDS, TJ, TS

pytestmark = pytest.mark.browser

USERS = """
[[users]]
name = "futian"
role = "district"
regions = ["440304"]
display = "福田区公安分局"

[[users]]
name = "admin"
role = "admin"
"""
# the identity provider's people: sub → claims
PEOPLE = {
    "u-1001": {"preferred_username": "futian", "email": "futian@example.org", "name": "福田 测试"},
    "u-1002": {"preferred_username": "stranger", "email": "stranger@example.org", "name": "外人"},
}
TIMEOUT = 60_000


def _private(path, text: str, mode: int = 0o600) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


class Provider:
    """``python -m oidc_provider_mock`` on 127.0.0.1:<port> with PEOPLE predefined."""

    def __init__(self, log_dir):
        self.port = free_port()
        self.log = log_dir / "oidc-provider.log"
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Provider":
        cmd = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(self.port),
               "--require-nonce"]
        for sub, claims in PEOPLE.items():
            cmd += ["--user-claims", json.dumps({"sub": sub, **claims}, ensure_ascii=False)]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                         env={**os.environ, "NO_COLOR": "1"})
        wait_for(self.url + "/.well-known/openid-configuration", 30, expect=b"issuer", proc=self.proc,
                 log=self.log)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        release_port(self.port)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    p = Provider(tmp_path_factory.mktemp("oidc-provider")).start()
    yield p
    p.stop()


def _secrets(folder, app_port: int, provider_url: str, mode: int = 0o600, address: str | None = None):
    """The app's secrets and settings, outside the repository: secrets.toml for Streamlit, the auth settings and
    the users file. ``address``: where the browser reaches the app (default: straight on ``app_port``). Returns
    the extra environment of the app process."""
    address = address or f"http://127.0.0.1:{app_port}"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    _private(folder / "secrets.toml", f"""[auth]
redirect_uri = "{address}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "perfeval-test"
client_secret = "{secrets.token_hex(24)}"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"
""", mode)
    _private(folder / "users.toml", USERS)
    _private(folder / "auth.toml", f"""mode = "oidc"
users_file = "users.toml"
audit_log = "{folder / 'audit.log'}"
[oidc]
user_claim = "preferred_username"
""")
    return {"PERFEVAL_AUTH": str(folder / "auth.toml"), "STREAMLIT_SECRETS_FILES": str(folder / "secrets.toml")}


@pytest.fixture(scope="module")
def oidc_app(provider, tmp_path_factory):
    port = free_port()
    folder = tmp_path_factory.mktemp("oidc-secrets")
    app = AppProcess(port=port, log_dir=tmp_path_factory.mktemp("oidc-app"),
                     extra_env=_secrets(folder / "private", port, provider.url))
    app.start()
    app.secrets_dir = folder / "private"
    yield app
    app.stop()


@pytest.fixture
def oidc_context(browser, request_log, request):
    """A browser context whose every request is recorded. The provider's pages ask a CDN for a stylesheet
    (oidc_provider_mock's template): requests that would leave 127.0.0.1 are aborted here, never sent."""
    test = request.node.nodeid
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                              timezone_id="Asia/Shanghai")
    aborted = []

    def route(r):
        if is_local(r.request.url):
            r.continue_()
        else:
            aborted.append((r.request.url, r.request.frame.url if r.request.frame else ""))
            r.abort()

    ctx.route("**/*", route)
    ctx.on("request", lambda r: request_log.add(test, "request", r.url) if is_local(r.url) else None)
    ctx.aborted = aborted
    yield ctx
    ctx.close()
    # only the provider's own page asked for anything outside, and nothing left the machine
    assert all(urllib.parse.urlsplit(frame).path.startswith("/oauth2/") for _, frame in aborted), aborted


def _sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text(timeout=TIMEOUT)


# the script has run and the page is idle (tests/browser/ui.wait_ready without its title: a page that only
# says "please sign in" has none)
_IDLE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]') && !!document.querySelector('[data-testid="stMain"]');
}"""


def _wait_app(page):
    for _ in range(2):  # idle twice, 300 ms apart
        page.wait_for_function(_IDLE_JS, timeout=TIMEOUT)
        page.wait_for_timeout(300)


def _sign_in(page, app_url: str, sub: str):
    page.goto(app_url + "/", timeout=TIMEOUT)
    _wait_app(page)
    assert not [s for s in SEEDS.values() if s in page.content()]
    page.get_by_role("button", name="登录").click(timeout=TIMEOUT)
    # the provider's authorisation form
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=TIMEOUT)
    page.get_by_role("button", name=sub).click(timeout=TIMEOUT)  # a predefined user's button
    page.wait_for_url(re.compile(re.escape(app_url) + r"/?(\?.*)?$"), timeout=TIMEOUT)
    _wait_app(page)


def test_a_district_user_signs_in_sees_only_its_district_and_signs_out(oidc_app, provider, oidc_context,
                                                                     screenshots):
    page = oidc_context.new_page()
    _sign_in(page, oidc_app.url, "u-1001")
    side = _sidebar_text(page)
    assert "福田区公安分局" in side and "区县" in side
    cookies = {c["name"]: c for c in oidc_context.cookies()}
    assert cookies["_streamlit_user"]["httpOnly"] and cookies["_streamlit_user"]["sameSite"] == "Lax"
    # the project page's picker offers its district's project only
    page.goto(oidc_app.url + "/project", timeout=TIMEOUT)
    _wait_app(page)
    page.screenshot(path=str(screenshots / "signin-oidc-futian.png"))
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert SEEDS[FT] in body
    assert SEEDS[TJ] not in body and SEEDS[TS] not in body
    # another district's project by URL: nothing of it
    for pid in (TJ, TS):
        page.goto(f"{oidc_app.url}/project?project={pid}", timeout=TIMEOUT)
        _wait_app(page)
        assert SEEDS[pid] not in page.locator('[data-testid="stMain"]').inner_text()
    # sign out: the identity cookie is gone and nothing is shown
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click(timeout=TIMEOUT)
    # Streamlit sends the browser to the provider's end-of-session page (its end_session_endpoint), which
    # sends it back to the app
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"), timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click(timeout=TIMEOUT)
    page.wait_for_url(re.compile(re.escape(oidc_app.url) + r"/?(\?.*)?$"), timeout=TIMEOUT)
    _wait_app(page)
    assert "_streamlit_user" not in {c["name"] for c in oidc_context.cookies()}
    assert page.get_by_role("button", name="登录").count() == 1
    assert not [s for s in SEEDS.values() if s in page.content()]


def test_a_client_sent_identity_header_is_ignored(oidc_app, oidc_context):
    oidc_context.set_extra_http_headers({"X-Perfeval-User": "admin", "X-Forwarded-User": "admin"})
    page = oidc_context.new_page()
    page.goto(oidc_app.url + "/project", timeout=TIMEOUT)
    _wait_app(page)
    assert page.get_by_role("button", name="登录").count() == 1
    assert not [s for s in SEEDS.values() if s in page.content()]
    # signed in as the district, the header still names nobody else
    _sign_in(page, oidc_app.url, "u-1001")
    page.goto(oidc_app.url + "/project", timeout=TIMEOUT)
    _wait_app(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert SEEDS[FT] in body and SEEDS[TJ] not in body and SEEDS[TS] not in body


def test_a_user_the_provider_knows_but_the_users_file_does_not_sees_nothing(oidc_app, oidc_context):
    page = oidc_context.new_page()
    _sign_in(page, oidc_app.url, "u-1002")
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "未授权" in main
    assert not [s for s in SEEDS.values() if s in page.content()]


def test_a_world_readable_secrets_file_is_refused(provider, tmp_path_factory, page):
    port = free_port()
    folder = tmp_path_factory.mktemp("oidc-secrets-open") / "private"
    env = _secrets(folder, port, provider.url, mode=0o644)
    app = AppProcess(port=port, log_dir=tmp_path_factory.mktemp("oidc-app-open"), extra_env=env).start()
    try:
        page.goto(app.url + "/", timeout=TIMEOUT)
        _wait_app(page)
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "secrets.toml" in main and "0644" in main
        assert page.get_by_role("button", name="登录").count() == 0
        assert not [s for s in SEEDS.values() if s in page.content()]
    finally:
        app.stop()


def test_behind_the_tls_proxy_the_sign_in_cookie_is_secure(provider, tmp_path_factory, browser, request_log,
                                                          request):
    """Streamlit sets its sign-in cookie HttpOnly and SameSite=Lax but never Secure; the documented nginx adds
    Secure over TLS (proxy_cookie_flags). Signed in through nginx's HTTPS server, every cookie is Secure."""
    from deploy.cluster import Nginx

    if not Nginx.available():
        pytest.skip("nginx is not installed (`make system-deps` installs it)")
    port, https_port = free_port(), free_port()
    env = _secrets(tmp_path_factory.mktemp("oidc-secrets-tls") / "private", port, provider.url,
                   address=f"https://127.0.0.1:{https_port}")
    app = AppProcess(port=port, log_dir=tmp_path_factory.mktemp("oidc-app-tls"), extra_env=env).start()
    ng = None
    ctx = None
    try:
        ng = Nginx([port], tmp_path_factory.mktemp("oidc-nginx"), https_port=https_port).start()
        test = request.node.nodeid
        ctx = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 1000})
        ctx.route("**/*", lambda r: r.continue_() if is_local(r.request.url) else r.abort())
        ctx.on("request", lambda r: request_log.add(test, "request", r.url) if is_local(r.url) else None)
        page = ctx.new_page()
        _sign_in(page, ng.https_url, "u-1001")
        assert "福田区公安分局" in _sidebar_text(page)
        cookies = {c["name"]: c for c in ctx.cookies()}
        assert "_streamlit_user" in cookies, sorted(cookies)
        for name, c in cookies.items():
            assert c["secure"], name
            assert c["sameSite"] == "Lax", name
            if name != "_streamlit_xsrf":  # read by Streamlit's page script (double submit)
                assert c["httpOnly"], name
    finally:
        if ctx is not None:
            ctx.close()
        if ng is not None:
            ng.stop()
        app.stop()
