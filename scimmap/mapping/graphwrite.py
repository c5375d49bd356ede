"""Mapping tables to Graph synchronization-schema JSON, keeping what an imported schema held verbatim.

Admins export a schema from the portal, edit it in git and import it again, so nothing scimmap does not
understand may be dropped: every key it does not interpret rides along in ``extra`` and the original
``source`` / ``scope`` objects are reused verbatim while the table still says the same thing.  Reading
(:mod:`scimmap.mapping.graph`) builds tables; writing needs only their data, so the table class can offer
``to_graph`` without an import cycle.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping as TypingMapping
from typing import Any

from scimmap.errors import Diagnostic, MappingError, ParseError, ScimmapError
from scimmap.mapping.model import GRAPH_FLOW_TYPES, Mapping, ScopeClause, ScopeGroup

MAPPING_KEYS = ("defaultValue", "flowBehavior", "flowType", "matchingPriority", "source", "targetAttributeName")
OBJECT_KEYS = ("attributeMappings", "name", "scope", "sourceObjectName", "targetObjectName")
RAW_SOURCE = "source"
RAW_SCOPE = "scope"


def expression_text(source: TypingMapping[str, Any]) -> str:
    """The expression text of a Graph source: its `expression`, else the text rebuilt from the tree."""
    expression = source.get("expression")
    if isinstance(expression, str) and expression.strip():
        return expression
    from scimmap.language.graphjson import from_graph, graph_text

    try:
        return graph_text(from_graph(source))
    except ScimmapError:
        return str(source.get("name") or "")


class GraphShapeError(MappingError):
    """Graph JSON whose value at ``path`` (keys and indexes from the objectMapping) has the wrong shape;
    the file reader turns ``path`` into a file position."""

    def __init__(self, message: str, path: tuple[Any, ...], hint: str | None = None) -> None:
        super().__init__(Diagnostic("invalid-mapping", message, hint=hint))
        self.path = path

    def under(self, prefix: tuple[Any, ...]) -> GraphShapeError:
        """The same error, its path seen from a document that holds the objectMapping at ``prefix``."""
        return GraphShapeError(self.diagnostic.message, (*prefix, *self.path), self.diagnostic.hint)


def graph_list(value: Any, path: tuple[Any, ...]) -> list[Any]:
    """``value`` as a JSON list (absent or null is empty); anything else is a :class:`GraphShapeError`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise GraphShapeError(f"{path[-1]} must be a list, not {_json_type(value)}", path)
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else "an object"


def scope_from_graph(scope: Any) -> list[ScopeGroup]:
    if not isinstance(scope, TypingMapping):
        return []
    groups = []
    for group_index, group in enumerate(graph_list(scope.get("groups"), ("scope", "groups"))):
        if not isinstance(group, TypingMapping):
            continue
        clauses = []
        clause_path = ("scope", "groups", group_index, "clauses")
        for clause_index, clause in enumerate(graph_list(group.get("clauses"), clause_path)):
            if not isinstance(clause, TypingMapping):
                continue
            operand = clause.get("targetOperand") or {}
            values = operand.get("values") if isinstance(operand, TypingMapping) else None
            values = graph_list(values, (*clause_path, clause_index, "targetOperand", "values"))
            clauses.append(
                ScopeClause(
                    str(clause.get("sourceOperandName") or ""),
                    str(clause.get("operatorName") or ""),
                    [str(v) for v in values or []],
                )
            )
        groups.append(ScopeGroup(clauses, str(group.get("name") or "")))
    return groups


# --------------------------------------------------------------------------------------------- table -> Graph


def table_to_graph(table: Any) -> dict[str, Any]:
    """Graph's objectMapping for a table; unknown fields from an imported schema come back unchanged."""
    extra = dict(getattr(table, "extra", None) or {})
    order = extra.pop("__order__", None)
    raw_scope = extra.pop(RAW_SCOPE, None)
    built: dict[str, Any] = {
        "attributeMappings": [mapping_to_graph(m) for m in table.mappings],
        "enabled": extra.pop("enabled", True),
        "flowTypes": extra.pop("flowTypes", "Add, Update, Delete"),
        "metadata": extra.pop("metadata", []),
        "name": table.name if table.name is not None or order else _default_name(table),
        "scope": _scope_to_graph(table.scope, raw_scope),
        "sourceObjectName": table.object,
        "targetObjectName": table.target_object or _default_target(table.object),
    }
    built.update(copy.deepcopy(extra))
    return _ordered(built, order, {"enabled": True, "flowTypes": "Add, Update, Delete", "metadata": [], "scope": None})


