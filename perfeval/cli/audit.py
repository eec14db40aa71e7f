"""The ``audit`` command: the consistency audit's findings (perfeval.domain.audit) as text or JSON, one
project or every project the command line sees, a batch of provinces at a time on a national lake."""
from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict

from perfeval.cli.common import cli_scope, gate
from perfeval.domain.audit import CHECKS, SEVERITIES, SEVERITY_ZH, run_audit


def progress_to_stderr(done: int, batches: int, projects: int) -> None:
    """A line on stderr after each batch of provinces, when the lake is audited in more than one."""
    if batches > 1:
        sys.stderr.write(f"批次 {done}/{batches}：已复核 {projects} 个项目 / batch {done} of {batches}: "
                         f"{projects} projects audited\n")
        sys.stderr.flush()


def add_audit_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``audit`` on an argparse subparsers object; returns its parser."""
    p = subparsers.add_parser("audit", help="consistency audit of the evaluation reports / 报告数值复核",
                              description="Recompute scores and derived figures and list the inconsistencies.")
    p.add_argument("--project", help="project_id (default: every project)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the text output")
    p.add_argument("--no-demo", action="store_true", help="leave out demonstration projects")
    p.add_argument("--fail-on", choices=SEVERITIES, help="exit 1 when a finding of this severity or worse exists")
    p.add_argument("--checks", action="store_true", help="list the catalogue of checks and exit")
    return p


def audit_command(args) -> int:
    """Run the audit for the CLI; returns the exit code (0, or 1 with --fail-on and a finding at that level;
    2 for an unknown project)."""
    out = sys.stdout
    if getattr(args, "checks", False):
        if args.json:
            json.dump([asdict(c) for c in CHECKS.values()], out, ensure_ascii=False, indent=2)
            out.write("\n")
        else:
            for c in CHECKS.values():
                out.write(f"{c.key:22} {c.zh} / {c.en}\n    {c.what_zh if args.lang == 'zh' else c.what_en}\n")
        return 0
    audits = run_audit(gate(args), cli_scope(args), args.project, keep_trees=False, progress=progress_to_stderr)
    if args.project and not audits:
        sys.stderr.write(f"no such project: {args.project}\n")
        return 2
    if args.json:
        doc = {
            "checks": {k: {"zh": c.zh, "en": c.en} for k, c in CHECKS.items()},
            "projects": [{
                "project_id": a.project_id,
                "counts": a.counts(),
                "findings": [f.to_dict() for f in a.findings],
                "unchecked": [asdict(u) for u in a.unchecked],
            } for a in audits],
        }
        json.dump(doc, out, ensure_ascii=False, indent=2, default=json_default)
        out.write("\n")
    else:
        zh = args.lang == "zh"
        for a in audits:
            c = a.counts()
            out.write(f"== {a.project_id}: " + ", ".join(
                f"{SEVERITY_ZH[s] if zh else s} {c[s]}" for s in SEVERITIES) + "\n")
            for f in a.findings:
                sev = SEVERITY_ZH[f.severity] if zh else f.severity
                out.write(f"  [{sev}] {f.check} {f.subject}: {f.explanation_zh if zh else f.explanation_en}\n")
            if a.unchecked:
                out.write(("  未能复核：" if zh else "  not checkable: ") + ", ".join(
                    f"{u.figure_id} {u.figure}[{u.scope}]" for u in a.unchecked) + "\n")
    fail_on = getattr(args, "fail_on", None)
    if fail_on:
        worst = SEVERITIES[: SEVERITIES.index(fail_on) + 1]
        if any(f.severity in worst for a in audits for f in a.findings):
            return 1
    return 0


def json_default(o):
    """What json.dump writes for a value it does not know: NaN as null, numpy scalars as Python, else the text."""
    if isinstance(o, float) and math.isnan(o):
        return None
    if hasattr(o, "item"):
        return o.item()
    return str(o)
