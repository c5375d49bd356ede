"""The mapping data model shared by files, Graph JSON, presets and the table engine.

Plain frozen records: a :class:`Mapping` is one row of the portal's attribute-mapping table, a
:class:`ScopeGroup` one scoping filter.  Positions (``origins``) and fields scimmap does not interpret
(``extra``, kept for lossless Graph round-trips) do not take part in equality.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as TypingMapping
from typing import Any, Literal

from attrs import field, frozen

from scimmap.errors import Origin

MappingKind = Literal["direct", "constant", "expression", "none"]
FlowType = Literal["always", "on-create"]
ObjectKind = Literal["User", "Group"]

GRAPH_FLOW_TYPES: dict[str, str] = {"always": "Always", "on-create": "ObjectAddOnly"}
"""scimmap's ``apply`` values and Graph's ``flowType`` names (Graph also has MultiValueAddOnly, ...)."""

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
    """

    target: str
    kind: MappingKind
    source: str | None = None
    default: str | None = None
    apply: FlowType = "always"
    match: int = 0
    flow_type: str | None = None
    flow_behavior: str = "FlowWhenChanged"
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
