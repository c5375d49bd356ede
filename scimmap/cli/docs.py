"""``scimmap docs functions [-o FILE]``: write the function reference generated from the catalog."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("docs", help="generate reference documentation", description=__doc__)
    parser.add_argument("topic", choices=("functions",), help="what to generate")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scimmap.docgen import render_functions
    from scimmap.functions import BUILTINS

    text = render_functions(BUILTINS)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
