"""Assembling the SCIM resource body Entra POSTs, from (target path, value) pairs.

Entra's rules, stated here and nowhere else (the mapping plan lays bodies out with the same helpers):
- every mapping to the same ``X[type eq "T"]`` fills ONE element of ``X`` carrying ``"type": "T"``
  (the ``eq`` clauses of the filter become the element's members, typed from the schema);
- ``emails[type eq "work"]`` carries ``"primary": true``; ``roles[primary eq "True"]`` gets
  ``"primary": true`` from its own filter;
- extension attributes nest under their schema URN; ``schemas`` lists core + enterprise for users and
  core + Microsoft's ADSCIM group URN for groups; custom extension URNs are NOT listed (Microsoft: the
  custom extension schema header "isn't sent");
- ``meta.resourceType`` is set; null values are never sent;
- values are converted to the schema type: "True"/"False" -> JSON booleans, numeric text -> integers;
- key order: ``schemas``, ``externalId``, ``userName``, the rest alphabetically, extensions last
  (the order of Microsoft's samples; JSON order carries no meaning).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scimmap.errors import Diagnostic, MappingError
from scimmap.language.values import parse_integer, render_datetime
from scimmap.scim.paths import CORE_GROUP, CORE_USER, ENTERPRISE_USER, TargetPath
from scimmap.scim.schemas import SchemaAttribute, attribute, object_kind, top_attribute

ADSCIM_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
PRIMARY_ELEMENTS = {("emails", "work")}
"""(attribute, type) elements Entra marks ``primary: true`` although the filter does not say so."""


def schemas_for(object: str) -> list[str]:
    """The ``schemas`` list Entra sends for a resource type."""
    if object_kind(object) == "Group":
        return [CORE_GROUP, ADSCIM_GROUP]
    return [CORE_USER, ENTERPRISE_USER]


def convert(value: Any, definition: SchemaAttribute | None, what: str = "target") -> Any:
    """A mapped value in the JSON type of its target attribute.

    Text that does not parse as the declared type is sent as text, unchanged: Entra does not validate
    against the target schema, the SCIM service does.
    """
    if value is None:
        return None
    if isinstance(value, list):
        if definition is not None and definition.multi_valued:
            items = [convert(item, _single(definition), what) for item in value]
            return [item for item in items if item is not None]
        if not value:
            return None
        if len(value) > 1:
            raise MappingError(
                Diagnostic(
                    "evaluation",
                    f"{what} is single-valued but the mapping produced {len(value)} values",
                    hint="pick one value, e.g. with Item() or Join()",
                )
            )
        value = value[0]
    kind = definition.type if definition is not None else "string"
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return value
    if kind == "integer":
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            number = parse_integer(value)
            return value if number is None else number
        return value
    if kind == "decimal":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        try:
            return float(str(value))
        except ValueError:
            return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, datetime):
        return render_datetime(value)
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _single(definition: SchemaAttribute) -> SchemaAttribute:
    """The item type of a multi-valued attribute (a complex one takes its ``value`` sub-attribute)."""
    if definition.type == "complex":
        return definition.sub("value") or SchemaAttribute("value")
    return SchemaAttribute(definition.name, definition.type, schema=definition.schema)


def container_key(path: TargetPath) -> str | None:
    """The body key a path's attribute nests under: None for the core schemas, else its schema URN."""
    if path.urn is None or path.urn.lower() in (CORE_USER.lower(), CORE_GROUP.lower()):
        return None
    return ENTERPRISE_USER if path.is_enterprise else path.urn


def attribute_key(path: TargetPath, top: SchemaAttribute | None) -> str:
    """The key of a path's attribute in its container: the schema's spelling when the schema knows it."""
    return top.name if top is not None else path.attribute


def sub_key(path: TargetPath, leaf: SchemaAttribute | None) -> str:
    """The member an element or complex value gets (``value`` for a filtered path without one)."""
    if leaf is not None and path.sub:
        return leaf.name
    return path.sub or "value"


def is_element_path(path: TargetPath, top: SchemaAttribute | None) -> bool:
    """Does the path fill one element of a multi-valued attribute (``emails[type eq "work"].value``)?"""
    return path.filter is not None or bool(top is not None and top.multi_valued and top.type == "complex" and path.sub)


def element_members(path: TargetPath, top: SchemaAttribute | None) -> dict[str, Any] | None:
    """The members a new element gets from the path's filter, typed, ``primary`` included where Entra
    adds it; None when the filter cannot describe an element (``or``, ``co``...)."""
    wanted = path.element_values()
    if wanted is None:
        return None
    element = _element(wanted, top)
    if (attribute_key(path, top), str(element.get("type", "")).lower()) in PRIMARY_ELEMENTS:
        element.setdefault("primary", True)
    return element


def element_error(path: TargetPath, top: SchemaAttribute | None) -> MappingError:
    name = attribute_key(path, top)
    return MappingError(
        Diagnostic(
            "invalid-target",
            f"cannot build a {name} element from the filter in {path}",
            hint='Entra builds elements only from "eq" clauses joined by "and", e.g. [type eq "work"]',
        )
    )


