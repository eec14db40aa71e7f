"""Run the dashboard as several app processes over one lake, optionally behind nginx.

    python -m deploy.cluster --replicas 2 --base-port 8501 --data /srv/perfeval/lake \
        --http-port 8080 --https-port 8443

starts two ``streamlit run app.py`` processes (ports 8501, 8502) reading the same lake folder
(``PERFEVAL_DATA``), waits for their health checks, renders deploy/nginx/perfeval.conf.in for them,
makes a self-signed certificate if none is there, and runs nginx in the foreground until Ctrl-C.
Unless ``--no-warm``, it also warms the processes' caches when the lake's files change
(deploy/warm.py). See docs/deployment.md. The classes are also what the browser tests, the replica
test and the benchmarks use to start servers, so what is measured and tested is what is documented.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SITE_TEMPLATE = DEPLOY / "nginx" / "perfeval.conf.in"
LOCATIONS = DEPLOY / "nginx" / "perfeval-locations.conf"
AUTH_BASIC = DEPLOY / "nginx" / "perfeval-auth-basic.conf"
# without nginx's sign-in: the identity header is never sent (docs/security.md)
NO_AUTH = '    set $perfeval_user "";   # nginx signs nobody in: X-Perfeval-User is never sent to the app'
MAIN_TEMPLATE = DEPLOY / "nginx" / "nginx-standalone.conf.in"


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


_handed_out: set[int] = set()


def free_port() -> int:
    """A free TCP port on 127.0.0.1.

    ``PERFEVAL_PORTS=8620-8649`` limits the choice to a range (for machines where port ranges are
    shared out between people); otherwise the system picks one.
    """
    spec = os.environ.get("PERFEVAL_PORTS")
    if spec:
        lo, hi = (int(x) for x in spec.split("-"))
        for port in range(lo, hi + 1):
            if port not in _handed_out and _port_is_free(port):
                _handed_out.add(port)
                return port
        raise RuntimeError(f"no free port in PERFEVAL_PORTS={spec}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def release_port(port: int) -> None:
    """Let free_port hand out ``port`` again (its process has stopped)."""
    _handed_out.discard(port)


def http_get(url: str, timeout: float = 5.0, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body) of a GET; an HTTP error's status instead of raising."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def wait_for(url: str, timeout: float, expect: bytes = b"ok", proc: subprocess.Popen | None = None,
             log: pathlib.Path | None = None) -> float:
    """Poll ``url`` until it answers 200 with ``expect`` in the body; seconds waited."""
    t0 = time.monotonic()
    while True:
        try:
            status, _, body = http_get(url, timeout=2)
            if status == 200 and expect in body:
                return time.monotonic() - t0
        except OSError:
            pass
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered\n{tail}")
        if time.monotonic() - t0 > timeout:
            raise TimeoutError(f"{url} did not answer within {timeout} s")
        time.sleep(0.1)


def _stop(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def proc_memory(pid: int) -> dict[str, int]:
    """Resident memory of a process in bytes: ``rss`` now and ``peak`` (VmHWM), from /proc."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key = "rss" if line.startswith("VmRSS") else "peak"
                out[key] = int(line.split()[1]) * 1024
    return out


