"""The sidebar's filter options as a page model (pure): the regions, the years, the categories and the evaluator
types of the projects the viewer may see; and whether the demonstration data are shown by default
(`demo_default`)."""
from __future__ import annotations

from perfeval.data.demo_default import bundled_sources, show_demo_by_default

DEFAULT_YEARS = (2020, 2025)  # the year slider's range when no project is visible


def filter_options(q) -> dict:
    """{"regions": {prefix: label} (queries/region_options.sql: province, city, district, in code order),
    "years": (first, last) evaluated year, "categories": [...], "evaluators": [...]} of the visible projects."""
    opts = q("filter_options")
    regions = q("region_options")
    years = ((int(opts["year_min"].min()), int(opts["year_max"].max())) if len(opts) else DEFAULT_YEARS)
    return {
        "regions": dict(zip(regions["prefix"].tolist(), regions["label"].tolist())),
        "years": years,
        "categories": sorted(opts["category"].dropna().unique()) if len(opts) else [],
        "evaluators": sorted(opts["evaluator_type"].dropna().unique()) if len(opts) else [],
    }


def demo_default(q, *, setting: str) -> bool:
    """Whether the demonstration data are shown by default for this viewer (perfeval.data.demo_default): with
    ``setting`` ``auto``, off once the lake holds real data beyond the bundled reports (queries/real_sources.sql)."""
    return show_demo_by_default(setting, q("real_sources")["source"].tolist(), bundled_sources())
