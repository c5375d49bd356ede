"""scimmap: Microsoft Entra ID provisioning expressions and mapping tables, offline and exact.

The names in ``__all__`` are the public API, documented with their signatures in docs/api.md: a contract
other tools call, kept stable.  Everything else (the modules below ``scimmap.``) is internal.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping as TypingMapping  # not re-exported: scimmap.Mapping is the mapping row class
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scimmap.errors import (
    CheckError,
    Diagnostic,
    EvaluationError,
    MappingError,
    Origin,
    ParseError,
    ScimmapError,
    Span,
)
from scimmap.language.values import SKIP, SKIP_OBJECT

if TYPE_CHECKING:
    from datetime import datetime

    from scimmap.functions.catalog import Catalog, Dialect
    from scimmap.language.expression import EvaluationOptions, Expression
    from scimmap.language.nodes import Node
    from scimmap.mapping.graph import SynchronizationSchema
    from scimmap.mapping.table import MappingTable
    from scimmap.scim.paths import TargetPath

__version__ = "0.1.0"


def parse(text: str, *, dialect: Dialect = "provisioning") -> Node:
    """Parse expression text into a node tree (raises ParseError; ``dialect`` shapes its wording only)."""
    from scimmap.language.syntax import parse_expression

    return parse_expression(text, dialect)


def format(text_or_node: str | Node, *, pretty: bool = False) -> str:
    """Canonical text of an expression; ``pretty=True`` gives the indented multi-line layout."""
    from scimmap.language.expression import to_node
    from scimmap.language.printer import format_node, format_pretty

    node, _ = to_node(text_or_node)
    return format_pretty(node) if pretty else format_node(node)


def check(
    text_or_node: str | Node, *, catalog: Catalog | None = None, dialect: Dialect = "provisioning"
) -> list[Diagnostic]:
    """Every problem in an expression (errors and warnings), without raising."""
    from scimmap.language.expression import check_expression

    return check_expression(text_or_node, catalog=catalog, dialect=dialect)


def compile(
    text_or_node: str | Node, *, catalog: Catalog | None = None, dialect: Dialect = "provisioning"
) -> Expression:
    """Parse, check and compile to an :class:`Expression` (raises ParseError / CheckError)."""
    from scimmap.language.expression import compile_expression

    return compile_expression(text_or_node, catalog=catalog, dialect=dialect)


def evaluate(
    text_or_node: str | Node,
    source: TypingMapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
    exists: Callable[[str], bool] | None = None,
    dialect: Dialect = "provisioning",
    catalog: Catalog | None = None,
    rng: Any = None,
    parameters: TypingMapping[str, Any] | None = None,
    options: EvaluationOptions | None = None,
) -> Any:
    """Compile and evaluate once; for many objects, ``compile`` once and call ``.evaluate``.

    ``options`` carries ``now``/``exists``/``rng``/``parameters`` as one value (the keywords, when given,
    take precedence), so a caller that evaluates many expressions with the same settings builds it once.
    """
    expression = compile(text_or_node, catalog=catalog, dialect=dialect)
    return expression.evaluate(source, now=now, exists=exists, rng=rng, parameters=parameters, options=options)


def to_graph(text_or_node: str | Node) -> dict[str, Any]:
    """Graph's attributeMappingSource JSON for an expression."""
    from scimmap.language.graphjson import to_graph as convert

    return convert(text_or_node)


def from_graph(obj: TypingMapping[str, Any] | str) -> Node:
    """Node tree from Graph's attributeMappingSource JSON."""
    from scimmap.language.graphjson import from_graph as convert

    return convert(obj)


def parse_target(text: str) -> TargetPath:
    """Parse a SCIM target path (``emails[type eq "work"].value``); raises ParseError (``invalid-target``)."""
    from scimmap.scim.paths import parse_target as parse_path

    return parse_path(text)


def load_mapping(path_or_text: str | Path | TypingMapping[str, Any], *, file: str | None = None) -> MappingTable:
    """A MappingTable from a path, YAML/JSON text, a Graph objectMapping (dict or JSON) or a whole schema.

    Raises MappingError carrying every error that makes the table unusable, each at its ``file:line:col``.
    """
    from scimmap.mapping.files import load_mapping as load

    return load(path_or_text, file=file)  # type: ignore[no-any-return]


def load_schema(path_or_text: str | Path | TypingMapping[str, Any]) -> SynchronizationSchema:
    """A Graph synchronization schema or template (path, JSON text or parsed dict)."""
    from scimmap.mapping.graph import load_schema as load

    return load(path_or_text)


def preset(name: str) -> MappingTable:
    """A built-in mapping table (``entra-user``, ``entra-group``, ``idaas-user``, ``idaas-group``)."""
    from scimmap.mapping.presets import preset as load

    return load(name)  # type: ignore[no-any-return]


def entra_source(obj: TypingMapping[str, Any]) -> dict[str, Any]:
    """The Entra-shaped view of a Graph user or group (or of an already Entra-shaped dict). Idempotent."""
    from scimmap.language.source import entra_source as view

    return view(obj)


def __getattr__(name: str) -> Any:
    # Classes load on first use so that `import scimmap` stays fast.
    if name in _LATE:
        module_name, attribute = _LATE[name]
        import importlib

        return getattr(importlib.import_module(module_name), attribute)
    raise AttributeError(f"module 'scimmap' has no attribute {name!r}")


_LATE: dict[str, tuple[str, str]] = {
    "BUILTINS": ("scimmap.functions", "BUILTINS"),
    "Catalog": ("scimmap.functions.catalog", "Catalog"),
    "Dialect": ("scimmap.functions.catalog", "Dialect"),
    "EvaluationOptions": ("scimmap.language.expression", "EvaluationOptions"),
    "Expression": ("scimmap.language.expression", "Expression"),
    "TargetPath": ("scimmap.scim.paths", "TargetPath"),
    "MappingTable": ("scimmap.mapping.table", "MappingTable"),
    "Mapping": ("scimmap.mapping.model", "Mapping"),
    "MappingResult": ("scimmap.mapping.result", "MappingResult"),
    "TableDiff": ("scimmap.diff", "TableDiff"),
    "diff_tables": ("scimmap.diff", "diff_tables"),
}

__all__ = [
    "BUILTINS",
    "SKIP",
    "SKIP_OBJECT",
    "Catalog",
    "CheckError",
    "Diagnostic",
    "Dialect",
    "EvaluationError",
    "EvaluationOptions",
    "Expression",
    "Mapping",
    "MappingError",
    "MappingResult",
    "MappingTable",
    "Origin",
    "ParseError",
    "ScimmapError",
    "Span",
    "TableDiff",
    "TargetPath",
    "__version__",
    "check",
    "compile",
    "diff_tables",
    "entra_source",
    "evaluate",
    "format",
    "from_graph",
    "load_mapping",
    "load_schema",
    "parse",
    "parse_target",
    "preset",
    "to_graph",
]
