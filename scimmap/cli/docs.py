"""``scimmap docs functions|attributes|errors [-o FILE]``: write a reference generated from scimmap's own data.

functions: every function of the catalog (docs/functions.md).  attributes: the Entra user and group source
attributes with their types, the names ``scimmap check`` knows (docs/attributes.md).  errors: every
diagnostic code, from the code registry (docs/errors.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="generate reference documentation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("topic", choices=("functions", "attributes", "errors"), help="what to generate")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scimmap.docgen import render_attributes, render_errors, render_functions
    from scimmap.functions import BUILTINS

    if args.topic == "attributes":
        text = render_attributes()
    elif args.topic == "errors":
        from scimmap.codes import codes

        text = render_errors(codes(BUILTINS))
    else:
        text = render_functions(BUILTINS)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
