"""What the provisioning engine shows expressions of a directory object: the one Graph -> Entra view.

Microsoft Graph returns ``{"id": ..., "accountEnabled": true, "userPrincipalName": "a_b.com#EXT#@t..."}``;
mappings see ``objectId``, ``IsSoftDeleted`` "False", booleans as "True"/"False" and a B2B guest's UPN as
``a@b.com`` (the raw value in ``originalUserPrincipalName``).  Applying :func:`entra_source` twice gives
the same result, so every entry point applies it (``Expression.evaluate``, ``MappingTable.apply``, the REPL)
and callers may pass either shape.  It lives in the language layer because expression evaluation needs it
and must not import the mapping layer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from scimmap.errors import Diagnostic, EvaluationError

_B2B_UPN = re.compile(r"\A(?P<alias>.*)_(?P<domain>[^_@#]+)#EXT#@(?P<tenant>.+)\Z", re.IGNORECASE | re.DOTALL)

FLATTENED = ("onPremisesExtensionAttributes", "employeeOrgData")
"""Graph complex properties whose members are attributes to the engine."""

QUALIFIED = ("employeeOrgData",)
"""Flattened properties whose members keep the property name: the portal's source attribute list names
them ``employeeOrgData.division`` and ``employeeOrgData.costCenter``, while the members of
``onPremisesExtensionAttributes`` are plain ``extensionAttribute1`` ... ``extensionAttribute15``."""

GRAPH_ALIASES = {
    # Graph property -> the directory attribute name mappings use (the AD-style names of the schema).
    "mobilePhone": "mobile",
    "officeLocation": "physicalDeliveryOfficeName",
    "faxNumber": "facsimileTelephoneNumber",
}


def b2b_alias(upn: str) -> str | None:
    """``alias_theirdomain#EXT#@tenant`` -> ``alias@theirdomain``; None for a member's UPN."""
    match = _B2B_UPN.match(upn)
    if match is None:
        return None
    return f"{match.group('alias')}@{match.group('domain')}"


def _reference_id(value: Any) -> Any:
    if type(value) is str:
        return value
    if type(value) is dict or isinstance(value, Mapping):
        return value.get("id") or value.get("objectId") or value.get("value")
    return value


def _text(value: Any) -> Any:
    if value is True or value is False:
        return "True" if value else "False"
    return value


def _values(items: Any) -> list[Any]:
    """A multi-valued attribute: references (``{"id": ...}``) as their ids, booleans as text, no nulls."""
    values = []
    for item in items:
        if type(item) is not str:
            item = _text(_reference_id(item))
            if item is None:
                continue
        values.append(item)
    return values


def entra_source(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The Entra-shaped view of a Graph user or group (or of an already Entra-shaped dict). Idempotent.

    Every ``Expression.evaluate`` runs it, so the common value types are told apart by ``type()`` first;
    the abstract ``Mapping`` check (slow) is reached only by what is left.
    """
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise EvaluationError(
            Diagnostic("evaluation", f"a source object must be a JSON object, not {type(obj).__name__}")
        )
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if type(key) is not str and not isinstance(key, str):
            continue
        if key.startswith("@odata."):
            continue
        kind = type(value)
        if kind is str or value is None:
            out[key] = value
        elif kind is bool:
            out[key] = "True" if value else "False"
        elif kind is list or kind is tuple:
            out[key] = _values(value)
        elif kind is dict or isinstance(value, Mapping):
            if key in FLATTENED:
                prefix = f"{key}." if key in QUALIFIED else ""
                for name, inner in value.items():
                    if isinstance(name, str) and not name.startswith("@odata."):
                        out.setdefault(prefix + name, _text(inner))
            elif key == "manager":
                out[key] = value
            # other complex Graph properties have no attribute form in mappings
        elif isinstance(value, (list, tuple)):
            out[key] = _values(value)
        else:
            out[key] = _text(value)
    if "manager" in out:
        out["manager"] = _reference_id(out["manager"])
    if "objectId" not in out and isinstance(out.get("id"), str):
        out["objectId"] = out["id"]
    if "IsSoftDeleted" not in out:
        if out.get("deletedDateTime"):
            out["IsSoftDeleted"] = "True"
        elif "accountEnabled" in out and out["accountEnabled"] is not None:
            out["IsSoftDeleted"] = "False" if str(out["accountEnabled"]).lower() == "true" else "True"
        else:
            out["IsSoftDeleted"] = "False"
    for graph_name, entra_name in GRAPH_ALIASES.items():
        if graph_name in out and entra_name not in out:
            out[entra_name] = out[graph_name]
    phones = out.get("businessPhones")
    if "telephoneNumber" not in out and isinstance(phones, list) and phones:
        out["telephoneNumber"] = phones[0]
    upn = out.get("userPrincipalName")
    if isinstance(upn, str) and "#" in upn:  # a guest's alias_domain#EXT#@tenant
        alias = b2b_alias(upn)
        if alias is not None:
            out.setdefault("originalUserPrincipalName", upn)
            out["userPrincipalName"] = alias
    return out
