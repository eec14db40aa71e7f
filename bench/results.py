"""One measured value, and writing them: bench/results.json and docs/performance.md."""
from __future__ import annotations

import json
import os
import pathlib
import platform
from dataclasses import asdict, dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.json"
REPORT = ROOT / "docs" / "performance.md"


@dataclass
class Entry:
    name: str                   # what: "query_cold:overview_projects", "page_rerun:overview", …
    n_projects: int
    value: float | None
    unit: str                   # s, MB, …
    baseline_name: str | None   # what it is compared with
    baseline_value: float | None
    target: str | None = None   # the target, where it sets one
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline_value:
            return None
        return self.value / self.baseline_value

    def as_dict(self) -> dict:
        d = asdict(self)
        d["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        for k in ("value", "baseline_value"):
            if isinstance(d[k], float):
                d[k] = round(d[k], 4)
        order = ["name", "n_projects", "value", "unit", "baseline_name", "baseline_value", "ratio", "target",
                 "met", "note"]
        return {k: d[k] for k in order}


def machine() -> dict:
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    load = os.getloadavg()
    return {"cores": os.cpu_count(), "memory_gb": round(mem / 2**30, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": [round(x, 2) for x in load]}


def write_json(entries: list[Entry], info: dict, path: pathlib.Path = RESULTS) -> None:
    path.write_text(json.dumps({"machine": info, "entries": [e.as_dict() for e in entries]},
                               ensure_ascii=False, indent=1, default=_plain) + "\n", encoding="utf-8")


def _plain(value):
    """numpy scalars (a numpy bool from a pandas comparison, say) as the Python value they hold."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {value!r}")


def _fmt(v, unit="") -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "**no**"
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    if unit == "MB":
        return f"{v:,.0f} MB"
    if unit == "rows":
        return f"{v:,.0f}"
    return f"{v:,.3g}{(' ' + unit) if unit else ''}"
