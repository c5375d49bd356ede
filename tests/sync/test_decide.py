"""The pure per-object decision (what ``scimmap diff`` reuses) and the choices docs/sync.md marks as
scimmap's own where Microsoft's pages are silent: each test names the choice it pins."""

from __future__ import annotations

import json

import attrs
import httpx

import scimmap
from scimmap.provision import HttpTarget, Link, Request, Settings, decide_object, decide_references, plan_object
from scimmap.provision.decide import facts, fingerprint, read_request
from sync.helpers import ADELE, MEGAN, Harness, examples

USER = scimmap.preset("entra-user")
GROUP = scimmap.preset("entra-group")
MEGAN_SOURCE = next(u for u in examples("users.jsonl") if u["id"] == MEGAN)


def test_unlinked_object_plans_the_matching_queries_then_creates() -> None:
    plan = plan_object(USER, MEGAN_SOURCE, link=None)
    assert [r.target for r in plan.reads] == ["/Users?filter=userName+eq+%22megan%40contoso.com%22"]
    decision = decide_object(USER, plan, None)
    assert decision.action == "create" and decision.request.method == "POST"
    assert decision.request.body["userName"] == "megan@contoso.com"


def test_choice_a_linked_object_is_read_by_its_id_not_matched_again() -> None:
    link = Link("t-1", fingerprint="old", source=MEGAN_SOURCE)
    plan = plan_object(USER, {**MEGAN_SOURCE, "jobTitle": "X"}, link=link)
    assert plan.reads == (read_request("User", "t-1"),) and plan.by_id


def test_choice_an_unchanged_object_is_not_looked_at() -> None:
    digest = fingerprint(MEGAN_SOURCE, facts(USER).tables)
    plan = plan_object(USER, MEGAN_SOURCE, link=Link("t-1", fingerprint=digest, source=MEGAN_SOURCE))
    assert plan.reads == () and plan.decision.reason == "Unchanged"
    assert plan_object(USER, MEGAN_SOURCE, link=Link("t-1", fingerprint=digest), settings=Settings(full=True)).reads


def test_a_mapping_change_makes_every_object_new_again() -> None:
    digest = fingerprint(MEGAN_SOURCE, facts(USER).tables)
    original = scimmap.preset("entra-user")
    changed = attrs.evolve(original, mappings=original.mappings[:-1])
    assert plan_object(changed, MEGAN_SOURCE, link=Link("t-1", fingerprint=digest)).reads


def test_a_disabled_user_is_never_created_nor_matched() -> None:
    plan = plan_object(USER, {**MEGAN_SOURCE, "accountEnabled": False}, link=None)
    assert plan.reads == () and plan.decision.action == "skip" and plan.decision.reason == "NotActive"


def test_choice_no_value_for_any_matching_attribute_is_import_skipped() -> None:
    plan = plan_object(USER, {"id": "x", "displayName": "No UPN"}, link=None)
    assert plan.decision.reason == "ImportSkipped" and plan.reads == ()


def test_unassigned_linked_user_is_disabled_from_its_last_imported_source() -> None:
    plan = plan_object(USER, None, link=Link("t-1", source=MEGAN_SOURCE), source_key=MEGAN)
    stored = {"id": "t-1", "userName": "megan@contoso.com", "active": True}
    decision = decide_object(USER, plan, stored)
    assert decision.action == "disable" and decision.link == "drop"
    assert decision.request.body["Operations"] == [{"op": "Replace", "path": "active", "value": "False"}]
    assert decide_object(USER, plan, {**stored, "active": False}).reason == "RedundantExport"


def test_a_table_without_an_issoftdeleted_mapping_deletes() -> None:
    plan = plan_object(GROUP, None, link=Link("g-1"), source_key="g")
    assert plan.decision.action == "delete" and plan.decision.request == Request("DELETE", "/Groups/g-1")


def test_out_of_scope_with_skip_out_of_scope_deletions_drops_the_link_only() -> None:
    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n"
        "    match: 1\n  - target: active\n    expression: Not([IsSoftDeleted])\n"
        "scope:\n  - - {attribute: department, operator: EQUALS, value: Sales}\n"
    )
    plan = plan_object(
        table, MEGAN_SOURCE, link=Link("t-1", source=MEGAN_SOURCE), settings=Settings(skip_out_of_scope_deletions=True)
    )
    assert plan.decision.reason == "SkipOutOfScopeDeletions" and plan.decision.link == "drop"
    assert plan.decision.request is None


