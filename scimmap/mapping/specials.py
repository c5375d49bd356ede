"""What the mapping engine must know about particular built-ins, in one place, keyed by their declarations.

Most functions are values to the engine: the expression compiler runs them and the plan converts what
they return.  Three kinds shape the request itself:

- the role functions (those declaring a ``role_shape``) decide how roles look in the POST body and in PATCH;
- ``IgnoreObjectFlow`` stops the whole object, so a plan must know which mappings can produce it;
- a call whose function has a ``specializer`` (a ``Switch`` with constant keys) is a lookup table.

Functions are recognised through their declarations in the catalog (``catalog.get`` resolves the name as
the checker does, any case), never by comparing names here.
"""

from __future__ import annotations

from typing import Any

from scimmap.functions.catalog import Catalog, Lookup, RoleShape
from scimmap.language.nodes import Call, Constant, Identifier, Node, walk
from scimmap.language.values import FLOW_IDENTIFIERS, SKIP_OBJECT

__all__ = ["ROLE_TYPE", "RoleShape", "constant_switch", "role_objects", "role_shape", "skips_object"]

ROLE_TYPE = "WindowsAzureActiveDirectoryRole"
"""The ``type`` Entra gives every role element it sends."""


def role_shape(node: Node, catalog: Catalog, dialect: str) -> RoleShape | None:
    """The role function at the top of a mapping's expression, if there is one."""
    if not isinstance(node, Call):
        return None
    spec = catalog.get(node.name, dialect)
    return spec.role_shape if spec is not None else None


def role_objects(shape: RoleShape, value: Any) -> list[dict[str, Any]]:
    """The role objects a whole-attribute role function sends, members in body order."""
    roles = value if isinstance(value, list) else [value]
    label = shape.label or "displayName"
    return [{label: str(role), "primary": False, "type": ROLE_TYPE, "value": str(role)} for role in roles]


def skips_object(node: Node) -> bool:
    """Can evaluating ``node`` give IgnoreObjectFlow (which skips the whole object)?"""
    names = [name for name, sentinel in FLOW_IDENTIFIERS.items() if sentinel is SKIP_OBJECT]
    return any(isinstance(inner, Identifier) and inner.name in names for inner in walk(node))


def constant_switch(node: Node, catalog: Catalog, dialect: str) -> Lookup | None:
    """A mapping whose expression is ``Switch(source, d, "k1", "v1", ...)`` with every key, value and the
    default constant: the plan can convert each possible result to the target's type once."""
    if not isinstance(node, Call):
        return None
    spec = catalog.get(node.name, dialect)
    lookup = spec.specializer(spec, node, catalog) if spec is not None and spec.specializer is not None else None
    if lookup is None or any(v is not None and not isinstance(v, Constant) for v in (*lookup.values, lookup.default)):
        return None
    return lookup
