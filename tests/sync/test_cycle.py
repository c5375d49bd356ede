"""Entra's cycle against python-scim's scim2-server, in-process (httpx.WSGITransport).

Every outcome is asserted from the server's side: what it stores and the requests it logged.
"""

from __future__ import annotations

import scimmap
from scimmap.provision import Cycle, PlanningTarget, Request
from sync.helpers import ADELE, MEGAN, Harness
from sync.scimserver import MANAGER, Server

FLAG = ("aadOptscim062020",)


def _ops(entry: dict) -> list[dict]:
    return entry["body"]["Operations"]


def test_initial_cycle_creates_users_links_the_manager_then_groups_and_members() -> None:
    harness = Harness()
    run = harness.cycle()
    assert run.result.exit_code == 0, run.failures()
    log = harness.server.log.entries
    assert all(e["authorization"] == f"Bearer {harness.server.token}" for e in log)
    assert all(e["content_type"] == "application/scim+json" for e in log if e["body"] is not None)
    # Test Connection first: a random userName, answered 200 with no results.
    assert log[0]["method"] == "GET" and log[0]["query"]["filter"].startswith('userName eq "')
    sequence = [(e["method"], e["path"].split("/")[2]) for e in log]
    assert sequence == [
        ("GET", "Users"),
        ("GET", "Users"),
        ("POST", "Users"),  # adele
        ("GET", "Users"),
        ("POST", "Users"),  # megan (jo is disabled: never created)
        ("PATCH", "Users"),  # adele's manager, once megan exists
        ("GET", "Groups"),
        ("POST", "Groups"),
        ("GET", "Groups"),
        ("POST", "Groups"),
        ("PATCH", "Groups"),
    ]  # Retail's members
    group_posts = [e for e in log if e["method"] == "POST" and e["path"].endswith("/Groups")]
    assert all("members" not in e["body"] for e in group_posts)
    assert log[6]["query"] == {"excludedAttributes": "members", "filter": 'displayName eq "Retail"'}
    adele, megan = harness.server.user("adele@contoso.com"), harness.server.user("megan@contoso.com")
    assert adele["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"] == megan["id"]
    assert {m["value"] for m in harness.server.group("Retail")["members"]} == {adele["id"], megan["id"]}
    assert not harness.server.group("Guests").get("members")
    assert len(harness.server.resources("User")) == 2
    counts = run.result.counts
    assert (counts["created"], counts["skipped"], counts["failed"]) == (4, 1, 0)


def test_an_unchanged_second_cycle_sends_no_writes() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    run = harness.cycle()
    assert harness.server.log.writes == []
    assert len(harness.server.log.entries) == 1  # Test Connection only, as an incremental cycle
    assert run.result.counts["unchanged"] == 4
    harness.server.log.clear()
    harness.cycle(full=True)  # "Restart provisioning": everything read again, still nothing written
    assert harness.server.log.writes == []
    assert len(harness.server.log.entries) > 1


def test_an_update_is_one_patch_with_only_the_changed_attribute() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    harness.user(MEGAN)["jobTitle"] = "Director"
    run = harness.cycle()
    writes = harness.server.log.writes
    megan = harness.server.user("megan@contoso.com")
    assert [(w["method"], w["path"]) for w in writes] == [("PATCH", f"/v2/Users/{megan['id']}")]
    assert _ops(writes[0]) == [{"op": "Add", "path": "title", "value": "Director"}]
    assert megan["title"] == "Director"
    assert run.result.counts["updated"] == 1
    record = next(r for r in run.records if r["provisioningAction"] == "update")
    assert record["modifiedProperties"] == [{"displayName": "title", "oldValue": None, "newValue": "Director"}]


def test_soft_delete_disables_through_the_issoftdeleted_mapping_in_both_dialects() -> None:
    for flags, value in (((), "False"), (FLAG, False)):
        harness = Harness(flags=flags)
        harness.cycle()
        harness.server.log.clear()
        harness.user(MEGAN)["accountEnabled"] = False
        run = harness.cycle()
        writes = harness.server.log.writes
        assert [_ops(w) for w in writes] == [
            [{"op": "Replace" if not flags else "replace", "path": "active", "value": value}]
        ]
        assert harness.server.user("megan@contoso.com")["active"] is False
        assert run.result.counts["disabled"] == 1
        # a later hard delete of the soft-deleted user is a DELETE
        harness.server.log.clear()
        users = [u for u in harness.users if u["id"] != MEGAN] + [{"id": MEGAN, "@removed": {"reason": "deleted"}}]
        harness.cycle(users)
        # The group's source did not change, so it is not evaluated; the service drops a deleted member itself.
        assert [w["method"] for w in harness.server.log.writes] == ["DELETE"]
        assert [u["userName"] for u in harness.server.resources("User")] == ["adele@contoso.com"]


