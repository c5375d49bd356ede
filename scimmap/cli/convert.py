"""``scimmap convert IN -o OUT``: mapping files between YAML and Graph JSON.

The direction follows the output's extension (``.yaml``/``.yml`` -> mapping file, ``.json`` -> Graph
objectMapping) or ``--to``.  A whole synchronization schema converts to YAML as its first User table;
``--table N`` picks another one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert mapping files between YAML and Graph JSON",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="IN", help="mapping file (YAML/JSON) or Graph JSON; - reads standard input")
    parser.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    parser.add_argument("--to", choices=("yaml", "graph", "json"), help="output format (default: from OUT's extension)")
    parser.add_argument("--table", type=int, metavar="N", help="with a whole schema: convert its N-th object mapping (0-based)")
    parser.set_defaults(handler=run)


def _target_format(args: argparse.Namespace, source_is_graph: bool) -> str | None:
    if args.to:
        return "yaml" if args.to == "yaml" else "graph"
    if args.output:
        suffix = Path(args.output).suffix.lower()
        if suffix in (".yaml", ".yml"):
            return "yaml"
        if suffix == ".json":
            return "graph"
        return None
    return "yaml" if source_is_graph else "graph"


def run(args: argparse.Namespace) -> int:
    from scimmap.errors import MappingError
    from scimmap.mapping.files import _graph_kind, load_mapping
    from scimmap.mapping.graph import load_schema

    text = sys.stdin.read() if args.input == "-" else None
    if text is None:
        path = Path(args.input)
        if not path.is_file():
            sys.stderr.write(f"scimmap convert: {args.input}: no such file\n")
            return 2
        text = path.read_text(encoding="utf-8-sig")
    name = "<stdin>" if args.input == "-" else args.input
    document = None
    if text.lstrip().startswith("{"):
        try:
            document = json.loads(text)
        except ValueError:
            document = None
    kind = _graph_kind(document) if isinstance(document, dict) else None
    target = _target_format(args, kind is not None)
    if target is None:
        sys.stderr.write("scimmap convert: cannot tell the output format from the file name; use --to yaml|graph\n")
        return 2
    if kind == "schema":
        schema = load_schema(document)
        if args.table is not None:
            if not 0 <= args.table < len(schema.tables):
                sys.stderr.write(f"scimmap convert: the schema has {len(schema.tables)} object mappings\n")
                return 2
            table = schema.tables[args.table]
        elif target == "graph":
            _write(args.output, schema.to_json())
            return 0
        else:
            table = schema.first_table("User")
        if table is None:
            raise MappingError("the synchronization schema has no object mappings")
    else:
        table = load_mapping(text, file=name)
    if target == "yaml":
        _write(args.output, table.to_yaml())
    else:
        _write(args.output, json.dumps(table.to_graph(), indent=2, ensure_ascii=False) + "\n")
    return 0


def _write(output: str | None, text: str) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
