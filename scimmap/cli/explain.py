"""``scimmap explain EXPR``: the node tree, the Graph JSON and any warnings for one expression.

``scimmap explain --mapping FILE --input FILE.json`` explains a whole mapping table for one object instead:
per target, the value, the mapping kind, whether the default applied and why a target was skipped.
"""

from __future__ import annotations

import argparse
import json
import sys

from scimmap.cli.common import add_now_argument, add_param_argument, read_expression
from scimmap.functions.catalog import DIALECTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("explain", help="show how an expression is understood", description=__doc__)
    parser.add_argument("expression", nargs="?", help="the expression text, or - to read it from stdin")
    parser.add_argument("--dialect", choices=DIALECTS, default="provisioning")
    parser.add_argument("--python", action="store_true", help="also show the generated Python")
    table = parser.add_mutually_exclusive_group()
    table.add_argument("--mapping", "-m", metavar="FILE", help="explain this mapping table for --input")
    table.add_argument("--preset", metavar="NAME", help="explain a built-in mapping table for --input")
    parser.add_argument("--input", "-i", metavar="FILE.json", help="the source object (with --mapping/--preset)")
    parser.add_argument("--set", "-s", action="append", metavar="NAME=VALUE", help="set an attribute (repeatable)")
    parser.add_argument("--action", choices=("create", "update"), default="create")
    add_now_argument(parser)
    add_param_argument(parser)
    parser.set_defaults(handler=run)


def run_mapping(args: argparse.Namespace) -> int:
    import scimmap
    from scimmap.cli.explain_mapping import explain_table
    from scimmap.console import load_source, parse_now, parse_parameters, table_parameter_warnings

    table = scimmap.load_mapping(args.mapping) if args.mapping else scimmap.preset(args.preset)
    source = load_source(args.input, args.set)
    parameters = parse_parameters(args.param)
    for warning in table_parameter_warnings(table, parameters):
        sys.stderr.write(warning.render(color=sys.stderr.isatty()) + "\n")
    sys.stdout.write(
        explain_table(
            table, source, action=args.action, now=parse_now(args.now), label=args.mapping or "", parameters=parameters
        )
        + "\n"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    import scimmap
    from scimmap.language.tree import render_tree

    if getattr(args, "mapping", None) or getattr(args, "preset", None):
        return run_mapping(args)
    if args.expression is None:
        sys.stderr.write("scimmap explain: give an expression, or --mapping FILE --input FILE.json\n")
        return 2
    from scimmap.console import PARAM_HINT, parse_parameters

    text = read_expression(args.expression)
    parameters = parse_parameters(args.param)
    expression = scimmap.compile(text, dialect=args.dialect)
    warnings = [*expression.warnings, *expression.unset_parameters(parameters, how=PARAM_HINT)]
    out = sys.stdout
    out.write("Expression:\n  " + scimmap.format(expression.node) + "\n\nTree:\n")
    out.write(render_tree(expression.node, expression.catalog) + "\n\nGraph JSON:\n")
    out.write(json.dumps(scimmap.to_graph(expression.node), indent=2, ensure_ascii=False) + "\n")
    if warnings:
        out.write("\nWarnings:\n")
        for warning in warnings:
            out.write(warning.render() + "\n")
    if args.python:
        out.write("\nGenerated Python:\n" + expression.python_source)
    return 0