def test_graph_delta_soft_delete_marker_disables() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    users = [u for u in harness.users if u["id"] != ADELE] + [{"id": ADELE, "@removed": {"reason": "changed"}}]
    harness.cycle(users)
    assert next(_ops(w) for w in harness.server.log.writes if w["method"] == "PATCH") == [
        {"op": "Replace", "path": "active", "value": "False"}
    ]
    assert harness.server.user("adele@contoso.com")["active"] is False
    assert harness.state.get("User", ADELE).source["userPrincipalName"] == "adele@contoso.com"
    harness.server.log.clear()
    harness.cycle(users)  # the same delta again: nothing to do
    assert harness.server.log.writes == []


def test_unassignment_disables_once_and_then_leaves_the_user_alone() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    users = [u for u in harness.users if u["id"] != MEGAN]
    groups = [{**g, "members": [m for m in g.get("members", []) if m["id"] != MEGAN]} for g in harness.groups]
    run = harness.cycle(users, groups)
    writes = harness.server.log.writes
    megan = harness.server.user("megan@contoso.com")
    assert (writes[0]["method"], writes[0]["path"], _ops(writes[0])) == (
        "PATCH",
        f"/v2/Users/{megan['id']}",
        [{"op": "Replace", "path": "active", "value": "False"}],
    )
    assert megan["active"] is False and run.result.counts["disabled"] == 1
    assert harness.state.get("User", MEGAN) is None  # no longer managed
    harness.server.log.clear()
    harness.cycle(users, groups)
    assert harness.server.log.writes == []


def test_skip_out_of_scope_deletions_leaves_unassigned_users_alone() -> None:
    harness = Harness()
    harness.cycle()
    harness.server.log.clear()
    harness.cycle([u for u in harness.users if u["id"] != MEGAN], skip_out_of_scope_deletions=True)
    assert harness.server.log.writes == []
    assert harness.server.user("megan@contoso.com")["active"] is True


def test_member_removal_in_both_dialects() -> None:
    for flags in ((), FLAG):
        harness = Harness(flags=flags)
        harness.cycle()
        harness.server.log.clear()
        groups = [{**g, "members": [m for m in g.get("members", []) if m["id"] != MEGAN]} for g in harness.groups]
        harness.cycle(groups=groups)
        megan = harness.server.user("megan@contoso.com")
        writes = harness.server.log.writes
        assert len(writes) == 1 and writes[0]["path"] == f"/v2/Groups/{harness.server.group('Retail')['id']}"
        if flags:
            assert _ops(writes[0]) == [{"op": "remove", "path": f'members[value eq "{megan["id"]}"]'}]
        else:
            assert _ops(writes[0]) == [{"op": "Remove", "path": "members", "value": [{"value": megan["id"]}]}]
        assert [m["value"] for m in harness.server.group("Retail")["members"]] == [
            harness.server.user("adele@contoso.com")["id"]
        ]


def test_a_member_that_is_not_provisioned_is_skipped() -> None:
    harness = Harness()
    groups = [
        {"id": "g1", "displayName": "Mixed", "members": [{"id": MEGAN}, {"id": "c3d4e5f6-2222-4c2b-9d7e-000000000002"}]}
    ]
    run = harness.cycle(groups=groups)
    assert [m["value"] for m in harness.server.group("Mixed")["members"]] == [
        harness.server.user("megan@contoso.com")["id"]
    ]
    record = next(r for r in run.records if r["sourceIdentity"]["id"] == "g1")
    step = next(s for s in record["provisioningSteps"] if s["provisioningStepType"] == "referenceResolution")
    assert step["status"] == "warning" and "c3d4e5f6" in step["details"]["NotProvisioned"]


def test_rejections_of_what_entra_really_sends_are_reported_with_the_servers_detail() -> None:
    harness = Harness(Server(shims=()))
    run = harness.cycle()
    failures = run.failures()
    assert any("Unknown extension schemas" in f and "ADSCIM" in f for f in failures)  # POST /Groups
    assert any("manager" in f and "valid dictionary" in f for f in failures)  # bare manager string
    posted = [e for e in harness.server.log.entries if e["method"] == "POST" and e["path"].endswith("/Groups")]
    assert posted and all(e["status"] == 400 for e in posted)
    manager_patch = next(e for e in harness.server.log.writes if e["method"] == "PATCH")
    assert _ops(manager_patch) == [
        {"op": "Add", "path": MANAGER, "value": harness.server.user("megan@contoso.com")["id"]}
    ]
    assert run.result.exit_code == 1
    codes = {
        r["provisioningStatusInfo"]["errorInformation"]["errorCode"]
        for r in run.records
        if r["provisioningStatusInfo"]["status"] == "failure"
    }
    assert codes == {"BadRequest"}


