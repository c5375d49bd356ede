"""The per-object decision: what Entra's provisioning service does with one source object.

Pure functions, no I/O.  ``scimmap sync`` runs them against a SCIM service; ``scimmap diff`` runs the
same functions against recorded state, so both always agree.  Two steps per object, because Entra reads
the target before it writes:

1. :func:`plan_object` (table, source or its absence, the object's :class:`~scimmap.provision.state.Link`,
   settings) says what must be read first (the matching queries in precedence order, or ``GET`` of the
   linked target id) or gives the decision outright (unchanged, out of scope and never provisioned, a
   hard delete);
2. :func:`decide_object` takes that plan and the representation the reads returned (None: no match) and
   gives the :class:`Decision`: the write request (POST, PATCH, DELETE) or a skip with Entra's reason.

References come after the objects they point at exist (Entra: "the service does more updates on the
target system to create and link the referenced objects"): :func:`decide_references` gives the PATCH
that links a user's manager or a group's members, once the referenced ids are known.

Rules taken from Microsoft's pages (docs/sync.md lists them with their sources and marks the choices
scimmap made where the pages are silent):

- assignment is presence in the input; the table's scoping filters apply;
- a source object that is disabled or soft-deleted (``accountEnabled`` false, ``IsSoftDeleted``, Graph
  delta's ``"@removed": {"reason": "changed"}``) is never created;
- a provisioned object that is soft-deleted, leaves the scope or disappears from the input (unassigned) is
  disabled through the table's mappings that read ``IsSoftDeleted`` (``PATCH active False``), or deleted
  when no mapping reads it; "skip out of scope deletions" leaves unassigned and out-of-scope objects alone;
  a hard delete (``"@removed": {"reason": "deleted"}``) is a ``DELETE``;
- after a disable for leaving the scope the object is no longer managed (its link is dropped), so a
  later soft delete sends nothing;
- a match is compared with the target's representation (scimmap.scim.compare) and only what differs is
  PATCHed; nothing differing is Entra's ``RedundantExport``.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal
from urllib.parse import quote

from attrs import field, frozen

from scimmap.provision.log import as_text
from scimmap.provision.protocol import Request
from scimmap.provision.settings import DEFAULT_SETTINGS, Settings
from scimmap.provision.state import Link
from scimmap.scim.compare import Difference, differences, unassigned
from scimmap.scim.patch import PATCH_SCHEMA, Change, member_changes, patch_body
from scimmap.scim.paths import TargetPath
from scimmap.scim.resource import read

Action = Literal["create", "update", "disable", "delete", "skip"]
"""The decision's action; Graph's ``provisioningAction`` is the same word, ``other`` for a skip."""

Removal = Literal["deleted", "changed"]

# Entra's reasons for a skipped export (provisioning logs' SkipReason / errorCode).
REDUNDANT = "RedundantExport"
NOT_ENTITLED = "NotEffectivelyEntitled"
NOT_ACTIVE = "NotActive"
OBJECT_SKIPPED = "IgnoreObjectFlow"
ACTION_DISABLED = "TargetObjectActionDisabled"
SKIP_OUT_OF_SCOPE = "SkipOutOfScopeDeletions"
UNCHANGED = "Unchanged"


def endpoint(kind: str) -> str:
    """The resource endpoint of an object kind (RFC 7644 §3.2)."""
    return "/Groups" if kind == "Group" else "/Users"


def _group_query(kind: str) -> tuple[tuple[str, str], ...]:
    return (("excludedAttributes", "members"),) if kind == "Group" else ()


def read_request(kind: str, target_id: str) -> Request:
    """``GET /Users/{id}`` (groups with ``excludedAttributes=members``, as Entra asks)."""
    return Request("GET", f"{endpoint(kind)}/{quote(target_id, safe='')}", _group_query(kind))


def match_request(kind: str, filter_text: str) -> Request:
    """Entra's matching query: ``GET /Users?filter=...``; groups first exclude members."""
    return Request("GET", endpoint(kind), (*_group_query(kind), ("filter", filter_text)))


