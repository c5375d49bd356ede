"""What ``MappingTable.apply`` returns: the requests Entra sends for one source object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class SkipLog(Protocol):
    """Rebuilds ``skipped`` on demand from what the generated back-end recorded while mapping."""

    def skipped(self, record: Any) -> list[tuple[str, str]]: ...


class MappingResult:
    """What Entra does with one source object.

    ``resource`` is the POST body (None when the object is out of scope or IgnoreObjectFlow skipped it),
    ``match_filters`` the SCIM filters tried in matching-precedence order, ``in_scope`` whether the
    scoping filters admit it, ``skipped`` the dropped targets as ``(target, reason)`` in table order,
    ``unresolved`` the source ids ``resolve`` could not map, ``followup`` the PatchOp body that links
    references after the create (or None), ``object_skipped`` whether IgnoreObjectFlow skipped it.

    ``skipped`` is built when first read: most callers never look at it, and mapping millions of objects
    should not pay for a list per object they do not read.
    """

    __slots__ = (
        "_log",
        "_skipped",
        "followup",
        "in_scope",
        "match_filters",
        "object_skipped",
        "resource",
        "unresolved",
    )

    def __init__(
        self,
        resource: dict[str, Any] | None = None,
        match_filters: list[str] | None = None,
        in_scope: bool = True,
        skipped: Iterable[tuple[str, str]] | None = None,
        unresolved: list[str] | None = None,
        followup: dict[str, Any] | None = None,
        object_skipped: bool = False,
    ) -> None:
        self.resource = resource
        self.match_filters = [] if match_filters is None else match_filters
        self.in_scope = in_scope
        self._skipped: Any = [] if skipped is None else list(skipped)
        self._log: SkipLog | None = None
        self.unresolved = [] if unresolved is None else unresolved
        self.followup = followup
        self.object_skipped = object_skipped

    @property
    def skipped(self) -> list[tuple[str, str]]:
        if self._log is not None:  # the generated back-end left what it recorded in _skipped
            self._skipped = self._log.skipped(self._skipped)
            self._log = None
        return self._skipped  # type: ignore[no-any-return]

    @skipped.setter
    def skipped(self, value: Iterable[tuple[str, str]]) -> None:
        self._skipped = list(value)
        self._log = None

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.resource,
            self.match_filters,
            self.in_scope,
            self.skipped,
            self.unresolved,
            self.followup,
            self.object_skipped,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        names = ("resource", "match_filters", "in_scope", "skipped", "unresolved", "followup", "object_skipped")
        return "MappingResult(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields())) + ")"

    def __getstate__(self) -> tuple[Any, ...]:
        return self._fields()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.__init__(*state)  # type: ignore[misc]
