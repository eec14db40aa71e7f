"""Region options from GB/T 2260 codes (pure).

A code is six digits: province (2), city (2), district (2); ``00`` pairs mean "the whole level".
A filter value is a prefix: ``44`` a province, ``4403`` a city, ``440304`` a district.
"""
from __future__ import annotations

import pandas as pd


def prefix_of(code: str) -> str:
    """The significant prefix of a region code: 440300 → 4403, 120000 → 12."""
    code = str(code).strip()
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


def region_options(rows: pd.DataFrame) -> dict[str, str]:
    """{prefix: label} for every province, city and district present in ``rows``.

    ``rows`` has columns province, city, district, region_code. Labels read "广东省 / 深圳市 / 福田区".
    Ordered by code, so a province comes before its cities.

    This is the definition of the sidebar's region options; the sidebar reads the same options from
    queries/region_options.sql (one cached query instead of this loop over every row of
    queries/filter_options.sql on each run), and a test checks that the two agree.
    """
    opts: dict[str, str] = {}
    for r in rows.itertuples(index=False):
        code = str(r.region_code)
        names = [r.province, r.city if isinstance(r.city, str) else None,
                 r.district if isinstance(r.district, str) else None]
        opts.setdefault(code[:2], str(r.province))
        if code[2:4] != "00" and names[1]:
            opts.setdefault(code[:4], f"{r.province} / {names[1]}")
        if code[4:6] != "00" and names[2]:
            city = f"{names[1]} / " if names[1] and names[1] != r.province else ""
            opts.setdefault(code[:6], f"{r.province} / {city}{names[2]}")
    return dict(sorted(opts.items()))


def region_label(row) -> str:
    """"天津市", "甘肃省 天水市", "广东省 深圳市 福田区" — without repeating a municipality."""
    parts = [row.get("province"), row.get("city"), row.get("district")]
    out: list[str] = []
    for p in parts:
        if isinstance(p, str) and p and p not in out:
            out.append(p)
    return " ".join(out)
