"""GB/T 2260 administrative-division codes and names, bundled (no request at run time): provinces, cities and
districts / counties, 3 219 codes, in ``gbt2260.csv`` beside this module (code, name, province, city,
district; a municipality's city is the municipality, a county-level city directly under a province has no
city).

Source: the ``resources/adcodes.csv`` of the PyPI package cpca 0.5.5 (MIT licence,
github.com/DQinYuan/chinese_province_city_area_mapper), the 12-digit codes cut to their six GB/T 2260 digits,
placeholders (市辖区, 县, 省直辖县级行政区划, 自治区直辖县级行政区划) dropped and each code's province and
city written out. The list is the divisions of about 2020: a district created or renamed later is not in it,
so a code missing here is a warning on import, never an error (perfeval.data.validation.warnings). Codes
starting ``99`` are the demonstration data's fictional 示例市 (docs/demo-data.md), not GB/T 2260 codes.
"""
from __future__ import annotations

import csv
import functools
import pathlib
from dataclasses import dataclass

PATH = pathlib.Path(__file__).with_name("gbt2260.csv")
SOURCE = "cpca 0.5.5 adcodes.csv, 约 2020 年 / as of about 2020"
FICTIONAL_PREFIX = "99"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    province: str
    city: str
    district: str

    @property
    def label(self) -> str:
        """广东省深圳市福田区 — without repeating a municipality."""
        parts: list[str] = []
        for p in (self.province, self.city, self.district):
            if p and p not in parts:
                parts.append(p)
        return "".join(parts)


@functools.cache
def regions() -> dict[str, Region]:
    """Code → `Region`, in code order."""
    with PATH.open(encoding="utf-8", newline="") as f:
        return {r["code"]: Region(**r) for r in csv.DictReader(f)}


def lookup(code: str) -> Region | None:
    """The region of a six-digit code, or None."""
    return regions().get(str(code).strip())
