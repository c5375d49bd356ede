"""``scimmap diff``: what saving a changed mapping table does, before it is saved.

:func:`diff_tables` gives a :class:`TableDiff`: the change itself (:mod:`.changes`) and, for a population
of source objects read one at a time, each object's outcome under OLD and NEW (:mod:`.effect`, decided by
the provisioning engine's per-object decision).  Only objects whose outcome is not ``unchanged`` are kept,
so memory follows the number of changes, not the population.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from scimmap.diff.changes import MappingChange, actions_change, mapping_changes, scope_change
from scimmap.diff.effect import OUTCOMES, ObjectChange, object_change
from scimmap.errors import Diagnostic

NEW_CYCLE_NOTE = (
    "saving a changed mapping or scoping filter restarts the provisioning job: Entra runs a new "
    "initial cycle and evaluates every assigned object again"
)


@frozen
class TableDiff:
    """The result of :func:`diff_tables`; ``differs`` decides the exit status of ``scimmap diff``."""

    mappings: tuple[MappingChange, ...]
    scope: dict[str, Any] | None
    actions: dict[str, Any] | None
    counts: dict[str, int]
    changes: tuple[ObjectChange, ...]
    diagnostics: tuple[tuple[int, Diagnostic], ...] = field(default=())
    """Bad population records: ``(line, diagnostic)``; the other records were still decided."""

    @property
    def differs(self) -> bool:
        return bool(self.mappings or self.scope or self.actions or self.changes)

    def to_json(self) -> dict[str, Any]:
        """The JSON contract of ``scimmap diff --format json`` (docs/diff.md)."""
        return {
            "mappings": [m.to_json() for m in self.mappings],
            "scope": self.scope,
            "actions": self.actions,
            "note": NEW_CYCLE_NOTE if self.differs else None,
            "objects": dict(self.counts),
            "changes": [c.to_json() for c in self.changes],
            "diagnostics": [{"line": line, "code": d.code, "message": d.message} for line, d in self.diagnostics],
        }


def diff_tables(
    old: Any, new: Any, population: Iterable[Mapping[str, Any]] = (), *, action: str = "update", now: Any = None
) -> TableDiff:
    """Compare two :class:`~scimmap.MappingTable` objects and decide each object of ``population``
    (an iterable of source objects, consumed once) under both."""
    return diff_records(old, new, enumerate(population, 1), action=action, now=now)


def diff_records(
    old: Any,
    new: Any,
    records: Iterable[tuple[int, Mapping[str, Any] | Diagnostic]],
    *,
    action: str = "update",
    now: Any = None,
) -> TableDiff:
    """:func:`diff_tables` over ``(line, object or Diagnostic)`` records: a Diagnostic (a record that could
    not be read) or a ScimmapError from one object is kept with its line, and the other records go on."""
    from scimmap.errors import ScimmapError

    counts: dict[str, int] = {name: 0 for name in OUTCOMES}
    kept: list[ObjectChange] = []
    problems: list[tuple[int, Diagnostic]] = []
    for line, source in records:
        if isinstance(source, Diagnostic):
            problems.append((line, source))
            continue
        try:
            outcome = object_change(old, new, source, action=action, now=now)
        except ScimmapError as error:
            problems.append((line, error.diagnostic))
            continue
        counts[outcome.action] += 1
        if outcome.action != "unchanged":
            kept.append(outcome)
    return TableDiff(
        tuple(mapping_changes(old, new)),
        scope_change(old, new),
        actions_change(old, new),
        counts,
        tuple(kept),
        tuple(problems),
    )


__all__ = ["NEW_CYCLE_NOTE", "MappingChange", "ObjectChange", "TableDiff", "diff_records", "diff_tables"]
