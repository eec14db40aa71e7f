"""A lake of marker projects for the scope tests (tests/unit/test_scope_markers.py, tests/app/test_scope_pages.py).

One marker project in each of four districts: two of 深圳市 (福田区 440304, 南山区 440305) and one of 广州市 (天河区
440106), all in 广东省, and one of another province (甘肃省天水市秦州区 620502). Each is a copy of one of the three
bundled reports (so that every page has something to draw: a full indicator tree, budget by year and
sub-project, payments to vendors, outcomes, targets, surveys, findings) under its own project id, region and
source, with its marker token (``MK440304`` …) appended to every free text a page, a deck, a download or the
CLI could show: names, titles, vendors, contractors, findings, quotes, notes. A viewer's output must hold the
tokens of its own markers and none of the others'.

The users file gives one user per role and region: districts, leaders of a city, a province and another
province, a viewer of one project, an admin, and users whose entry gives nothing (unknown role, no region).
"""
from __future__ import annotations

import pathlib
import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seed"

# region code → (province, city, district, the bundled report copied)
MARKERS: dict[str, tuple[str, str, str, str]] = {
    "440304": ("广东省", "深圳市", "福田区", "futian-2021-2023"),
    "440305": ("广东省", "深圳市", "南山区", "tianshui-2021"),
    "440106": ("广东省", "广州市", "天河区", "tianjin-2022"),
    "620502": ("甘肃省", "天水市", "秦州区", "futian-2021-2023"),
}
TEXT_COLUMNS = {"name", "short_name", "name_en", "title", "text", "vendor", "contractor", "quote", "item",
                "implementing_unit", "content", "goal", "definition", "explanation", "rule_text", "actual_text",
                "target_text", "level_text", "conducted_by"}


def token(code: str) -> str:
    return f"MK{code}"


def project_id(code: str) -> str:
    return f"mk-{code}"


USERS_TOML = """
[[users]]
name = "admin"
role = "admin"

[[users]]
name = "futian"
role = "district"
regions = ["440304"]
display = "福田区用户"

[[users]]
name = "nanshan"
role = "district"
regions = ["440305"]

[[users]]
name = "tianhe"
role = "district"
regions = ["440106"]

[[users]]
name = "shenzhen"
role = "leader"
regions = ["440300"]

[[users]]
name = "guangdong"
role = "leader"
regions = ["440000"]

[[users]]
name = "gansu"
role = "leader"
regions = ["620000"]

[[users]]
name = "everywhere"
role = "leader"
regions = ["*"]

[[users]]
name = "guest"
role = "viewer"
projects = ["mk-440106"]

[[users]]
name = "typo"
role = "distrct"
regions = ["440304"]

[[users]]
name = "noregion"
role = "district"

[[users]]
name = "badcode"
role = "leader"
regions = ["广东省"]
"""

# user → the marker region codes whose tokens it must see (and no other)
SEES: dict[str | None, set[str]] = {
    "admin": set(MARKERS),
    "everywhere": set(MARKERS),
    "futian": {"440304"},
    "nanshan": {"440305"},
    "tianhe": {"440106"},
    "shenzhen": {"440304", "440305"},
    "guangdong": {"440304", "440305", "440106"},
    "gansu": {"620502"},
    "guest": {"440106"},
    "typo": set(),
    "noregion": set(),
    "badcode": set(),
    "stranger": set(),   # not in the users file
    None: set(),         # nobody signed in
}


def _mark(value: str, tok: str) -> str:
    return value if value == "" else f"{value} {tok}"


def build(root: pathlib.Path) -> pathlib.Path:
    """Write the marker lake under ``root``: catalog/ copied from the bundled data, and markers/<table>.parquet
    with every marker's rows (Parquet, not CSV: a query over CSV files parses them every time, and the sweep
    runs thousands); returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data" / "catalog", root / "catalog", dirs_exist_ok=True)
    tables: dict[str, list[pd.DataFrame]] = {}
    for code, (province, city, district, report) in MARKERS.items():
        tok, pid, src = token(code), project_id(code), f"report:mk-{code}"
        for f in sorted((SEEDS / report).glob("*.csv")):
            if f.stem == "vendor_aliases":  # reference data, not a project's: left out
                continue
            df = pd.read_csv(f, dtype=str, keep_default_na=False, encoding="utf-8")
            if "project_id" in df.columns:
                df["project_id"] = pid
            if "source" in df.columns:
                df["source"] = df["source"].where(~df["source"].str.startswith("report:"), src)
            for c in df.columns:
                if c in TEXT_COLUMNS:
                    df[c] = [_mark(v, tok) for v in df[c]]
            if f.stem == "projects":
                df["province"], df["city"], df["district"], df["region_code"] = province, city, district, code
            if f.stem == "documents":
                df["file"] = f"mk-{code}.txt"
            tables.setdefault(f.stem, []).append(df)
    out = root / "markers"
    out.mkdir(exist_ok=True)
    for name, frames in tables.items():
        df = pd.concat(frames, ignore_index=True)
        cols = {c: pa.array([None if v == "" else v for v in df[c]], pa.string()) for c in df.columns}
        pq.write_table(pa.table(cols), out / f"{name}.parquet")
    return root


def write_auth(folder: pathlib.Path, mode: str = "oidc") -> pathlib.Path:
    """An auth settings file (and its users file) under ``folder``; returns the settings file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.toml").write_text(USERS_TOML, encoding="utf-8")
    settings = folder / "auth.toml"
    settings.write_text(f'mode = "{mode}"\nusers_file = "users.toml"\naudit_log = "audit/audit.jsonl"\n'
                        '[oidc]\nuser_claim = "preferred_username"\n', encoding="utf-8")
    return settings


def seen(text: str) -> set[str]:
    """The marker region codes whose tokens occur in ``text``."""
    return {code for code in MARKERS if token(code) in text}
