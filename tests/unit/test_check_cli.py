"""``scimmap check`` / ``convert`` / ``schema`` end to end, and docs/errors.md covering every code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scimmap.cli import main
from scimmap.cli.check import known_codes

ROOT = Path(__file__).resolve().parent.parent.parent
CHECKS = ROOT / "tests" / "cases" / "checks"
EXPECTED = json.loads((CHECKS / "expected.json").read_text())["files"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_files_report_each_problem_at_its_position(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--format", "json", str(CHECKS / name)])
    out = capsys.readouterr().out
    found = json.loads(out) if out.strip() else []
    assert [{"code": d["code"], "line": d["line"], "column": d["column"]} for d in found] == EXPECTED[name]
    assert code == (1 if EXPECTED[name] else 0)


def test_all_files_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(CHECKS / name) for name in sorted(EXPECTED)]
    assert main(["check", "--format", "json", *paths]) == 1
    found = json.loads(capsys.readouterr().out)
    assert len(found) == sum(len(v) for v in EXPECTED.values())
    assert {Path(d["file"]).name for d in found} == {name for name, v in EXPECTED.items() if v}
    assert set(found[0]) == {"file", "line", "column", "end_line", "end_column", "code", "severity", "message", "hint"}


def test_clean_file_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt, printed in (("text", ""), ("json", "[]\n")):
        assert main(["check", "--format", fmt, str(CHECKS / "clean.yaml")]) == 0
        captured = capsys.readouterr()
        assert captured.out == printed and captured.err == ""


def test_text_format_shows_position_caret_and_hint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--color", "never", str(CHECKS / "expressions.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"error[unknown-function]: no function named 'Swich'\n  --> {CHECKS / 'expressions.yaml'}:7:18" in out
    assert "   | ^^^^^\n   = hint: did you mean 'Switch'?" in out


def test_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    target = str(CHECKS / "targets.yaml")
    assert main(["check", "--format", "json", "--select", "invalid-target", target]) == 1
    assert {d["code"] for d in json.loads(capsys.readouterr().out)} == {"invalid-target"}
    ignored = ",".join({d["code"] for d in []} | {e["code"] for e in EXPECTED["targets.yaml"]})
    assert main(["check", "--ignore", ignored, target]) == 0
    assert capsys.readouterr().out == ""


def test_warnings_only(capsys: pytest.CaptureFixture[str]) -> None:
    traps = str(CHECKS / "traps.yaml")
    assert main(["check", traps]) == 1
    assert main(["check", "--warnings-pass", traps]) == 0
    assert "warning[iif-null-attribute]" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", "--select", "no-such-code", str(CHECKS / "clean.yaml")]) == 2
    assert main(["check", str(tmp_path / "missing.yaml")]) == 2
    with pytest.raises(SystemExit) as raised:
        main(["check"])
    assert raised.value.code == 2


def test_convert_yaml_to_graph_and_back(tmp_path: Path) -> None:
    graph_path = tmp_path / "users.json"
    yaml_path = tmp_path / "users.yaml"
    assert main(["convert", str(CHECKS / "clean.yaml"), "-o", str(graph_path)]) == 0
    graph = json.loads(graph_path.read_text())
    assert graph["attributeMappings"][0]["targetAttributeName"] == "userName"
    assert main(["convert", str(graph_path), "-o", str(yaml_path)]) == 0
    from scimmap import load_mapping

    assert load_mapping(str(yaml_path)).mappings == load_mapping(str(CHECKS / "clean.yaml")).mappings


def test_convert_whole_schema(tmp_path: Path) -> None:
    template = str(
        Path(__file__).resolve().parents[1] / "data" / "graph-samples" / "salesforce-synchronization-template-2017.json"
    )
    out = tmp_path / "schema.json"
    assert main(["convert", template, "--to", "graph", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == json.loads(Path(template).read_text())
    assert main(["convert", template, "--to", "yaml", "-o", str(tmp_path / "u.yaml")]) == 0
    assert "object: User" in (tmp_path / "u.yaml").read_text()


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "scimmap mapping file"


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "scimmap-check" and hooks[0]["entry"] == "scimmap check"


def test_every_code_is_documented() -> None:
    """Each code --select accepts has its section in docs/errors.md (tests/unit/test_codes.py holds the
    registry equal to the codes the source emits)."""
    documented = set(re.findall(r"^## `([a-z0-9-]+)`", (ROOT / "docs" / "errors.md").read_text(), re.MULTILINE))
    missing = known_codes() - documented
    assert not missing, f"document these codes in docs/errors.md: {sorted(missing)}"


def test_every_preset_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    from scimmap.mapping.presets import names, preset_path

    assert {"entra-user", "entra-group", "idaas-user", "idaas-group"} <= set(names())
    for name in names():
        assert main(["check", str(preset_path(name))]) == 0, name
        assert capsys.readouterr().out == ""


def test_deprovisioning_traps_in_a_graph_object_mapping() -> None:
    """The actions come from Graph's flowTypes; Graph tables have no positions, the codes are the same."""
    import scimmap

    graph = scimmap.preset("idaas-user").to_graph()
    for mapping in graph["attributeMappings"]:
        if mapping["targetAttributeName"] == "active":
            mapping["source"] = {
                "expression": "[accountEnabled]",
                "name": "accountEnabled",
                "type": "Attribute",
                "parameters": [],
            }
    graph["flowTypes"] = "Add,Update"
    codes = [d.code for d in scimmap.load_mapping(graph).check()]
    assert codes == ["active-without-soft-delete", "no-deprovisioning"]
    graph["flowTypes"] = "Add, Update, Delete"
    assert [d.code for d in scimmap.load_mapping(graph).check()] == ["active-without-soft-delete"]


