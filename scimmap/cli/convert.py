"""``scimmap convert IN -o OUT``: mapping files between YAML, JSON and Graph JSON.

--to yaml writes a mapping file; --to json writes the same mapping file as JSON (what load_mapping and
check read as a mapping file, and `scimmap schema` describes); --to graph writes Graph's objectMapping, or
a whole synchronization schema back.  Without --to the format follows OUT's extension (.yaml/.yml: yaml,
.json: graph); without either, a mapping file becomes Graph JSON and Graph JSON a mapping file.  A whole
schema converts to a mapping file as its first User table; --table N picks another one.

Nothing is written when the input has errors `scimmap check` reports (exit 1), or when the table cannot be
a mapping file (only User and Group tables can).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from scimmap.errors import Diagnostic, MappingError

MAPPING_FILE_OBJECTS = ("User", "Group")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert mapping files between YAML, JSON and Graph JSON",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="IN", help="mapping file (YAML/JSON) or Graph JSON; - reads standard input")
    parser.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    parser.add_argument("--to", choices=("yaml", "json", "graph"), help="output format (default: from OUT's extension)")
    parser.add_argument(
        "--table", type=int, metavar="N", help="with a whole schema: convert its N-th object mapping (0-based)"
    )
    parser.set_defaults(handler=run)


def _target_format(args: argparse.Namespace, source_is_graph: bool) -> str | None:
    if args.to:
        return str(args.to)
    if args.output:
        suffix = Path(args.output).suffix.lower()
        if suffix in (".yaml", ".yml"):
            return "yaml"
        if suffix == ".json":
            return "graph"
        return None
    return "yaml" if source_is_graph else "graph"


def run(args: argparse.Namespace) -> int:
    from scimmap.cli.common import refuse_overwriting
    from scimmap.mapping.files import MAX_FILE_SIZE, _graph_kind, read_mapping_text
    from scimmap.mapping.graph import load_schema
    from scimmap.reading import read_text

    if args.input != "-" and not Path(args.input).exists():
        sys.stderr.write(f"scimmap convert: {args.input}: no such file\n")
        return 2
    refuse_overwriting({"-o": args.output}, [args.input])
    text = read_text(args.input, MAX_FILE_SIZE, code="invalid-mapping", what="mapping file")
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
        sys.stderr.write(
            "scimmap convert: cannot tell the output format from the file name; use --to yaml|json|graph\n"
        )
        return 2
    if kind == "schema" and (args.table is not None or target != "graph"):
        schema = load_schema(document)
        if args.table is not None and not 0 <= args.table < len(schema.tables):
            sys.stderr.write(f"scimmap convert: the schema has {len(schema.tables)} object mappings\n")
            return 2
        table = schema.tables[args.table] if args.table is not None else schema.first_table("User")
        if table is None:
            raise MappingError("the synchronization schema has no object mappings")
        table, diagnostics = _located(text, name, schema, table)
    else:
        table, diagnostics = read_mapping_text(text, name)
    _refuse_errors(table, diagnostics)
    if kind == "schema" and target == "graph" and args.table is None:
        _write(args.output, load_schema(document).to_json())
        return 0
    if target in ("yaml", "json"):
        _refuse_non_file_objects(table, kind, document)
    if target == "yaml":
        _write(args.output, table.to_yaml())
    elif target == "json":
        _write(args.output, json.dumps(mapping_file_json(table), indent=2, ensure_ascii=False) + "\n")
    else:
        _write(args.output, json.dumps(table.to_graph(), indent=2, ensure_ascii=False) + "\n")
    return 0


def mapping_file_json(table: Any) -> dict[str, Any]:
    """The mapping-file structure as JSON data: the YAML writer's output read back, so both forms hold the
    same keys and values (one writer decides the format)."""
    import yaml

    data: dict[str, Any] = yaml.safe_load(table.to_yaml())
    return data


def _located(text: str, name: str, schema: Any, table: Any) -> tuple[Any, list[Diagnostic]]:
    """The chosen table of a schema, with file positions, as check reads it."""
    import attrs

    from scimmap.mapping.graph import attach_positions
    from scimmap.mapping.jsonpos import JsonPositions

    located = attrs.evolve(table, file=name)
    return attach_positions(located, schema.object_mapping(table), JsonPositions(text, name), schema.path_of(table)), []


def _refuse_errors(table: Any, diagnostics: list[Diagnostic]) -> None:
    """Raise every error `scimmap check` reports for the input: converting a broken table only moves the
    problem into another file (an unknown function would become Graph JSON with made-up parameter keys)."""
    from scimmap.mapping.validate import check_table

    found = list(diagnostics)
    if table is not None:
        found += check_table(table)
    errors = [d for d in found if d.severity == "error"]
    if errors or table is None:
        raise MappingError(errors or [Diagnostic("invalid-mapping", "no mapping table found")])


def _refuse_non_file_objects(table: Any, kind: str | None, document: Any) -> None:
    """Mapping files hold User and Group tables; a schema's other tables (Salesforce's Profile -> AppRole...)
    stay Graph JSON rather than becoming a file `scimmap check` rejects."""
    if table.object in MAPPING_FILE_OBJECTS:
        return
    hint = "convert it --to graph"
    if kind == "schema":
        from scimmap.mapping.graph import load_schema

        choices = [
            f"--table {i} ({t.object})"
            for i, t in enumerate(load_schema(document).tables)
            if t.object in MAPPING_FILE_OBJECTS
        ]
        hint += "; tables that can be mapping files: " + (", ".join(choices) if choices else "none")
    shown = table.object or "no source object"
    raise MappingError(
        Diagnostic(
            "invalid-mapping",
            f"table {table.name!r} maps {shown} to {table.target_object}: mapping files hold User or Group tables only",
            hint=hint,
        )
    )


def _write(output: str | None, text: str) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
