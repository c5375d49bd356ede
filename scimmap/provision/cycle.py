"""One provisioning cycle: Entra's order of work over a target, with state and provisioning logs.

The order (how-provisioning-works.md, use-scim-to-provision-users-and-groups.md):

1. Test Connection: ``GET /Users?filter=userName eq "<random GUID>"`` must answer 200 with no results;
   401/403 (or anything else) stops the cycle before any object is touched;
2. users: import, scope, match (or read the linked id), then create / update / disable / delete;
   then the users that are no longer in the input (unassigned);
3. user references: the manager PATCH, once every user of the cycle exists;
4. groups the same way, created without members;
5. group members by PATCH, once the groups exist (members that are not provisioned are skipped).

Each object's decision comes from :mod:`scimmap.provision.decide`; this module only sends the requests
it asks for, keeps the state and writes the records.  A request that fails for one object is recorded
with the service's ``detail`` and the cycle goes on; an unreachable service or refused credentials stop
it (:class:`~scimmap.provision.protocol.ProvisioningError`).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from attrs import define, evolve, field

from scimmap.errors import Diagnostic, ScimmapError
from scimmap.provision.decide import (
    Decision,
    Plan,
    decide_object,
    decide_references,
    endpoint,
    facts,
    plan_object,
    source_id,
)
from scimmap.provision.log import (
    DUPLICATE_TARGETS,
    INCOMPATIBLE,
    MULTIPLE_ENTRIES,
    UNREACHABLE,
    Record,
    error_code,
    scrub,
)
from scimmap.provision.protocol import ProvisioningError, Request, Response, Target
from scimmap.provision.settings import DEFAULT_SETTINGS, Settings
from scimmap.provision.state import Link, State
from scimmap.scim.resource import read

COUNTED = ("created", "updated", "disabled", "deleted", "unchanged", "skipped", "failed")
_COUNT_OF = {"create": "created", "update": "updated", "disable": "disabled", "delete": "deleted"}
_EXPORT_STEP = {
    "create": "EntryExportAdd",
    "update": "EntryExportUpdate",
    "disable": "EntryExportUpdate",
    "delete": "EntryExportDelete",
}

Exchange = Callable[[Request, Response], None]


@define
class CycleResult:
    """What a cycle did: counts per action, and why it stopped early (None: it ran to the end)."""

    counts: Counter[str] = field(factory=Counter)
    aborted: ProvisioningError | None = None
    requests: int = 0
    writes: int = 0

    @property
    def exit_code(self) -> int:
        """0 every object succeeded, 1 some failed, 2 the cycle could not run."""
        if self.aborted is not None:
            return 2
        return 1 if self.counts["failed"] else 0

    def summary(self) -> str:
        return ", ".join(f"{name} {self.counts[name]}" for name in COUNTED if name != "skipped" or self.counts[name])


@define
class _Pending:
    """An object whose references are linked in the reference pass (its record stays open)."""

    key: str
    source: Mapping[str, Any]
    record: Record
    manager: str | None
    action: str


class _RequestFailed(Exception):
    def __init__(self, code: str, reason: str, response: Response | None = None) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.response = response


class Cycle:
    """A provisioning cycle over a :class:`~scimmap.provision.protocol.Target`.

    ``on_record`` receives every provisioningObjectSummary record, ``on_exchange`` every request with
    its response (Redact()-ed values already replaced), ``on_progress`` ``(done, total)``.
    """

    def __init__(
        self,
        target: Target,
        user_table: Any,
        group_table: Any = None,
        *,
        settings: Settings = DEFAULT_SETTINGS,
        state: State | None = None,
        on_record: Callable[[dict[str, Any]], None] | None = None,
        on_exchange: Exchange | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        target_system: str = "SCIM",
        now: Any = None,
    ) -> None:
        self.target = target
        self.tables = {"User": user_table, "Group": group_table}
        self.settings = settings
        self.state = state if state is not None else State()
        self.on_record = on_record
        self.on_exchange = on_exchange
        self.on_progress = on_progress
        self.target_system = target_system
        self.now = now
        self.cycle_id = str(uuid.uuid4())
        self.result = CycleResult()
        self._gone: set[str] = set()
        self._released: set[str] = set()
        """Target ids no longer managed after this cycle (deleted, or disabled and unlinked): groups that
        exported them as members are evaluated again even when their source did not change."""
        self._done = 0
        self._total = 0

    # ------------------------------------------------------------------------------ the cycle

    def run(self, users: Iterable[Any], groups: Iterable[Any] = ()) -> CycleResult:
        user_sources = self._import("User", users)
        group_sources = self._import("Group", groups) if self.tables["Group"] is not None else {}
        absent_users = [k for k, _ in self.state.items("User") if k not in user_sources]
        absent_groups = (
            [k for k, _ in self.state.items("Group") if k not in group_sources]
            if self.tables["Group"] is not None
            else []
        )
        self._total = len(user_sources) + len(group_sources) + len(absent_users) + len(absent_groups)
        pending: list[_Pending] = []
        try:
            if self.settings.test_connection:
                self.test_connection()
            for kind, sources, absent in (
                ("User", user_sources, absent_users),
                ("Group", group_sources, absent_groups),
            ):
                if self.tables[kind] is None:
                    continue
                for key, source in sources.items():
                    self._object(kind, key, source, pending)
                for key in absent:
                    self._object(kind, key, None, pending)
                while pending:
                    self._references(kind, pending.pop(0))
        except ProvisioningError as error:
            self.result.aborted = error
            for item in pending:  # written, but their references were never linked: the next cycle does it
                item.record.step(
                    "EntryReferenceResolution",
                    "referenceResolution",
                    "skipped",
                    f"the cycle stopped before references were linked: {error.diagnostic.message}",
                )
                self._emit(item.record, _COUNT_OF.get(item.action, "unchanged"))
        finally:
            self.state.checkpoint()
        return self.result

    def _import(self, kind: str, sources: Iterable[Any]) -> dict[str, Mapping[str, Any]]:
        """Source objects by id; records that are not objects or have no id are reported and skipped."""
        found: dict[str, Mapping[str, Any]] = {}
        for number, source in enumerate(sources, 1):
            key = source_id(source) if isinstance(source, Mapping) else None
            if key is None:
                record = self._record(kind, f"#{number}")
                what = "not a JSON object" if not isinstance(source, Mapping) else "has no id"
                record.step("EntryImport", "import", "failure", f"{kind} record {number} {what}")
                record.fail("ImportSkipped", f"{kind} record {number} {what}: a source object needs its id")
                self._emit(record, "failed")
                continue
            found[key] = source
        return found

    def test_connection(self) -> None:
        """Entra's Test Connection: a filter for a random userName must answer 200 with no results."""
        user_facts = facts(self.tables["User"])
        attribute = str(user_facts.identity) if user_facts.identity is not None else "userName"
        request = Request("GET", "/Users", (("filter", f'{attribute} eq "{uuid.uuid4()}"'),))
        response = self._send(request)
        if response.status in (401, 403):
            raise self._refused(response)
        resources = _list_resources(response)
        if response.status != 200 or resources is None or resources:
            problem = (
                f"answered HTTP {response.status}"
                if response.status != 200
                else "did not answer a SCIM ListResponse"
                if resources is None
                else "returned results for a userName that does not exist"
            )
            raise ProvisioningError(
                Diagnostic(
                    "test-connection-failed",
                    f"Test Connection failed: GET {request.target} {problem}"
                    + (f": {response.detail}" if response.detail and response.status != 200 else ""),
                    hint="Entra runs this query before every cycle; the service must answer 200 with an empty "
                    "ListResponse for a filter that matches nothing",
                )
            )

    # ------------------------------------------------------------------------------ one object

    def _object(self, kind: str, key: str, source: Mapping[str, Any] | None, pending: list[_Pending]) -> None:
        table = self.tables[kind]
        link = self.state.get(kind, key)
        record = self._record(kind, key)
        if link is not None:
            record.target_id = link.target_id
        settings = self.settings
        if kind == "Group" and link is not None and self._released.intersection(link.members):
            settings = evolve(settings, full=True)  # a member it exported is gone: its members need a look
        try:
            plan = plan_object(table, source, link=link, settings=settings, source_key=key, now=self.now)
        except ScimmapError as error:
            self._import_step(record, source, None)
            self._failed(record, error)
            return
        if plan.decision is not None and plan.decision.reason == "Unchanged":
            self.result.counts["unchanged"] += 1
            self._tick()
            return
        evaluation = plan.evaluation
        if evaluation is not None:
            record.source_display = evaluation.display
            record.secrets.update(evaluation.secrets)
        self._import_step(record, source, plan)
        stored: Mapping[str, Any] | None = None
        try:
            if plan.reads:
                stored = self._read(plan, record)
            decision = decide_object(table, plan, stored, settings=self.settings)
            self._export(kind, key, source, plan, decision, stored, record, pending)
        except _RequestFailed as failure:
            record.fail(failure.code, failure.reason, failure.response)
            self._emit(record, "failed")
        except ProvisioningError as error:
            self._stopped(record, error)
            raise
        except ScimmapError as error:
            self._failed(record, error)

    def _stopped(self, record: Record, error: ProvisioningError) -> None:
        """The object in hand when the cycle stopped (credentials refused, service unreachable)."""
        record.fail(
            "Unauthorized" if error.diagnostic.code == "unauthorized" else UNREACHABLE, error.diagnostic.message
        )
        self._emit(record, "failed")

    def _failed(self, record: Record, error: ScimmapError) -> None:
        """An object the mapping could not handle (an evaluation error...): recorded with its diagnostic."""
        first = error.diagnostics[0] if error.diagnostics else Diagnostic("evaluation", str(error))
        record.fail(first.code, first.message)
        self._emit(record, "failed")

    def _import_step(self, record: Record, source: Mapping[str, Any] | None, plan: Plan | None) -> None:
        kind = record.kind
        if source is None:
            record.step(
                "EntryImport",
                "import",
                "success",
                f"{kind} '{record.source_id}' is no longer in the input (unassigned)",
                {},
            )
        else:
            shown = plan.evaluation.imported if plan is not None and plan.evaluation is not None else source
            record.step(
                "EntryImport",
                "import",
                "success",
                f"Retrieved {kind} '{record.source_display or record.source_id}' from the input",
                {k: v for k, v in shown.items() if not str(k).startswith("@")},
            )
        if plan is None or plan.evaluation is None:
            return
        evaluation = plan.evaluation
        record.step(
            "EntrySynchronizationScoping",
            "scoping",
            "success" if evaluation.in_scope else "skipped",
            f"Determine if {kind} in scope by evaluating against each scoping filter",
            {
                "Assigned": source is not None,
                "IsActive": not evaluation.soft_deleted,
                "IsInProvisioningScope": evaluation.in_scope,
                "IsEffectivelyEntitledForProvisioning": evaluation.in_scope and source is not None,
            },
        )

    def _read(self, plan: Plan, record: Record) -> Mapping[str, Any] | None:
        kind = plan.kind
        if plan.by_id:
            request = plan.reads[0]
            response = self._send(request, record.secrets)
            if response.status == 404:
                record.step(
                    "EntryImport",
                    "matching",
                    "failure",
                    f"the linked {kind} '{plan.link.target_id if plan.link else ''}' no longer exists",
                )
                raise _RequestFailed(
                    "InvalidAnchor",
                    f"GET {request.target} answered 404: the object this "
                    f"{kind} was linked to no longer exists ({response.detail})",
                    response,
                )
            body = self._checked(request, response)
            if not isinstance(body, Mapping) or not body.get("id"):
                raise _RequestFailed(INCOMPATIBLE, f"GET {request.target} did not return a resource", response)
            self._members_check(kind, request, response, [body])
            record.step(
                "EntryImport",
                "matching",
                "success",
                f"Retrieved {kind} '{body.get('id')}' from {self.target_system}",
                _summary(body),
            )
            return body
        for request in plan.reads:
            response = self._send(request, record.secrets)
            self._checked(request, response)
            resources = _list_resources(response)
            if resources is None:
                raise _RequestFailed(INCOMPATIBLE, f"GET {request.target} did not answer a SCIM ListResponse", response)
            if len(resources) > 1:
                record.step("EntryImport", "matching", "failure", f"{len(resources)} objects match {request.target}")
                raise _RequestFailed(
                    DUPLICATE_TARGETS,
                    f"{len(resources)} {kind} objects in the target match {dict(request.query).get('filter')}",
                    response,
                )
            self._members_check(kind, request, response, resources)
            if resources:
                found = resources[0]
                if not isinstance(found, Mapping) or not found.get("id"):
                    raise _RequestFailed(INCOMPATIBLE, f"GET {request.target} returned a resource without id", response)
                record.target_id = str(found["id"])
                record.step(
                    "EntryImport",
                    "matching",
                    "success",
                    f"Matched {kind} '{found.get('id')}' with {dict(request.query).get('filter')}",
                    _summary(found),
                )
                return found
        record.step(
            "EntryImport",
            "matching",
            "success",
            f"No {kind} in {self.target_system} matches; tried "
            + "; ".join(dict(r.query).get("filter", "") for r in plan.reads),
        )
        return None

    def _members_check(self, kind: str, request: Request, response: Response, resources: list[Any]) -> None:
        if kind == "Group" and any(isinstance(r, Mapping) and r.get("members") for r in resources):
            raise _RequestFailed(
                MULTIPLE_ENTRIES,
                f"GET {request.target} asked for excludedAttributes=members but the group came back with its members",
                response,
            )

    def _export(
        self,
        kind: str,
        key: str,
        source: Mapping[str, Any] | None,
        plan: Plan,
        decision: Decision,
        stored: Mapping[str, Any] | None,
        record: Record,
        pending: list[_Pending],
    ) -> None:
        record.action = decision.provisioning_action
        link = plan.link
        table_facts = facts(self.tables[kind])
        has_references = table_facts.manager is not None or table_facts.members is not None
        if decision.request is None:
            record.status = "skipped"
            record.step(
                "EntrySynchronizationSkip", "export", "skipped", decision.description, {"SkipReason": decision.reason}
            )
            if decision.link == "drop":
                self.state.drop(kind, key)  # left alone in the target, memberships included
            elif stored is not None and source is not None and decision.reason == "RedundantExport":
                target_id = str(stored.get("id") or (link.target_id if link else ""))
                record.target_id = target_id
                self._link(kind, key, source, plan, target_id, link, pending, record, stored, "skip")
                if has_references:
                    return
            self._emit(record, "unchanged" if decision.reason == "RedundantExport" else "skipped")
            return
        response = self._send(decision.request, record.secrets)
        body = self._checked(decision.request, response)
        record.modify(decision.modified)
        record.step(
            _EXPORT_STEP[decision.action],
            "export",
            "success",
            f"{decision.description} ({decision.request.method} {decision.request.path})",
            {"ReferenceAttributes": "pending" if has_references and decision.link == "keep" else None},
        )
        if decision.action == "delete" and link is not None:
            self._gone.add(link.target_id)
        if decision.link == "drop":
            self._release(kind, key, link)
            self._emit(record, _COUNT_OF[decision.action])
            return
        if decision.action == "create":
            if not isinstance(body, Mapping) or not body.get("id"):
                raise _RequestFailed(
                    INCOMPATIBLE,
                    f"POST {decision.request.path} answered {response.status} without the new resource's id",
                    response,
                )
            target_id = str(body["id"])
        else:
            target_id = link.target_id if link is not None else str((stored or {}).get("id", ""))
        record.target_id = target_id
        self._link(
            kind,
            key,
            source if source is not None else link.source if link else {},
            plan,
            target_id,
            link,
            pending,
            record,
            stored,
            decision.action,
        )
        if not has_references:  # otherwise the record is finished by the reference pass
            self._emit(record, _COUNT_OF[decision.action])

    def _release(self, kind: str, key: str, link: Link | None) -> None:
        if link is not None:
            self._released.add(link.target_id)
        self.state.drop(kind, key)

    def _link(
        self,
        kind: str,
        key: str,
        source: Mapping[str, Any],
        plan: Plan,
        target_id: str,
        link: Link | None,
        pending: list[_Pending],
        record: Record,
        stored: Mapping[str, Any] | None,
        action: str,
    ) -> None:
        """Remember the target id; objects with references stay unfinished until the reference pass."""
        table_facts = facts(self.tables[kind])
        has_references = table_facts.manager is not None or table_facts.members is not None
        manager = link.manager if link is not None else None
        if stored is not None and table_facts.manager is not None:
            value = read(dict(stored), table_facts.manager)
            manager = (
                str(value.get("value"))
                if isinstance(value, Mapping) and value.get("value")
                else (value if isinstance(value, str) and value else None)
            )
        members = link.members if link is not None else ()
        # the source is kept for a later disable; Redact()-ed values do not go to disk.  A delta's soft-delete
        # marker carries only the id: the attributes last imported are kept with it.
        merged = {**link.source, **source} if link is not None and "@removed" in source else source
        kept = scrub({k: v for k, v in merged.items() if k != "@removed"}, record.secrets)
        self.state.put(kind, key, Link(target_id, None if has_references else plan.fingerprint, kept, members, manager))
        if has_references:
            pending.append(_Pending(key, kept, record, manager, action))

    # ------------------------------------------------------------------------------ references

    def _references(self, kind: str, item: _Pending) -> None:
        table = self.tables[kind]
        link = self.state.get(kind, item.key)
        record = item.record
        counted = _COUNT_OF.get(item.action, "unchanged")
        if link is None:
            self._emit(record, counted)
            return
        try:
            decision, found = decide_references(
                table,
                item.source,
                target_id=link.target_id,
                resolve=self._resolve,
                current_manager=item.manager,
                current_members=link.members,
                gone=self._gone,
                settings=self.settings,
                now=self.now,
            )
            record.step(
                "EntryReferenceResolution",
                "referenceResolution",
                "warning" if found.unresolved else "success",
                f"{len(found.targets)} reference(s) resolved, {len(found.unresolved)} not provisioned",
                {"Resolved": list(found.targets), "NotProvisioned": list(found.unresolved)},
            )
            if decision.request is not None:
                response = self._send(decision.request, record.secrets)
                self._checked(decision.request, response)
                record.modify(decision.modified)
                record.step(
                    "EntryExportUpdate",
                    "export",
                    "success",
                    f"{decision.description} ({decision.request.method} {decision.request.path})",
                )
                if record.action == "other":
                    record.action = "update"
                    counted = "updated"
            digest = _fingerprint_after(table, item.source)
            self.state.put(
                kind,
                item.key,
                link.evolve(
                    fingerprint=digest,
                    members=decision.members if decision.members is not None else link.members,
                    manager=decision.manager if decision.manager is not None else link.manager,
                ),
            )
            self._emit(record, counted)
        except _RequestFailed as failure:
            record.fail(failure.code, failure.reason, failure.response)
            self._emit(record, "failed")
        except ProvisioningError as error:
            self._stopped(record, error)
            raise
        except ScimmapError as error:
            self._failed(record, error)

    def _resolve(self, source_id: str) -> str | None:
        """A referenced user's target id, when that user is provisioned (and not deleted in this cycle)."""
        target = self.state.target_id("User", source_id)
        return None if target is None or target in self._gone else target

    # ------------------------------------------------------------------------------ plumbing

    def _send(self, request: Request, secrets: set[str] | None = None) -> Response:
        """Send one request; the exchange callback sees it with the object's Redact()-ed values hidden."""
        response = self.target.send(request)
        self.result.requests += 1
        if request.is_write:
            self.result.writes += 1
        if self.on_exchange is not None:
            hidden = secrets or set()
            self.on_exchange(_scrubbed_request(request, hidden), scrub_response(response, hidden))
        if response.status in (401, 403):
            raise self._refused(response)
        return response

    def _refused(self, response: Response) -> ProvisioningError:
        return ProvisioningError(
            Diagnostic(
                "unauthorized",
                f"the service refused the credentials (HTTP {response.status}): {response.detail}",
                hint="check the bearer token (scimmap reads it from the environment, SCIM_TOKEN unless "
                "--token-env names another variable); Entra stops the cycle the same way",
            )
        )

    def _checked(self, request: Request, response: Response) -> Any:
        if response.ok:
            return response.body
        if response.status == 404 and request.method == "DELETE":
            return None  # already gone: what the DELETE wanted
        raise _RequestFailed(
            error_code(response.status),
            f"{request.method} {request.target} answered {response.status}: {response.detail}",
            response,
        )

    def _record(self, kind: str, key: str) -> Record:
        table = self.tables[kind]
        target_type = table.target_object if table is not None and table.target_object else kind
        return Record(self.cycle_id, kind, key, target_type, self.target_system, started=time.perf_counter())

    def _emit(self, record: Record, counted: str) -> None:
        self.result.counts[counted] += 1
        if counted == "failed":
            record.status = "failure"
        if self.on_record is not None:
            self.on_record(record.to_json(int((time.perf_counter() - record.started) * 1000)))
        self._tick()

    def _tick(self) -> None:
        self._done += 1
        if self.on_progress is not None:
            self.on_progress(self._done, self._total)


