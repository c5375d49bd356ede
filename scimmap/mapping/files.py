"""Mapping files (YAML or JSON) to :class:`MappingTable`, keeping every value's file position; and back.

Teams keep mappings in git, so the reader reports *every* structural problem (unknown or duplicate keys,
``[attr]`` values YAML turned into lists, wrong types) at ``file:line:col`` instead of stopping at the
first, and ``scimmap check`` adds the semantic checks of :mod:`scimmap.mapping.validate` on top.  Only the
YAML node tree is used (``yaml.compose`` with the safe loader): no tags, no object construction.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
from collections.abc import Mapping as TypingMapping
from pathlib import Path
from typing import Any

import attrs
import yaml

from scimmap.errors import Diagnostic, MappingError, Origin, Span
from scimmap.mapping import filekeys
from scimmap.mapping.filekeys import StructureKey
from scimmap.mapping.model import (
    FILE_KEYS,
    GRAPH_ACTIONS,
    OBJECT_ACTIONS,
    Mapping,
    ScopeClause,
    ScopeGroup,
    actions_to_graph,
)
from scimmap.mapping.table import MappingTable
from scimmap.mapping.yamlpos import LineIndex, node_origin, scalar_origin
from scimmap.mapping.yamlwrite import dump_yaml  # re-exported: files.dump_yaml is the documented name

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (about ten times faster); same nodes and marks."""

SCHEMA_FILE = Path(__file__).resolve().parent / "mapping-file.schema.json"
"""The JSON Schema of this file format, shipped for editors (``scimmap schema`` prints it)."""

MAX_FILE_SIZE = 5 * 1024 * 1024
"""Mapping files are small; a bigger input is a mistake (or an attack on the parser)."""

ROOT: tuple[StructureKey, ...] = (
    StructureKey("$schema", {"type": "string"}),
    StructureKey(
        "object",
        {"enum": ["User", "Group"], "default": "User", "description": "Entra source object type."},
        choices=("User", "Group"),
    ),
    StructureKey(
        "name",
        {
            "type": "string",
            "description": "Object mapping name as the portal shows it (e.g. Provision Microsoft Entra ID Users).",
        },
    ),
    StructureKey(
        "target_object",
        {
            "type": "string",
            "description": "Target object name (Graph targetObjectName), e.g. "
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.",
        },
    ),
    StructureKey(
        "actions",
        {
            "type": "array",
            "uniqueItems": True,
            "items": {"enum": list(OBJECT_ACTIONS)},
            "default": list(OBJECT_ACTIONS),
            "description": "Target object actions: which of create, update and delete Entra may send (Graph "
            "flowTypes). Leaving out delete (with no IsSoftDeleted mapping) means deprovisioning never happens.",
        },
    ),
    StructureKey("mappings", {"type": "array", "description": "Attribute mappings: one per target attribute."}),
    StructureKey(
        "scope",
        {
            "type": "array",
            "description": "Scoping filters: the object is in scope when ANY filter holds; a filter holds when ALL "
            "its clauses hold.",
        },
    ),
)
"""The top-level keys of a mapping file; ``mappings`` holds entries of :data:`~scimmap.mapping.model.FILE_KEYS`."""

GROUP: tuple[StructureKey, ...] = (
    StructureKey("name", {"type": "string"}),
    StructureKey("clauses", {"type": "array", "items": {"$ref": "#/$defs/clause"}}),
)
"""A named scoping filter (``{name: ..., clauses: [...]}``)."""

_SCALARS = ["string", "number", "boolean"]
CLAUSE: tuple[StructureKey, ...] = (
    StructureKey("attribute", {"type": "string", "description": "Entra source attribute tested (e.g. department)."}),
    StructureKey(
        "operator",
        {
            "type": "string",
            "description": "Scoping operator; Graph spelling with spaces, portal spelling with underscores also "
            "accepted.",
            "anyOf": [
                {
                    "enum": [
                        "EQUALS",
                        "NOT EQUALS",
                        "IS TRUE",
                        "IS FALSE",
                        "IS NULL",
                        "IS NOT NULL",
                        "REGEX MATCH",
                        "NOT REGEX MATCH",
                        "Greater_Than",
                        "Greater_Than_OR_EQUALS",
                        "Includes",
                        "ENDS_WITH",
                        "&",
                        "!&",
                    ]
                },
                {"type": "string"},
            ],
        },
    ),
    StructureKey(
        "value",
        {
            "description": "Value compared with (omit for IS TRUE / IS FALSE / IS NULL / IS NOT NULL).",
            "anyOf": [
                {"type": "string"},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "array", "items": {"type": _SCALARS}},
            ],
        },
    ),
    StructureKey(
        "values",
        {
            "type": "array",
            "items": {"type": _SCALARS},
            "description": "Several values (Graph targetOperand.values).",
        },
    ),
)
"""A scoping clause (``{attribute, operator, value}``)."""

