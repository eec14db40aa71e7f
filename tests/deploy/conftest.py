"""Two app processes over one lake folder (a copy of data/), and nginx in front of them."""
from __future__ import annotations

import shutil

import pytest

from deploy.cluster import ROOT, AppProcess, Nginx

# the browser fixtures (Debian Chromium, request recording) for the one browser test here
from tests.browser.conftest import browser_type_launch_args, request_log  # noqa: F401


@pytest.fixture(scope="session")
def lake(tmp_path_factory):
    """A copy of the bundled data folder that the tests may add batches to."""
    dst = tmp_path_factory.mktemp("shared") / "data"
    shutil.copytree(ROOT / "data", dst)
    return dst


@pytest.fixture(scope="session")
def replicas(lake, tmp_path_factory):
    logs = tmp_path_factory.mktemp("replica-logs")
    apps = []
    try:
        for _ in range(2):
            apps.append(AppProcess(data=lake, log_dir=logs).start())
        yield apps
    finally:
        for app in apps:
            app.stop()


@pytest.fixture(scope="session")
def proxy(replicas, tmp_path_factory):
    if not Nginx.available():
        pytest.skip("nginx is not installed (`make system-deps` installs it)")
    ng = Nginx([a.port for a in replicas], tmp_path_factory.mktemp("nginx"))
    ng.start()
    yield ng
    ng.stop()
