"""scimmap: Microsoft Entra ID provisioning expressions and mapping tables, offline and exact.

The names in ``__all__`` are the public API, documented with their signatures in docs/api.md: a contract
other tools call, kept stable.  Everything else (the modules below ``scimmap.``) is internal.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping as TypingMapping

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

__version__ = "0.1.0"


def parse(text: str, *, dialect: str = "provisioning") -> Any:
    """Parse expression text into a node tree (raises ParseError; ``dialect`` shapes its wording only)."""
    from scimmap.language.syntax import parse_expression

    return parse_expression(text, dialect)


def format(text_or_node: Any, *, pretty: bool = False) -> str:  # noqa: A001 - the documented API name
    """Canonical text of an expression; ``pretty=True`` gives the indented multi-line layout."""
    from scimmap.language.expression import to_node
    from scimmap.language.printer import format_node, format_pretty

    node, _ = to_node(text_or_node)
    return format_pretty(node) if pretty else format_node(node)


def check(text_or_node: Any, *, catalog: Any = None, dialect: str = "provisioning") -> list[Diagnostic]:
    """Every problem in an expression (errors and warnings), without raising."""
    from scimmap.language.expression import check_expression

    return check_expression(text_or_node, catalog=catalog, dialect=dialect)


def compile(text_or_node: Any, *, catalog: Any = None, dialect: str = "provisioning") -> Any:  # noqa: A001
    """Parse, check and compile to an :class:`Expression` (raises ParseError / CheckError)."""
    from scimmap.language.expression import compile_expression

    return compile_expression(text_or_node, catalog=catalog, dialect=dialect)


def evaluate(
    text_or_node: Any,
    source: TypingMapping[str, Any] | None = None,
    *,
    now: Any = None,
    exists: Callable[[str], bool] | None = None,
    dialect: str = "provisioning",
    catalog: Any = None,
    rng: Any = None,
    parameters: TypingMapping[str, Any] | None = None,
) -> Any:
    """Compile and evaluate once; for many objects, ``compile`` once and call ``.evaluate``."""
    expression = compile(text_or_node, catalog=catalog, dialect=dialect)
    return expression.evaluate(source, now=now, exists=exists, rng=rng, parameters=parameters)


def to_graph(text_or_node: Any) -> dict[str, Any]:
    """Graph's attributeMappingSource JSON for an expression."""
    from scimmap.language.graphjson import to_graph as convert

    return convert(text_or_node)


def from_graph(obj: TypingMapping[str, Any]) -> Any:
    """Node tree from Graph's attributeMappingSource JSON."""
    from scimmap.language.graphjson import from_graph as convert

    return convert(obj)


def __getattr__(name: str) -> Any:
    # Heavier parts load on first use so that `import scimmap` stays fast.
    if name == "BUILTINS":
        from scimmap.functions import BUILTINS

        return BUILTINS
    if name == "Expression":
        from scimmap.language.expression import Expression

        return Expression
    if name == "Catalog":
        from scimmap.functions.catalog import Catalog

        return Catalog
    if name in _LATE:
        module_name, attribute = _LATE[name]
        import importlib

        return getattr(importlib.import_module(module_name), attribute)
    raise AttributeError(f"module 'scimmap' has no attribute {name!r}")


_LATE: dict[str, tuple[str, str]] = {
    "parse_target": ("scimmap.scim.paths", "parse_target"),
    "TargetPath": ("scimmap.scim.paths", "TargetPath"),
    "load_mapping": ("scimmap.mapping.files", "load_mapping"),
    "load_schema": ("scimmap.mapping.graph", "load_schema"),
    "preset": ("scimmap.mapping.presets", "preset"),
    "MappingTable": ("scimmap.mapping.table", "MappingTable"),
    "Mapping": ("scimmap.mapping.table", "Mapping"),
    "MappingResult": ("scimmap.mapping.table", "MappingResult"),
    "entra_source": ("scimmap.language.source", "entra_source"),
}

__all__ = [
    "BUILTINS",
    "Catalog",
    "CheckError",
    "Diagnostic",
    "EvaluationError",
    "Expression",
    "MappingError",
    "MappingResult",
    "MappingTable",
    "Mapping",
    "Origin",
    "ParseError",
    "SKIP",
    "SKIP_OBJECT",
    "ScimmapError",
    "Span",
    "TargetPath",
    "__version__",
    "check",
    "compile",
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
