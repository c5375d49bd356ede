"""``scimmap explain EXPR``: the node tree, the Graph JSON and any warnings for one expression."""

from __future__ import annotations

import argparse
import json
import sys

from scimmap.cli.common import read_expression


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("explain", help="show how an expression is understood", description=__doc__)
    parser.add_argument("expression", nargs="?", help="the expression text, or - to read it from stdin")
    parser.add_argument("--dialect", choices=("provisioning", "cloud-sync"), default="provisioning")
    parser.add_argument("--python", action="store_true", help="also show the generated Python")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import scimmap
    from scimmap.language.tree import render_tree

    if args.expression is None:
        sys.stderr.write("scimmap explain: give an expression\n")
        return 2
    text = read_expression(args.expression)
    expression = scimmap.compile(text, dialect=args.dialect)
    out = sys.stdout
    out.write("Expression:\n  " + scimmap.format(expression.node) + "\n\nTree:\n")
    out.write(render_tree(expression.node, expression.catalog) + "\n\nGraph JSON:\n")
    out.write(json.dumps(scimmap.to_graph(expression.node), indent=2, ensure_ascii=False) + "\n")
    if expression.warnings:
        out.write("\nWarnings:\n")
        for warning in expression.warnings:
            out.write(warning.render() + "\n")
    if args.python:
        out.write("\nGenerated Python:\n" + expression.python_source)
    return 0
