"""``scimmap schema``: the JSON Schema of the mapping-file format, for editor completion and validation.

Point an editor at it (``# yaml-language-server: $schema=...`` or a ``$schema`` key in JSON) and it
completes keys, explains them on hover and flags typos before ``scimmap check`` runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def load() -> dict[str, Any]:
    """The shipped JSON Schema as a dict."""
    from scimmap.mapping.files import json_schema

    return json_schema()


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of mapping files", description=__doc__)
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(load(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
