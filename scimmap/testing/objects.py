"""What Entra sends for one whole object: the request of a create, an update, or a deprovisioning event.

Create and update go through the public table API: ``MappingTable.apply`` (the POST body, the match filters
tried first, the follow-up PATCH that links the manager or a group's members) and
``MappingTable.patch(old, new)`` (the PATCH with only what changed, or nothing: Entra's RedundantExport).

Deprovisioning events (disable, soft delete, unassign, leaving scope, hard delete) are decided by the
provisioning cycle, per object, from the table's IsSoftDeleted mapping, its object actions and the job's
settings.  This module does not decide them a second time: until the cycle engine answers for one object,
an event case is an error (``engine-required``), never a pass and never silently skipped.
"""

from __future__ import annotations

from typing import Any

from scimmap.errors import Diagnostic, MappingError
from scimmap.testing.cases import EVENTS, Case

NO_REQUEST = "none"


def resource_path(table: Any) -> str:
    """``/Users`` or ``/Groups``: where the table's objects live on a SCIM server."""
    return "/Groups" if getattr(table, "kind", "User") == "Group" else "/Users"


def object_outcome(table: Any, case: Case) -> dict[str, Any]:
    """The request Entra sends for the case's object, in the shape an object case's ``expect`` takes.

    Raises ScimmapError when the mapping fails for this object, and MappingError(``engine-required``)
    for a deprovisioning event.
    """
    if case.action in EVENTS:
        raise MappingError(
            Diagnostic(
                "engine-required",
                f"event cases need the provisioning engine: what Entra sends for {case.action} is decided by the "
                "provisioning cycle, which this version of scimmap cannot run for one object yet",
                hint="keep the case: it fails until the engine is there; test the IsSoftDeleted mapping itself "
                "with a mapping-row case on `active` and `source: {IsSoftDeleted: \"True\"}`",
            )
        )
    options: dict[str, Any] = {"resolve": case.resolve, "now": case.now, "exists": _exists(case)}
    if case.action == "update":
        return _update(table, case, options)
    return _create(table, case, options)


def _create(table: Any, case: Case, options: dict[str, Any]) -> dict[str, Any]:
    result = table.apply(case.source, action="create", flags=case.flags, **options)
    outcome: dict[str, Any] = {"match": list(result.match_filters)}
    if not result.in_scope or result.object_skipped or result.resource is None:
        reason = "IgnoreObjectFlow" if result.object_skipped else "out-of-scope"
        return {"request": NO_REQUEST, "reason": reason, **outcome}
    outcome = {"request": f"POST {resource_path(table)}", "body": result.resource, **outcome}
    if result.followup is not None:
        outcome["followup"] = result.followup
    return outcome


def _update(table: Any, case: Case, options: dict[str, Any]) -> dict[str, Any]:
    now_in_scope = table.apply(case.source, action="update", flags=case.flags, **options).in_scope
    if not now_in_scope:
        raise MappingError(
            Diagnostic(
                "engine-required",
                "the new source is out of scope, which makes this update a leave-scope event: event cases need "
                "the provisioning engine",
                hint="use `action: leave-scope` for it, or change the source so that it stays in scope",
            )
        )
    body = table.patch(case.old_source, case.source, case.resolve, case.flags, now=case.now, exists=_exists(case))
    if body is None:
        return {"request": NO_REQUEST, "reason": "no-change"}
    return {"request": f"PATCH {resource_path(table)}/{{id}}", "body": body}


def _exists(case: Case) -> Any:
    if case.exists is None:
        return None
    taken = frozenset(case.exists)
    return lambda value: value in taken


__all__ = ["NO_REQUEST", "object_outcome", "resource_path"]
