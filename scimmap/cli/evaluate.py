"""``scimmap eval EXPR``: evaluate one expression against a source object."""

from __future__ import annotations

import argparse
import sys

from scimmap.cli.common import add_now_argument, add_param_argument, read_expression
from scimmap.console import PARAM_HINT, load_source, parse_now, parse_parameters, show_value
from scimmap.functions.catalog import DIALECTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("eval", help="evaluate an expression", description=__doc__)
    parser.add_argument("expression", help="the expression text, or - to read it from stdin")
    parser.add_argument("--input", "-i", metavar="FILE.json", help="the source object (JSON)")
    parser.add_argument("--set", "-s", action="append", metavar="NAME=VALUE", help="set an attribute (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the value as JSON")
    add_now_argument(parser)
    parser.add_argument("--exists", action="append", metavar="VALUE", help="a value SelectUniqueValue finds taken")
    add_param_argument(parser)
    parser.add_argument("--dialect", choices=DIALECTS, default="provisioning")
    parser.add_argument("--trace", action="store_true", help="show every sub-expression with its value")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import scimmap

    text = read_expression(args.expression)
    source = load_source(args.input, args.set)
    parameters = parse_parameters(args.param)
    expression = scimmap.compile(text, dialect=args.dialect)
    for warning in [*expression.warnings, *expression.unset_parameters(parameters, how=PARAM_HINT)]:
        sys.stderr.write(warning.render(color=sys.stderr.isatty()) + "\n")
    taken = set(args.exists or ())
    exists = (lambda value: value in taken) if args.exists else None
    now = parse_now(args.now)
    if args.trace:
        from scimmap.language.trace import render_trace

        steps, value, error = expression.trace(source, now=now, exists=exists, parameters=parameters)
        sys.stdout.write(render_trace(expression, steps, error, color=sys.stdout.isatty()) + "\n")
        if error is not None:
            sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
            return 1
        return 0
    value = expression.evaluate(source, now=now, exists=exists, parameters=parameters)
    sys.stdout.write(show_value(value, args.json) + "\n")
    return 0