ROOT_KEYS = tuple(k.name for k in ROOT)
MAPPING_KEYS = filekeys.yaml_names(FILE_KEYS)
CLAUSE_KEYS = tuple(k.name for k in CLAUSE)
GROUP_KEYS = tuple(k.name for k in GROUP)
ONE_OF_KEYS = tuple(k.names for k in FILE_KEYS if len(k.names) > 1)
"""Names of which a mapping takes at most one (source, expression, constant)."""

_NULL = "tag:yaml.org,2002:null"
_STANDARD_TAGS = {
    filekeys.STR_TAG,
    _NULL,
    filekeys.INT_TAG,
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",
}


# --------------------------------------------------------------------------------------------- entry points


def json_schema() -> dict[str, Any]:
    """The JSON Schema of mapping files, generated from the key declarations.

    ``scimmap schema -o scimmap/mapping/mapping-file.schema.json`` writes the copy shipped for editors; a
    test fails while that copy is stale.
    """
    clause = {
        "type": "object",
        "additionalProperties": False,
        "required": ["attribute", "operator"],
        "properties": _properties(CLAUSE),
    }
    group = {"type": "object", "additionalProperties": False, "required": ["clauses"], "properties": _properties(GROUP)}
    properties = _properties(ROOT)
    properties["mappings"]["items"] = filekeys.entry_schema(FILE_KEYS)
    properties["scope"]["items"] = {"anyOf": [{"type": "array", "items": {"$ref": "#/$defs/clause"}}, group]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://scimmap.dev/schemas/mapping-file.schema.json",
        "title": "scimmap mapping file",
        "description": "One Entra ID provisioning object mapping (attribute mappings and scoping filters) as kept "
        "in git. See docs/mapping-files.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["mappings"],
        "properties": properties,
        "$defs": {"clause": clause},
    }


def _properties(keys: tuple[StructureKey, ...]) -> dict[str, Any]:
    return {k.name: copy.deepcopy(k.schema) for k in keys}


def value_choices() -> dict[str, tuple[str, ...]]:
    """Completion values by key name, for editors (the scoping operators are the language server's own)."""
    found = {k.name: k.choices for k in ROOT if k.choices}
    found.update(filekeys.choices(FILE_KEYS))
    return found


def load_mapping(path_or_text: Any, *, file: str | None = None) -> Any:
    """A MappingTable from a path, YAML/JSON text, a Graph objectMapping (dict or JSON) or a whole schema.

    Raises :class:`MappingError` carrying every error that makes the table unusable, each at its
    ``file:line:col``: the file's structure, and every target or expression that would not compile (rather
    than the first of them later, in ``apply``).  Warnings and rule violations are ``check``'s to report.
    """
    table, diagnostics = read_mapping(path_or_text, file=file)
    errors = [d for d in diagnostics if d.severity == "error"]
    if table is not None and not errors:
        from scimmap.mapping.validate import compile_problems

        errors = compile_problems(table)
    if errors or table is None:
        raise MappingError(errors or [Diagnostic("invalid-mapping", "no mapping table found")])
    return table


