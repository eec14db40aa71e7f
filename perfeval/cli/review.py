"""What ``python -m perfeval import`` prints beside the problems: the warnings (severity ``warning``: what looks
wrong but may be right, never blocking; perfeval.data.validation.warnings) and the outcome metrics the upload
adds to the catalogue, for review (``Staged.new_metrics``)."""
from __future__ import annotations

from perfeval.cli.common import print_problems


def review_json(staged) -> dict:
    """The warnings and new metrics of a staged upload, for ``import --json``."""
    return {"warnings": [p.as_dict() for p in staged.warnings],
            "new_metrics": [{k: (None if v != v else v) for k, v in r.items()}
                            for r in staged.new_metrics.to_dict("records")]}


def print_review(staged, limit: int = 0) -> None:
    """The warnings, then the new outcome metrics, each with its Chinese and English text."""
    if staged.warnings:
        n = len(staged.warnings)
        print(f"⚠ {n} 处提示（不阻止导入，请核对）/ {n} warning{'' if n == 1 else 's'} (not blocking; check):")
        print_problems(staged.warnings, limit)
        print()
    new = staged.new_metrics
    if len(new):
        print(f"＋ 新增成效指标 {len(new)} 个，导入后进入指标目录（请核对名称、单位、方向）/ {len(new)} new outcome "
              "metric(s), added to the catalogue on import (check names, unit, direction):")
        for r in new.itertuples(index=False):
            print(f"    {r.metric_key}  {r.name_zh} / {r.name_en}  [{r.unit}]  {r.category}  {r.direction}")
        print()
