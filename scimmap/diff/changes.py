"""The change itself: what differs between two mapping tables, row by row, scope and object actions.

Expressions are compared after canonical formatting (``scimmap fmt``), so whitespace, quoting style or a
function name's case is no change.  Targets are matched case-insensitively, as Entra treats them.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from scimmap.mapping.model import FILE_KEYS, Mapping, table_actions

_OWN = ("source", "default", "apply", "match", "flow_behavior")
"""Compared in a form of the diff's own: the source as canonical expression text, apply as always/on-create."""

_FIELDS = _OWN + tuple(k.name for k in FILE_KEYS if k.name not in _OWN and k.name != "target")
"""What is compared per row (rows are matched by target): the source, default value, apply-on-create,
matching precedence, flow behavior, then every other mapping-file key by its value."""


@frozen
class MappingChange:
    """One row added, removed or changed; ``fields`` maps each changed field to ``(old, new)``."""

    change: str
    target: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"change": self.change, "target": self.target}
        for name, old, new in self.fields:
            data[name] = {"old": old, "new": new}
        return data


def canonical_source(mapping: Mapping) -> str | None:
    """The row's source as canonical expression text (direct and constant rows too); unparsable text is
    compared as written, so a broken expression still shows as a change rather than an error here."""
    text = mapping.expression_text
    if text is None:
        return None
    from scimmap.errors import ScimmapError
    from scimmap.language.canonical import canonical_names
    from scimmap.language.printer import format_node

    try:
        import scimmap

        return format_node(canonical_names(scimmap.parse(text)))
    except ScimmapError:
        return text


def _row(mapping: Mapping) -> dict[str, Any]:
    row = {
        "source": canonical_source(mapping),
        "default": mapping.default,
        "apply": mapping.apply,
        "match": mapping.match,
        "flow_behavior": mapping.flow_behavior,
    }
    for key in FILE_KEYS:
        if key.name in _FIELDS and key.name not in row:
            row[key.name] = key.value_of(mapping)
    return row


def mapping_changes(old: Any, new: Any) -> list[MappingChange]:
    """Rows of ``new`` not in ``old`` (added), of ``old`` not in ``new`` (removed), and rows whose
    expression, default, apply-on-create, matching precedence or flow behavior differ (changed)."""
    before = {m.target.lower(): m for m in old.mappings}
    after = {m.target.lower(): m for m in new.mappings}
    found: list[MappingChange] = []
    for key, mapping in before.items():
        if key not in after:
            found.append(
                MappingChange(
                    "removed",
                    mapping.target,
                    tuple((name, value, None) for name, value in _row(mapping).items() if name in ("source",)),
                )
            )
    for key, mapping in after.items():
        if key not in before:
            found.append(
                MappingChange(
                    "added",
                    mapping.target,
                    tuple((name, None, value) for name, value in _row(mapping).items() if name in ("source",)),
                )
            )
            continue
        was, now = _row(before[key]), _row(mapping)
        fields = tuple((name, was[name], now[name]) for name in _FIELDS if was[name] != now[name])
        if fields:
            found.append(MappingChange("changed", mapping.target, fields))
    return found


def scope_text(table: Any) -> list[list[str]]:
    """The scoping filters as text: groups (OR-ed) of clauses (AND-ed), ``attribute OPERATOR values``."""
    return [[" ".join([c.attribute, c.operator, *c.values]) for c in group.clauses] for group in table.scope]


def scope_change(old: Any, new: Any) -> dict[str, Any] | None:
    """``{"old": [...], "new": [...]}`` when the scoping filters differ (as sets of groups), else None."""
    was, now = scope_text(old), scope_text(new)
    if sorted(map(sorted, was)) == sorted(map(sorted, now)):
        return None
    return {"old": was, "new": now}


def actions_change(old: Any, new: Any) -> dict[str, Any] | None:
    """The target object actions (create, update, delete) when they differ, else None."""
    was, now = list(table_actions(old)), list(table_actions(new))
    return None if set(was) == set(now) else {"old": was, "new": now}


__all__ = ["MappingChange", "actions_change", "canonical_source", "mapping_changes", "scope_change", "scope_text"]