def read_mapping(path_or_text: Any, *, file: str | None = None) -> tuple[Any, list[Diagnostic]]:
    """Like :func:`load_mapping` but returns ``(table_or_None, diagnostics)`` instead of raising."""
    if isinstance(path_or_text, TypingMapping):
        try:
            return _from_object(dict(path_or_text), file)
        except RecursionError:
            return None, [Diagnostic("invalid-mapping", "the mapping object nests too deeply")]
    if isinstance(path_or_text, (bytes, bytearray)):
        path_or_text = bytes(path_or_text).decode("utf-8", errors="replace")
    if isinstance(path_or_text, os.PathLike) or (isinstance(path_or_text, str) and _looks_like_path(path_or_text)):
        path = Path(path_or_text)
        name = file or str(path_or_text)
        from scimmap.reading import read_text

        try:
            text = read_text(path, MAX_FILE_SIZE, code="invalid-mapping", what="mapping file")
        except MappingError as error:
            return None, [error.diagnostic.with_origin(Origin(name))]
        return read_mapping_text(text, name)
    if not isinstance(path_or_text, str):
        return None, [
            Diagnostic("invalid-mapping", f"expected a path, text or dict, not {type(path_or_text).__name__}")
        ]
    return read_mapping_text(path_or_text, file or "<string>")


def read_mapping_text(text: str, file: str = "<string>") -> tuple[Any, list[Diagnostic]]:
    """Parse mapping-file text (YAML or JSON; a Graph document is recognised and delegated)."""
    try:
        return _read_mapping_text(text, file)
    except RecursionError:
        # PyYAML and json both recurse per nesting level; a hostile file must not crash the caller.
        return None, [
            Diagnostic("invalid-mapping", f"{file} nests too deeply to be a mapping file", origin=Origin(file))
        ]


def _read_mapping_text(text: str, file: str) -> tuple[Any, list[Diagnostic]]:
    if len(text) > MAX_FILE_SIZE:
        return None, [_too_large(file, len(text))]
    if text.startswith("\ufeff"):
        text = text[1:]
    stripped = text.lstrip()
    if stripped.startswith("{"):
        from scimmap.mapping.jsonpos import (
            JsonPositions,
            astral_escapes,
            duplicate_keys,
            load_tracking_duplicates,
            lone_surrogate,
        )

        try:
            document, duplicated = load_tracking_duplicates(text)
        except ValueError:
            document = None
        if document is not None:
            lone = lone_surrogate(text)
            if lone is not None:
                return None, [_lone_surrogate(text, lone, file)]
            if isinstance(document, dict) and _graph_kind(document):
                positions = JsonPositions(text, file)
                repeated = [
                    Diagnostic(
                        "invalid-mapping",
                        f"key {key!r} appears twice in the same object; JSON keeps only the last",
                        origin=positions.key(path) or Origin(file),
                        hint="remove one of them",
                    )
                    for path, key in duplicate_keys(document, duplicated)
                ]
                if repeated:
                    return None, repeated
                return _from_object(document, file, positions)
            text = astral_escapes(text)  # a JSON mapping file is read by the YAML reader, which refuses \ud83d
    reader = _Reader(text, file)
    return reader.read()


def _lone_surrogate(text: str, offset: int, file: str) -> Diagnostic:
    from scimmap.mapping.yamlpos import LineIndex

    return Diagnostic(
        "invalid-mapping",
        "a lone surrogate (half of a UTF-16 pair) is not text: no output could hold it",
        origin=Origin(file, (LineIndex(text).position(offset),)),
        hint="write the whole character, or its escaped pair such as \\ud83d\\ude00",
    )


def _looks_like_path(text: str) -> bool:
    if "\n" in text or len(text) > 4096 or not text.strip():
        return False
    if text.lstrip().startswith(("{", "[")):
        return False
    try:
        return os.path.isfile(text) or text.endswith((".yaml", ".yml", ".json"))
    except (OSError, ValueError):
        return False


def _too_large(file: str, size: int) -> Diagnostic:
    return Diagnostic(
        "file-too-large",
        f"{file} is {size:,} bytes; mapping files are limited to {MAX_FILE_SIZE:,}",
        origin=Origin(file),
        hint="split the file, or check that this is really a mapping file",
    )


def _graph_kind(document: dict[str, Any]) -> str | None:
    """'schema' for a synchronization schema/template, 'objectMapping' for one object mapping."""
    if "synchronizationRules" in document:
        return "schema"
    inner = document.get("schema")
    if isinstance(inner, dict) and "synchronizationRules" in inner:
        return "schema"
    if "attributeMappings" in document:
        return "objectMapping"
    return None