def test_choice_members_are_compared_with_what_was_exported() -> None:
    group = {"id": "g", "displayName": "G", "members": [{"id": ADELE}, {"id": MEGAN}]}
    links = {ADELE: "t-a", MEGAN: "t-m"}
    decision, found = decide_references(
        GROUP, group, target_id="t-g", resolve=links.get, current_members=["t-a", "t-old"]
    )
    assert decision.request.body["Operations"] == [
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": "t-m"}]},
        {"op": "Remove", "path": "members", "value": [{"value": "t-old"}]},
    ]
    assert decision.members == ("t-a", "t-m") and found.unresolved == ()


def test_manager_is_added_then_replaced() -> None:
    links = {MEGAN: "t-m", "other": "t-o"}
    adele = next(u for u in examples("users.jsonl") if u["id"] == ADELE)
    first, _ = decide_references(USER, adele, target_id="t-a", resolve=links.get)
    assert first.request.body["Operations"][0]["op"] == "Add"
    moved, _ = decide_references(
        USER, {**adele, "manager": {"id": "other"}}, target_id="t-a", resolve=links.get, current_manager="t-m"
    )
    assert moved.request.body["Operations"][0] == {
        "op": "Replace",
        "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
        "value": "t-o",
    }
    same, _ = decide_references(USER, adele, target_id="t-a", resolve=links.get, current_manager="t-m")
    assert same.request is None


def test_choice_a_linked_object_gone_from_the_target_is_invalid_anchor_and_stays_linked() -> None:
    harness = Harness()
    harness.cycle()
    megan = harness.server.user("megan@contoso.com")
    assert harness.target.send(Request("DELETE", f"/Users/{megan['id']}")).status == 204
    harness.user(MEGAN)["jobTitle"] = "Changed"
    harness.server.log.clear()
    run = harness.cycle()
    failed = [r for r in run.records if r["provisioningStatusInfo"]["status"] == "failure"]
    assert [r["provisioningStatusInfo"]["errorInformation"]["errorCode"] for r in failed] == ["InvalidAnchor"]
    assert harness.state.get("User", MEGAN).target_id == megan["id"]
    assert harness.server.log.writes == []  # not re-created behind the admin's back: Entra reports it


def test_choice_a_delete_answered_404_counts_as_done() -> None:
    harness = Harness()
    harness.cycle()
    megan = harness.server.user("megan@contoso.com")
    harness.target.send(Request("DELETE", f"/Users/{megan['id']}"))
    users = [u for u in harness.users if u["id"] != MEGAN] + [{"id": MEGAN, "@removed": {"reason": "deleted"}}]
    run = harness.cycle(users)
    assert run.result.counts["deleted"] == 1 and run.result.exit_code == 0
    assert harness.state.get("User", MEGAN) is None


def test_an_unassigned_group_is_deleted() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    harness.cycle(groups=[g for g in harness.groups if g["displayName"] != "Guests"])
    assert [w["method"] for w in harness.server.log.writes] == ["DELETE"]
    assert [g["displayName"] for g in harness.server.resources("Group")] == ["Retail"]


def test_records_carry_entras_steps() -> None:
    harness = Harness()
    run = harness.cycle()
    adele = next(r for r in run.records if r["sourceIdentity"]["id"] == ADELE)
    assert [(s["name"], s["provisioningStepType"]) for s in adele["provisioningSteps"]] == [
        ("EntryImport", "import"),
        ("EntrySynchronizationScoping", "scoping"),
        ("EntryImport", "matching"),
        ("EntryExportAdd", "export"),
        ("EntryReferenceResolution", "referenceResolution"),
        ("EntryExportUpdate", "export"),
    ]
    assert adele["provisioningAction"] == "create" and adele["targetIdentity"]["id"]
    assert {"displayName": "userName", "oldValue": None, "newValue": "adele@contoso.com"} in adele["modifiedProperties"]
    jo = next(r for r in run.records if r["sourceIdentity"]["id"].startswith("c3d4"))
    assert jo["provisioningAction"] == "other" and jo["provisioningStatusInfo"]["status"] == "skipped"
    json.dumps(run.records)  # plain JSON


def _broken_app(status: str, body: dict, headers: tuple = ()) -> object:
    def app(environ, start_response):  # a SCIM app that answers every request the same way
        start_response(status, [("Content-Type", "application/scim+json"), *headers])
        return [json.dumps(body).encode()]

    return app


