"""Mapping tables: a source object through attribute mappings into the SCIM request Entra sends.

(Skeleton published early so other modules can import the names; the engine follows.)
"""

from __future__ import annotations

from typing import Any, Sequence

from attrs import define, field

from scimmap.mapping.model import Mapping, ScopeClause, ScopeGroup

__all__ = ["Mapping", "MappingResult", "MappingTable", "ScopeClause", "ScopeGroup"]


@define
class MappingResult:
    """What Entra does with one source object: the POST body, how it matches, what it dropped."""

    resource: dict[str, Any] | None = None
    match_filters: list[str] = field(factory=list)
    in_scope: bool = True
    skipped: list[tuple[str, str]] = field(factory=list)
    unresolved: list[str] = field(factory=list)
    followup: dict[str, Any] | None = None


class MappingTable:
    """One object mapping: attribute mappings, scoping filters and the SCIM object they produce."""

    def __init__(
        self,
        object: str = "User",  # noqa: A002 - the documented parameter name
        mappings: Sequence[Mapping] = (),
        scope: Sequence[ScopeGroup] = (),
        *,
        name: str | None = None,
        target_object: str | None = None,
        extra: dict | None = None,
        file: str | None = None,
    ) -> None:
        self.object = object
        self.mappings = tuple(mappings)
        self.scope = tuple(scope)
        self.name = name
        self.target_object = target_object
        self.extra = dict(extra or {})
        self.file = file

    def to_yaml(self) -> str:
        from scimmap.mapping.files import dump_yaml

        return dump_yaml(self)

    def to_graph(self) -> dict[str, Any]:
        from scimmap.mapping.graph import table_to_graph

        return table_to_graph(self)

    def check(self) -> list[Any]:
        from scimmap.mapping.validate import check_table

        return check_table(self)
