"""The mapping data model shared by files, Graph JSON, presets and the table engine.

Plain frozen records: a :class:`Mapping` is one row of the portal's attribute-mapping table, a
:class:`ScopeGroup` one scoping filter.  Positions (``origins``) and fields scimmap does not interpret
(``extra``, kept for lossless Graph round-trips) do not take part in equality.  Each mapping-file key is
declared once, on the :class:`Mapping` field it fills (:data:`FILE_KEYS`).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as TypingMapping
from typing import Any, Literal

from attrs import field, frozen

from scimmap.errors import Origin
from scimmap.mapping import filekeys as fk

MappingKind = Literal["direct", "constant", "expression", "none"]
FlowType = Literal["always", "on-create"]
ObjectKind = Literal["User", "Group"]

FLOW_BEHAVIORS = ("FlowWhenChanged", "FlowAlways")
"""Graph's flowBehavior values."""

GRAPH_PASSTHROUGH: dict[str, Any] = {"exportMissingReferences": False}
"""attributeMapping keys no mapping-file key declares that Graph still expects: kept from an import in
``extra``, written with this value for a mapping that did not come from Graph."""

OBJECT_ACTIONS = ("create", "update", "delete")
"""The portal's "Target Object Actions" check boxes, in the mapping file's spelling."""

GRAPH_ACTIONS: dict[str, str] = {"create": "Add", "update": "Update", "delete": "Delete"}
"""Object actions and their words in Graph's objectMapping ``flowTypes`` ("Add, Update, Delete")."""

DEFAULT_FLOW_TYPES = "Add, Update, Delete"


def actions_from_graph(flow_types: str) -> tuple[str, ...]:
    """``"Add, Update"`` (or ``"Add,Update"``) as object actions, in OBJECT_ACTIONS order; unknown words dropped."""
    words = {word.strip().lower() for word in str(flow_types).split(",")}
    return tuple(action for action in OBJECT_ACTIONS if GRAPH_ACTIONS[action].lower() in words)


def actions_to_graph(actions: Iterable[str]) -> str:
    """Object actions as Graph's ``flowTypes`` text."""
    chosen = set(actions)
    return ", ".join(GRAPH_ACTIONS[action] for action in OBJECT_ACTIONS if action in chosen)


def table_actions(table: Any) -> tuple[str, ...]:
    """The object actions a table allows; Entra's default (all three) when the table does not say.

    Both mapping files (``actions:``) and Graph imports keep them as the objectMapping's ``flowTypes`` in
    ``table.extra``, so a Graph round trip keeps them without a second representation.
    """
    flow_types = (getattr(table, "extra", None) or {}).get("flowTypes")
    if not isinstance(flow_types, str):
        return OBJECT_ACTIONS
    return actions_from_graph(flow_types)


def _frozen_dict(value: TypingMapping[str, Any] | None) -> dict[str, Any]:
    return dict(value or {})


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _clauses(items: Iterable[ScopeClause]) -> tuple[ScopeClause, ...]:
    return tuple(items)