def _default_name(table: Any) -> str:
    return f"Provision Microsoft Entra ID {table.object}s"


def _default_target(object_name: str) -> str:
    if object_name == "Group":
        return "urn:ietf:params:scim:schemas:core:2.0:Group"
    return "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def mapping_to_graph(mapping: Mapping) -> dict[str, Any]:
    extra = dict(mapping.extra)
    order = extra.pop("__order__", None)
    raw_source = extra.pop(RAW_SOURCE, None)
    flow = mapping.flow_type or GRAPH_FLOW_TYPES.get(mapping.apply, "Always")
    built: dict[str, Any] = {
        "defaultValue": mapping.default,
        "exportMissingReferences": extra.pop("exportMissingReferences", False),
        "flowBehavior": mapping.flow_behavior or "FlowWhenChanged",
        "flowType": flow,
        "matchingPriority": mapping.match,
        "source": _source_to_graph(mapping, raw_source),
        "targetAttributeName": mapping.target,
    }
    built.update(copy.deepcopy(extra))
    defaults = {"exportMissingReferences": False, "flowBehavior": "FlowWhenChanged", "defaultValue": None}
    return _ordered(built, order, defaults)


def _source_to_graph(mapping: Mapping, raw: Any) -> dict[str, Any] | None:
    if mapping.kind == "none" or mapping.source is None:
        return None
    if isinstance(raw, TypingMapping) and _same_source(mapping, raw):
        return copy.deepcopy(dict(raw))
    from scimmap.language.graphjson import to_graph
    from scimmap.language.printer import quote

    if mapping.kind == "direct":
        return {"expression": f"[{mapping.source}]", "name": mapping.source, "parameters": [], "type": "Attribute"}
    if mapping.kind == "constant":
        return {"expression": quote(mapping.source), "name": mapping.source, "parameters": [], "type": "Constant"}
    try:
        graph = to_graph(mapping.source)
    except ParseError as error:
        raise MappingError(
            [d for d in error.diagnostics] or Diagnostic("invalid-mapping", f"cannot convert {mapping.target}")
        ) from None
    # The text as the user wrote it (line breaks, layout) is what Graph stores and shows in the portal;
    # the parameters carry the parsed tree.
    graph["expression"] = mapping.source
    return graph


def _same_source(mapping: Mapping, raw: TypingMapping[str, Any]) -> bool:
    """Whether the imported source JSON still says what the (possibly edited) mapping says."""
    node_type = str(raw.get("type") or "Attribute").lower()
    if mapping.kind == "direct":
        return node_type == "attribute" and raw.get("name") == mapping.source
    if mapping.kind == "constant":
        return node_type == "constant" and raw.get("name") == mapping.source
    return node_type not in ("attribute",) and expression_text(raw) == mapping.source


def _scope_to_graph(groups: Any, raw: Any) -> Any:
    if isinstance(raw, TypingMapping) and scope_from_graph(raw) == list(groups):
        return copy.deepcopy(dict(raw))
    if not groups and raw is None:
        return None
    base = dict(copy.deepcopy(raw)) if isinstance(raw, TypingMapping) else {}
    base["groups"] = [
        {
            "name": group.name,
            "clauses": [
                {
                    "operatorName": clause.operator,
                    "sourceOperandName": clause.attribute,
                    "targetOperand": {"values": list(clause.values)},
                }
                for clause in group.clauses
            ],
        }
        for group in groups
    ]
    base.setdefault("inputFilterGroups", [])
    base.setdefault("categoryFilterGroups", [])
    return base


def _ordered(built: dict[str, Any], order: list[str] | None, defaults: dict[str, Any]) -> dict[str, Any]:
    """Keep the imported key order, and leave out defaults the imported object did not spell out,
    so a diff of the written JSON shows only real changes."""
    if not order:
        return built
    result = {key: built[key] for key in order if key in built}
    for key, value in built.items():
        if key in result:
            continue
        if key in defaults and defaults[key] == value:
            continue
        result[key] = value
    return result