def fingerprint(source: Mapping[str, Any], tables: str = "") -> str:
    """A stable digest of a source object under a table, so the next cycle recognises it unchanged.

    The table's own fingerprint is part of it: any change to the mappings or the scoping makes every
    object new again, as Entra starts a new initial cycle then.
    """
    text = json.dumps(source, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((tables + "\n" + text).encode("utf-8", "surrogatepass")).hexdigest()


def source_id(source: Mapping[str, Any]) -> str | None:
    """The source anchor: Graph's ``id`` (or an already Entra-shaped ``objectId``)."""
    value = source.get("id") or source.get("objectId")
    return str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "" else None


def removal(source: Mapping[str, Any]) -> Removal | None:
    """Graph delta's removal marker: ``deleted`` is a hard delete, ``changed`` a soft delete."""
    removed = source.get("@removed")
    if isinstance(removed, Mapping):
        reason = str(removed.get("reason", "")).lower()
        if reason == "deleted":
            return "deleted"
        return "changed"
    return None


# ----------------------------------------------------------------------------------------- table facts


@frozen
class TableFacts:
    """What the cycle needs to know about a mapping table, computed once per table."""

    kind: str
    paths: tuple[TargetPath, ...]
    """Every non-reference target, in table order: what is compared with the target."""
    soft_delete: tuple[TargetPath, ...]
    """Targets whose mapping reads IsSoftDeleted: what a disable sends."""
    secret: tuple[TargetPath, ...]
    """Targets whose mapping calls Redact(): their values never reach a log or transcript."""
    manager: TargetPath | None
    members: TargetPath | None
    identity: TargetPath | None
    """The first matching target (userName, displayName): how logs name the object."""
    roles: tuple[TargetPath, ...]
    """Targets of app-role functions, whose PATCH Entra writes in its own shape (see :func:`decide_object`)."""
    tables: str
    """Fingerprint of the table's mappings and scoping: a change starts a new initial cycle."""


_FACTS: dict[int, tuple[Any, Any, Any, TableFacts]] = {}


def facts(table: Any) -> TableFacts:
    """The :class:`TableFacts` of a :class:`~scimmap.MappingTable`.

    Cached per table object (held weakly); tables are immutable, so a changed table (``attrs.evolve``)
    is a new object and gets its facts computed afresh.
    """
    cached = _FACTS.get(id(table))
    if cached is not None and cached[0]() is table and cached[1] is table.mappings and cached[2] is table.scope:
        return cached[3]
    from scimmap.language.expression import secret_calls

    kind = table.kind
    paths: list[TargetPath] = []
    soft: list[TargetPath] = []
    secret: list[TargetPath] = []
    roles: list[TargetPath] = []
    manager = members = None
    ranked: list[tuple[int, int, TargetPath]] = []
    for step in table.compiled().steps:  # the table's plan: reference kinds and role shapes decided once
        path = step.path
        if step.reference == "manager":
            manager = path
        elif step.reference == "members":
            members = path
        else:
            paths.append(path)
        if step.match > 0:
            ranked.append((step.match, step.index, path))
        if step.role is not None:
            roles.append(path)
        if any(name.lower() == "issoftdeleted" for name in step.attributes):
            soft.append(path)
        if step.expression is not None and secret_calls(
            step.expression.node, step.expression.catalog, step.expression.dialect
        ):
            secret.append(path)
    identity = min(ranked, key=lambda item: item[:2])[2] if ranked else None
    shape = repr((table.object, table.target_object, table.mappings, table.scope))
    result = TableFacts(
        kind,
        tuple(paths),
        tuple(soft),
        tuple(secret),
        manager,
        members,
        identity,
        tuple(roles),
        hashlib.sha256(shape.encode("utf-8", "surrogatepass")).hexdigest(),
    )
    _FACTS[id(table)] = (weakref.ref(table), table.mappings, table.scope, result)
    return result


def tables_fingerprint(*tables: Any) -> str:
    """One digest for the tables a job runs (None entries are skipped)."""
    return hashlib.sha256("|".join(facts(t).tables for t in tables if t is not None).encode()).hexdigest()


# ----------------------------------------------------------------------------------------- evaluation


@frozen
class Evaluation:
    """One source object through a table: scope, the body, the match filters, what logs may show."""

    kind: str
    source_id: str
    imported: dict[str, Any]
    in_scope: bool
    object_skipped: bool
    soft_deleted: bool
    resource: dict[str, Any] | None
    match_filters: tuple[str, ...]
    display: str | None
    secrets: tuple[str, ...] = ()


def evaluate(
    table: Any, source: Mapping[str, Any], *, action: str = "create", now: Any = None, soft_deleted: bool | None = None
) -> Evaluation:
    """Apply the table to a source object (``soft_deleted`` forces IsSoftDeleted, for a disable)."""
    from scimmap.language.source import entra_source

    table_facts = facts(table)
    raw = dict(source)
    raw.pop("@removed", None)
    if soft_deleted is not None:
        raw["IsSoftDeleted"] = "True" if soft_deleted else "False"
    imported = entra_source(raw)
    result = table.apply(imported, action=action, now=now)
    resource = result.resource
    display = None
    if table_facts.identity is not None and resource is not None:
        value = read(resource, table_facts.identity)
        display = None if value is None else str(value)
    if display is None:
        fallback = imported.get("userPrincipalName") or imported.get("displayName")
        display = str(fallback) if fallback is not None else None
    secrets: list[str] = []
    if resource is not None:
        for path in table_facts.secret:
            value = read(resource, path)
            if isinstance(value, str) and value:
                secrets.append(value)
    return Evaluation(
        kind=table_facts.kind,
        source_id=source_id(source) or "",
        imported=imported,
        in_scope=bool(result.in_scope),
        object_skipped=bool(result.object_skipped),
        soft_deleted=str(imported.get("IsSoftDeleted", "False")).lower() == "true",
        resource=resource,
        match_filters=tuple(result.match_filters),
        display=display,
        secrets=tuple(secrets),
    )


# ----------------------------------------------------------------------------------------- decisions


@frozen
class Decision:
    """What to do with one object.

    ``request`` is the write to send (None: nothing to write).  ``reason`` names why: Entra's skip
    reasons (``RedundantExport``...) or what caused a deprovisioning (``SoftDeleted``, ``OutOfScope``,
    ``Unassigned``, ``HardDeleted``).  ``modified`` lists ``(property, old, new)`` as the provisioning
    log's modifiedProperties.  ``link`` says what the state does once the write succeeded: ``keep`` the
    link (creating it from the response's id after a POST) or ``drop`` it.
    """

    action: Action
    request: Request | None = None
    reason: str = ""
    description: str = ""
    modified: tuple[tuple[str, Any, Any], ...] = ()
    link: Literal["keep", "drop"] = "keep"
    members: tuple[str, ...] | None = None
    manager: str | None = None

    @property
    def provisioning_action(self) -> str:
        return "other" if self.action == "skip" else self.action


@frozen
class Plan:
    """What :func:`plan_object` found: a decision already, or the reads the decision needs."""

    kind: str
    source_id: str
    purpose: Literal["provision", "deprovision", "done"]
    evaluation: Evaluation | None = None
    link: Link | None = None
    reads: tuple[Request, ...] = ()
    """Matching queries in precedence order (the first hit wins), or the GET of the linked id."""
    by_id: bool = False
    decision: Decision | None = None
    cause: str = ""
    """Why a deprovisioning happens: SoftDeleted, OutOfScope, Unassigned, HardDeleted."""
    fingerprint: str | None = None


def _skip(reason: str, description: str, link: Literal["keep", "drop"] = "keep") -> Decision:
    return Decision("skip", None, reason, description, link=link)


def plan_object(
    table: Any,
    source: Mapping[str, Any] | None,
    *,
    link: Link | None,
    settings: Settings = DEFAULT_SETTINGS,
    source_key: str | None = None,
    now: Any = None,
) -> Plan:
    """Step 1 for one object: ``source`` None means it is no longer in the input (unassigned)."""
    table_facts = facts(table)
    kind = table_facts.kind
    key = source_key or (source_id(source) if source is not None else None) or ""
    if source is None:
        if link is None:
            return Plan(kind, key, "done", decision=_skip(NOT_ENTITLED, "not assigned and never provisioned"))
        return _deprovision_plan(table, key, link, "Unassigned", settings, now)
    removed = removal(source)
    if removed == "deleted":
        if link is None:
            return Plan(kind, key, "done", decision=_skip(NOT_ENTITLED, "hard-deleted and never provisioned"))
        if "delete" not in settings.actions:
            return Plan(
                kind,
                key,
                "done",
                link=link,
                cause="HardDeleted",
                decision=_skip(
                    ACTION_DISABLED, "hard-deleted in the source, but the Delete target object action is off", "drop"
                ),
            )
        request = Request("DELETE", f"{endpoint(kind)}/{quote(link.target_id, safe='')}")
        return Plan(
            kind,
            key,
            "done",
            link=link,
            cause="HardDeleted",
            decision=Decision(
                "delete", request, "HardDeleted", "hard-deleted in the source: deleted in the target", link="drop"
            ),
        )
    digest = fingerprint(source, table_facts.tables)
    if link is not None and removed is None and not settings.full and link.fingerprint == digest:
        return Plan(
            kind,
            key,
            "done",
            link=link,
            fingerprint=digest,
            decision=_skip(UNCHANGED, "unchanged since the last cycle (an incremental cycle does not import it)"),
        )
    if removed == "changed":
        if link is None:
            return Plan(kind, key, "done", decision=_skip(NOT_ACTIVE, "soft-deleted and never provisioned"))
        merged = {**link.source, **{k: v for k, v in source.items() if k != "@removed"}}
        return _provision_plan(table, key, merged, link, settings, now, digest, soft_deleted=True)
    return _provision_plan(table, key, source, link, settings, now, digest)


def _provision_plan(
    table: Any,
    key: str,
    source: Mapping[str, Any],
    link: Link | None,
    settings: Settings,
    now: Any,
    digest: str,
    soft_deleted: bool | None = None,
) -> Plan:
    kind = facts(table).kind
    evaluation = evaluate(
        table, source, action="update" if link is not None else "create", now=now, soft_deleted=soft_deleted
    )
    if evaluation.object_skipped:
        return Plan(
            kind,
            key,
            "done",
            evaluation,
            link,
            fingerprint=digest,
            decision=_skip(OBJECT_SKIPPED, "IgnoreObjectFlow skipped the object"),
        )
    if not evaluation.in_scope:
        if link is None:
            return Plan(
                kind,
                key,
                "done",
                evaluation,
                fingerprint=digest,
                decision=_skip(NOT_ENTITLED, "out of the scoping filters and never provisioned"),
            )
        return _deprovision_plan(table, key, link, "OutOfScope", settings, now, evaluation, digest)
    if link is None:
        if evaluation.soft_deleted:
            return Plan(
                kind,
                key,
                "done",
                evaluation,
                fingerprint=digest,
                decision=_skip(
                    NOT_ACTIVE, "disabled or soft-deleted in the source: Entra never creates a disabled object"
                ),
            )
        reads = tuple(match_request(kind, text) for text in evaluation.match_filters)
        if not reads:
            return Plan(
                kind,
                key,
                "done",
                evaluation,
                fingerprint=digest,
                decision=Decision("skip", None, "ImportSkipped", "the object has no value for any matching attribute"),
            )
        return Plan(kind, key, "provision", evaluation, None, reads, fingerprint=digest)
    if evaluation.soft_deleted and not facts(table).soft_delete:
        return _deprovision_plan(table, key, link, "SoftDeleted", settings, now, evaluation, digest)
    return Plan(
        kind,
        key,
        "provision",
        evaluation,
        link,
        (read_request(kind, link.target_id),),
        by_id=True,
        fingerprint=digest,
        cause="SoftDeleted" if evaluation.soft_deleted else "",
    )


def _deprovision_plan(
    table: Any,
    key: str,
    link: Link,
    cause: str,
    settings: Settings,
    now: Any,
    evaluation: Evaluation | None = None,
    digest: str | None = None,
) -> Plan:
    table_facts = facts(table)
    kind = table_facts.kind
    leaves = cause in ("Unassigned", "OutOfScope")

    def finished(decision: Decision) -> Plan:
        return Plan(kind, key, "done", evaluation, link, cause=cause, fingerprint=digest, decision=decision)

    if leaves and settings.skip_out_of_scope_deletions:
        return finished(_skip(SKIP_OUT_OF_SCOPE, f"{_causes[cause]}, and skip out of scope deletions is on", "drop"))
    if not table_facts.soft_delete:
        if "delete" not in settings.actions:
            return finished(
                _skip(
                    ACTION_DISABLED,
                    f"{_causes[cause]}; no mapping reads IsSoftDeleted and the Delete action is off",
                    "drop" if leaves else "keep",
                )
            )
        request = Request("DELETE", f"{endpoint(kind)}/{quote(link.target_id, safe='')}")
        deleted = f"{_causes[cause]}; no mapping reads IsSoftDeleted: deleted"
        return finished(Decision("delete", request, cause, deleted, link="drop"))
    if "update" not in settings.actions:
        return finished(
            _skip(
                ACTION_DISABLED,
                f"{_causes[cause]}, but the Update target object action is off",
                "drop" if leaves else "keep",
            )
        )
    disabled = evaluate(table, link.source or {"id": key}, action="update", now=now, soft_deleted=True)
    if disabled.resource is None:
        # The last exported source is out of this table's scope too (the scoping changed since, as after
        # saving a new mapping): the disable still sends the IsSoftDeleted mappings' values, so evaluate
        # them without the scoping filters rather than send nothing.
        from attrs import evolve

        disabled = evaluate(
            evolve(table, scope=()), link.source or {"id": key}, action="update", now=now, soft_deleted=True
        )
    return Plan(
        kind,
        key,
        "deprovision",
        disabled,
        link,
        (read_request(kind, link.target_id),),
        by_id=True,
        cause=cause,
        fingerprint=digest,
    )


_causes = {
    "Unassigned": "no longer assigned (absent from the input)",
    "OutOfScope": "no longer in the scoping filters",
    "SoftDeleted": "disabled or soft-deleted in the source",
    "HardDeleted": "hard-deleted in the source",
}


def decide_object(
    table: Any, plan: Plan, stored: Mapping[str, Any] | None, *, settings: Settings = DEFAULT_SETTINGS
) -> Decision:
    """Step 2: the decision, given what the plan's reads returned (None: no match / not found)."""
    if plan.decision is not None:
        return plan.decision
    evaluation = plan.evaluation
    assert evaluation is not None and evaluation.resource is not None
    table_facts = facts(table)
    kind = table_facts.kind
    if plan.purpose == "deprovision":
        assert plan.link is not None
        wanted = evaluation.resource
        changed = differences(wanted, stored, table_facts.soft_delete, kind)
        drop: Literal["keep", "drop"] = "drop" if plan.cause in ("Unassigned", "OutOfScope") else "keep"
        if not changed:
            return _skip(REDUNDANT, f"{_causes[plan.cause]}; the target object is already disabled", drop)
        return Decision(
            "disable",
            _patch(kind, plan.link.target_id, changed, settings),
            plan.cause,
            f"{_causes[plan.cause]}: disabled through the IsSoftDeleted mapping",
            _modified(changed),
            link=drop,
        )
    if stored is None:
        if plan.by_id:  # the caller reports the 404 as InvalidAnchor; nothing to write
            return _skip("InvalidAnchor", "the linked target object no longer exists")
        if "create" not in settings.actions:
            return _skip(ACTION_DISABLED, "no matching target object, and the Create action is off")
        body = evaluation.resource
        created = tuple(
            (str(p), None, as_text(read(body, p))) for p in table_facts.paths if not unassigned(read(body, p))
        )
        return Decision(
            "create", Request("POST", endpoint(kind), (), body), "", "no matching target object: created", created
        )
    target_id = str(stored.get("id") or (plan.link.target_id if plan.link else ""))
    wanted = evaluation.resource
    if plan.link is None:
        # A match on an object Entra has not provisioned yet is updated with update semantics.
        wanted = evaluate(table, evaluation.imported, action="update").resource or wanted
    changed = differences(wanted, stored, table_facts.paths, kind)
    if not changed:
        return _skip(REDUNDANT, "the state of the object in both the source and target systems already match")
    if "update" not in settings.actions:
        return _skip(ACTION_DISABLED, "the target object differs, but the Update action is off")
    disabling = evaluation.soft_deleted and any(d.path in table_facts.soft_delete for d in changed)
    action: Action = "disable" if disabling else "update"
    role_ops: list[dict[str, Any]] = []
    if any(d.path in table_facts.roles for d in changed):
        role_ops = _role_operations(table, plan, evaluation, settings)
    return Decision(
        action,
        _patch(kind, target_id, changed, settings, role_ops, table_facts.roles),
        plan.cause,
        "differs from the target object: updated" if action == "update" else f"{_causes['SoftDeleted']}: disabled",
        _modified(changed),
    )


def _role_operations(table: Any, plan: Plan, evaluation: Evaluation, settings: Settings) -> list[dict[str, Any]]:
    """App roles as Entra PATCHes them: from the source's change since the last export (so the default
    dialect's quirk, each role object JSON-serialised into a string, is kept), all roles for a new link."""
    before = plan.link.source if plan.link is not None else {}
    body = table.patch(before, evaluation.imported, flags=settings.flags)
    operations = body.get("Operations", []) if isinstance(body, dict) else []
    return [op for op in operations if str(op.get("path", "")).lower() == "roles"]


def _patch(
    kind: str,
    target_id: str,
    changed: Sequence[Difference],
    settings: Settings,
    role_ops: Sequence[dict[str, Any]] = (),
    roles: Sequence[TargetPath] = (),
) -> Request:
    """The PATCH for what differs; app-role differences use ``role_ops`` when there are some."""
    plain = [d.change for d in changed if not (role_ops and d.path in roles)]
    body = patch_body(plain, settings.flags) or {"schemas": [PATCH_SCHEMA], "Operations": []}
    body["Operations"] = [*body["Operations"], *role_ops]
    return Request("PATCH", f"{endpoint(kind)}/{quote(target_id, safe='')}", (), body)


def _modified(changed: Iterable[Difference]) -> tuple[tuple[str, Any, Any], ...]:
    return tuple((str(d.path), as_text(d.old), as_text(d.new)) for d in changed)


# ----------------------------------------------------------------------------------------- references


@frozen
class References:
    """The referenced source ids a table produced for one object and what they resolve to."""

    resolved: tuple[tuple[str, str | None], ...] = field(default=())

    @property
    def targets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, target in self.resolved:
            if target is not None:
                seen.setdefault(target, None)
        return tuple(seen)

    @property
    def unresolved(self) -> tuple[str, ...]:
        return tuple(source for source, target in self.resolved if target is None)


def references(
    table: Any, source: Mapping[str, Any], resolve: Callable[[str], str | None], *, now: Any = None
) -> References:
    """Which referenced objects (manager, members) the table asks for, resolved to target ids."""
    from scimmap.language.source import entra_source

    asked: list[tuple[str, str | None]] = []

    def recorder(source_id: str) -> str | None:
        target = resolve(source_id)
        asked.append((source_id, target))
        return target

    raw = {k: v for k, v in source.items() if k != "@removed"}
    table.apply(entra_source(raw), action="update", resolve=recorder, now=now)
    return References(tuple(asked))


def decide_references(
    table: Any,
    source: Mapping[str, Any],
    *,
    target_id: str,
    resolve: Callable[[str], str | None],
    current_manager: str | None = None,
    current_members: Sequence[str] = (),
    gone: Iterable[str] = (),
    settings: Settings = DEFAULT_SETTINGS,
    now: Any = None,
) -> tuple[Decision, References]:
    """The PATCH that links references once the referenced objects exist (or a skip).

    Managers: Add the manager's target id (Replace when another one is linked).  Members: one PATCH that
    adds every provisioned member that is not yet exported and removes the exported ones that left
    (``current_members``: what the state exported; ``gone``: target ids deleted in this cycle, which the
    service removed from its groups itself).  A member or manager that is not provisioned is skipped.
    """
    table_facts = facts(table)
    found = references(table, source, resolve, now=now)
    kind = table_facts.kind
    path = f"{endpoint(kind)}/{quote(target_id, safe='')}"
    if table_facts.manager is not None:
        wanted = found.targets[0] if found.targets else None
        if wanted is None or wanted == current_manager:
            return Decision(
                "skip",
                None,
                REDUNDANT if wanted else "",
                "manager already linked" if wanted else "no provisioned manager to link",
                manager=current_manager,
            ), found
        if "update" not in settings.actions:
            return _skip(ACTION_DISABLED, "the manager differs, but the Update action is off"), found
        change = Change("add" if current_manager is None else "replace", str(table_facts.manager), wanted)
        body = patch_body([change], settings.flags)
        return Decision(
            "update",
            Request("PATCH", path, (), body),
            "Reference",
            "manager linked",
            ((str(table_facts.manager), current_manager, wanted),),
            manager=wanted,
        ), found
    if table_facts.members is not None:
        deleted = set(gone)
        wanted_members = [m for m in found.targets if m not in deleted]
        current = [m for m in current_members if m not in deleted]
        added = [m for m in wanted_members if m not in current]
        removed = [m for m in current if m not in wanted_members]
        if not added and not removed:
            return Decision("skip", None, REDUNDANT, "members already match", members=tuple(current)), found
        if "update" not in settings.actions:
            return _skip(ACTION_DISABLED, "the members differ, but the Update action is off"), found
        body = patch_body(member_changes(added, removed, settings.flags), settings.flags)
        modified = ((str(table_facts.members), ", ".join(removed) or None, ", ".join(added) or None),)
        return Decision(
            "update",
            Request("PATCH", path, (), body),
            "Reference",
            f"{len(added)} member(s) added, {len(removed)} removed",
            modified,
            members=tuple(wanted_members),
        ), found
    return Decision("skip", None, "", "no reference attributes"), found


__all__ = [
    "Decision",
    "Evaluation",
    "Plan",
    "References",
    "TableFacts",
    "decide_object",
    "decide_references",
    "endpoint",
    "evaluate",
    "facts",
    "fingerprint",
    "match_request",
    "plan_object",
    "read_request",
    "references",
    "removal",
    "source_id",
    "tables_fingerprint",
]