def _from_object(document: dict[str, Any], file: str | None, positions: Any = None) -> tuple[Any, list[Diagnostic]]:
    """A table from a parsed document; ``positions`` (a JsonPositions of its text) locates its values."""
    from scimmap.mapping.graphwrite import GraphShapeError

    try:
        return _table_from_object(document, file, positions)
    except GraphShapeError as error:
        origin = positions.value(error.path) if positions is not None else None
        return None, [attrs.evolve(error.diagnostic, origin=origin or (Origin(file) if file else None))]


def _table_from_object(document: dict[str, Any], file: str | None, positions: Any) -> tuple[Any, list[Diagnostic]]:
    kind = _graph_kind(document)
    if kind == "objectMapping":
        from scimmap.mapping.graph import attach_positions, table_from_graph

        table = table_from_graph(document)
        if positions is not None:
            table = attach_positions(table, document, positions, ())
        return _with_file(table, file), []
    if kind == "schema":
        from scimmap.mapping.graph import attach_positions, load_schema

        schema = load_schema(document)
        table = schema.first_table("User")
        if table is None:
            return None, [Diagnostic("invalid-mapping", "the synchronization schema has no object mappings")]
        if positions is not None:
            path = schema.path_of(table)
            table = attach_positions(table, schema.object_mapping(table), positions, path)
        return _with_file(table, file), []
    # A mapping-file structure given as a dict: no positions, same rules.
    try:
        text = json.dumps(document)
    except (TypeError, ValueError) as error:  # bytes, sets, tuple keys, integers over 4,300 digits...
        return None, [
            Diagnostic(
                "invalid-mapping",
                f"a mapping given as a dict may hold only JSON values: {str(error)[:200]}",
                origin=Origin(file or "<dict>"),
                hint="use str, int, float, bool, None, lists and dicts with string keys",
            )
        ]
    from scimmap.mapping.jsonpos import astral_escapes

    return _Reader(astral_escapes(text), file or "<dict>", positions=False).read()


def _with_file(table: MappingTable, file: str | None) -> MappingTable:
    return table if file is None else attrs.evolve(table, file=file)


# ------------------------------------------------------------------------------------------------- reader


