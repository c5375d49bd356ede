"""SCIM PatchOp bodies in the two dialects Entra speaks (with and without the aadOptscim062020 flag; docs/mappings.md).

Without flags (the ``scim`` job's default): capitalised ops (``Add``, ``Replace``, ``Remove``), one
operation per changed attribute, each with its ``path``, booleans as the strings "True"/"False",
member removal as ``{"op": "Remove", "path": "members", "value": [{"value": id}]}``.

With ``aadOptscim062020``: lower-case ops, JSON booleans, and when two or more single-valued
attributes change with the same op they merge into ONE path-less op whose value object is keyed by
the paths (``{"name.givenName": ..., "urn:...:employeeNumber": ...}``); a lone change keeps its path
(E-compat's "disable user" and "add a single-value attribute" samples).  Filtered multi-valued paths
stay separate ops and come first, as in E-compat.  Members are removed one per op with
``members[value eq "<id>"]`` and no value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from attrs import frozen

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
FLAG_COMPLIANT = "aadOptscim062020"
FLAG_LEGACY = "AzureAdScimPatch2017"


@frozen
class Change:
    """One attribute change: ``op`` is add/replace/remove (lower-case); ``merge`` allows the path-less form;
    ``textual``: the value holds no booleans (member ids), so no dialect rewrites it."""

    op: str
    path: str
    value: Any = None
    has_value: bool = True
    merge: bool = False
    textual: bool = False


def compliant(flags: Iterable[str]) -> bool:
    """Whether the flags select the SCIM-compliant dialect (the flag name is case-insensitive)."""
    if not flags:
        return False
    folded = {f.lower() for f in flags}
    return FLAG_COMPLIANT.lower() in folded and FLAG_LEGACY.lower() not in folded


def op_name(op: str, flags: Iterable[str]) -> str:
    return op.lower() if compliant(flags) else op.capitalize()


def wire_value(value: Any, flags: Iterable[str]) -> Any:
    """Booleans as "True"/"False" without the flag (E-compat), JSON booleans with it."""
    if compliant(flags):
        return value
    return _booleans_as_text(value)


def _booleans_as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict):
        return {k: _booleans_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_booleans_as_text(v) for v in value]
    return value


def patch_body(changes: Sequence[Change], flags: Sequence[str] = ()) -> dict[str, Any] | None:
    """The PatchOp body for the changes, or None when there is nothing to send."""
    if not changes:
        return None
    flags = tuple(flags)
    operations: list[dict[str, Any]] = []
    if not compliant(flags):
        for change in changes:
            operations.append(_operation(change, flags))
    else:
        separate = [c for c in changes if not c.merge]
        operations.extend(_operation(c, flags) for c in separate)
        for op in ("add", "replace"):
            group = [c for c in changes if c.merge and c.op == op]
            if len(group) == 1:
                operations.append(_operation(group[0], flags))
            elif group:
                operations.append({"op": op, "value": {c.path: wire_value(c.value, flags) for c in group}})
        merged_remove = [c for c in changes if c.merge and c.op == "remove"]
        operations.extend(_operation(c, flags) for c in merged_remove)
    return {"schemas": [PATCH_SCHEMA], "Operations": operations}


def _operation(change: Change, flags: Sequence[str]) -> dict[str, Any]:
    operation: dict[str, Any] = {"op": op_name(change.op, flags), "path": change.path}
    if change.has_value:
        operation["value"] = change.value if change.textual else wire_value(change.value, flags)
    return operation


def member_changes(added: Sequence[str], removed: Sequence[str], flags: Sequence[str] = ()) -> list[Change]:
    """Group membership deltas: one Add with every new member, removals per dialect."""
    changes: list[Change] = []
    if added:
        if compliant(flags):
            changes.append(Change("add", "members", [{"value": m} for m in added], textual=True))
        else:
            changes.append(Change("add", "members", [{"$ref": None, "value": m} for m in added], textual=True))
    if removed:
        if compliant(flags):
            from scimmap.scim.paths import quote

            changes.extend(Change("remove", f"members[value eq {quote(m)}]", has_value=False) for m in removed)
        else:
            changes.append(Change("remove", "members", [{"value": m} for m in removed], textual=True))
    return changes
