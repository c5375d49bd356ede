"""The Entra ID user/group source attributes a mapping may read (shipped as ``data/entra-attributes.json``).

A typo in a source attribute is silent in Entra (the attribute is simply null, so the target is never
sent), which is why ``scimmap check`` warns about names outside this list.  Directory extensions and the
on-premises ``extensionAttribute1..15`` are always allowed: their names are tenant-specific.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from pathlib import Path
from typing import Any

from attrs import frozen

DATA_FILE = Path(__file__).resolve().parent / "data" / "entra-attributes.json"

_EXTENSION = re.compile(
    r"(extension_[^_\s\]]+_\S+|extensionAttribute([1-9]|1[0-5])|urn:[^\s\]]+|.*%[^%]+%.*|.*<[^>]+>.*)\Z",
    re.IGNORECASE,
)
"""Directory extensions (``extension_<appId>_name``, placeholders included), URN-named inputs of
API-driven provisioning, and cloud-sync ``%Parameter%`` tokens: all legitimately tenant-specific."""


@frozen
class SourceAttribute:
    """One Entra attribute: its Graph type and what mapping rules need to know about it."""

    name: str
    type: str = "String"
    multivalued: bool = False
    always: bool = False
    scoping: bool = True
    note: str = ""


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, SourceAttribute]]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    result: dict[str, dict[str, SourceAttribute]] = {}
    for kind in ("User", "Group"):
        entries = {}
        for name, fields in data.get(kind, {}).items():
            entries[name.lower()] = SourceAttribute(
                name,
                str(fields.get("type", "String")),
                bool(fields.get("multivalued", False)),
                bool(fields.get("always", False)),
                bool(fields.get("scoping", not fields.get("multivalued", False))),
                str(fields.get("note", "")),
            )
        result[kind] = entries
    return result


def _kind(object_name: str | None) -> str:
    return "Group" if object_name and object_name.lower() == "group" else "User"


def attributes(object_name: str = "User") -> list[SourceAttribute]:
    """Every known attribute of the object, in file order."""
    return list(_table()[_kind(object_name)].values())


def source_attribute(name: str, object_name: str = "User") -> SourceAttribute | None:
    """The attribute definition (matched case-insensitively), or None when unknown or tenant-specific."""
    return _table()[_kind(object_name)].get(name.lower())


def is_extension(name: str) -> bool:
    return bool(_EXTENSION.match(name))


def is_known(name: str, object_name: str = "User") -> bool:
    return source_attribute(name, object_name) is not None or is_extension(name)


def suggest(name: str, object_name: str = "User") -> str | None:
    """Did-you-mean for an unknown attribute name."""
    table = _table()[_kind(object_name)]
    exact = table.get(name.lower())
    if exact is not None:
        return exact.name if exact.name != name else None
    qualified = [a.name for key, a in table.items() if key.endswith("." + name.lower())]
    if len(qualified) == 1:  # [division] for employeeOrgData.division
        return qualified[0]
    close = difflib.get_close_matches(name.lower(), list(table), n=1, cutoff=0.7)
    return table[close[0]].name if close else None
