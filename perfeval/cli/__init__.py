"""The command line: ``python -m perfeval <command> ...``.

Commands (each takes ``--data PATH``, the lake folder; default $PERFEVAL_DATA, else the bundled data/):

    summary [--json]                 one row (or JSON object) per project: region, period, score, grade,
                                     budget / received / spent (万元), arrival and execution rates
    validate [PATH] [--json]         check the lake folder, a sub-folder or one file (--table if its
                                     name does not say); exit 1 on problems
    sql "SELECT ..." [--json|--csv]  read-only SQL over the scoped views (through the data gate)
    dictionary [--check]             regenerate docs/data-dictionary.md from perfeval.data.schema
    audit [--project ID] [--json]    the audit's checks (perfeval.domain.audit)
    compact [--dry-run]              merge each table's Parquet batches into one file; the replaced
                                     files move to _archive/ (perfeval.data.compact)
    import FILE [--table T] [--dry-run] [--json] [--supersede]
                                     check an .xlsx / CSV / Parquet upload against the schema and the
                                     lake and, if nothing is wrong, write it as the new batch
                                     imports/<id>/; exit 1 on problems (perfeval.data.imports.ingest);
                                     --supersede: a corrected file replaces the batches of its projects
    template OUT.xlsx [--lang zh|en] the import template to fill in (perfeval.data.imports.template);
                                     --with-data [--project ID]: filled with the lake's rows (imports.export)
    metrics [WORD] [--category C] [--json]
                                     the outcome-metric catalogue: find a metric key without SQL
    batches [--withdrawn|--all] [--json]  the imported batches, newest first (perfeval.data.imports.batches)
    withdraw ID                      move an imported batch to _archive/imports/ (refused while other
                                     rows depend on it)
    restore ID                       move a withdrawn batch back (refused if its projects were imported again)
    deck [OUT.pptx] [--project ID] [--lang] [filters]
                                     the overview's 10-slide deck, or one project's (perfeval.decks)
    log [--since T] [--until T] [--user U] [--action A] [--json]
                                     the audit log, oldest first (administrators; perfeval.cli.log)
    demo [--out DIR] [--seed N]      rewrite the demonstration portfolio's Parquet files (default: the
                                     bundled data/demo/; perfeval.data.demo.portfolio)

Where they live: this module wires them (`build_parser`, `main`); perfeval.cli.common holds what they
share (`gate`, `cli_scope`, `jsonable`, `records`, `render_table`, `print_problems`); perfeval.cli.read
has summary, validate, sql and dictionary; perfeval.cli.audit the audit; perfeval.cli.imports import,
template, batches, withdraw, compact and demo (perfeval.cli.review prints an import's warnings and new
metrics); perfeval.cli.metrics the metric catalogue; perfeval.cli.deck the decks. The modules they call
(perfeval.data, perfeval.domain, perfeval.decks) parse no arguments and print nothing.

Every read of the lake goes through the data gate (`gate(args)`); ``validate`` reads files only and
writes nothing. Four commands change the lake, none by changing or deleting a data file: ``compact``
merges files and moves the merged ones to ``_archive/``; ``import`` adds a new batch folder under
``imports/`` (with ``--supersede``, moving the batches it replaces to ``_archive/imports/``); ``withdraw``
moves one such folder to ``_archive/imports/``; ``restore`` moves it back. A command that reads the
lake may write its cache, the indicator roll-up under ``_derived/`` (not data; docs/data-model.md);
``compact`` writes the new one when it has merged indicator files. ``demo`` writes the demonstration
portfolio's files (data/demo/ unless ``--out`` says otherwise), not the lake's data.

Adding a command: write, in a module of this package, ``add_X_parser(subparsers)`` (calls
``subparsers.add_parser("X", help=...)``, adds its arguments and returns the parser) and
``X_command(args) -> int`` (the exit status; ``args.data`` is the lake folder as a Path,
`perfeval.cli.common.gate(args)` gives the data gate). Then register it in `_commands()` below::

    from perfeval.cli.audit import add_audit_parser, audit_command
    ...
        (add_audit_parser, audit_command),

The ``--data`` option is added to every command's parser for you.

Who runs it: ``python -m perfeval --as USER <command>`` runs as USER of the users file the app reads (the auth
settings at $PERFEVAL_AUTH, perfeval.auth): the command sees only USER's scope (`common.cli_scope`, ``batches``
too); only an admin or a district may import, withdraw or restore, and only within its regions (the imports
refuse the rest and write nothing); only an admin may compact, read the log or regenerate the demo data
(`common.permitted`). An unknown USER, or one whose role gives nothing, exits with status 2 and says why. Without
``--as``: in local mode (no settings, or mode "local") the local administrator, as on one machine; where sign-in
is configured, ``--as`` is required.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from perfeval.cli.common import CliUserError, command_user, data_path, permitted
from perfeval.cli.log import log_call

Command = tuple[Callable[[argparse._SubParsersAction], argparse.ArgumentParser | None],
                Callable[[argparse.Namespace], int]]


# ------------------------------------------------------------------------------------ wiring
def _commands() -> list[Command]:
    """Every subcommand as (add its parser, run it), in the order ``--help`` lists them. Imported when the
    parser is built, so that importing perfeval.cli does not load every command's libraries (python-pptx,
    openpyxl, the demo generator)."""
    from perfeval.cli.audit import add_audit_parser, audit_command
    from perfeval.cli.deck import add_deck_parser, deck_command
    from perfeval.cli.log import add_log_parser, log_command
    from perfeval.cli.metrics import add_metrics_parser, metrics_command
    from perfeval.cli.imports import (
        add_batches_parser,
        add_compact_parser,
        add_demo_parser,
        add_import_parser,
        add_template_parser,
        add_restore_parser,
        add_withdraw_parser,
        batches_command,
        compact_command,
        demo_command,
        import_command,
        restore_command,
        template_command,
        withdraw_command,
    )
    from perfeval.cli.read import (
        add_dictionary_parser,
        add_sql_parser,
        add_summary_parser,
        add_validate_parser,
        dictionary_command,
        sql_command,
        summary_command,
        validate_command,
    )
    return [
        (add_summary_parser, summary_command),
        (add_validate_parser, validate_command),
        (add_sql_parser, sql_command),
        (add_dictionary_parser, dictionary_command),
        (add_audit_parser, audit_command),
        (add_compact_parser, compact_command),
        (add_import_parser, import_command),
        (add_template_parser, template_command),
        (add_metrics_parser, metrics_command),
        (add_batches_parser, batches_command),
        (add_withdraw_parser, withdraw_command),
        (add_restore_parser, restore_command),
        (add_deck_parser, deck_command),
        (add_demo_parser, demo_command),
        (add_log_parser, log_command),
    ]


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m perfeval``: one subcommand per entry of `_commands`, each taking ``--data``."""
    parser = argparse.ArgumentParser(
        prog="python -m perfeval",
        description="绩效评价看板的命令行 / command line of the performance-evaluation dashboard")
    parser.add_argument("--data", default=None, metavar="PATH",
                        help="lake folder (default: $PERFEVAL_DATA, else the bundled data/)")
    parser.add_argument("--as", dest="as_user", default=None, metavar="USER",
                        help="run as USER of the users file ($PERFEVAL_AUTH): see and change only what USER may / "
                             "以该用户身份运行（只显示、只改动其权限内的数据）; required where sign-in is configured")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add, run in _commands():
        before = set(sub.choices)
        p = add(sub)
        if p is None:  # an add_X_parser that does not return its parser
            p = sub.choices[next(iter(set(sub.choices) - before))]
        p.set_defaults(func=run)
        # --data is also accepted after the command. A subcommand's default would overwrite a --data
        # given before the command (argparse copies sub-parser defaults over), hence SUPPRESS.
        if "--data" in p._option_string_actions:
            p._option_string_actions["--data"].default = argparse.SUPPRESS
        else:
            p.add_argument("--data", default=argparse.SUPPRESS, metavar="PATH",
                           help="lake folder (default: $PERFEVAL_DATA, else the bundled data/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.data = data_path(getattr(args, "data", None))
    return log_call(args, argv, _run)  # every call, who made it and its exit status in the audit log


def _run(args: argparse.Namespace) -> int:
    """Run the parsed command as its user (``--as``), if that user may; the exit status."""
    try:
        args.user = command_user(args.as_user)
    except CliUserError as e:
        print(f"错误 / error: {e}", file=sys.stderr)
        return 2
    refused = permitted(args.command, args.user)
    if refused:
        print(f"错误 / error: {refused}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `... | head`
        return 0
