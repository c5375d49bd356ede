"""What ``MappingTable.apply`` returns: the requests Entra sends for one source object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol


class Deferred(Protocol):
    """Finishes, on first read, what the generated back-end only recorded: ``skipped`` from two bit
    sets, and the match filters from the matching values (most callers read neither, and mapping millions
    of objects should not quote a filter or build a list per object that nobody looks at)."""

    def skipped(self, record: Any) -> list[tuple[str, str]]: ...

    def filters(self, values: Any) -> list[str]: ...


class MappingResult:
    """What Entra does with one source object.

    ``resource`` is the POST body (None when the object is out of scope or IgnoreObjectFlow skipped it),
    ``match_filters`` the SCIM filters tried in matching-precedence order, ``in_scope`` whether the
    scoping filters admit it, ``skipped`` the dropped targets as ``(target, reason)`` in table order,
    ``unresolved`` the source ids ``resolve`` could not map, ``followup`` the PatchOp body that links
    references after the create (or None), ``object_skipped`` whether IgnoreObjectFlow skipped it.

    The storage is lean because a small table's whole mapping costs about a microsecond: ``skipped`` and
    ``match_filters`` are finished when first read, and the four fields that nearly always hold their
    defaults share one slot that stays None until one of them differs or is read.
    """

    __slots__ = ("_deferred", "_filters", "_rest", "_skipped", "resource")

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
        self._filters: Any = [] if match_filters is None else match_filters
        self._skipped: Any = [] if skipped is None else list(skipped)
        self._deferred: Deferred | None = None
        self._rest: list[Any] | None = [in_scope, [] if unresolved is None else unresolved, followup, object_skipped]

    def _own_rest(self) -> list[Any]:
        """``[in_scope, unresolved, followup, object_skipped]``, made when a result first needs its own."""
        rest = self._rest
        if rest is None:
            rest = self._rest = [True, [], None, False]
        return rest

    @property
    def match_filters(self) -> list[str]:
        filters = self._filters
        if filters.__class__ is not list:  # the generated back-end's matching values, not yet quoted
            assert self._deferred is not None
            filters = self._filters = self._deferred.filters(filters)
        return filters  # type: ignore[no-any-return]

    @match_filters.setter
    def match_filters(self, value: list[str]) -> None:
        self._filters = list(value)

    @property
    def skipped(self) -> list[tuple[str, str]]:
        skipped = self._skipped
        if skipped.__class__ is not list:  # the generated back-end's bit sets (an int, or a pair)
            assert self._deferred is not None
            skipped = self._skipped = self._deferred.skipped(skipped)
        return skipped  # type: ignore[no-any-return]

    @skipped.setter
    def skipped(self, value: Iterable[tuple[str, str]]) -> None:
        self._skipped = list(value)

    @property
    def in_scope(self) -> bool:
        rest = self._rest
        return True if rest is None else rest[0]

    @in_scope.setter
    def in_scope(self, value: bool) -> None:
        self._own_rest()[0] = value

    @property
    def unresolved(self) -> list[str]:
        return self._own_rest()[1]  # type: ignore[no-any-return]

    @unresolved.setter
    def unresolved(self, value: list[str]) -> None:
        self._own_rest()[1] = value

    @property
    def followup(self) -> dict[str, Any] | None:
        rest = self._rest
        return None if rest is None else rest[2]

    @followup.setter
    def followup(self, value: dict[str, Any] | None) -> None:
        self._own_rest()[2] = value

    @property
    def object_skipped(self) -> bool:
        rest = self._rest
        return False if rest is None else rest[3]

    @object_skipped.setter
    def object_skipped(self, value: bool) -> None:
        self._own_rest()[3] = value

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