class _Reader:
    """Walks the composed YAML node tree, building the table and collecting diagnostics."""

    def __init__(self, text: str, file: str, *, positions: bool = True) -> None:
        self.text = text
        self.file = file
        self.positions = positions
        self.index = LineIndex(text)
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.rejected: set[int] = set()

    # -- diagnostics -------------------------------------------------------------------------------

    def origin(self, node: yaml.Node, value: str | None = None) -> Origin:
        if not self.positions:
            return Origin(self.file, ())
        if isinstance(node, yaml.ScalarNode) and value is not None:
            return scalar_origin(self.file, node, value, self.index)
        return node_origin(self.file, node)

    def report(
        self,
        code: str,
        message: str,
        node: yaml.Node | None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        if node is None:
            self.diagnostics.append(Diagnostic(code, message, None, "", hint, severity, Origin(self.file)))  # type: ignore[arg-type]
            return
        if isinstance(node, yaml.ScalarNode) and "\n" not in node.value and node.value:
            source = node.value
            origin = self.origin(node, source)
            span = Span(0, len(source))
        elif (
            self.positions
            and node.start_mark.line == node.end_mark.line
            and node.end_mark.index > node.start_mark.index
        ):
            source = self.text[node.start_mark.index : node.end_mark.index]
            origin = self.origin(node)
            span = Span(0, len(source))
        else:
            source, span, origin = "", None, self.origin(node)
        self.diagnostics.append(Diagnostic(code, message, span, source, hint, severity, origin))  # type: ignore[arg-type]

    # -- top level ---------------------------------------------------------------------------------

    def read(self) -> tuple[Any, list[Diagnostic]]:
        try:
            root = yaml.compose(self.text, Loader=_LOADER)
        except yaml.MarkedYAMLError as error:
            self._yaml_error(error)
            return None, self.diagnostics
        except yaml.YAMLError as error:
            self.report("invalid-yaml", f"not valid YAML: {error}", None)
            return None, self.diagnostics
        if root is not None:
            self.screen(root)
        if root is None:
            self.report(
                "invalid-mapping", "the mapping file is empty", None, "start with `object: User` and `mappings:`"
            )
            return None, self.diagnostics
        if not isinstance(root, yaml.MappingNode):
            self.report("invalid-mapping", "a mapping file must be a YAML mapping (object:, mappings:, scope:)", root)
            return None, self.diagnostics
        fields = self.mapping_fields(root, ROOT_KEYS, "the mapping file")
        object_name = "User"
        if "object" in fields:
            object_name = self.string(fields["object"][1], "object") or "User"
            if object_name not in ("User", "Group"):
                folded = {"user": "User", "group": "Group"}.get(object_name.lower())
                close = folded or next(
                    iter(difflib.get_close_matches(object_name.title(), ["User", "Group"], n=1, cutoff=0.5)), None
                )
                self.report(
                    "invalid-mapping",
                    f"object must be User or Group, not {object_name!r}",
                    fields["object"][1],
                    f"write `object: {close}`" if close else None,
                )
                object_name = folded or object_name
        name = self.string(fields["name"][1], "name") if "name" in fields else None
        target_object = self.string(fields["target_object"][1], "target_object") if "target_object" in fields else None
        mappings: list[Mapping] = []
        if "mappings" in fields:
            node = fields["mappings"][1]
            if isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    if not self.check_node(item):
                        continue
                    mapping = self.mapping(item)
                    if mapping is not None:
                        mappings.append(mapping)
            elif not self.is_null(node):
                self.report(
                    "invalid-mapping",
                    "mappings must be a list of mappings",
                    node,
                    "start each one with `- target: ...`",
                )
        elif root.value and isinstance(root.value[0][0], yaml.ScalarNode):
            self.report(
                "invalid-mapping",
                "the mapping file has no `mappings:` list",
                root.value[0][0],  # the file's first key: a real snippet to point at
                "add `mappings:` with one `- target: ...` entry per target attribute",
            )
        scope = self.scope(fields["scope"][1]) if "scope" in fields else []
        extra: dict[str, Any] = {}
        if "actions" in fields:
            actions = self.actions(fields["actions"][1])
            if actions is not None:
                extra["flowTypes"] = actions_to_graph(actions)
        table_origins: dict[str, Origin] = {"table": Origin(self.file)}
        if "mappings" in fields:
            table_origins["mappings"] = self.origin(fields["mappings"][0])
        else:
            table_origins["no-mappings"] = Origin(self.file)  # reported above; table-wide checks stay quiet
        if "actions" in fields:
            table_origins["actions"] = self.origin(fields["actions"][1])
        if "object" in fields:
            table_origins["object"] = self.origin(
                fields["object"][1],
                fields["object"][1].value if isinstance(fields["object"][1], yaml.ScalarNode) else None,
            )
        table = MappingTable(
            object_name,
            mappings,
            scope,
            name=name,
            target_object=target_object,
            extra=extra,
            file=self.file,
            origins=table_origins,
        )
        return table, self.diagnostics

    def _yaml_error(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1) if mark else 1
        column = (mark.column + 1) if mark else 1
        source = self.index.line_text(line)
        hint = None
        problem = error.problem or "invalid YAML"
        around = " ".join(self.index.line_text(n) for n in (line - 1, line) if n >= 1)
        if re.search(r":\s*\[[^\]]*\]\s*\S", around):
            hint = (
                "a value that starts with [ is read as a YAML list: quote the whole value, e.g. expression: '[a] ...'"
            )
        elif "\t" in source:
            hint = "YAML does not allow tabs for indentation"
        start = min(column - 1, len(source))
        self.diagnostics.append(
            Diagnostic(
                "invalid-yaml",
                f"not valid YAML: {problem}",
                Span(start, min(len(source), start + 1)),
                source,
                hint,
                "error",
                Origin(self.file, ((line, 1),)),
            )
        )

    # -- generic helpers ---------------------------------------------------------------------------

    def screen(self, root: yaml.Node) -> None:
        """Reject aliases (shared nodes) and non-standard tags before anything reads the tree.

        Walking stops at a node seen before, so an alias bomb costs one visit per distinct node.
        """
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in self.seen:
                self.rejected.add(id(node))
                self.report("invalid-yaml", "YAML anchors and aliases are not supported in mapping files", node)
                continue
            self.seen.add(id(node))
            if node.tag not in _STANDARD_TAGS:
                self.rejected.add(id(node))
                self.report(
                    "invalid-yaml", f"YAML tag {node.tag!r} is not allowed in mapping files", node, "remove the tag"
                )
                continue
            if isinstance(node, yaml.SequenceNode):
                stack.extend(reversed(node.value))
            elif isinstance(node, yaml.MappingNode):
                for key, value in reversed(node.value):
                    stack.extend((value, key))

    def check_node(self, node: yaml.Node) -> bool:
        return id(node) not in self.rejected

    def mapping_fields(
        self, node: yaml.MappingNode, allowed: tuple[str, ...], what: str
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """``key -> (key node, value node)``; unknown and duplicate keys are reported (first one wins)."""
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        self.check_node(node)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.report("invalid-mapping", f"keys in {what} must be plain words", key_node)
                continue
            key = key_node.value
            if not self.check_node(value_node):
                continue
            if key in fields:
                first_line = fields[key][0].start_mark.line + 1
                self.report(
                    "duplicate-key",
                    f"duplicate key '{key}' in {what} (first given on line {first_line})",
                    key_node,
                    "YAML keeps only one of them: remove or merge the duplicate",
                )
                continue
            if key not in allowed:
                suggestion = difflib.get_close_matches(
                    key, [k for k in allowed if not k.startswith("$")], n=1, cutoff=0.6
                )
                if not suggestion:
                    lowered = {k.lower().replace("-", "_"): k for k in allowed}
                    if key.lower().replace("-", "_") in lowered:
                        suggestion = [lowered[key.lower().replace("-", "_")]]
                self.report(
                    "unknown-key",
                    f"unknown key '{key}' in {what}",
                    key_node,
                    f"did you mean '{suggestion[0]}'?"
                    if suggestion
                    else f"allowed keys: {', '.join(k for k in allowed if not k.startswith('$'))}",
                )
                continue
            fields[key] = (key_node, value_node)
        return fields

    def is_null(self, node: yaml.Node) -> bool:
        # A plain scalar's style is None with PyYAML's loader and "" with libyaml's.
        return isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.style

    def string(self, node: yaml.Node, key: str) -> str | None:
        """A scalar's text as written (``True`` stays "True", ``007`` stays "007"); lists are reported."""
        if isinstance(node, yaml.ScalarNode):
            if self.is_null(node):
                return None
            value = node.value
            if node.style in ("|", ">"):
                value = value.rstrip("\n")
            return str(value)
        if isinstance(node, yaml.SequenceNode):
            self.unquoted_list(node, key)
            return _flow_text(node)
        self.report("invalid-mapping", f"{key} must be a text value, not a mapping", node)
        return None

    def unquoted_list(self, node: yaml.SequenceNode, key: str) -> None:
        written = self.text[node.start_mark.index : node.end_mark.index]
        if key == "source" and len(node.value) == 1 and isinstance(node.value[0], yaml.ScalarNode):
            hint = f"write `source: {node.value[0].value}` (a direct mapping) or `expression: '{written}'`"
        else:
            hint = f"quote the value: `{key}: '{written}'`"
        self.report(
            "unquoted-list",
            f"YAML read the {key} value {written} as a list because it starts with [",
            node,
            hint,
        )

    def actions(self, node: yaml.Node) -> list[str] | None:
        """The target object actions (``[create, update, delete]``); Graph's Add/Update/Delete are accepted."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                "invalid-mapping",
                "actions must be a list of object actions",
                node,
                "write `actions: [create, update, delete]` (Entra's default when left out)",
            )
            return None
        words = {action: action for action in OBJECT_ACTIONS}
        words.update({graph.lower(): action for action, graph in GRAPH_ACTIONS.items()})
        chosen: list[str] = []
        for item in node.value:
            text = self.string(item, "actions")
            if text is None:
                continue
            action = words.get(text.strip().lower())
            if action is None:
                suggestion = difflib.get_close_matches(text.lower(), list(OBJECT_ACTIONS), n=1, cutoff=0.7)
                self.report(
                    "invalid-mapping",
                    f"unknown object action {text!r}",
                    item,
                    f"did you mean '{suggestion[0]}'?"
                    if suggestion
                    else "object actions are create, update and delete",
                )
            elif action not in chosen:
                chosen.append(action)
        return chosen

    # -- one mapping -------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node) -> Mapping | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(
                "invalid-mapping",
                "each entry of mappings must be a mapping with a target",
                node,
                "write `- target: userName` and `source: userPrincipalName`",
            )
            return None
        fields = self.mapping_fields(node, MAPPING_KEYS, "a mapping")
        origins: dict[str, Origin] = {"mapping": self.origin(node)}
        values = filekeys.read_entry(self, FILE_KEYS, fields, node, origins)
        if values is None:
            return None
        return Mapping(**values, origins=origins)

    # -- scope -------------------------------------------------------------------------------------

    def scope(self, node: yaml.Node) -> list[ScopeGroup]:
        if self.is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.report(
                "invalid-scope",
                "scope must be a list of scoping filters (each a list of clauses)",
                node,
                "write `scope:` then `- - {attribute: department, operator: EQUALS, value: Sales}`",
            )
            return []
        self.check_node(node)
        groups: list[ScopeGroup] = []
        for item in node.value:
            if not self.check_node(item):
                continue
            if isinstance(item, yaml.MappingNode) and any(
                isinstance(k, yaml.ScalarNode) and k.value == "clauses" for k, _ in item.value
            ):
                fields = self.mapping_fields(item, GROUP_KEYS, "a scoping filter")
                name = self.string(fields["name"][1], "name") or "" if "name" in fields else ""
                clauses_node = fields.get("clauses", (None, None))[1]
                clauses = self.clauses(clauses_node) if clauses_node is not None else []
                groups.append(ScopeGroup(clauses, name))
            elif isinstance(item, yaml.MappingNode):
                # A single clause where a group was expected: accept it as a one-clause group.
                clause = self.clause(item)
                if clause is not None:
                    groups.append(ScopeGroup([clause]))
            elif isinstance(item, yaml.SequenceNode):
                groups.append(ScopeGroup(self.clauses(item)))
            else:
                self.report("invalid-scope", "each scoping filter must be a list of clauses", item)
        return groups

    def clauses(self, node: yaml.Node) -> list[ScopeClause]:
        if not isinstance(node, yaml.SequenceNode):
            self.report("invalid-scope", "clauses must be a list", node)
            return []
        self.check_node(node)
        found = []
        for item in node.value:
            clause = self.clause(item)
            if clause is not None:
                found.append(clause)
        return found

    def clause(self, node: yaml.Node) -> ScopeClause | None:
        if not isinstance(node, yaml.MappingNode):
            self.report(
                "invalid-scope", "a clause must be a mapping: {attribute: ..., operator: ..., value: ...}", node
            )
            return None
        fields = self.mapping_fields(node, CLAUSE_KEYS, "a scoping clause")
        origins: dict[str, Origin] = {"clause": self.origin(node)}
        for required in ("attribute", "operator"):
            if required not in fields:
                self.report("invalid-scope", f"this clause has no {required}", node)
                return None
        attribute = self.string(fields["attribute"][1], "attribute") or ""
        operator = self.string(fields["operator"][1], "operator") or ""
        origins["attribute"] = self.origin(fields["attribute"][1], attribute)
        origins["operator"] = self.origin(fields["operator"][1], operator)
        values: list[str] = []
        for key in ("value", "values"):
            if key not in fields:
                continue
            value_node = fields[key][1]
            origins["value"] = self.origin(value_node)
            if isinstance(value_node, yaml.SequenceNode):
                for element in value_node.value:
                    text = self.string(element, key)
                    if text is not None:
                        values.append(text)
            else:
                text = self.string(value_node, key)
                if text is not None:
                    values.append(text)
                    origins["value"] = self.origin(value_node, text)
        return ScopeClause(attribute, operator, values, origins=origins)


# ------------------------------------------------------------------------------------------------ helpers


def _flow_text(node: yaml.SequenceNode) -> str:
    parts = []
    for item in node.value:
        if isinstance(item, yaml.ScalarNode):
            parts.append(f"[{item.value}]")
        elif isinstance(item, yaml.SequenceNode):
            parts.append(_flow_text(item))
    return " ".join(parts) if parts else "[]"


__all__ = ["MAX_FILE_SIZE", "dump_yaml", "load_mapping", "read_mapping", "read_mapping_text"]