def test_soft_delete_key_check_leaves_entras_own_spelling_alone() -> None:
    import scimmap

    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n"
        "  - target: active\n    expression: 'Not([IsSoftDeleted])'\n"
        '  - target: title\n    expression: \'Switch([isSoftDeleted], "x", "True", "gone", "False", [jobTitle])\'\n'
    )
    assert [d.code for d in table.check() if d.code != "unknown-attribute"] == []


SCHEMA_SAMPLE = (
    Path(__file__).resolve().parents[1] / "data" / "graph-samples" / "salesforce-synchronization-template-2017.json"
)


def test_convert_refuses_input_that_check_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "object: User\nmappings:\n  - {target: userName, source: userPrincipalName, match: 1}\n"
        "  - {target: title, expression: 'Frobnicate([jobTitle], 1)'}\n"
        "  - {target: userName, source: mail}\n"
    )
    out = tmp_path / "out.json"
    assert main(["convert", str(broken), "-o", str(out)]) == 1
    assert not out.exists()  # nothing half-converted is left behind
    err = capsys.readouterr().err
    assert "error[unknown-function]" in err and f"--> {broken}:4:34" in err
    assert "error[conflicting-targets]" in err  # a rule check, not only what fails to compile


def test_convert_table_n_writes_only_what_check_accepts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scimmap.cli.check import check_file
    from scimmap.mapping.graph import load_schema

    tables = load_schema(str(SCHEMA_SAMPLE)).tables
    written = 0
    for index in range(len(tables)):
        out = tmp_path / f"table{index}.yaml"
        code = main(["convert", str(SCHEMA_SAMPLE), "--table", str(index), "-o", str(out)])
        err = capsys.readouterr().err
        if code == 0:
            written += 1
            assert [d for d in check_file(str(out)) if d.severity == "error"] == []
        else:
            assert code == 1 and not out.exists()
            assert "mapping files hold User or Group tables only" in err and "--table 0 (User)" in err
    assert written == 1  # only the template's first table (User -> Salesforce User) is a User/Group table
    assert main(["convert", str(SCHEMA_SAMPLE), "--table", "8", "--to", "graph"]) == 0  # as Graph JSON it is fine
    assert json.loads(capsys.readouterr().out)["sourceObjectName"] == "Profile"


def test_convert_to_json_is_the_mapping_file_and_to_graph_is_graph(tmp_path: Path) -> None:
    from scimmap import load_mapping

    as_json, as_graph = tmp_path / "m.json", tmp_path / "g.json"
    assert main(["convert", str(CHECKS / "clean.yaml"), "--to", "json", "-o", str(as_json)]) == 0
    assert main(["convert", str(CHECKS / "clean.yaml"), "--to", "graph", "-o", str(as_graph)]) == 0
    mapping_file, graph = json.loads(as_json.read_text()), json.loads(as_graph.read_text())
    assert set(mapping_file) <= {"object", "name", "target_object", "mappings", "scope"} and "mappings" in mapping_file
    assert "attributeMappings" in graph and "mappings" not in graph
    original = load_mapping(str(CHECKS / "clean.yaml"))
    assert load_mapping(str(as_json)) == original and load_mapping(str(as_graph)).mappings == original.mappings


def _graph_mapping(**fields: object) -> dict:
    mapping = {
        "targetAttributeName": "userName",
        "source": {"type": "Attribute", "name": "userPrincipalName"},
        "matchingPriority": 1,
    }
    mapping.update(fields)
    return {"sourceObjectName": "User", "attributeMappings": [mapping]}


ODD_GRAPH = {
    "priority-overflow": (
        '{"sourceObjectName": "User", "attributeMappings": [{"targetAttributeName": "userName",'
        ' "source": {"type": "Attribute", "name": "upn"}, "matchingPriority": 1e400}]}',
        "matchingPriority",
        (1, 156),
    ),  # at the 1e400
    "priority-list": (json.dumps(_graph_mapping(matchingPriority=[1])), "matchingPriority", None),
    "scope-groups-number": (json.dumps({**_graph_mapping(), "scope": {"groups": 5}}), "groups must be a list", None),
    "clause-values-number": (
        json.dumps(
            {
                **_graph_mapping(),
                "scope": {
                    "groups": [
                        {
                            "clauses": [
                                {"sourceOperandName": "a", "operatorName": "EQUALS", "targetOperand": {"values": 5}}
                            ]
                        }
                    ]
                },
            }
        ),
        "values must be a list",
        None,
    ),
    "lone-surrogate": (
        json.dumps(_graph_mapping(source={"type": "Attribute", "name": "a\ud800"})),
        "lone surrogate",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(ODD_GRAPH))
def test_odd_graph_json_shapes_are_positioned_diagnostics(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: these ended in TypeError / OverflowError / UnicodeEncodeError tracebacks."""
    text, message, position = ODD_GRAPH[name]
    path = tmp_path / "mapping.json"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 1 and message in found[0]["message"], found
    assert found[0]["line"] == 1 and found[0]["column"] > 1  # inside the file, not at its top
    if position is not None:
        assert (found[0]["line"], found[0]["column"]) == position


def test_escaped_surrogate_pairs_are_accepted_in_json_mapping_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: ``"\\ud83d\\ude00"`` (an escaped emoji) was refused by the YAML reader; only lone halves are errors."""
    path = tmp_path / "mapping.json"
    path.write_text(
        '{"object": "User", "mappings": [{"target": "userName", "source": "userPrincipalName", "match": 1},'
        ' {"target": "title", "constant": "a\\ud83d\\ude00 \\\\ud800"}]}',
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0
    import scimmap

    table = scimmap.load_mapping(path)
    assert table.mappings[1].source == "a\U0001f600 \\ud800"
