"""Several app processes over one shared lake: a batch written while they run is served by every one
of them, without a restart (perfeval.data.lake.Lake rebuilds its views when the file listing changes).

The pages are run over Streamlit's own WebSocket (deploy/probe.py), as a browser's first visit would."""
from __future__ import annotations

import os
import pathlib
import time
import uuid

import pyarrow as pa
import pyarrow.parquet as pq

from deploy import probe
from deploy.cluster import http_get
from perfeval.data.lake import Lake

NEW_ID = "batch-test-beijing-2024"
NEW_NAME = "东城区2024年反诈宣传服务项目（批次测试）"
SOURCE = "import:replica-test"


def write_batch(lake: pathlib.Path, table: str, batch: str, rows: list[dict]) -> pathlib.Path:
    """One Parquet file of a new batch under lake/<table>/batch=<batch>/, written atomically
    (a hidden temporary name, then a rename: a reader never sees half a file)."""
    folder = lake / "lake" / table / f"batch={batch}"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".part-0.{uuid.uuid4().hex}.parquet"
    pq.write_table(pa.Table.from_pylist(rows), tmp)
    final = folder / "part-0.parquet"
    os.replace(tmp, final)
    return final


def _new_batch(lake: pathlib.Path) -> None:
    import datetime as dt

    write_batch(lake, "documents", "replica-test", [{
        "source": SOURCE, "kind": "import", "title": "副本测试导入批次", "file": "replica-test.xlsx",
        "author": None, "note": None}])
    write_batch(lake, "projects", "replica-test", [{
        "project_id": NEW_ID, "name": NEW_NAME, "short_name": "东城反诈宣传", "name_en": None,
        "category": "反诈", "province": "北京市", "city": "北京市", "district": "东城区",
        "region_code": "110101", "implementing_unit": "北京市公安局东城分局", "supervising_unit": None,
        "evaluator": "测试评价机构", "evaluator_type": "第三方评价", "evaluation_type": None, "framework": None,
        "period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 12, 31), "evaluation_start": None,
        "evaluation_end": None, "data_cutoff": None, "reported_total_score": 88.5, "reported_grade": "良",
        "population": None, "tree_depth": 0, "source": SOURCE, "note": None}])
    write_batch(lake, "budget", "replica-test", [
        {"project_id": NEW_ID, "year": 2024, "subproject_id": None, "fund_source": "区级财政",
         "estimated_investment": None, "initial_budget": 100.0, "adjusted_budget": 120.0, "received": 110.0,
         "spent": 99.0, "as_of": dt.date(2024, 12, 31), "source": SOURCE, "note": None}])


def test_both_replicas_answer_their_health_check_on_the_same_lake(replicas, lake):
    for app in replicas:
        status, _, body = http_get(app.url + "/_stcore/health")
        assert (status, body) == (200, b"ok")
        env = pathlib.Path(f"/proc/{app.proc.pid}/environ").read_bytes().split(b"\0")
        assert f"PERFEVAL_DATA={lake}".encode() in env


def test_a_new_batch_is_served_by_both_replicas_without_a_restart(replicas, lake):
    pids = [app.proc.pid for app in replicas]
    for app in replicas:  # before: the project does not exist, the region is empty
        run = probe.run_page(app.url, f"project?project={NEW_ID}")
        assert run.finished == "FINISHED_SUCCESSFULLY" and not run.exceptions
        assert NEW_ID in run.text() and NEW_NAME not in run.text()  # "找不到项目 …"
        assert "当前筛选条件下没有项目" in probe.run_page(app.url, "?region=1101&demo=0").text()

    _new_batch(lake)
    time.sleep(Lake.VERSION_TTL + 0.5)  # each process re-reads the file listing at most once a second

    for app in replicas:  # after: both show it, with its money
        run = probe.run_page(app.url, f"project?project={NEW_ID}")
        assert not run.exceptions
        assert NEW_NAME in run.texts
        assert "88.5" in run.texts and "120" in run.texts and "99" in run.texts
        assert "找不到项目" not in run.text()
        overview = probe.run_page(app.url, "?region=1101&demo=0")
        assert NEW_NAME in overview.texts and "当前筛选条件下没有项目" not in overview.text()
    assert [app.proc.pid for app in replicas] == pids and all(a.proc.poll() is None for a in replicas)
