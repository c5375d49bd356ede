"""``scimmap diff OLD NEW``: what saving NEW over OLD does, before it is saved (docs/diff.md).

OLD and NEW are mapping files, Graph schema exports or preset names.  Shows the change itself (mappings
added, removed, changed after canonical formatting; scoping filters; object actions) and, with
--population, each source object's outcome: create, update (old and new value of each attribute), disable,
delete or unchanged, decided by the provisioning engine.  Populations are JSON Lines (or a JSON array),
read one record at a time; a bad record is reported with its line and the others are decided.
Exit 0: nothing differs; 1: something differs; 2: errors (a table that cannot be read, a bad record).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from scimmap.errors import Diagnostic, ScimmapError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="what a changed mapping does to a population, before saving",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", metavar="OLD", help="the mapping as it is: a file, Graph schema export or preset")
    parser.add_argument("new", metavar="NEW", help="the changed mapping: a file, Graph schema export or preset")
    parser.add_argument(
        "--population",
        action="append",
        metavar="FILE",
        help="source objects, JSON Lines or a JSON array; '-' is stdin (repeatable)",
    )
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument(
        "--action",
        choices=("create", "update"),
        default="update",
        help="update (default): the objects were provisioned under OLD; create: compare what "
        "a create sends (apply-on-create mappings and defaults count)",
    )
    parser.set_defaults(handler=run)


def _records(paths: list[str]) -> Iterator[tuple[int, dict[str, Any] | Diagnostic]]:
    """Every record of every population file, read the way ``scimmap map`` reads them (one at a time, JSON
    Lines split on newlines only, arrays element by element, strict JSON), so memory stays bounded."""
    from scimmap.cli.records import RecordError, parse, records

    for path in paths:
        try:
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed in finally below
        except OSError as error:
            yield 0, Diagnostic("invalid-input", f"cannot read {path}: {error.strerror}")
            continue
        try:
            for line, raw in records(stream):
                value = parse(raw) if isinstance(raw, str) else raw
                if isinstance(value, RecordError):
                    yield line, Diagnostic("invalid-input", f"{path}: {value.message}")
                elif not isinstance(value, dict):
                    yield line, Diagnostic("invalid-input", f"{path}: a record must be a JSON object of attributes")
                else:
                    yield line, value
        finally:
            if path != "-":
                stream.close()


def run(args: argparse.Namespace) -> int:
    from scimmap.cli.tables import table_named
    from scimmap.diff import diff_records
    from scimmap.diff.report import render_markdown, render_text

    try:
        old, new = table_named(args.old, "OLD"), table_named(args.new, "NEW")
    except ScimmapError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 2
    diff = diff_records(old, new, _records(args.population or []), action=args.action)
    for line, diagnostic in diff.diagnostics:
        where = f"line {line}: " if line else ""
        sys.stderr.write(f"{where}error[{diagnostic.code}]: {diagnostic.message}\n")
    if args.format == "json":
        sys.stdout.write(json.dumps(diff.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write((render_markdown(diff) if args.format == "markdown" else render_text(diff)) + "\n")
    if diff.diagnostics:
        return 2
    return 1 if diff.differs else 0
