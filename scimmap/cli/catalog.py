"""``scimmap catalog [--json] [NAME...]``: the function catalog, for people and for editors and other tools.

The JSON form is a stable export of the one declaration each function has in the catalog: names, parameters with
their types and Graph keys, return type, signature, summary, dialects, examples and the cautions ``check``
warns about.  Editors build completion and
signature help from it without importing Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from scimmap.functions.catalog import DIALECTS


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("catalog", help="list the built-in functions", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these functions (any casing)")
    parser.add_argument("--json", action="store_true", help="print the catalog as JSON")
    parser.add_argument("--dialect", choices=DIALECTS, help="only functions of this dialect")
    parser.set_defaults(handler=run)


def param_json(param: Any) -> dict[str, Any]:
    return {
        "name": param.name,
        "type": param.type,
        "required": param.required,
        "repeating": param.repeating,
        "literal": param.literal,
        "lazy": param.lazy,
        "choices": list(param.choices),
        "graph_key": param.key,
        "summary": param.summary,
    }


def function_json(spec: Any) -> dict[str, Any]:
    return {
        "name": spec.name,
        "signature": spec.signature(),
        "summary": spec.summary,
        "returns": spec.returns,
        "parameters": [param_json(p) for p in spec.params],
        "min_args": spec.minimum,
        "max_args": spec.maximum,
        "dialects": sorted(spec.dialects),
        "top_level_only": spec.top_level_only,
        "examples": [
            {"expression": e.expression, "result": e.result, "input": dict(e.input), "parameters": dict(e.parameters)}
            for e in spec.examples
        ],
        "cautions": [{"code": c.code, "summary": c.summary} for c in spec.cautions],
    }


def catalog_json(catalog: Any, dialect: str | None = None, names: list[str] | None = None) -> dict[str, Any]:
    specs = _select(catalog, dialect, names)
    from scimmap import __version__

    return {"scimmap": __version__, "functions": [function_json(s) for s in specs]}


def _select(catalog: Any, dialect: str | None, names: list[str] | None) -> list[Any]:
    specs = [s for s in catalog if dialect is None or dialect in s.dialects]
    if names:
        wanted = {n.lower() for n in names}
        specs = [s for s in specs if s.name.lower() in wanted]
    return specs


def run(args: argparse.Namespace) -> int:
    from scimmap.functions import BUILTINS

    if args.names:
        unknown = [n for n in args.names if BUILTINS.get(n) is None]
        if unknown:
            for name in unknown:
                suggestion = BUILTINS.suggest(name)
                hint = f" (did you mean {suggestion!r}?)" if suggestion else ""
                sys.stderr.write(f"scimmap catalog: no function named {name!r}{hint}\n")
            return 1
    if args.json:
        sys.stdout.write(
            json.dumps(catalog_json(BUILTINS, args.dialect, args.names), indent=2, ensure_ascii=False, default=repr)
            + "\n"
        )
        return 0
    for spec in _select(BUILTINS, args.dialect, args.names):
        only = "" if len(spec.dialects) > 1 else f"  [{next(iter(spec.dialects))} only]"
        sys.stdout.write(f"{spec.signature()}{only}\n    {spec.summary}\n")
    return 0
