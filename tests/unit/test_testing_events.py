"""Event cases of ``scimmap test`` are decided by the provisioning engine's per-object decision: each
deprovisioning event gives the request Entra sends (PATCH, DELETE) or no request, never engine-required."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scimmap.cli import main

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "tests" / "data" / "testing" / "mappings" / "users.yaml"
DISABLE = {
    "request": "PATCH /Users/{id}",
    "body": {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    },
}
SOURCE = {"id": "u1", "userPrincipalName": "ada@contoso.com", "companyName": "Contoso", "accountEnabled": True}


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def outcome(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: dict, mapping: Path = MAPPING) -> dict:
    path = tmp_path / "events.cases.json"
    path.write_text(
        json.dumps(
            {
                "mapping": str(mapping),
                "source": SOURCE,
                "cases": [{"description": "event", **case, "expect": {"request": "sentinel"}}],
            }
        ),
        encoding="utf-8",
    )
    main(["test", "--format", "json", str(path)])
    result = json.loads(capsys.readouterr().out)["cases"][0]
    assert result["status"] == "failed", result  # the sentinel never matches: the actual outcome is shown
    return result["outcome"]["value"]


@pytest.mark.parametrize(
    "event, source",
    [
        ("unassign", {}),
        ("disable", {"accountEnabled": False}),
        ("soft-delete", {}),
    ],
)
def test_deprovisioning_events_disable_through_issoftdeleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], event: str, source: dict
) -> None:
    assert outcome(tmp_path, capsys, {"action": event, "source": source}) == DISABLE


def test_leaving_the_scope_disables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = outcome(
        tmp_path,
        capsys,
        {"action": "leave-scope", "source": {"companyName": "Fabrikam"}, "old_source": {"companyName": "Contoso"}},
    )
    assert found == DISABLE


def test_an_event_on_an_object_never_in_scope_is_a_case_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.cases.json"
    path.write_text(
        json.dumps(
            {
                "mapping": str(MAPPING),
                "source": {**SOURCE, "companyName": "Fabrikam"},
                "cases": [{"description": "event", "action": "leave-scope", "expect": {"request": "none"}}],
            }
        ),
        encoding="utf-8",
    )
    main(["test", "--format", "json", str(path)])
    result = json.loads(capsys.readouterr().out)["cases"][0]
    assert result["status"] == "error" and result["diagnostics"][0]["code"] == "invalid-case"


def test_hard_delete_is_a_delete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert outcome(tmp_path, capsys, {"action": "hard-delete"}) == {"request": "DELETE /Users/{id}"}


def test_skip_out_of_scope_deletions_sends_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = outcome(tmp_path, capsys, {"action": "unassign", "settings": {"skip_out_of_scope_deletions": True}})
    assert found == {"request": "none", "reason": "SkipOutOfScopeDeletions"}


def test_without_an_issoftdeleted_mapping_leaving_is_a_delete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MAPPING.read_text(encoding="utf-8").replace(
        '  - target: active\n    expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\'\n', ""
    )
    assert "IsSoftDeleted" not in text
    mapping = tmp_path / "users.yaml"
    mapping.write_text(text, encoding="utf-8")
    assert outcome(tmp_path, capsys, {"action": "unassign"}, mapping) == {"request": "DELETE /Users/{id}"}


def test_an_update_that_leaves_the_scope_is_the_leave_scope_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = outcome(
        tmp_path,
        capsys,
        {"action": "update", "source": {"companyName": "Fabrikam"}, "old_source": {"companyName": "Contoso"}},
    )
    assert found == DISABLE
