"""``scimmap fmt EXPR|-``: print an expression in canonical form (function names in Microsoft's casing)."""

from __future__ import annotations

import argparse
import sys

from scimmap.cli.common import read_expression


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("fmt", help="format an expression canonically", description=__doc__)
    parser.add_argument("expression", help="the expression text, or - to read it from stdin")
    parser.add_argument("--pretty", action="store_true", help="indented multi-line layout")
    parser.add_argument("--check", action="store_true", help="exit 1 if the input is not already formatted")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import scimmap
    from scimmap.language.canonical import canonical_names

    text = read_expression(args.expression)
    node = canonical_names(scimmap.parse(text))
    formatted = scimmap.format(node, pretty=args.pretty)
    if args.check:
        if formatted != text:
            sys.stderr.write("not formatted; scimmap fmt would print:\n" + formatted + "\n")
            return 1
        return 0
    sys.stdout.write(formatted + "\n")
    return 0
