"""Graph synchronization schemas and objectMappings read into mapping tables, losslessly.

Every key scimmap does not interpret rides along in ``extra`` and the original ``source`` / ``scope``
objects are kept, so :mod:`scimmap.mapping.graphwrite` can write the schema back as it came.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping as TypingMapping
from pathlib import Path
from typing import Any

from scimmap.errors import Diagnostic, MappingError
from scimmap.mapping.filekeys import entry_from_graph, kept_from_graph, locate_entry
from scimmap.mapping.graphwrite import (
    OBJECT_KEYS,
    RAW_SCOPE,
    GraphShapeError,
    graph_list,
    mapping_to_graph,
    scope_from_graph,
    table_to_graph,
)
from scimmap.mapping.model import FILE_KEYS, Mapping
from scimmap.mapping.table import MappingTable

__all__ = [
    "SynchronizationSchema",
    "load_schema",
    "mapping_from_graph",
    "mapping_to_graph",
    "scope_from_graph",
    "table_from_graph",
    "table_to_graph",
]


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
            Diagnostic(
                "invalid-mapping",
                "not a synchronization schema: no synchronizationRules list",
                hint="export it from the portal's 'Review your schema here' or GET .../jobs/{id}/schema",
            )
        )
    tables: list[Any] = []
    locations: list[tuple[int, int]] = []
    for rule_index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        for mapping_index, object_mapping in enumerate(rule.get("objectMappings") or []):
            if isinstance(object_mapping, dict):
                try:
                    tables.append(table_from_graph(object_mapping))
                except GraphShapeError as error:
                    prefix = () if "synchronizationRules" in document else ("schema",)
                    raise error.under(
                        (*prefix, "synchronizationRules", rule_index, "objectMappings", mapping_index)
                    ) from None
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
        raise MappingError(
            Diagnostic("invalid-mapping", f"expected a path, JSON text or dict, not {type(path_or_text).__name__}")
        )
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
    if isinstance(object_mapping, str):
        try:
            object_mapping = json.loads(object_mapping)
        except ValueError as error:
            raise MappingError(Diagnostic("invalid-mapping", f"not valid JSON: {error}")) from None
    if not isinstance(object_mapping, TypingMapping):
        raise MappingError(Diagnostic("invalid-mapping", "an objectMapping is a JSON object"))
    raw_mappings = graph_list(object_mapping.get("attributeMappings"), ("attributeMappings",))
    mappings = []
    for index, item in enumerate(raw_mappings):
        if isinstance(item, TypingMapping):
            try:
                mappings.append(mapping_from_graph(item))
            except GraphShapeError as error:
                raise error.under(("attributeMappings", index)) from None
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
    """One attributeMapping as a :class:`Mapping`; what no key declares (and the original ``source`` JSON) is
    kept in ``extra`` for write-back."""
    values = entry_from_graph(item, FILE_KEYS)
    return Mapping(**values, extra=kept_from_graph(item, FILE_KEYS))


def attach_positions(table: Any, object_mapping: TypingMapping[str, Any], positions: Any, base: tuple[Any, ...]) -> Any:
    """The table read from Graph JSON with the file positions of its values, as the YAML reader gives them.

    ``positions`` is a :class:`~scimmap.mapping.jsonpos.JsonPositions` of the file and ``base`` the path of
    this objectMapping in it.  Diagnostics then point inside the JSON strings (``targetAttributeName``,
    ``source.expression``...) instead of at the top of the file.
    """
    import attrs

    from scimmap.errors import Origin

    table_origins: dict[str, Origin] = {"table": positions.value(base) or Origin(positions.file)}
    for name, origin in (
        ("attributeMappings", positions.key((*base, "attributeMappings"))),
        ("object", positions.string((*base, "sourceObjectName"))),
    ):
        if origin is not None:
            table_origins[name] = origin
    raw = object_mapping.get("attributeMappings") or []
    indexes = [i for i, item in enumerate(raw) if isinstance(item, TypingMapping)] if isinstance(raw, list) else []
    located = []
    for mapping, index in zip(table.mappings, indexes):
        path = (*base, "attributeMappings", index)
        origins = {"mapping": positions.value(path), **locate_entry(mapping, FILE_KEYS, positions, path, raw[index])}
        located.append(attrs.evolve(mapping, origins={k: v for k, v in origins.items() if v is not None}))
    mappings = tuple(located) + tuple(table.mappings[len(located) :])
    scope = object_mapping.get("scope")
    groups = scope.get("groups") if isinstance(scope, TypingMapping) else None
    if not isinstance(groups, list):
        return attrs.evolve(table, mappings=mappings, origins=table_origins)
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
        rebuilt.append(attrs.evolve(group, clauses=tuple(clauses) + tuple(group.clauses[len(clauses) :])))
    scope_groups = tuple(rebuilt) + tuple(table.scope[len(rebuilt) :])
    return attrs.evolve(table, mappings=mappings, scope=scope_groups, origins=table_origins)
