"""One Graph -> Entra source view everywhere: eval, evaluate, Expression.evaluate/trace, map, apply, the REPL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import scimmap
from scimmap.cli import main
from scimmap.interactive.commands import ReplSession
from scimmap.interactive.repl import Completions

ROOT = Path(__file__).resolve().parents[2]
FIRST_USER = json.loads((ROOT / "examples" / "users.jsonl").read_text(encoding="utf-8").splitlines()[0])
ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'

GRAPH_USER = {
    "@odata.type": "#microsoft.graph.user",
    "id": "0a21f0f2-0000-4000-8000-000000000001",
    "userPrincipalName": "ada_fabrikam.com#EXT#@contoso.onmicrosoft.com",
    "accountEnabled": False,
    "businessPhones": ["+1 425 555 0100"],
    "mobilePhone": "+1 425 555 0199",
    "onPremisesExtensionAttributes": {"extensionAttribute1": "E1"},
    "employeeOrgData": {"division": "Research", "costCenter": "CC-7"},
    "manager": {"id": "b5f1d4a0-0000-4000-8000-000000000002"},
}


def test_eval_input_reads_a_graph_user_as_map_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user = tmp_path / "user.json"
    user.write_text(json.dumps(FIRST_USER))
    assert main(["eval", ACTIVE, "--input", str(user)]) == 0
    assert capsys.readouterr().out == "True\n"
    assert main(["eval", 'Join("|", [objectId], [telephoneNumber])', "--input", str(user)]) == 0
    assert capsys.readouterr().out == f"{FIRST_USER['id']}|{FIRST_USER['businessPhones'][0]}\n"
    body = scimmap.preset("entra-user").apply(FIRST_USER).resource
    assert body["active"] is True


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (ACTIVE, "False"),  # accountEnabled false -> IsSoftDeleted "True"
        ("[objectId]", GRAPH_USER["id"]),
        ("[userPrincipalName]", "ada@fabrikam.com"),
        ("[originalUserPrincipalName]", GRAPH_USER["userPrincipalName"]),
        ("[telephoneNumber]", "+1 425 555 0100"),
        ("[mobile]", "+1 425 555 0199"),
        ("[extensionAttribute1]", "E1"),
        ("[employeeOrgData.division]", "Research"),
        ("[employeeOrgData.costCenter]", "CC-7"),
        ("[manager]", "b5f1d4a0-0000-4000-8000-000000000002"),
        ("[accountEnabled]", "False"),
        ("IsNull([division])", True),  # one name: the qualified one
    ],
)
def test_every_evaluation_entry_point_sees_the_entra_view(expression: str, expected: object) -> None:
    view = scimmap.entra_source(GRAPH_USER)
    assert scimmap.entra_source(view) == view  # idempotent, so Entra-shaped input reads the same
    compiled = scimmap.compile(expression)
    assert scimmap.evaluate(expression, GRAPH_USER) == expected
    assert compiled.evaluate(GRAPH_USER) == expected
    assert compiled.evaluate(view) == expected
    steps, value, error = compiled.trace(GRAPH_USER)
    assert error is None and value == expected and steps


def test_the_table_reads_the_same_names() -> None:
    table = scimmap.load_mapping(
        "object: User\n"
        "mappings:\n"
        "  - {target: userName, source: userPrincipalName, match: 1}\n"
        '  - {target: active, expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\'}\n'
        "  - {target: title, source: employeeOrgData.division}\n"
        "  - {target: nickName, source: division}\n"
    )
    body = table.apply(GRAPH_USER).resource
    assert body["userName"] == "ada@fabrikam.com" and body["active"] is False
    assert body["title"] == "Research" and "nickName" not in body


def test_check_knows_the_qualified_name_and_suggests_it(tmp_path: Path) -> None:
    from scimmap.cli.check import check_file

    path = tmp_path / "m.yaml"
    path.write_text(
        "object: User\n"
        "mappings:\n"
        "  - {target: userName, source: userPrincipalName, match: 1}\n"
        "  - {target: title, expression: 'Join(\" \", [employeeOrgData.division], [employeeOrgData.costCenter])'}\n"
        "  - {target: nickName, source: division}\n"
    )
    found = [d for d in check_file(str(path)) if d.code == "unknown-attribute"]
    assert len(found) == 1 and found[0].line == 5
    assert found[0].hint == "did you mean 'employeeOrgData.division'?"


def test_the_repl_completes_and_loads_the_qualified_name(tmp_path: Path) -> None:
    path = tmp_path / "graph-user.json"
    path.write_text(json.dumps(GRAPH_USER))
    session = ReplSession()
    loaded = session.handle(f":load {path}")
    assert "employeeOrgData.division" in loaded and "objectId" in loaded
    assert session.handle("[employeeOrgData.division]") == "Research"
    offered = [c[2] for c in Completions(ReplSession()).complete("[employeeOrg")]
    assert offered == ["employeeOrgData.division", "employeeOrgData.costCenter"]
