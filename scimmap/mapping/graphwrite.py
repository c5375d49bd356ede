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

from scimmap.mapping.filekeys import GraphShapeError, entry_to_graph, expression_text, graph_defaults
from scimmap.mapping.model import FILE_KEYS, GRAPH_PASSTHROUGH, Mapping, ScopeClause, ScopeGroup

__all__ = ["GraphShapeError", "expression_text", "graph_list", "mapping_to_graph", "scope_from_graph", "table_to_graph"]

OBJECT_KEYS = ("attributeMappings", "name", "scope", "sourceObjectName", "targetObjectName")
RAW_SCOPE = "scope"


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
    """Graph's attributeMapping, its keys in Graph's (alphabetical) order; an imported one keeps its order."""
    extra = dict(mapping.extra)
    order = extra.pop("__order__", None)
    built = entry_to_graph(mapping, FILE_KEYS, extra)
    for key, value in GRAPH_PASSTHROUGH.items():
        built[key] = extra.pop(key, value)
    built = dict(sorted(built.items()))
    built.update(copy.deepcopy(extra))
    return _ordered(built, order, {**graph_defaults(FILE_KEYS), **GRAPH_PASSTHROUGH})


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
