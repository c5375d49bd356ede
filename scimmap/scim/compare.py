"""Comparing the resource a mapping wants with the representation a SCIM service holds.

Entra PATCHes only what differs and skips an object whose target already matches (``RedundantExport``);
Microsoft does not publish the comparison rules, so scimmap's are these (docs/sync.md, pinned in
tests/sync/test_compare.py):

- only the paths the mapping table targets are compared; anything else the service stores is its own;
- a value the mapping does not produce (null, dropped by IgnoreFlowIfNullOrEmpty) is never compared:
  Entra cannot clear a target value, so it never asks for one to be cleared;
- absent, ``null``, ``""`` and ``[]`` are one state (RFC 7643 §2.5 "unassigned");
- values are compared in the JSON type of the target attribute (``"True"`` equals ``true``, ``"42"``
  equals ``42`` for an integer), then exactly: strings are case-sensitive, because Entra requires a
  service to store values as sent, and a service that changes the case gets the value again;
- multi-valued values are compared as multisets (order carries no meaning); an element of a complex
  multi-valued attribute matches a stored element that carries the same value for every sub-attribute
  the mapping sets (a service may add ``display`` or ``$ref``);
- a filtered path (``emails[type eq "work"].value``) compares the sub-attribute of the element the
  filter selects; no such element means the value is absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from attrs import frozen

from scimmap.scim.patch import Change
from scimmap.scim.paths import TargetPath
from scimmap.scim.resource import convert, read
from scimmap.scim.schemas import SchemaAttribute, attribute


@frozen
class Difference:
    """One target path whose stored value (``old``, None when unassigned) is not the wanted ``new``."""

    path: TargetPath
    old: Any
    new: Any

    @property
    def change(self) -> Change:
        """The PATCH change Entra sends for it: Add into an unassigned value, Replace otherwise."""
        single = self.path.filter is None and not isinstance(self.new, list)
        return Change("add" if self.old is None else "replace", str(self.path), self.new, merge=single)


def unassigned(value: Any) -> bool:
    """RFC 7643 §2.5: absent, null, empty text and empty lists all mean "no value"."""
    return value is None or value == "" or value == [] or value == {}


def _normal(value: Any, definition: SchemaAttribute | None) -> Any:
    """The value in a form where equal states compare equal (see the module rules)."""
    if unassigned(value):
        return None
    if isinstance(value, list):
        items = [_normal(item, _item(definition)) for item in value]
        kept = [item for item in items if item is not None]
        return sorted(kept, key=_sort_key) if kept else None
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            sub = definition.sub(key) if definition is not None and definition.type == "complex" else None
            normal = _normal(inner, sub)
            if normal is not None:
                out[key.lower()] = normal
        return out or None
    if definition is not None:
        return convert(value, definition)
    return value


def _item(definition: SchemaAttribute | None) -> SchemaAttribute | None:
    if definition is None or not definition.multi_valued:
        return definition
    return attrs.evolve(definition, multi_valued=False)


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _covers(stored: Any, wanted: Any) -> bool:
    """Whether a stored (normalised) value holds everything the wanted one sets."""
    if isinstance(wanted, dict):
        return isinstance(stored, dict) and all(_covers(stored.get(k), v) for k, v in wanted.items())
    if isinstance(wanted, list):
        if not isinstance(stored, list):
            return False
        pool = list(stored)
        for item in wanted:
            index = next((i for i, candidate in enumerate(pool) if _covers(candidate, item)), None)
            if index is None:
                return False
            pool.pop(index)
        return len(pool) == 0 or all(isinstance(item, dict) for item in wanted)
    return bool(stored == wanted)


def same(stored: Any, wanted: Any, definition: SchemaAttribute | None = None) -> bool:
    """Whether the service's value already is the wanted one, under the module's rules."""
    return _covers(_normal(stored, definition), _normal(wanted, definition))


def differences(
    wanted: Mapping[str, Any],
    stored: Mapping[str, Any] | None,
    paths: Iterable[TargetPath],
    kind: str = "User",
) -> list[Difference]:
    """The paths (in the given order, each once) whose stored value is not the wanted one."""
    found: list[Difference] = []
    seen: set[str] = set()
    for path in paths:
        key = str(path)
        if key in seen:
            continue
        seen.add(key)
        new = read(dict(wanted), path)
        if unassigned(new):
            continue
        old = read(dict(stored), path) if stored is not None else None
        if same(old, new, attribute(path, kind)):
            continue
        found.append(Difference(path, None if unassigned(old) else old, new))
    return found