def test_test_connection_must_answer_an_empty_list_response() -> None:
    from scimmap.provision import Cycle

    for status, body in (
        ("404 Not Found", {"detail": "no such route"}),
        ("200 OK", {"totalResults": 1, "Resources": [{"id": "x"}]}),
    ):
        target = HttpTarget("http://app.test", "t", transport=httpx.WSGITransport(app=_broken_app(status, body)))
        result = Cycle(target, USER).run([MEGAN_SOURCE])
        assert result.exit_code == 2 and result.aborted.diagnostic.code == "test-connection-failed"
        assert result.requests == 1


def test_choice_a_retry_after_longer_than_the_cap_is_not_waited_for() -> None:
    sleeps: list[float] = []
    app = _broken_app("429 Too Many Requests", {"detail": "later"}, (("Retry-After", "3600"),))
    target = HttpTarget(
        "http://app.test", "t", transport=httpx.WSGITransport(app=app), sleep=sleeps.append, max_retry_after=10
    )
    answer = target.send(Request("GET", "/Users"))
    assert answer.status == 429 and answer.attempts == 1 and sleeps == []


def test_without_retry_after_the_back_off_doubles_and_is_bounded() -> None:
    sleeps: list[float] = []
    app = _broken_app("503 Service Unavailable", {"detail": "busy"})
    target = HttpTarget(
        "http://app.test",
        "t",
        transport=httpx.WSGITransport(app=app),
        sleep=sleeps.append,
        retries=5,
        backoff=1.0,
        max_backoff=4.0,
    )
    answer = target.send(Request("GET", "/Users"))
    assert answer.status == 503 and answer.attempts == 6 and sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]


ROLES = scimmap.load_mapping(
    "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n"
    "    match: 1\n  - target: roles\n    expression: AppRoleAssignmentsComplex([appRoleAssignments])\n"
)


def test_app_roles_are_patched_in_entras_shape_for_each_dialect() -> None:
    before = {"id": "u", "userPrincipalName": "a@b.c", "appRoleAssignments": ["Admin"]}
    after = {**before, "appRoleAssignments": ["Admin", "Reader"]}
    stored = {
        "id": "t",
        "userName": "a@b.c",
        "roles": [
            {"value": "Admin", "displayName": "Admin", "primary": False, "type": "WindowsAzureActiveDirectoryRole"}
        ],
    }
    link = Link("t", source=before)
    default = decide_object(ROLES, plan_object(ROLES, after, link=link), stored)
    # the default dialect's documented quirk: the role object JSON-serialised into a string
    assert default.request.body["Operations"] == [
        {"op": "Add", "path": "roles", "value": [{"value": '{"value":"Reader","displayName":"Reader"}'}]}
    ]
    flagged = Settings(flags=("aadOptscim062020",))
    compliant = decide_object(ROLES, plan_object(ROLES, after, link=link, settings=flagged), stored, settings=flagged)
    assert compliant.request.body["Operations"] == [
        {
            "op": "add",
            "path": "roles",
            "value": [
                {
                    "primary": False,
                    "type": "WindowsAzureActiveDirectoryRole",
                    "value": "Reader",
                    "displayName": "Reader",
                }
            ],
        }
    ]
    same = decide_object(ROLES, plan_object(ROLES, before, link=link, settings=Settings(full=True)), stored)
    assert same.reason == "RedundantExport"


def test_the_decision_answers_what_saving_a_new_mapping_does_offline() -> None:
    """The use ``scimmap diff`` makes of it: the target holds what the old mapping exported."""
    from scimmap.provision import evaluate

    new = scimmap.load_mapping(
        scimmap.preset("entra-user").to_yaml().replace("source: displayName", "expression: ToUpper([displayName])", 1)
    )
    stored = {**evaluate(USER, MEGAN_SOURCE, action="update").resource, "id": "t-1"}
    plan = plan_object(new, MEGAN_SOURCE, link=Link("t-1", source=MEGAN_SOURCE))
    decision = decide_object(new, plan, stored)
    assert decision.action == "update"
    assert decision.request.body["Operations"] == [{"op": "Replace", "path": "displayName", "value": "MEGAN BOWEN"}]
    assert decide_object(USER, plan_object(USER, MEGAN_SOURCE, link=Link("t-1")), stored).reason == "RedundantExport"
