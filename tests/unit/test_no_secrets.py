"""No secret in the repository (docs/security.md): every file git tracks is scanned for private keys, sign-in
secrets (cookie_secret, client_secret, password, token …) with a value that is not an example placeholder, and
password hashes (crypt formats nginx's auth_basic reads, htpasswd's {SHA}); and no file is named like a secret
(secrets.toml, htpasswd, *.key, *.pem). The scanner's own patterns are checked on secrets made at run time."""
from __future__ import annotations

import pathlib
import re
import secrets
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")
# a secret given a value: TOML/INI/env `name = "value"`, JSON/YAML `"name": "value"`
SECRET_VALUE = re.compile(
    r"""(?ix)\b(cookie_secret|client_secret|secret_key|api_key|password|passwd|token)["']?\s*[:=]\s*"""
    r"""(?:"([^"\n]*)"|'([^'\n]*)')""")
HASHES = [
    re.compile(r"\$(?:1|apr1|5|6)\$(?:rounds=\d+\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{20,}"),  # md5/sha crypt
    re.compile(r"\$2[abxy]\$\d\d\$[./A-Za-z0-9]{53}"),                                        # bcrypt
    re.compile(r"\$(?:y|gy|7)\$[./A-Za-z0-9]+\$[./A-Za-z0-9]*\$[./A-Za-z0-9]{20,}"),           # yescrypt, scrypt
    re.compile(r"\$argon2(?:id|i|d)\$v=\d+\$[^$\s]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{20,}"),     # argon2
    re.compile(r"\{SSHA\}[A-Za-z0-9+/]{20,}={0,2}|\{SHA\}[A-Za-z0-9+/]{27}="),                   # htpasswd -s
]
SECRET_NAMES = re.compile(r"(^|/)(secrets\.toml|\.?htpasswd|.*\.(?:key|pem|p12|pfx|jks)|id_(?:rsa|ed25519|ecdsa))$")


def is_placeholder(value: str) -> bool:
    """A value that is plainly not a secret: empty, an example marker, or a template filled in at run time."""
    v = value.strip()
    return (not v or v.startswith(("<", "{", "${", "$", "%(")) or "{" in v or not v.strip(".…")
            or bool(re.search(r"(?i)change[-_ ]?me|example|placeholder|x{3,}|\*{3,}|your[-_ ]|dummy|not[-_ ]a[-_ ]secret",
                              v)))


def findings(text: str) -> list[str]:
    """What in ``text`` looks like a secret."""
    out = []
    if PRIVATE_KEY.search(text):
        out.append("private key")
    for m in SECRET_VALUE.finditer(text):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        if not is_placeholder(value):
            out.append(f"{m.group(1)} = {value[:6]}…")
    for pattern in HASHES:
        for m in pattern.finditer(text):
            out.append(f"password hash {m.group(0)[:8]}…")
    return out


def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [f for f in out.decode("utf-8", "surrogateescape").split("\0") if f]


def test_the_scanner_finds_what_it_looks_for():
    key = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIE…"
    assert findings(key) == ["private key"]
    assert findings("-----BEGIN " + "OPENSSH PRIVATE KEY-----")
    real = secrets.token_hex(16)
    assert findings(f'cookie_secret = "{real}"') and findings(f"client_secret='{real}'")
    assert findings(f'{{"client_secret": "{real}"}}')
    for hashed in ("$6$" + "saltsalt$" + "a" * 86, "$apr1$" + "abcd1234$" + "b" * 22,
                   "$2b$" + "12$" + "c" * 53, "$y$" + "j9T$salt$" + "d" * 43, "{SHA}" + "e" * 27 + "="):
        assert findings(f"futian:{hashed}\n"), hashed
    # placeholders and code are not secrets
    for fine in ('cookie_secret = "CHANGE-ME-random-64-hex-characters"', 'client_secret = "<from the provider>"',
                 'cookie_secret = "{secrets.token_hex(32)}"', 'password = ""', 'token = "xxxx"',
                 "text.count('$6$')", 'client_secret = "your-client-secret"', 'cookie_secret = "…"'):
        assert findings(fine) == [], fine


def test_no_secret_in_any_tracked_file():
    found = []
    for name in tracked_files():
        if SECRET_NAMES.search(name):
            found.append(f"{name}: named like a secret")
        path = ROOT / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary (Parquet, images, xlsx)
        for what in findings(data.decode("utf-8", "replace")):
            if name == pathlib.Path(__file__).relative_to(ROOT).as_posix():
                continue
            found.append(f"{name}: {what}")
    assert found == [], "secrets in the repository:\n" + "\n".join(found)


def test_the_example_secrets_are_placeholders_and_the_real_ones_are_ignored():
    example = (ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    values = {m.group(1): m.group(2) for m in SECRET_VALUE.finditer(example)}
    assert set(values) == {"cookie_secret", "client_secret"}
    assert all(is_placeholder(v) for v in values.values())
    ignored = subprocess.run(["git", "check-ignore", ".streamlit/secrets.toml", "deploy/htpasswd"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split()
    assert ignored == [".streamlit/secrets.toml", "deploy/htpasswd"]


def test_xsrf_protection_is_not_switched_off():
    """Streamlit's XSRF protection is on by default; no config of ours turns it (or CORS) off."""
    for name in tracked_files():
        if name.endswith((".toml", ".service", ".sh", ".py", "Makefile")) and (ROOT / name).is_file():
            text = (ROOT / name).read_text(encoding="utf-8", errors="replace")
            if name == pathlib.Path(__file__).relative_to(ROOT).as_posix():
                continue
            assert not re.search(r"(?i)(enableXsrfProtection|ENABLE_XSRF_PROTECTION)\W*(=|\s)\s*\"?false", text), name
