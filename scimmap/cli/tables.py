"""The options every table-driven command shares: which mapping table (``--mapping`` or ``--preset``) and
how references resolve (``--resolve FILE``).

One place, so ``map``, ``explain``, ``patch`` and the REPL read a table and a resolve file the same way
and report the same diagnostics for a bad one.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from scimmap.errors import Diagnostic, MappingError

RESOLVE_HELP = (
    "a JSON object mapping source object ids to the ids the SCIM app gave them "
    '({"<manager or member id>": "<SCIM id>"}): references to these are linked in the follow-up PATCH'
)


def add_table_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """``--mapping FILE`` or ``--preset NAME``, exactly one of them (or neither when not ``required``)."""
    table = parser.add_mutually_exclusive_group(required=required)
    table.add_argument("--mapping", "-m", metavar="FILE", help="a mapping file (YAML, JSON or a Graph schema export)")
    table.add_argument("--preset", metavar="NAME", help="a built-in mapping table (scimmap preset --list)")


def load_table(args: argparse.Namespace) -> Any:
    """The table the options name (raises MappingError with the file's diagnostics)."""
    if args.preset:
        from scimmap.mapping.presets import preset

        return preset(args.preset)
    from scimmap.mapping.files import load_mapping

    return load_mapping(args.mapping)


def table_named(reference: str, what: str) -> Any:
    """A table given as one word: a preset name or a mapping file (``sync --user-mapping``, ``diff OLD NEW``)."""
    from pathlib import Path

    from scimmap.mapping.files import load_mapping
    from scimmap.mapping.presets import names, preset

    if reference in names():
        return preset(reference)
    if not Path(reference).is_file():
        raise MappingError(
            Diagnostic(
                "invalid-input",
                f"{what}: {reference!r} is neither a preset nor a file",
                hint="presets: " + ", ".join(names()),
            )
        )
    return load_mapping(reference)


def load_resolve(path: str | None) -> dict[str, str] | None:
    """The ``--resolve`` file: source id -> SCIM id, every key and value a string.

    None when no file is given: then every reference is left unresolved, as Entra does for an object that
    is not provisioned yet.
    """
    if path is None:
        return None
    from scimmap.console import load_source

    try:
        loaded = load_source(path, None)
    except MappingError as error:
        raise MappingError(Diagnostic("invalid-resolve", f"--resolve: {error.diagnostic.message}")) from None
    wrong = next((key for key, value in loaded.items() if not isinstance(value, str) or not value), None)
    if wrong is not None:
        raise MappingError(
            Diagnostic(
                "invalid-resolve",
                f"--resolve: the id for {json.dumps(wrong, ensure_ascii=True)[:80]} must be a non-empty string",
                hint='the file is one JSON object: {"<source object id>": "<SCIM id>", ...}',
            )
        )
    return loaded
