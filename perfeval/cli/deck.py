"""The ``deck`` command: the overview's 10-slide deck (perfeval.decks.portfolio) for the filters given, or one
project's (perfeval.decks.project), written as a PPTX file; the figures come through the data gate."""
from __future__ import annotations

import argparse
import datetime
import pathlib
import time

from perfeval.cli.common import cli_scope, gate
from perfeval.decks.common import FILTER_KEYS, deck_filename, filters_summary
from perfeval.decks.portfolio import portfolio_deck
from perfeval.decks.project import project_deck
from perfeval.text.i18n import Translator


def add_deck_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("deck", help="a slide deck (PPTX) for a review meeting / 汇报材料",
                       description="Write the overview's 10-slide deck (or one project's) as a PPTX file.")
    p.add_argument("out", nargs="?", help="the .pptx file to write (default: the name the page gives it, here)")
    p.add_argument("--project", help="one project's deck instead of the portfolio's")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--no-demo", action="store_true", help="leave the demonstration data out")
    for key in ("region", "category", "evaluator_type"):
        p.add_argument("--" + key.replace("_", "-"), help=f"filter: {key} (as the sidebar's)")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    return p


def deck_command(args: argparse.Namespace) -> int:
    g, scope = gate(args), cli_scope(args)

    def q(name, **params):
        return g.query(name, scope, **params)

    now = datetime.datetime.now()
    t0 = time.perf_counter()
    if args.project:
        data = project_deck(q, args.project, args.lang, now=now)
    else:
        params = {k: getattr(args, k) for k in FILTER_KEYS}
        text = Translator(args.lang)("筛选条件：", "Filters: ") + filters_summary(
            params, Translator(args.lang), include_demo=not args.no_demo)
        data = portfolio_deck(q, params, args.lang, filters_text=text, now=now)
    out = pathlib.Path(args.out or deck_filename("project" if args.project else "portfolio", args.lang, now))
    out.write_bytes(data)
    print(f"{out}（{len(data) / 1024:,.0f} KB，{time.perf_counter() - t0:.1f} s）")
    return 0