def wrap_elements(values: list[Any]) -> list[Any]:
    """A list written to a whole multi-valued complex attribute: every plain value becomes an element."""
    return [item if isinstance(item, dict) else {"value": item} for item in values]


def member_order(key: str) -> tuple[str, str]:
    """Members of an object sort alphabetically, case-insensitively first (Microsoft's samples)."""
    return key.lower(), key


def body_order(keys: Any) -> list[str]:
    """Top-level keys in Entra's order: ``externalId``, ``userName``, the rest alphabetically (``meta``
    included), extension URNs last with the enterprise one first.  ``schemas`` is not among them."""
    rest = [k for k in keys if k not in ("externalId", "userName")]
    first = [k for k in ("externalId", "userName") if k in keys]
    extensions = sorted(k for k in rest if k.lower().startswith("urn:"))
    plain = sorted((k for k in rest if k not in extensions), key=member_order)
    return first + plain + sorted(extensions, key=lambda k: (k.lower() != ENTERPRISE_USER.lower(), k))


def _container(resource: dict[str, Any], path: TargetPath, create: bool = True) -> dict[str, Any] | None:
    key = container_key(path)
    if key is None:
        return resource
    existing = _key(resource, key)
    if existing is not None and isinstance(resource[existing], dict):
        return dict.__getitem__(resource, existing)  # type: ignore[no-any-return]
    if not create:
        return None
    resource[key] = {}
    return dict.__getitem__(resource, key)  # type: ignore[no-any-return]


def _key(container: dict[str, Any], name: str) -> str | None:
    if name in container:
        return name
    folded = name.lower()
    return next((k for k in container if k.lower() == folded), None)


def _element(values: dict[str, Any], top: SchemaAttribute | None) -> dict[str, Any]:
    """The members an element gets from its filter, typed (``primary eq "True"`` -> ``true``)."""
    element: dict[str, Any] = {}
    for name, value in values.items():
        sub = top.sub(name) if top is not None else None
        element[sub.name if sub is not None else name] = convert(value, sub) if sub is not None else value
    return element


def _find_element(items: list[Any], wanted: dict[str, Any]) -> dict[str, Any] | None:
    for item in items:
        if isinstance(item, dict) and all(_same(item.get(_key(item, k) or k), v) for k, v in wanted.items()):
            return item
    return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


def assign(resource: dict[str, Any], path: TargetPath, value: Any, object: str = "User") -> None:
    """Put an already-typed or raw value at ``path`` in ``resource`` (None: nothing is sent)."""
    top = top_attribute(path, object)
    leaf = attribute(path, object)
    value = convert(value, leaf, str(path))
    if value is None:
        return
    container = _container(resource, path)
    assert container is not None
    name = attribute_key(path, top)
    if is_element_path(path, top):
        wanted = path.element_values()
        if wanted is None:
            raise element_error(path, top)
        element_values = _element(wanted, top)
        items = container.get(_key(container, name) or name)
        if not isinstance(items, list):
            items = []
            container[name] = items
        element = _find_element(items, element_values)
        if element is None:
            element = element_members(path, top) or {}
            items.append(element)
        element[sub_key(path, leaf)] = value
        return
    if path.sub:
        parent = container.get(_key(container, name) or name)
        if not isinstance(parent, dict):
            parent = {}
            container[name] = parent
        parent[leaf.name if leaf is not None else path.sub] = value
        return
    if top is not None and top.multi_valued and top.type == "complex" and isinstance(value, list):
        value = wrap_elements(value)
    container[name] = value


def read(resource: dict[str, Any], path: TargetPath) -> Any:
    """The value at ``path`` in a resource body (None when absent); the inverse of :func:`assign`."""
    container = _container(resource, path, create=False)
    if container is None:
        return None
    key = _key(container, path.attribute)
    if key is None:
        return None
    value = container[key]
    if path.filter is not None or (isinstance(value, list) and path.sub):
        if not isinstance(value, list):
            return None
        element = next((item for item in value if path.matches(item)), None)
        if element is None:
            return None
        sub_key = _key(element, path.sub or "value")
        return element.get(sub_key) if sub_key else None
    if path.sub:
        if not isinstance(value, dict):
            return None
        sub_key = _key(value, path.sub)
        return value.get(sub_key) if sub_key else None
    return value


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value, key=member_order)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def finish(resource: dict[str, Any], object: str) -> dict[str, Any]:
    """The body in Entra's shape: schemas, meta.resourceType, Microsoft's key order."""
    kind = object_kind(object)
    body: dict[str, Any] = {"schemas": schemas_for(kind)}
    given = resource.get("meta")
    meta: dict[str, Any] = given if isinstance(given, dict) else {}
    rest = {k: v for k, v in resource.items() if k not in ("schemas", "meta")}
    rest["meta"] = {**meta, "resourceType": kind}
    for key in body_order(rest):
        body[key] = _sorted(rest[key])
    return body