def test_member_remove_with_a_value_list_and_add_on_an_empty_filtered_path_are_reported() -> None:
    server = Server(shims=("adscim", "manager"))
    harness = Harness(server)
    harness.cycle()
    groups = [{**g, "members": [m for m in g.get("members", []) if m["id"] != MEGAN]} for g in harness.groups]
    harness.user(MEGAN)["mobilePhone"] = "+1 555 0100"
    server.log.clear()
    run = harness.cycle(groups=groups)
    failures = run.failures()
    assert any("a remove operation carries no value" in f for f in failures)
    assert any("matches the path filter" in f for f in failures)
    sent = [op for w in server.log.writes for op in _ops(w)]
    assert {"op": "Add", "path": 'phoneNumbers[type eq "mobile"].value', "value": "+1 555 0100"} in sent
    # a failed object is retried in the next cycle (its state was not advanced)
    server.shim.enabled |= {"member_remove", "filtered_add"}
    again = harness.cycle(groups=groups)
    assert again.result.exit_code == 0, again.failures()
    assert server.user("megan@contoso.com")["phoneNumbers"] == [{"type": "mobile", "value": "+1 555 0100"}] or any(
        p.get("value") == "+1 555 0100" for p in server.user("megan@contoso.com")["phoneNumbers"]
    )


def test_a_wrong_token_stops_the_cycle_at_once() -> None:
    harness = Harness(token="wrong")
    run = harness.cycle()
    assert run.result.exit_code == 2 and run.result.aborted.diagnostic.code == "unauthorized"
    assert [(e["method"], e["status"]) for e in harness.server.log.entries] == [("GET", 401)]
    assert harness.server.resources() == []


def test_429_is_retried_honouring_retry_after() -> None:
    harness = Harness()
    harness.server.faults.throttle = 2
    harness.server.faults.retry_after = "3"
    run = harness.cycle()
    assert run.result.exit_code == 0
    assert harness.sleeps[:2] == [3.0, 3.0] and harness.server.faults.throttled == 2
    assert run.exchanges[0][1].attempts == 3
    assert len(harness.server.resources("User")) == 2


def test_an_existing_account_is_matched_not_duplicated() -> None:
    harness = Harness()
    harness.cycle()
    harness.state = type(harness.state)()  # a new job with no links: matching finds everything
    harness.server.log.clear()
    run = harness.cycle()
    assert [w["method"] for w in harness.server.log.writes] == ["PATCH"]  # Retail's members, unknown to the new job
    assert len(harness.server.resources("User")) == 2 and len(harness.server.resources("Group")) == 2
    assert run.result.counts["unchanged"] == 3


def test_duplicate_target_entries_fail_the_object() -> None:
    harness = Harness()
    harness.cycle()
    twin = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "twin", "displayName": "Megan Bowen"}
    assert harness.target.send(Request("POST", "/Users", (), twin)).status == 201
    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - target: displayName\n    source: displayName\n"
        "    match: 1\n  - target: userName\n    source: userPrincipalName\n"
    )
    harness.user_table, harness.group_table, harness.state = table, None, type(harness.state)()
    harness.server.log.clear()
    run = harness.cycle([harness.user(MEGAN)])
    info = run.records[0]["provisioningStatusInfo"]
    assert info["status"] == "failure" and info["errorInformation"]["errorCode"] == "DuplicateTargetEntries"
    assert harness.server.log.writes == []


def test_redacted_values_reach_the_server_but_no_record_or_transcript() -> None:
    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n"
        "    match: 1\n  - target: password\n    expression: Redact([extensionAttribute1])\n"
    )
    harness = Harness(groups=None)
    harness.user_table = table
    run = harness.cycle([{"id": "u1", "userPrincipalName": "a@b.c", "extensionAttribute1": "s3cr3t-Value"}])
    assert any("s3cr3t-Value" in str(e["body"]) for e in harness.server.log.entries)
    assert "s3cr3t-Value" not in str(run.records) and "s3cr3t-Value" not in str(run.exchanges)
    assert "[Redact]" in str(run.records)
    assert "s3cr3t-Value" not in str([link.source for _, link in harness.state.items("User")])


