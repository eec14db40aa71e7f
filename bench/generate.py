"""Scale data for the benchmarks: a lake of N generated projects in the import format.

    python -m bench.generate 100000            # → bench/lake/100000/

Layout (what an import writes, and what perfeval.data.lake.Lake reads: any Parquet file under a <table>/ folder):

    bench/lake/<N>/catalog/…                         the reference tables, copied from data/catalog
    bench/lake/<N>/lake/documents/part-0.parquet     one documents row of kind generated
    bench/lake/<N>/lake/<table>/province=<XX>/year=<YYYY>/part-0.parquet

partitioned by province (the first two digits of GB/T 2260 region_code) and year (the row's own year
where the table has one — budget, targets, outcomes — else the project's first evaluated year). The
partition values are in the files too (region_code of the project, the year column), since the lake
reads Parquet with hive_partitioning off.

Per project: a 34-node three-level indicator tree (4 + 12 + 18, the 福田 shape), 1–3 budget years,
3–8 payments, 6 outcome figures, 3 performance targets, a satisfaction survey for about 70 % of them.
Every row's source is ``generated:bench-<N>`` (data kind generated, shown with the 测试生成数据 badge).
Vectorised with numpy/pyarrow and deterministic: the same N and seed give the same files.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from perfeval.data import schema

ROOT = pathlib.Path(__file__).resolve().parents[1]
LAKES = ROOT / "bench" / "lake"
SEED = 20261122

PROVINCES = [  # GB/T 2260 province codes and names
    ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"), ("15", "内蒙古自治区"),
    ("21", "辽宁省"), ("22", "吉林省"), ("23", "黑龙江省"), ("31", "上海市"), ("32", "江苏省"),
    ("33", "浙江省"), ("34", "安徽省"), ("35", "福建省"), ("36", "江西省"), ("37", "山东省"),
    ("41", "河南省"), ("42", "湖北省"), ("43", "湖南省"), ("44", "广东省"), ("45", "广西壮族自治区"),
    ("46", "海南省"), ("50", "重庆市"), ("51", "四川省"), ("52", "贵州省"), ("53", "云南省"),
    ("54", "西藏自治区"), ("61", "陕西省"), ("62", "甘肃省"), ("63", "青海省"), ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
]
CITIES, DISTRICTS = 12, 10
YEARS = np.arange(2019, 2026)
CATEGORIES = np.array(["反诈", "治安防控"])
EVALUATOR_TYPES = np.array(["第三方评价", "自评", "财政重点评价"])
FUND_SOURCES = np.array(["中央财政", "省级财政", "市级财政", "区级财政"])
KINDS = ["反诈宣传服务", "反诈技术服务", "治安防控信息化建设", "电诈运行保障"]

# (code, parent, level, name, weight of a leaf) — the 福田 tree's shape: 4 level-1, 12 level-2, 18 leaves
TREE = [
    ("A", None, 1, "决策", None), ("A1", "A", 2, "项目立项", None), ("A11", "A1", 3, "立项依据充分性", 5),
    ("A12", "A1", 3, "立项程序规范性", 3), ("A2", "A", 2, "绩效目标", None), ("A21", "A2", 3, "绩效目标合理性", 4),
    ("A22", "A2", 3, "绩效指标明确性", 3), ("A3", "A", 2, "资金投入", None), ("A31", "A3", 3, "预算编制科学性", 4),
    ("A32", "A3", 3, "资金分配合理性", 2),
    ("B", None, 1, "过程", None), ("B1", "B", 2, "资金管理", None), ("B11", "B1", 3, "资金到位率", 2),
    ("B12", "B1", 3, "预算执行率", 5), ("B13", "B1", 3, "资金使用合规性", 5), ("B2", "B", 2, "组织实施", None),
    ("B21", "B2", 3, "管理制度健全性", 2), ("B22", "B2", 3, "制度执行有效性", 5),
    ("C", None, 1, "产出", None), ("C1", "C", 2, "产出数量", None), ("C11", "C1", 3, "实际完成率", 10),
    ("C2", "C", 2, "产出质量", None), ("C21", "C2", 3, "质量达标率", 10), ("C3", "C", 2, "产出时效", None),
    ("C31", "C3", 3, "完成及时性", 5), ("C4", "C", 2, "产出成本", None), ("C41", "C4", 3, "成本节约率", 5),
    ("D", None, 1, "效益", None), ("D1", "D", 2, "社会效益", None), ("D11", "D1", 3, "诈骗警情同比下降率", 14),
    ("D2", "D", 2, "可持续影响", None), ("D21", "D2", 3, "长效管理机制", 6), ("D3", "D", 2, "满意度", None),
    ("D31", "D3", 3, "群众满意度", 10),
]
TARGETS = [("产出目标/数量指标", "开展集中宣传场数", "场", 40.0), ("产出目标/质量指标", "国家反诈中心APP安装率", "%", 80.0),
           ("效益目标/满意度指标", "群众满意度", "%", 90.0)]


def source_of(n: int) -> str:
    return f"generated:bench-{n}"


def _arrow_type(t: str) -> pa.DataType:
    return {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "INTEGER": pa.int32(), "DATE": pa.date32(),
            "BOOLEAN": pa.bool_()}[t]


def _table(name: str, cols: dict) -> pa.Table:
    """An Arrow table with every column of schema table ``name`` (absent ones null), in schema order.

    Repeated strings are given as (codes, values) pairs and stored dictionary-encoded."""
    t = schema.table(name)
    n = None
    arrays = []
    for c in t.columns:
        v = cols.get(c.name)
        typ = _arrow_type(c.type)
        if isinstance(v, tuple):  # (integer codes, distinct values): dictionary-encoded strings
            codes, values = v
            arr = pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(values, pa.string()))
        elif isinstance(v, pa.Array):
            arr = v
        elif v is None:
            arr = None
        else:
            arr = pa.array(v, typ)
        if arr is not None:
            n = len(arr)
        arrays.append((c.name, arr, typ))
    assert n is not None
    return pa.table({name: (arr if arr is not None else pa.nulls(n, typ)) for name, arr, typ in arrays})


def _write_partitioned(root: pathlib.Path, name: str, table: pa.Table, province: np.ndarray,
                       year: np.ndarray) -> int:
    """Write ``table`` as <root>/lake/<name>/province=XX/year=YYYY/part-0.parquet; files written."""
    key = province.astype(np.int64) * 10000 + year.astype(np.int64)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    ends = np.r_[starts[1:], len(order)]
    table = table.take(pa.array(order))
    for s, e in zip(starts, ends):
        k = int(sorted_key[s])
        folder = root / "lake" / name / f"province={k // 10000:02d}" / f"year={k % 10000}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(s, e - s), folder / "part-0.parquet", compression="zstd")
    return len(starts)


def generate(n: int, out: pathlib.Path | None = None, seed: int = SEED) -> pathlib.Path:
    """Write the lake of ``n`` projects to ``out`` (default bench/lake/<n>/); return ``out``."""
    out = pathlib.Path(out or LAKES / str(n))
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "catalog", tmp / "catalog")
    rng = np.random.default_rng([seed, n])
    src = source_of(n)
    one_src = (np.zeros(1, np.int32), [src])

    def src_col(k):
        return (np.zeros(k, np.int32), [src])

    # -- projects -------------------------------------------------------------------------
    idx = np.arange(n)
    pid_values = [f"gen-{n}-{i:06d}" for i in idx]
    weights = np.linspace(2.0, 0.5, len(PROVINCES))
    prov_i = rng.choice(len(PROVINCES), n, p=weights / weights.sum())
    prov_code = np.array([int(c) for c, _ in PROVINCES])[prov_i]
    city = rng.integers(1, CITIES + 1, n)
    district = rng.integers(1, DISTRICTS + 1, n)
    region_code = prov_code * 10000 + city * 100 + district
    region_values, region_codes = np.unique(region_code, return_inverse=True)
    start_year = rng.choice(YEARS, n, p=np.linspace(0.6, 1.4, len(YEARS)) / np.linspace(0.6, 1.4, len(YEARS)).sum())
    span = np.where(rng.random(n) < 0.8, 1, 3)
    end_year = np.minimum(start_year + span - 1, YEARS[-1])
    kind = rng.integers(0, len(KINDS), n)
    category = np.where(kind == 2, 1, 0)
    quality = np.clip(rng.beta(6, 1.6, n), 0.35, 1.0)  # share of the points a project earns

    prov_names = [p for _, p in PROVINCES]
    names = [f"{prov_names[prov_i[i]][:2]}{city[i]:02d}市{district[i]:02d}区{start_year[i]}年{KINDS[kind[i]]}项目（生成{i}）"
             for i in idx]

    def date_array(years, month, day):
        base = np.datetime64("1970-01-01")
        d = np.array([f"{y}-{month:02d}-{day:02d}" for y in range(1990, 2101)], dtype="datetime64[D]")
        return pa.array((d[years - 1990] - base).astype(np.int32), pa.date32())

    # leaf scores: weight × a per-project quality with per-leaf noise, two decimals
    leaves = [r for r in TREE if r[2] == 3]
    leaf_w = np.array([r[4] for r in leaves], float)
    leaf_rate = np.clip(quality[:, None] + rng.normal(0, 0.06, (n, len(leaves))), 0, 1)
    leaf_score = np.round(leaf_w[None, :] * leaf_rate, 2)
    total = np.round(leaf_score.sum(axis=1), 2)
    grade = np.select([total >= 90, total >= 80, total >= 60], [0, 1, 2], 3)

    projects = _table("projects", {
        "project_id": pid_values, "name": names,
        "short_name": [f"生成项目{i}" for i in idx],
        "category": (category, list(CATEGORIES)),
        "province": (prov_i, prov_names),
        "city": (city - 1, [f"第{c:02d}市" for c in range(1, CITIES + 1)]),
        "district": (district - 1, [f"第{d:02d}区" for d in range(1, DISTRICTS + 1)]),
        "region_code": (region_codes, [f"{c:06d}" for c in region_values]),
        "implementing_unit": (kind, [f"生成实施单位（{k}）" for k in KINDS]),
        "evaluator": (rng.integers(0, 50, n), [f"生成评价机构{j:02d}" for j in range(50)]),
        "evaluator_type": (rng.integers(0, 3, n), list(EVALUATOR_TYPES)),
        "period_start": date_array(start_year, 1, 1), "period_end": date_array(end_year, 12, 31),
        "reported_total_score": total,
        "reported_grade": (grade, ["优", "良", "中", "差"]),
        "tree_depth": np.full(n, 3, np.int32),
        "source": src_col(n),
    })
    files = _write_partitioned(tmp, "projects", projects, prov_code, start_year)

    # -- indicators: every project × every node ------------------------------------------------
    k = len(TREE)
    node_weight = np.zeros((n, k))
    node_score = np.zeros((n, k))
    li = 0
    leaf_pos = {}
    for j, (code, parent, level, name, w) in enumerate(TREE):
        if level == 3:
            node_weight[:, j] = w
            node_score[:, j] = leaf_score[:, li]
            leaf_pos[code] = j
            li += 1
    for lvl in (2, 1):  # sum children into parents
        for j, (code, parent, level, name, w) in enumerate(TREE):
            if level == lvl:
                kids = [c for c, r in enumerate(TREE) if r[1] == code]
                node_weight[:, j] = node_weight[:, kids].sum(axis=1)
                node_score[:, j] = np.round(node_score[:, kids].sum(axis=1), 2)
    rep_p = np.repeat(idx, k)
    tile = np.tile(np.arange(k), n)
    # every other project states only its leaves' weights and scores, as 福田's report does (天津's states
    # its dimensions): the subtotals above are left blank for the dashboard to sum
    subtotal_blank = (rep_p % 2 == 1) & (np.array([r[2] for r in TREE])[tile] < 3)
    code_values = [r[0] for r in TREE]
    parents = [r[1] for r in TREE]
    parent_values = sorted({p for p in parents if p})
    parent_codes = np.array([parent_values.index(p) if p else -1 for p in parents])[tile]
    indicators = _table("indicators", {
        "project_id": (rep_p, pid_values),
        "code": (tile, code_values),
        "parent_code": pa.DictionaryArray.from_arrays(
            pa.array(parent_codes, pa.int32(), mask=parent_codes < 0), pa.array(parent_values, pa.string())),
        "level": np.array([r[2] for r in TREE], np.int32)[tile],
        "name": (tile, [r[3] for r in TREE]),
        "weight": pa.array(node_weight.ravel(), pa.float64(), mask=subtotal_blank),
        "reported_score": pa.array(node_score.ravel(), pa.float64(), mask=subtotal_blank),
        "sort_order": (tile + 1).astype(np.int32),
        "source": src_col(n * k),
    })
    files += _write_partitioned(tmp, "indicators", indicators, prov_code[rep_p], start_year[rep_p])

    # -- budget: one row per project × evaluated year ---------------------------------------------
    years_per = end_year - start_year + 1
    b_p = np.repeat(idx, years_per)
    b_year = start_year[b_p] + (np.arange(len(b_p)) - np.repeat(np.cumsum(years_per) - years_per, years_per))
    m = len(b_p)
    initial = np.round(rng.lognormal(5.5, 0.9, m), 2)
    adjusted = np.where(rng.random(m) < 0.3, np.round(initial * rng.uniform(0.9, 1.15, m), 2), np.nan)
    budget_amt = np.where(np.isnan(adjusted), initial, adjusted)
    received = np.round(budget_amt * rng.uniform(0.8, 1.0, m), 2)
    spent = np.round(received * np.clip(rng.normal(0.93, 0.08, m), 0.4, 1.05), 2)
    budget = _table("budget", {
        "project_id": (b_p, pid_values), "year": b_year.astype(np.int32),
        "fund_source": (rng.integers(0, len(FUND_SOURCES), m), list(FUND_SOURCES)),
        "initial_budget": initial, "adjusted_budget": pa.array(adjusted, pa.float64(), from_pandas=True),
        "received": received, "spent": spent, "as_of": date_array(b_year, 12, 31),
        "source": src_col(m),
    })
    files += _write_partitioned(tmp, "budget", budget, prov_code[b_p], b_year)

    # -- payments: 3–8 per project, splitting its spending ---------------------------------------
    spent_p = np.bincount(b_p, weights=spent, minlength=n)
    npay = rng.integers(3, 9, n)
    pay_p = np.repeat(idx, npay)
    share = rng.random(len(pay_p)) + 0.2
    share /= np.bincount(pay_p, weights=share, minlength=n)[pay_p]
    pay_no = np.arange(len(pay_p)) - np.repeat(np.cumsum(npay) - npay, npay)
    vendors = [f"生成供应商{j:04d}有限公司" for j in range(2000)]
    payments = _table("payments", {
        "project_id": (pay_p, pid_values),
        "payment_id": (pay_no, [f"P{j + 1}" for j in range(int(npay.max()))]),
        "item": (rng.integers(0, 6, len(pay_p)), ["宣传服务", "技术服务", "设备采购", "运维服务", "数据服务", "培训"]),
        "vendor": (rng.integers(0, len(vendors), len(pay_p)), vendors),
        "amount": np.round(spent_p[pay_p] * share, 2),
        "source": src_col(len(pay_p)),
    })
    files += _write_partitioned(tmp, "payments", payments, prov_code[pay_p], start_year[pay_p])

    # -- outcomes: 6 catalogue metrics per project, for its first year ------------------------------
    import csv
    with open(ROOT / "data" / "catalog" / "metrics.csv", encoding="utf-8") as f:
        metrics = [(r["metric_key"], r["unit"]) for r in csv.DictReader(f)]
    per = 6
    o_p = np.repeat(idx, per)
    o_m = rng.integers(0, len(metrics), len(o_p))
    units = [u for _, u in metrics]
    pct = np.array([u == "%" for u in units])[o_m]
    value = np.where(pct, np.round(rng.uniform(0.05, 0.99, len(o_p)), 4), np.round(rng.lognormal(6, 1.5, len(o_p))))
    outcomes = _table("outcomes", {
        "project_id": (o_p, pid_values),
        "outcome_id": (np.tile(np.arange(per), n), [f"O{j + 1}" for j in range(per)]),
        "metric_key": (o_m, [k_ for k_, _ in metrics]),
        "year": start_year[o_p].astype(np.int32),
        "value": value, "unit": (o_m, units),
        "qualifier": (np.zeros(len(o_p), np.int32), ["exact"]),
        "source": src_col(len(o_p)),
    })
    files += _write_partitioned(tmp, "outcomes", outcomes, prov_code[o_p], start_year[o_p])

    # -- targets: 3 per project ---------------------------------------------------------------
    t_p = np.repeat(idx, len(TARGETS))
    t_i = np.tile(np.arange(len(TARGETS)), n)
    t_target = np.array([t[3] for t in TARGETS])[t_i]
    t_actual = np.round(t_target * np.clip(quality[t_p] + rng.normal(0.05, 0.08, len(t_p)), 0.3, 1.3), 2)
    targets = _table("targets", {
        "project_id": (t_p, pid_values),
        "target_id": (t_i, [f"T{j + 1}" for j in range(len(TARGETS))]),
        "year": start_year[t_p].astype(np.int32),
        "category": (t_i, [t[0] for t in TARGETS]), "name": (t_i, [t[1] for t in TARGETS]),
        "unit": (t_i, [t[2] for t in TARGETS]), "operator": (np.zeros(len(t_p), np.int32), [">="]),
        "target_value": t_target, "actual_value": t_actual, "stated_met": t_actual >= t_target,
        "source": src_col(len(t_p)),
    })
    files += _write_partitioned(tmp, "targets", targets, prov_code[t_p], start_year[t_p])

    # -- surveys: about 70 % of the projects -------------------------------------------------------
    s_p = idx[rng.random(n) < 0.7]
    ns = len(s_p)
    issued = rng.integers(100, 1200, ns)
    valid = np.round(issued * rng.uniform(0.9, 1.0, ns)).astype(np.int64)
    probs = np.clip(np.stack([quality[s_p] * 0.7, quality[s_p] * 0.25, np.full(ns, 0.05),
                              (1 - quality[s_p]) * 0.3, (1 - quality[s_p]) * 0.1], axis=1), 0.001, None)
    probs /= probs.sum(axis=1, keepdims=True)
    counts = np.floor(probs * valid[:, None]).astype(np.int64)
    counts[:, 2] += valid - counts.sum(axis=1)
    surveys = _table("surveys", {
        "project_id": (s_p, pid_values), "survey_id": (np.zeros(ns, np.int32), ["S1"]),
        "name": (np.zeros(ns, np.int32), ["群众满意度调查"]),
        "issued": issued.astype(np.int32), "valid": valid.astype(np.int32),
        "awareness_rate": np.round(rng.uniform(0.7, 0.99, ns), 4),
        "satisfaction_rate": np.round((counts[:, 0] + counts[:, 1]) / valid, 4),
        "n_very_satisfied": counts[:, 0].astype(np.int32), "n_satisfied": counts[:, 1].astype(np.int32),
        "n_neutral": counts[:, 2].astype(np.int32), "n_dissatisfied": counts[:, 3].astype(np.int32),
        "n_very_dissatisfied": counts[:, 4].astype(np.int32),
        "source": src_col(ns),
    })
    files += _write_partitioned(tmp, "surveys", surveys, prov_code[s_p], start_year[s_p])

    # -- the documents row that says what these rows are -------------------------------------------
    (tmp / "lake" / "documents").mkdir(parents=True)
    pq.write_table(_table("documents", {
        "source": one_src, "kind": (np.zeros(1, np.int32), ["generated"]),
        "title": [f"基准测试生成数据（{n} 个项目，非真实数据）"], "file": ["bench/generate.py"],
        "author": ["perfeval bench"], "note": [f"seed {seed}; python -m bench.generate {n}"],
    }), tmp / "lake" / "documents" / "part-0.parquet")

    shutil.rmtree(out, ignore_errors=True)
    os.replace(tmp, out)
    return out


def rows_and_files(lake: pathlib.Path) -> dict[str, tuple[int, int]]:
    """{table: (rows, files)} of a generated lake (from the Parquet footers)."""
    out = {}
    for tdir in sorted((lake / "lake").iterdir()):
        files = sorted(tdir.rglob("*.parquet"))
        out[tdir.name] = (sum(pq.ParquetFile(f).metadata.num_rows for f in files), len(files))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description="generate a benchmark lake")
    ap.add_argument("sizes", nargs="+", type=int, help="numbers of projects, e.g. 1000 10000 100000")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    for n in a.sizes:
        t0 = time.perf_counter()
        out = generate(n, seed=a.seed)
        stats = rows_and_files(out)
        print(f"{n} projects → {out} in {time.perf_counter() - t0:.1f} s: "
              + ", ".join(f"{t} {r:,} rows/{f} files" for t, (r, f) in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
