"""``scimmap docs functions|attributes|errors|mapping-keys [-o FILE]``: write a reference generated from
scimmap's own data.

functions: every function of the catalog (docs/functions.md).  attributes: the Entra user and group source
attributes with their types, the names ``scimmap check`` knows (docs/attributes.md).  errors: every
diagnostic code, from the code registry (docs/errors.md).  mapping-keys: the table of mapping-file keys,
from their declarations; written to an existing FILE (docs/mapping-files.md), it replaces the table between
the FILE's markers and leaves the rest of the page as it is.
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
    parser.add_argument("topic", choices=("functions", "attributes", "errors", "mapping-keys"), help="what to generate")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scimmap.docgen import render_attributes, render_errors, render_functions, render_mapping_keys
    from scimmap.functions import BUILTINS

    if args.topic == "mapping-keys":
        from scimmap.docgen import splice_mapping_keys

        text = render_mapping_keys()
        if args.output and Path(args.output).is_file():
            try:
                spliced = splice_mapping_keys(Path(args.output).read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                spliced = None
            if spliced is None:
                sys.stderr.write(f"scimmap docs: {args.output} has no mapping-keys markers; nothing written\n")
                return 2
            text = spliced
    elif args.topic == "attributes":
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
