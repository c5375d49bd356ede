"""What Entra sends for one whole object: the request of a create, an update, or a deprovisioning event.

Create and update go through the public table API: ``MappingTable.apply`` (the POST body, the match filters
tried first, the follow-up PATCH that links the manager or a group's members) and
``MappingTable.patch(old, new)`` (the PATCH with only what changed, or nothing: Entra's RedundantExport).

Deprovisioning events (disable, soft delete, unassign, leaving scope, hard delete) are decided by the
provisioning engine's per-object decision (:mod:`scimmap.provision.decide`), from the table's IsSoftDeleted
mapping, its object actions and the job's settings; this module only sets the scene.  The object was
provisioned from ``old_source`` (or, without one, ``source`` as it was while enabled) under the table, so the app holds that create body; the
event is then planned against that link and decided against that stored body.
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

    Raises ScimmapError when the mapping fails for this object.
    """
    if case.action in EVENTS:
        return event_outcome(table, case)
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
    if not table.apply(case.source, action="update", flags=case.flags, **options).in_scope:
        return event_outcome(table, case)  # an update out of scope is a leave-scope event
    body = table.patch(case.old_source, case.source, case.resolve, case.flags, now=case.now, exists=_exists(case))
    if body is None:
        return {"request": NO_REQUEST, "reason": "no-change"}
    return {"request": f"PATCH {resource_path(table)}/{{id}}", "body": body}


LINKED = "{id}"
"""The target id of the provisioned object; requests show it as ``/Users/{id}``, as cases write it."""


def event_outcome(table: Any, case: Case) -> dict[str, Any]:
    """What Entra sends for a deprovisioning event (or an update that leaves the scope), decided by
    :func:`~scimmap.provision.decide.plan_object` and :func:`~scimmap.provision.decide.decide_object`.

    Raises MappingError(``invalid-case``) when the object as last exported was not in the table's scope,
    since then nothing was provisioned for the event to act on.
    """
    from scimmap.mapping.model import table_actions
    from scimmap.provision.decide import decide_object, evaluate, fingerprint, plan_object
    from scimmap.provision.settings import Settings
    from scimmap.provision.state import Link

    settings = Settings(
        actions=frozenset(table_actions(table)),
        flags=case.flags,
        full=True,
        skip_out_of_scope_deletions=bool(case.settings.get("skip_out_of_scope_deletions", False)),
    )
    before = dict(case.old_source if case.old_source is not None else case.source)
    if case.old_source is None and "accountEnabled" in before:
        before["accountEnabled"] = True  # Entra never creates a disabled object: it was enabled when exported
    before.setdefault("id", "source-object")
    exported = evaluate(table, before, action="create", now=case.now).resource
    if exported is None:
        raise MappingError(
            Diagnostic(
                "invalid-case",
                f"a {case.action} case needs an object that was provisioned, but the object as last "
                "exported (old_source, or source) is out of the table's scope or skipped",
                hint="give `old_source` the values the object had when it was in scope",
            )
        )
    link = Link(LINKED, fingerprint(before), before)
    now_source: dict[str, Any] | None = {**case.source, "id": before["id"]}
    if case.action == "unassign":
        now_source = None
    elif case.action == "hard-delete":
        now_source = {"id": before["id"], "@removed": {"reason": "deleted"}}
    elif case.action == "soft-delete":
        now_source = {**case.source, "id": before["id"], "@removed": {"reason": "changed"}}
    plan = plan_object(table, now_source, link=link, settings=settings, source_key=before["id"], now=case.now)
    decision = decide_object(table, plan, {**exported, "id": LINKED}, settings=settings)
    request = decision.request
    if request is None:
        return {"request": NO_REQUEST, "reason": decision.reason}
    outcome: dict[str, Any] = {"request": f"{request.method} {resource_path(table)}/{LINKED}"}
    if request.body is not None:
        outcome["body"] = request.body
    return outcome


def _exists(case: Case) -> Any:
    if case.exists is None:
        return None
    taken = frozenset(case.exists)
    return lambda value: value in taken


__all__ = ["NO_REQUEST", "event_outcome", "object_outcome", "resource_path"]