class AppProcess:
    """One ``streamlit run app.py`` on 127.0.0.1:<port> over a lake folder (None = bundled data/)."""

    def __init__(self, port: int | None = None, data: str | os.PathLike | None = None,
                 script: str | os.PathLike = ROOT / "app.py", log_dir: str | os.PathLike | None = None,
                 extra_env: dict | None = None, memory_limit: int | None = None):
        self.port = port or free_port()
        self.memory_limit = memory_limit  # bytes of address space (RLIMIT_AS), for benchmarks
        self.data = None if data is None else pathlib.Path(data)
        self.script = pathlib.Path(script)
        self.log_dir = pathlib.Path(log_dir) if log_dir else pathlib.Path(tempfile.mkdtemp(prefix="perfeval-app-"))
        self.log = self.log_dir / f"streamlit-{self.port}.log"
        self.extra_env = extra_env or {}
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90) -> "AppProcess":
        env = dict(os.environ)
        env.pop("PERFEVAL_DATA", None)
        if self.data is not None:
            env["PERFEVAL_DATA"] = str(self.data)
        env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
        env.update(self.extra_env)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # cwd = the repository, so that .streamlit/config.toml applies
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.script),
               "--server.headless", "true", "--server.address", "127.0.0.1",
               "--server.port", str(self.port)]
        limit = self.memory_limit

        def preexec():
            if limit:
                import resource
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True, preexec_fn=preexec if limit else None)
        try:
            self.startup_seconds = wait_for(self.url + "/_stcore/health", timeout, proc=self.proc, log=self.log)
        except Exception:
            self.stop()
            raise
        return self

    def memory(self) -> dict[str, int]:
        assert self.proc is not None
        return proc_memory(self.proc.pid)

    def stop(self) -> None:
        _stop(self.proc)
        release_port(self.port)

    def log_tail(self, n: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""

    def __enter__(self) -> "AppProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def make_cert(cert_dir: str | os.PathLike, host: str = "localhost") -> tuple[pathlib.Path, pathlib.Path]:
    """(cert, key) in ``cert_dir``: made by deploy/make-cert.sh (self-signed) if not there yet."""
    cert_dir = pathlib.Path(cert_dir)
    cert, key = cert_dir / "perfeval.crt", cert_dir / "perfeval.key"
    if not (cert.exists() and key.exists()):
        subprocess.run(["bash", str(DEPLOY / "make-cert.sh"), str(cert_dir), host], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return cert, key


def render_site(upstream_ports: list[int], http_port: int, https_port: int, cert: pathlib.Path,
                key: pathlib.Path, cache_dir: pathlib.Path, server_name: str = "_",
                upstream_host: str = "127.0.0.1", htpasswd: pathlib.Path | None = None) -> str:
    """deploy/nginx/perfeval.conf.in with the replicas, ports and certificate filled in; with ``htpasswd``
    (a users file of hashed passwords) nginx signs people in (deploy/nginx/perfeval-auth-basic.conf)."""
    auth = NO_AUTH if htpasswd is None else \
        AUTH_BASIC.read_text(encoding="utf-8").rstrip("\n").replace("@HTPASSWD@", str(htpasswd))
    servers = "\n".join(f"    server {upstream_host}:{p} max_fails=2 fail_timeout=10s;" for p in upstream_ports)
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    for k, v in {"@UPSTREAM_SERVERS@": servers, "@HTTP_PORT@": str(http_port),
                 "@HTTPS_PORT@": str(https_port), "@SERVER_NAME@": server_name,
                 "@CERT@": str(cert), "@KEY@": str(key), "@CACHE_DIR@": str(cache_dir), "@AUTH@": auth,
                 "@LOCATIONS@": LOCATIONS.read_text(encoding="utf-8").rstrip("\n")}.items():
        text = text.replace(k, v)
    assert "@" not in "".join(line.split("#")[0] for line in text.splitlines()), "unfilled placeholder"
    return text


class Nginx:
    """nginx in the foreground, unprivileged ports, everything under ``run_dir`` (config, logs, cache)."""

    def __init__(self, upstream_ports: list[int], run_dir: str | os.PathLike, http_port: int | None = None,
                 https_port: int | None = None, nginx: str | None = None,
                 htpasswd: str | os.PathLike | None = None):
        self.upstream_ports = list(upstream_ports)
        self.htpasswd = None if htpasswd is None else pathlib.Path(htpasswd)
        self.run_dir = pathlib.Path(run_dir)
        self.http_port = http_port or free_port()
        self.https_port = https_port or free_port()
        self.binary = nginx or shutil.which("nginx") or "/usr/sbin/nginx"
        self.proc: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return bool(shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def write_config(self) -> pathlib.Path:
        r = self.run_dir
        (r / "logs").mkdir(parents=True, exist_ok=True)
        (r / "cache").mkdir(exist_ok=True)
        cert, key = make_cert(r / "tls", "localhost")
        site = render_site(self.upstream_ports, self.http_port, self.https_port, cert, key, r / "cache",
                           htpasswd=self.htpasswd)
        (r / "perfeval.conf").write_text(site, encoding="utf-8")
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (r / "tmp" / d).mkdir(parents=True, exist_ok=True)
        # nginx started as root would run its workers as nobody, who cannot write under a private run
        # dir (pytest's tmp folders are 0700): this harness keeps them as the invoking user. A system
        # nginx (docs/deployment.md) runs its workers as www-data with its own paths.
        user = "user root;" if os.geteuid() == 0 else ""
        main = (MAIN_TEMPLATE.read_text(encoding="utf-8").replace("@RUN_DIR@", str(r))
                .replace("@USER_LINE@", user))
        conf = r / "nginx.conf"
        conf.write_text(main, encoding="utf-8")
        return conf

    def start(self, timeout: float = 20) -> "Nginx":
        conf = self.write_config()
        log = self.run_dir / "logs" / "stderr.log"
        test = subprocess.run([self.binary, "-t", "-q", "-p", str(self.run_dir), "-e", str(log), "-c", str(conf)],
                              capture_output=True, text=True)
        if test.returncode:
            raise RuntimeError(f"nginx -t failed for {conf}:\n{test.stderr}")
        with open(log, "ab") as out:
            self.proc = subprocess.Popen([self.binary, "-p", str(self.run_dir), "-e", str(log), "-c", str(conf),
                                          "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        wait_for(self.url + "/_stcore/health", timeout, proc=self.proc, log=log)
        return self

    def stop(self) -> None:
        _stop(self.proc, signal.SIGQUIT)
        release_port(self.http_port)
        release_port(self.https_port)

    def __enter__(self) -> "Nginx":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _warm_loop(urls: list[str], data: str | None, stop: dict, interval: float = 5.0) -> None:
    """deploy/warm.py's rounds, in a thread, until ``stop["now"]``."""
    from deploy.warm import Warmer, page_paths, watch
    from perfeval.data.lake import Lake

    warmer = Warmer(urls, page_paths(), Lake(data or ROOT / "data").version, log=lambda s: print(s, flush=True))
    watch(warmer, interval, lambda: stop["now"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m deploy.cluster", description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--base-port", type=int, default=8501, help="first app port; replicas use the next ones")
    ap.add_argument("--data", help="the shared lake folder (PERFEVAL_DATA); default: the bundled data/")
    ap.add_argument("--http-port", type=int, default=8080)
    ap.add_argument("--https-port", type=int, default=8443)
    ap.add_argument("--run-dir", default=str(pathlib.Path(tempfile.gettempdir()) / "perfeval-deploy"),
                    help="nginx config, logs, cache and the self-signed certificate go here "
                         "(default: <tmp>/perfeval-deploy)")
    ap.add_argument("--no-nginx", action="store_true", help="only the app processes")
    ap.add_argument("--no-warm", action="store_true",
                    help="do not warm the processes' caches when the lake changes (deploy/warm.py)")
    a = ap.parse_args(argv)

    apps = [AppProcess(a.base_port + i, a.data, log_dir=pathlib.Path(a.run_dir) / "logs")
            for i in range(a.replicas)]
    proxy = None
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    try:
        for app in apps:
            app.start()
            print(f"app on {app.url} (pid {app.proc.pid}, data {a.data or 'data/'})", flush=True)
        if not a.no_nginx:
            proxy = Nginx([app.port for app in apps], a.run_dir, a.http_port, a.https_port).start()
            print(f"nginx on {proxy.url} and {proxy.https_url} (self-signed)", flush=True)
        if not a.no_warm:
            threading.Thread(target=_warm_loop, args=([app.url for app in apps], a.data, stop),
                             daemon=True).start()
        while not stop["now"] and all(app.proc.poll() is None for app in apps):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        if proxy:
            proxy.stop()
        for app in apps:
            app.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
