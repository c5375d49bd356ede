"""The RFC 7643 schemas a SCIM target path is checked and typed against.

The JSON files in ``schemas/`` are RFC 7643 §8.7.1's core User and Group and §8.7.2's EnterpriseUser
schema representations.  They decide what type a mapped value is sent as ("True" becomes the JSON
boolean ``true`` for ``active``), which attributes are multi-valued and which are references.  Names are
matched case-insensitively, as RFC 7643 §2.1 requires.  Custom extension URNs
(``urn:ietf:params:scim:schemas:extension:<Name>:2.0:User:<attr>``) are accepted as single-valued string
attributes: Entra allows nothing else there for non-gallery apps (docs/targets.md).
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from attrs import field, frozen

from scimmap.scim.paths import CORE_GROUP, CORE_USER, ENTERPRISE_USER, TargetPath, parse_target

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = {CORE_USER: "core-user.json", CORE_GROUP: "core-group.json", ENTERPRISE_USER: "enterprise-user.json"}
CUSTOM_EXTENSION = re.compile(r"urn:ietf:params:scim:schemas:extension:[^:]+:2\.0:[A-Za-z]+\Z", re.IGNORECASE)


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _attributes(items: Iterable[SchemaAttribute]) -> tuple[SchemaAttribute, ...]:
    return tuple(items)


@frozen
class SchemaAttribute:
    """One attribute or sub-attribute definition (RFC 7643 §7)."""

    name: str
    type: str = "string"
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    reference_types: tuple[str, ...] = field(default=(), converter=_strings)
    canonical_values: tuple[str, ...] = field(default=(), converter=_strings)
    sub_attributes: tuple[SchemaAttribute, ...] = field(default=(), converter=_attributes)
    schema: str = ""
    description: str = field(default="", eq=False, repr=False)

    def sub(self, name: str) -> SchemaAttribute | None:
        folded = name.lower()
        return next((s for s in self.sub_attributes if s.name.lower() == folded), None)


def _from_json(data: dict[str, Any], schema: str) -> SchemaAttribute:
    return SchemaAttribute(
        name=data["name"],
        type=data.get("type", "string"),
        multi_valued=bool(data.get("multiValued", False)),
        required=bool(data.get("required", False)),
        case_exact=bool(data.get("caseExact", False)),
        mutability=data.get("mutability", "readWrite"),
        reference_types=data.get("referenceTypes", ()),
        canonical_values=data.get("canonicalValues", ()),
        sub_attributes=[_from_json(s, schema) for s in data.get("subAttributes", ())],
        schema=schema,
        description=data.get("description", ""),
    )


# RFC 7643 §3.1 common attributes: on every resource, defined by no schema.
_COMMON = (
    SchemaAttribute("id", case_exact=True, mutability="readOnly"),
    SchemaAttribute("externalId", case_exact=True),
    SchemaAttribute(
        "meta",
        "complex",
        mutability="readOnly",
        sub_attributes=[
            SchemaAttribute("resourceType", case_exact=True, mutability="readOnly"),
            SchemaAttribute("created", "dateTime", mutability="readOnly"),
            SchemaAttribute("lastModified", "dateTime", mutability="readOnly"),
            SchemaAttribute("location", "reference", case_exact=True, mutability="readOnly", reference_types=["uri"]),
            SchemaAttribute("version", case_exact=True, mutability="readOnly"),
        ],
    ),
)


@functools.cache
def schema_attributes(urn: str) -> tuple[SchemaAttribute, ...]:
    """The top-level attributes of a shipped schema (core schemas include the common attributes)."""
    key = next((k for k in SCHEMA_FILES if k.lower() == urn.lower()), None)
    if key is None:
        return ()
    data = json.loads((SCHEMA_DIR / SCHEMA_FILES[key]).read_text(encoding="utf-8"))
    attributes = tuple(_from_json(a, key) for a in data["attributes"])
    if key != ENTERPRISE_USER:
        attributes = tuple(SchemaAttribute(**{**_fields(c), "schema": key}) for c in _COMMON) + attributes
    return attributes


def _fields(attribute: SchemaAttribute) -> dict[str, Any]:
    from attrs import asdict

    values = asdict(attribute, recurse=False)
    return values


def object_kind(object: str | None) -> str:
    """``User`` or ``Group`` from an object name or a target object URN."""
    if object and "group" in object.lower():
        return "Group"
    return "User"


def core_schema(object: str | None) -> str:
    return CORE_GROUP if object_kind(object) == "Group" else CORE_USER


@functools.lru_cache(maxsize=256)
def is_custom_extension(urn: str | None) -> bool:
    if not urn:
        return False
    return urn.lower() not in (u.lower() for u in SCHEMA_FILES) and bool(CUSTOM_EXTENSION.match(urn))


@functools.lru_cache(maxsize=4096)
def top_attribute(path: TargetPath, object: str = "User") -> SchemaAttribute | None:
    """The top-level attribute a path names (``emails`` for ``emails[type eq "work"].value``)."""
    urn = path.urn or core_schema(object)
    if is_custom_extension(urn):
        return SchemaAttribute(path.attribute, "string", schema=urn)
    folded = path.attribute.lower()
    return next((a for a in schema_attributes(urn) if a.name.lower() == folded), None)


def attribute(path: TargetPath | str, object: str = "User") -> SchemaAttribute | None:
    """The definition of the value a path addresses, or None when the shipped schemas do not know it."""
    if isinstance(path, str):
        path = parse_target(path)
    return _attribute(path, object)


@functools.lru_cache(maxsize=4096)
def _attribute(path: TargetPath, object: str) -> SchemaAttribute | None:
    top = top_attribute(path, object)
    if top is None:
        return None
    if path.sub is None:
        return top
    if is_custom_extension(top.schema):
        return None  # custom extension attributes cannot be complex (docs/targets.md)
    return top.sub(path.sub)


@functools.lru_cache(maxsize=4)
def known_paths(object: str = "User") -> tuple[str, ...]:
    """Every addressable path of the object: ``userName``, ``name.givenName``, ``emails.value``, URN forms."""
    kind = object_kind(object)
    urns = [CORE_USER, ENTERPRISE_USER] if kind == "User" else [CORE_GROUP]
    paths: list[str] = []
    for urn in urns:
        prefix = f"{urn}:" if urn == ENTERPRISE_USER else ""
        for top in schema_attributes(urn):
            paths.append(prefix + top.name)
            paths.extend(f"{prefix}{top.name}.{sub.name}" for sub in top.sub_attributes)
    return tuple(paths)


def suggest(text: str, object: str = "User") -> str | None:
    """Did-you-mean for an unknown target: the closest known path, keeping the user's filter."""
    try:
        path = parse_target(text)
    except Exception:
        return None
    key = f"{path.urn}:{path.attribute}" if path.urn else path.attribute
    if path.sub:
        key += f".{path.sub}"
    candidates = known_paths(object)
    folded = {c.lower(): c for c in candidates}
    if key.lower() in folded:
        best = folded[key.lower()]
        if best == key:
            return None
    else:
        close = difflib.get_close_matches(key.lower(), list(folded), n=1, cutoff=0.6)
        if not close:
            return None
        best = folded[close[0]]
    suggestion = parse_target(best)
    result = TargetPath(suggestion.attribute, suggestion.urn, path.filter, suggestion.sub)
    return str(result)
