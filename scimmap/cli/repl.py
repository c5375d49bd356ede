"""``scimmap repl``: explore expressions interactively (or script them: one expression per stdin line)."""

from __future__ import annotations

import argparse
import sys

from scimmap.cli.common import add_now_argument, add_param_argument
from scimmap.functions.catalog import DIALECTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("repl", help="interactive expression shell", description=__doc__)
    parser.add_argument("--input", "-i", metavar="FILE.json", help="the source object to start with (JSON)")
    parser.add_argument("--set", "-s", action="append", metavar="NAME=VALUE", help="set an attribute (repeatable)")
    table = parser.add_mutually_exclusive_group()
    table.add_argument("--mapping", "-m", metavar="FILE", help="a mapping table for :map (YAML, JSON or Graph schema)")
    table.add_argument("--preset", metavar="NAME", help="a built-in mapping table for :map, e.g. entra-user")
    parser.add_argument("--dialect", choices=DIALECTS, default="provisioning")
    add_now_argument(parser)
    add_param_argument(parser, "an evaluation parameter (repeatable; :param in the REPL)")
    parser.add_argument("--no-history", action="store_true", help="do not read or write the history file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import scimmap
    from scimmap.console import load_source, parse_now, parse_parameters
    from scimmap.interactive.commands import ReplSession
    from scimmap.interactive.repl import run_interactive, run_lines

    source = load_source(args.input, args.set)
    mapping = None
    if args.mapping:
        mapping = scimmap.load_mapping(args.mapping)
    elif args.preset:
        mapping = scimmap.preset(args.preset)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    session = ReplSession(
        source,
        mapping=mapping,
        dialect=args.dialect,
        now=parse_now(args.now),
        color=interactive,
        parameters=parse_parameters(args.param),
    )
    if not interactive:
        return run_lines(session, sys.stdin, sys.stdout, sys.stderr)
    history = None
    if args.no_history:
        from prompt_toolkit.history import InMemoryHistory

        history = InMemoryHistory()
    return run_interactive(session, history=history)