@frozen
class Mapping:
    """One attribute mapping.

    ``source`` holds the attribute name (direct), the constant text (constant) or the expression text
    (expression); it is None for a None mapping.  ``match`` is the matching precedence (0 = not used,
    lower numbers are tried first).  ``apply`` is ``always`` or ``on-create`` (Graph ``ObjectAddOnly``);
    Graph's other flow types are kept verbatim in ``flow_type``.

    Each mapping-file key is declared here, once, in its field's ``metadata`` (:mod:`scimmap.mapping.filekeys`):
    the reader, the writer, the Graph conversion, the JSON Schema and the key table in docs/mapping-files.md
    all follow these declarations, in this order.  A key that fills two fields is declared on the second
    (``source``: kind and text; ``apply``: apply and flow_type), so the fields keep their positional order
    and the keys their file order.
    """

    target: str = field(
        metadata=fk.key(
            "target",
            graph="targetAttributeName",
            schema={"type": "string"},
            description='SCIM target path: userName, name.givenName, emails[type eq "work"].value, urn:...:enterprise:2.0:User:department.',
            doc='SCIM target path (`userName`, `name.givenName`, `emails[type eq "work"].value`, '
            "`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`)",
            parse=fk.parse_required_text,
            write=fk.write_scalar("target"),
            from_graph=lambda value: str(value or ""),
            locate="string",
            required=("this mapping has no target", "add `target: <SCIM attribute>`"),
        )
    )
    kind: MappingKind
    source: str | None = field(
        default=None,
        metadata=fk.declare(
            fk.FileKey(
                names=("source", "expression", "constant"),
                graph="source",
                schema={
                    "source": {
                        "type": "string",
                        "description": "Direct mapping: the Entra source attribute name (no brackets).",
                    },
                    "expression": {
                        "type": "string",
                        "description": "Expression mapping; quote it in YAML when it starts with [ (e.g. '[givenName]').",
                    },
                    "constant": {
                        "type": ["string", "number", "boolean"],
                        "description": "Constant mapping: a fixed value.",
                    },
                },
                doc=(
                    ("`source`", "Direct mapping: an Entra attribute name (no brackets)", "`source.type = Attribute`"),
                    ("`expression`", "Expression mapping", "`source.type = Function`"),
                    (
                        "`constant`",
                        "Constant mapping: the text as written (`True` stays `True`)",
                        "`source.type = Constant`",
                    ),
                    ("*(none of the three)*", 'Entra\'s "None" mapping: only `default` is used', "`source: null`"),
                ),
                fills=("kind", "source"),
                missing=("none", None),
                parse=fk.parse_source,
                write=fk.write_source,
                from_graph=fk.source_from_graph,
                to_graph=fk.source_to_graph,
                keep_graph=True,
                locate=fk.locate_source,
            )
        ),
    )
    default: str | None = field(
        default=None,
        metadata=fk.key(
            "default",
            graph="defaultValue",
            schema={"type": ["string", "number", "boolean", "null"]},
            description="Default value if null (applied when the object is created).",
            doc="Default value if null (Entra applies it when the object is created)",
            parse=fk.parse_text,
            write=fk.write_text("default"),
            from_graph=lambda value: None if value is None else str(value),
            locate="string",
            graph_omit=True,
        ),
    )
    apply: FlowType = "always"
    match: int = field(
        default=0,
        metadata=fk.key(
            "match",
            graph="matchingPriority",
            schema={"type": "integer", "minimum": 0},
            description="Matching precedence: 1 is tried first; 0 or absent = not used for matching.",
            doc="Matching precedence; 1 is tried first; absent = not a matching attribute",
            parse=fk.parse_precedence,
            write=lambda value: [f"match: {int(value)}"],
            from_graph=fk.precedence_from_graph,
            origin="node",
            locate="value",
        ),
    )
    flow_type: str | None = field(
        default=None,
        metadata=fk.key(
            "apply",
            graph="flowType",
            schema={
                "anyOf": [{"enum": list(fk.APPLY_VALUES)}, {"enum": list(fk.GRAPH_FLOW_NAMES[2:])}],
                "default": "always",
            },
            description="Apply this mapping: always, or only during object creation (on-create).",
            doc="`always` (default) or `on-create`; Graph's `MultiValueAddOnly`, `ValueAddOnly`, `AttributeAddOnly` "
            "are accepted as written",
            graph_doc="`flowType` (`Always` / `ObjectAddOnly`)",
            fills=("apply", "flow_type"),
            parse=fk.parse_apply,
            write=fk.write_apply,
            from_graph=fk.apply_from_graph,
            to_graph=fk.apply_to_graph,
            origin="node",
            choices=fk.APPLY_VALUES,
        ),
    )
    flow_behavior: str = field(
        default="FlowWhenChanged",
        metadata=fk.key(
            "flow_behavior",
            graph="flowBehavior",
            schema={"enum": list(FLOW_BEHAVIORS), "default": "FlowWhenChanged"},
            description="Graph flowBehavior.",
            doc="`FlowWhenChanged` (default) or `FlowAlways`",
            parse=fk.one_of(*FLOW_BEHAVIORS),
            write=lambda value: [f"flow_behavior: {value}"] if value else None,
            from_graph=lambda value: str(value or "FlowWhenChanged"),
            to_graph=lambda value: value or "FlowWhenChanged",
            origin=None,
            graph_omit=True,
            choices=FLOW_BEHAVIORS,
        ),
    )
    extra: dict[str, Any] = field(factory=dict, converter=_frozen_dict, eq=False, repr=False)
    origins: dict[str, Origin] = field(factory=dict, converter=_frozen_dict, eq=False, repr=False)

    @property
    def expression_text(self) -> str | None:
        """The source as expression text, whatever the kind (``[mail]``, ``"Contoso"``, the expression)."""
        from scimmap.language.printer import quote

        if self.kind == "direct" and self.source is not None:
            return f"[{self.source}]"
        if self.kind == "constant" and self.source is not None:
            return quote(self.source)
        if self.kind == "expression":
            return self.source
        return None


@frozen
class ScopeClause:
    """``attribute OPERATOR values``; operators use the portal/Graph spelling (``EQUALS``, ``IS TRUE``...)."""

    attribute: str
    operator: str
    values: tuple[str, ...] = field(default=(), converter=_strings)
    origins: dict[str, Origin] = field(factory=dict, converter=_frozen_dict, eq=False, repr=False)


@frozen
class ScopeGroup:
    """One scoping filter: all clauses must hold.  Several groups are OR-ed."""

    clauses: tuple[ScopeClause, ...] = field(converter=_clauses)
    name: str = ""


FILE_KEYS = fk.declared(Mapping)
"""The mapping-file keys of one mapping, in file order (see :class:`Mapping`)."""
