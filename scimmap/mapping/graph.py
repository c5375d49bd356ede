"""Graph synchronization schemas (docs/mapping-files.md "Graph JSON") in and out, losslessly.

Admins export a schema from the portal, edit it in git and import it again, so nothing scimmap does not
understand may be dropped: every key it does not interpret rides along in ``extra`` and the original
``source`` / ``scope`` objects are reused verbatim while the table still says the same thing.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any, Mapping as TypingMapping

from scimmap.errors import Diagnostic, MappingError, ParseError, ScimmapError
from scimmap.mapping.model import GRAPH_FLOW_TYPES, Mapping, ScopeClause, ScopeGroup

MAPPING_KEYS = ("defaultValue", "flowBehavior", "flowType", "matchingPriority", "source", "targetAttributeName")
OBJECT_KEYS = ("attributeMappings", "name", "scope", "sourceObjectName", "targetObjectName")
RAW_SOURCE = "source"
RAW_SCOPE = "scope"
_FLOW_FROM_GRAPH = {value.lower(): key for key, value in GRAPH_FLOW_TYPES.items()}


class SynchronizationSchema:
    """A whole exported schema or template: ``tables`` to work with, ``to_graph()`` to write it back."""

    def __init__(self, document: dict[str, Any], tables: list[Any], locations: list[tuple[int, int]]) -> None:
        self.document = document
        self.tables = tables
        self._locations = locations

    @property
    def schema(self) -> dict[str, Any]:
        """The synchronizationSchema itself (a template wraps it in ``{"schema": ...}``)."""
        return _schema_root(self.document)

    def first_table(self, object_name: str | None = "User") -> Any:
        """The first enabled table for ``object_name`` (the portal's user mapping), else the first table."""
        for table in self.tables:
            if object_name is None or table.object == object_name:
                return table
        return self.tables[0] if self.tables else None

    def path_of(self, table: Any) -> tuple[Any, ...]:
        """The JSON path of ``table``'s objectMapping in the document (for file positions)."""
        rule_index, mapping_index = self._locations[self._index(table)]
        prefix: tuple[Any, ...] = () if "synchronizationRules" in self.document else ("schema",)
        return (*prefix, "synchronizationRules", rule_index, "objectMappings", mapping_index)

    def object_mapping(self, table: Any) -> dict[str, Any]:
        """The objectMapping JSON ``table`` was read from."""
        rule_index, mapping_index = self._locations[self._index(table)]
        return self.schema["synchronizationRules"][rule_index]["objectMappings"][mapping_index]  # type: ignore[no-any-return]

    def _index(self, table: Any) -> int:
        return next(i for i, t in enumerate(self.tables) if t is table)

    def to_graph(self) -> dict[str, Any]:
        document = copy.deepcopy(self.document)
        rules = _schema_root(document).get("synchronizationRules") or []
        for table, (rule_index, mapping_index) in zip(self.tables, self._locations):
            rules[rule_index]["objectMappings"][mapping_index] = table_to_graph(table)
        return document

    def to_json(self, *, indent: int = 2) -> str:
        return json.dumps(self.to_graph(), indent=indent, ensure_ascii=False) + "\n"


def _schema_root(document: dict[str, Any]) -> dict[str, Any]:
    if "synchronizationRules" not in document and isinstance(document.get("schema"), dict):
        return document["schema"]  # type: ignore[no-any-return]
    return document


def load_schema(path_or_text: Any) -> SynchronizationSchema:
    """Read a synchronization schema/template from a path, JSON text or an already-parsed dict."""
    document = _document(path_or_text)
    root = _schema_root(document)
    rules = root.get("synchronizationRules")
    if not isinstance(rules, list):
        raise MappingError(
            Diagnostic("invalid-mapping", "not a synchronization schema: no synchronizationRules list",
                       hint="export it from the portal's 'Review your schema here' or GET .../jobs/{id}/schema")
        )
    tables: list[Any] = []
    locations: list[tuple[int, int]] = []
    for rule_index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        for mapping_index, object_mapping in enumerate(rule.get("objectMappings") or []):
            if isinstance(object_mapping, dict):
                tables.append(table_from_graph(object_mapping))
                locations.append((rule_index, mapping_index))
    return SynchronizationSchema(document, tables, locations)


def _document(path_or_text: Any) -> dict[str, Any]:
    if isinstance(path_or_text, TypingMapping):
        return copy.deepcopy(dict(path_or_text))
    text: str
    if isinstance(path_or_text, os.PathLike) or (
        isinstance(path_or_text, str) and "\n" not in path_or_text and not path_or_text.lstrip().startswith("{")
    ):
        try:
            text = Path(path_or_text).read_text(encoding="utf-8-sig")
        except OSError as error:
            raise MappingError(Diagnostic("invalid-mapping", f"cannot read {path_or_text}: {error}")) from None
    elif isinstance(path_or_text, (str, bytes)):
        text = path_or_text.decode("utf-8") if isinstance(path_or_text, bytes) else path_or_text
    else:
        raise MappingError(Diagnostic("invalid-mapping", f"expected a path, JSON text or dict, not {type(path_or_text).__name__}"))
    try:
        document = json.loads(text)
    except ValueError as error:
        raise MappingError(Diagnostic("invalid-mapping", f"not valid JSON: {error}")) from None
    if not isinstance(document, dict):
        raise MappingError(Diagnostic("invalid-mapping", "a synchronization schema is a JSON object"))
    return document


# --------------------------------------------------------------------------------------------- Graph -> table


def table_from_graph(object_mapping: TypingMapping[str, Any] | str) -> Any:
    """A MappingTable from one Graph objectMapping (dict or JSON text)."""
    from scimmap.mapping.table import MappingTable

    if isinstance(object_mapping, str):
        try:
            object_mapping = json.loads(object_mapping)
        except ValueError as error:
            raise MappingError(Diagnostic("invalid-mapping", f"not valid JSON: {error}")) from None
    if not isinstance(object_mapping, TypingMapping):
        raise MappingError(Diagnostic("invalid-mapping", "an objectMapping is a JSON object"))
    raw_mappings = object_mapping.get("attributeMappings") or []
    if not isinstance(raw_mappings, list):
        raise MappingError(Diagnostic("invalid-mapping", "attributeMappings must be a list"))
    mappings = [mapping_from_graph(item) for item in raw_mappings if isinstance(item, TypingMapping)]
    extra = {key: copy.deepcopy(value) for key, value in object_mapping.items() if key not in OBJECT_KEYS}
    extra["__order__"] = list(object_mapping.keys())
    scope_raw = object_mapping.get("scope")
    extra[RAW_SCOPE] = copy.deepcopy(scope_raw)
    return MappingTable(
        str(object_mapping.get("sourceObjectName") or ""),
        mappings,
        scope_from_graph(scope_raw),
        name=object_mapping.get("name"),
        target_object=object_mapping.get("targetObjectName"),
        extra=extra,
    )


def mapping_from_graph(item: TypingMapping[str, Any]) -> Mapping:
    """One attributeMapping as a :class:`Mapping`; the original ``source`` JSON is kept for write-back."""
    source = item.get("source")
    kind = "none"
    text: str | None = None
    if isinstance(source, TypingMapping):
        node_type = str(source.get("type") or "Attribute").lower()
        if node_type == "attribute":
            kind, text = "direct", str(source.get("name") or str(source.get("expression") or "").strip("[]"))
        elif node_type == "constant" and str(source.get("expression") or '"').startswith('"'):
            kind, text = "constant", str(source.get("name") if source.get("name") is not None else "")
        else:
            kind, text = "expression", _expression_text(source)
    flow = item.get("flowType")
    apply = "always"
    flow_type: str | None = None
    if isinstance(flow, str):
        apply = _FLOW_FROM_GRAPH.get(flow.lower(), "always")
        if flow.lower() not in _FLOW_FROM_GRAPH or flow != GRAPH_FLOW_TYPES[apply]:
            flow_type = flow
    extra = {key: copy.deepcopy(value) for key, value in item.items() if key not in MAPPING_KEYS}
    extra["__order__"] = list(item.keys())
    extra[RAW_SOURCE] = copy.deepcopy(source)
    try:
        match = int(item.get("matchingPriority") or 0)
    except (TypeError, ValueError):
        match = 0
    default = item.get("defaultValue")
    return Mapping(
        target=str(item.get("targetAttributeName") or ""),
        kind=kind,  # type: ignore[arg-type]
        source=text,
        default=None if default is None else str(default),
        apply=apply,  # type: ignore[arg-type]
        match=match,
        flow_type=flow_type,
        flow_behavior=str(item.get("flowBehavior") or "FlowWhenChanged"),
        extra=extra,
    )


def attach_positions(table: Any, object_mapping: TypingMapping[str, Any], positions: Any, base: tuple[Any, ...]) -> None:
    """Give a table read from Graph JSON the file positions of its values, as the YAML reader does.

    ``positions`` is a :class:`~scimmap.mapping.jsonpos.JsonPositions` of the file and ``base`` the path of
    this objectMapping in it.  Diagnostics then point inside the JSON strings (``targetAttributeName``,
    ``source.expression``...) instead of at the top of the file.
    """
    import attrs

    from scimmap.errors import Origin

    table_origins: dict[str, Origin] = {"table": positions.value(base) or Origin(positions.file)}
    for name, origin in (("attributeMappings", positions.key((*base, "attributeMappings"))),
                         ("object", positions.string((*base, "sourceObjectName")))):
        if origin is not None:
            table_origins[name] = origin
    table.origins = table_origins
    raw = object_mapping.get("attributeMappings") or []
    indexes = [i for i, item in enumerate(raw) if isinstance(item, TypingMapping)] if isinstance(raw, list) else []
    located = []
    for mapping, index in zip(table.mappings, indexes):
        path = (*base, "attributeMappings", index)
        origins = {
            "mapping": positions.value(path),
            "target": positions.string((*path, "targetAttributeName")),
            "default": positions.string((*path, "defaultValue")),
            "match": positions.value((*path, "matchingPriority")),
            "source": _source_origin(mapping, raw[index].get("source"), positions, (*path, "source")),
        }
        located.append(attrs.evolve(mapping, origins={k: v for k, v in origins.items() if v is not None}))
    table.mappings = tuple(located) + tuple(table.mappings[len(located):])
    scope = object_mapping.get("scope")
    groups = scope.get("groups") if isinstance(scope, TypingMapping) else None
    if not isinstance(groups, list):
        return
    group_indexes = [i for i, group in enumerate(groups) if isinstance(group, TypingMapping)]
    rebuilt = []
    for group, group_index in zip(table.scope, group_indexes):
        clauses_raw = groups[group_index].get("clauses") or []
        clause_indexes = [i for i, c in enumerate(clauses_raw) if isinstance(c, TypingMapping)]
        clauses = []
        for clause, clause_index in zip(group.clauses, clause_indexes):
            path = (*base, "scope", "groups", group_index, "clauses", clause_index)
            origins = {
                "clause": positions.value(path),
                "attribute": positions.string((*path, "sourceOperandName")),
                "operator": positions.string((*path, "operatorName")),
                "value": positions.string((*path, "targetOperand", "values", 0))
                or positions.value((*path, "targetOperand")),
            }
            clauses.append(attrs.evolve(clause, origins={k: v for k, v in origins.items() if v is not None}))
        rebuilt.append(attrs.evolve(group, clauses=tuple(clauses) + tuple(group.clauses[len(clauses):])))
    table.scope = tuple(rebuilt) + tuple(table.scope[len(rebuilt):])


def _source_origin(mapping: Mapping, source: Any, positions: Any, path: tuple[Any, ...]) -> Any:
    """Where the text the mapping holds came from: the expression string, or the attribute's name."""
    if not isinstance(source, TypingMapping):
        return None
    if mapping.kind == "expression":
        expression = source.get("expression")
        if isinstance(expression, str) and expression.strip() and expression == mapping.source:
            return positions.string((*path, "expression"))
        return positions.value(path)  # text rebuilt from the parameter tree: point at the source object
    if mapping.kind == "direct" and source.get("name") != mapping.source:
        return positions.string((*path, "expression"), skip=1)  # "[mail]": the name starts after "["
    return positions.string((*path, "name"))


def _expression_text(source: TypingMapping[str, Any]) -> str:
    expression = source.get("expression")
    if isinstance(expression, str) and expression.strip():
        return expression
    from scimmap.language.graphjson import from_graph, graph_text

    try:
        return graph_text(from_graph(source))
    except ScimmapError:
        return str(source.get("name") or "")


def scope_from_graph(scope: Any) -> list[ScopeGroup]:
    if not isinstance(scope, TypingMapping):
        return []
    groups = []
    for group in scope.get("groups") or []:
        if not isinstance(group, TypingMapping):
            continue
        clauses = []
        for clause in group.get("clauses") or []:
            if not isinstance(clause, TypingMapping):
                continue
            operand = clause.get("targetOperand") or {}
            values = operand.get("values") if isinstance(operand, TypingMapping) else None
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
    return node_type not in ("attribute",) and _expression_text(raw) == mapping.source


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