def _fingerprint_after(table: Any, source: Mapping[str, Any]) -> str:
    from scimmap.provision.decide import fingerprint

    return fingerprint(source, facts(table).tables)


def _list_resources(response: Response) -> list[Any] | None:
    """The resources of a ListResponse (RFC 7644 §3.4.2; ``Resources`` may be left out when empty)."""
    body = response.body
    if not isinstance(body, Mapping):
        return None
    resources = body.get("Resources")
    if resources is None and isinstance(body.get("totalResults"), int):
        return []
    return list(resources) if isinstance(resources, list) else None


def _summary(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The target object as the matching step shows it: top-level simple attributes."""
    return {k: v for k, v in resource.items() if not isinstance(v, (dict, list)) and k != "schemas"}


def _scrubbed_request(request: Request, secrets: set[str]) -> Request:
    if not secrets or request.body is None:
        return request
    return Request(request.method, request.path, request.query, scrub(request.body, secrets))


def scrub_response(response: Response, secrets: set[str]) -> Response:
    if not secrets:
        return response
    return Response(
        response.status,
        scrub(response.body, secrets),
        response.headers,
        response.attempts,
        scrub(response.text, secrets),
    )


def run_cycle(
    target: Target,
    user_table: Any,
    users: Iterable[Any],
    group_table: Any = None,
    groups: Iterable[Any] = (),
    **options: Any,
) -> CycleResult:
    """Run one cycle (see :class:`Cycle` for the options)."""
    return Cycle(target, user_table, group_table, **options).run(users, groups)


__all__ = ["Cycle", "CycleResult", "endpoint", "run_cycle"]