def test_the_planning_target_plans_the_initial_cycle_offline() -> None:
    target = PlanningTarget()
    harness = Harness()
    result = Cycle(target, harness.user_table, harness.group_table).run(harness.users, harness.groups)
    assert result.exit_code == 0 and result.writes == 6
    assert [r.method for r in target.requests if r.is_write] == ["POST", "POST", "PATCH", "POST", "POST", "PATCH"]


def test_target_object_actions_are_settings() -> None:
    harness = Harness()
    run = harness.cycle(actions=["update", "delete"])
    assert harness.server.log.writes == [] and run.result.counts["skipped"] == 5
    harness.cycle()
    harness.server.log.clear()
    harness.cycle(
        [u for u in harness.users if u["id"] != MEGAN] + [{"id": MEGAN, "@removed": {"reason": "deleted"}}],
        actions=["create", "update"],
    )
    assert harness.server.log.writes == []  # the Delete action is off
    assert len(harness.server.resources("User")) == 2


def test_choice_an_unassigned_user_leaves_the_groups_it_was_exported_to_in_the_same_cycle() -> None:
    harness = Harness()
    harness.cycle()
    megan = harness.server.user("megan@contoso.com")
    harness.server.log.clear()
    harness.cycle([u for u in harness.users if u["id"] != MEGAN])  # the groups' sources are unchanged
    writes = harness.server.log.writes
    assert [(w["method"], w["path"].split("/")[2]) for w in writes] == [("PATCH", "Users"), ("PATCH", "Groups")]
    assert _ops(writes[1]) == [{"op": "Remove", "path": "members", "value": [{"value": megan["id"]}]}]
    assert [m["value"] for m in harness.server.group("Retail")["members"]] == [
        harness.server.user("adele@contoso.com")["id"]
    ]


def test_a_record_that_fails_is_reported_and_the_others_are_processed() -> None:
    harness = Harness(groups=None)
    broken = {**harness.user(MEGAN), "displayName": ["two", "values"]}
    run = harness.cycle([broken, "not an object", {"displayName": "no id"}, harness.user(ADELE)])
    assert run.result.exit_code == 1 and run.result.counts["failed"] == 3
    reasons = run.failures()
    assert any("single-valued" in r for r in reasons) and any("not a JSON object" in r for r in reasons)
    assert [u["userName"] for u in harness.server.resources("User")] == ["adele@contoso.com"]


def test_a_cycle_stopped_by_an_unreachable_service_still_records_every_object_it_wrote() -> None:
    import threading

    from scimmap.provision import HttpTarget
    from sync.scimserver import Loopback

    server = Server()
    loopback = Loopback(server)
    stopped = threading.Event()

    def kill(count: int) -> None:
        if count == 2:  # megan's POST is served, then the service is gone
            threading.Thread(target=lambda: (loopback.stop(), stopped.set())).start()
            stopped.wait(5)

    server.faults.before_write = kill
    harness = Harness(server)
    harness.target = HttpTarget(loopback.url, server.token, retries=0)
    run = harness.cycle()
    assert run.result.exit_code == 2 and run.result.aborted.diagnostic.code == "target-unavailable"
    by_user = {r["sourceIdentity"]["id"]: r for r in run.records}
    assert by_user[ADELE]["provisioningStatusInfo"]["errorInformation"]["errorCode"] == "WebExceptionProtocolError"
    assert by_user[MEGAN]["provisioningAction"] == "create"
    assert len(server.resources("User")) == 2
    assert harness.state.get("User", MEGAN).fingerprint is None  # its references are still to do


def test_a_409_on_create_is_entry_conflict_with_the_servers_detail() -> None:
    harness = Harness(groups=None)
    taken = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "megan@contoso.com"}
    assert harness.target.send(Request("POST", "/Users", (), taken)).status == 201
    harness.user_table = scimmap.load_mapping(  # matched on externalId, so the taken userName is not found
        "object: User\nmappings:\n  - target: externalId\n    source: mailNickname\n    match: 1\n"
        "  - target: userName\n    source: userPrincipalName\n"
    )
    run = harness.cycle([harness.user(MEGAN)])
    info = run.records[0]["provisioningStatusInfo"]
    assert info["errorInformation"]["errorCode"] == "EntryConflict"
    assert "already in use" in info["errorInformation"]["reason"]
    assert [e["status"] for e in harness.server.log.entries if e["method"] == "POST"][-1] == 409
