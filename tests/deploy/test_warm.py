"""deploy/warm.py against a running app process: every routed page runs, and the process does its
first-query work (the lake's views, the indicator roll-up) before anyone visits, again after new data."""
from __future__ import annotations

import shutil

from deploy import warm
from deploy.cluster import ROOT, AppProcess
from perfeval.data.lake import DERIVED_DIR, NODES_PREFIX
from tests.deploy.test_replicas import write_batch


def _rollups(lake):
    return sorted(p.name for p in (lake / DERIVED_DIR).glob(NODES_PREFIX + "*.parquet"))


def test_warming_runs_every_page_and_builds_what_the_first_visit_would(tmp_path, capsys):
    lake = tmp_path / "data"
    shutil.copytree(ROOT / "data", lake, ignore=shutil.ignore_patterns(DERIVED_DIR))
    app = AppProcess(data=lake, log_dir=tmp_path / "logs").start()
    try:
        assert _rollups(lake) == []  # nothing has queried the lake yet
        assert warm.main(["--data", str(lake), "--once", app.url]) == 0
        out = capsys.readouterr().out
        assert f"warm {app.url}" in out and f"{len(warm.page_paths())} pages" in out and "not run" not in out
        first = _rollups(lake)
        assert len(first) == 1  # built by the app process, while warming: this test never opened the lake
        # a new indicator batch: the next round makes the process build the new version's roll-up
        write_batch(lake, "indicators", "warm-test", [
            {"project_id": "tj-2022-fraud-ops", "code": "Z", "parent_code": None, "level": 1, "name": "测试维度",
             "name_en": None, "weight": None, "reported_score": None, "sort_order": 99, "note": None,
             "source": "import:warm-test"}])
        assert warm.main(["--data", str(lake), "--once", app.url]) == 0
        second = _rollups(lake)
        assert len(second) == 2 and set(first) < set(second)
    finally:
        app.stop()
