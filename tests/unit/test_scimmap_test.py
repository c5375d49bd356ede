"""``scimmap test``: case files at three granularities, HRProvisioningTests suites, snapshots, reports."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scimmap.cli import main
from scimmap.testing.compare import pester_equal

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "data" / "testing"
SUITE = ROOT / "tests" / "data" / "hrsuite" / "Provisioning"


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI itself sets CI=true; each test says whether it runs "in CI"."""
    monkeypatch.delenv("CI", raising=False)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["test", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def by_name(payload: dict) -> dict[str, dict]:
    return {case["name"]: case for case in payload["cases"]}


# ------------------------------------------------------------------------------------ the team's case files


def test_the_fixture_case_files_pass_including_the_event_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = run_json(capsys, str(CASES))
    cases = by_name(payload)
    assert code == 0
    assert {c["kind"] for c in payload["cases"]} == {"expression", "mapping", "object"}
    # The deprovisioning event is decided by the provisioning engine: the PATCH active False it expects.
    assert cases["an unassigned user is disabled"]["status"] == "passed"
    assert payload["summary"] == {**payload["summary"], "passed": len(cases), "error": 0, "failed": 0}


def test_each_case_keeps_its_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = run_json(capsys, str(CASES / "users.cases.yaml"))
    cases = by_name(payload)
    text = (CASES / "users.cases.yaml").read_text().splitlines()
    for case in payload["cases"]:
        assert case["file"].endswith("users.cases.yaml")
        assert text[case["line"] - 1].lstrip().startswith("- "), case["name"]
    row = cases["title: the default applies on create"]
    assert row["target"] == "title" and "target: title" in text[row["line"] - 1]


def test_a_wrong_value_fails_with_both_values_and_the_trace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "names.cases.yaml"
    path.write_text(
        "cases:\n"
        "  - description: full name\n"
        '    expression: Join(" ", [givenName], [surname])\n'
        "    source: {givenName: Ada, surname: Lovelace}\n"
        "    expect: Ada Byron\n"
    )
    assert main(["test", "--color", "never", str(path)]) == 1
    out = capsys.readouterr().out
    assert "names.cases.yaml:2:5" in out
    assert '- expected: "Ada Byron"' in out and '+ actual:   "Ada Lovelace"' in out
    assert 'Trace of Join(" ", [givenName], [surname])' in out and "[surname]" in out and '= "Lovelace"' in out
    assert "1 failed in" in out


def test_a_broken_expression_is_that_cases_error_and_the_others_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.cases.yaml"
    path.write_text(
        "cases:\n"
        '  - expression: Swich([a], "x")\n'
        "    expect: x\n"
        "  - expression: ToUpper([a])\n"
        "    source: {a: x}\n"
        "    expect: X\n"
    )
    code, payload = run_json(capsys, str(path))
    assert code == 1
    first, second = payload["cases"]
    assert first["status"] == "error" and second["status"] == "passed"
    diagnostic = first["diagnostics"][0]
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == ("unknown-function", 2, 17)


def test_expected_errors_skips_and_null(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "outcomes.cases.yaml"
    path.write_text(
        "cases:\n"
        "  - {expression: 'Mid([a], 1)', expect_error: invalid-arity}\n"
        "  - {expression: 'Mid([a], 1)', expect_error: syntax}\n"
        "  - {expression: 'IgnoreFlowIfNullOrEmpty([a])', expect_skip: IgnoreFlowIfNullOrEmpty}\n"
        "  - {expression: '[a]', expect: null}\n"
        "  - {expression: '[a]', source: {a: ''}, expect: null}\n"
        "  - {expression: 'IsPresent([a])', source: {a: x}, expect: \"True\"}\n"
    )
    _, payload = run_json(capsys, str(path))
    assert [c["status"] for c in payload["cases"]] == ["passed", "failed", "passed", "passed", "failed", "failed"]
    assert payload["cases"][5]["message"] == 'expected "True", got true'


def test_volatile_values_are_pinned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "volatile.cases.yaml"
    path.write_text(
        "now: 2025-07-30T00:00:00Z\n"
        "cases:\n"
        "  - {expression: 'FormatDateTime(Now(), , \"M/d/yyyy h:mm:ss tt\", \"yyyy-MM-dd\")', expect: '2025-07-30'}\n"
        "  - {expression: 'Now()', now: '2021-06-29T16:00:00Z', expect: 6/29/2021 4:00:00 PM}\n"
        '  - expression: SelectUniqueValue([a], Join("", [a], "2"))\n'
        "    source: {a: ada}\n"
        "    exists: [ada]\n"
        "    expect: ada2\n"
        "  - {expression: 'Guid()', seed: 1}\n"
        "  - {expression: 'Guid()', seed: 1}\n"
        "  - {expression: 'Guid()', seed: 2}\n"
    )
    _, payload = run_json(capsys, str(path))
    statuses = [c["status"] for c in payload["cases"]]
    assert statuses == ["passed", "passed", "passed", "new", "new", "new"]
    guids = [c["outcome"]["value"] for c in payload["cases"][3:]]
    assert guids[0] == guids[1] != guids[2]


def test_without_an_expected_value_a_case_passes_locally_and_fails_in_ci(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.cases.yaml"
    path.write_text("cases:\n  - {expression: 'ToLower(\"A\")'}\n")
    code, payload = run_json(capsys, str(path))
    assert code == 0 and payload["cases"][0]["status"] == "new"
    monkeypatch.setenv("CI", "true")
    code, payload = run_json(capsys, str(path))
    assert code == 1 and payload["cases"][0]["status"] == "failed"
    assert "CI is set" in payload["cases"][0]["message"]
    monkeypatch.setenv("CI", "false")
    assert run_json(capsys, str(path))[0] == 0


def test_mapping_rows_and_their_skip_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = run_json(capsys, str(CASES / "users.cases.yaml"), "-k", "title or externalId or companies or manager")
    outcomes = {c["name"]: c["outcome"] for c in payload["cases"]}
    assert outcomes["title: the default applies on create"] == {"kind": "value", "value": "Employee"}
    assert outcomes["title: but not on update (update)"] == {"kind": "value", "value": None}
    assert outcomes["externalId: the object id is only set on create (update)"] == {
        "kind": "skip",
        "value": "on-create",
    }
    assert outcomes["userName: other companies are out of scope"] == {"kind": "skip", "value": "out-of-scope"}
    manager = (
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager: the manager is linked by its id in the app"
    )
    assert outcomes[manager] == {"kind": "value", "value": "2819c223"}


def test_structural_problems_are_positioned_and_do_not_stop_other_cases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.cases.yaml"
    path.write_text(
        "cases:\n"
        "  - expression: '[a]'\n"
        "    expct: 1\n"
        "  - target: title\n"
        "    expect: x\n"
        "  - {expression: '[a]', now: yesterday}\n"
        "  - {expression: '[a]', source: {a: b}, expect: b}\n"
        "  - {description: leaver, action: disable, preset: entra-user, old_source: {}, expect: {request: none}}\n"
        "  - {expression: '[a]', expect: 1, expect_skip: on-create}\n"
        "  - {target: userName, preset: entra-user, seed: 3, expect: x}\n"
    )
    _, payload = run_json(capsys, str(path))
    found = [
        (
            c["status"],
            c["diagnostics"][0]["code"] if c["diagnostics"] else None,
            c["diagnostics"][0]["line"] if c["diagnostics"] else None,
        )
        for c in payload["cases"]
    ]
    assert found == [
        ("error", "unknown-key", 3),
        ("error", "invalid-case", 4),
        ("error", "invalid-case", 6),
        ("passed", None, None),
        ("passed", None, None),  # the disable event, decided by the provisioning engine: no request
        ("error", "invalid-case", 9),
        ("error", "invalid-case", 10),
    ]
    assert payload["cases"][0]["diagnostics"][0]["hint"] == "did you mean 'expect'?"


def test_unreadable_file_is_an_error_and_other_files_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.cases.yaml").write_text("cases:\n  - expression: '[a]\n")
    (tmp_path / "b.cases.yaml").write_text("cases:\n  - {expression: '\"x\"', expect: x}\n")
    code, payload = run_json(capsys, str(tmp_path))
    assert code == 1
    assert [p["code"] for p in payload["problems"]] == ["invalid-yaml"]
    assert [c["status"] for c in payload["cases"]] == ["passed"]


def test_select_stop_and_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.cases.yaml"
    path.write_text(
        "cases:\n"
        "  - {description: alpha, expression: '\"a\"', expect: b}\n"
        "  - {description: beta, expression: '\"b\"', expect: c}\n"
        "  - {description: gamma, expression: '\"c\"', expect: c}\n"
    )
    _, payload = run_json(capsys, str(path), "-k", "not alpha and (beta or gamma)")
    assert [c["name"] for c in payload["cases"]] == ["beta", "gamma"] and payload["summary"]["deselected"] == 1
    _, payload = run_json(capsys, str(path), "-x")
    assert [c["name"] for c in payload["cases"]] == ["alpha"]
    assert main(["test", str(path), "-k", "alpha and"]) == 2
    assert main(["test", str(path), "-k", "delta"]) == 2
    assert main(["test", str(tmp_path / "missing")]) == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["test", str(empty)]) == 2
    with pytest.raises(SystemExit) as raised:
        main(["test", "--format", "xml"])
    assert raised.value.code == 2
    capsys.readouterr()


def test_whole_object_update_and_group_members(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = run_json(capsys, str(CASES / "groups.cases.yaml"))
    assert [c["status"] for c in payload["cases"]] == ["passed", "passed"]
    created = payload["cases"][0]["outcome"]["value"]
    assert created["request"] == "POST /Groups" and "members" not in created["body"]
    assert created["followup"]["Operations"][0]["value"] == [
        {"$ref": None, "value": "2819c223"},
        {"$ref": None, "value": "9067729b"},
    ]


# ------------------------------------------------------------------------------------------- snapshots


def test_update_writes_only_missing_and_changed_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    original = (
        "# team cases\n"
        "source: {givenName: Ada, surname: Lovelace}   # shared\n"
        "cases:\n"
        "  - description: unchanged  # keep me\n"
        "    expression: '[givenName]'\n"
        "    expect: Ada\n"
        "\n"
        "  - description: changed\n"
        "    expression: '[surname]'\n"
        "    expect: Byron   # was wrong\n"
        "  - description: missing\n"
        '    expression: \'Split("a,b", ",")\'\n'
        "  - {description: flow, expression: 'IgnoreFlowIfNullOrEmpty([x])'}\n"
        "  - description: broken stays broken\n"
        "    expression: 'Swich([x])'\n"
        "  - description: whole object, only match pinned\n"
        "    preset: entra-user\n"
        "    source: {userPrincipalName: ada@contoso.com}\n"
        "    expect:\n"
        "      match: []   # wrong on purpose\n"
        "      request: POST /Users\n"
    )
    path = tmp_path / "snap.cases.yaml"
    path.write_text(original)
    assert main(["test", "--update", str(path)]) == 1  # the broken expression still fails
    out = capsys.readouterr().out
    assert "4 updated" in out
    updated = path.read_text()
    assert updated == original.replace("expect: Byron   # was wrong", "expect: Lovelace   # was wrong").replace(
        '    expression: \'Split("a,b", ",")\'\n',
        '    expression: \'Split("a,b", ",")\'\n    expect:\n      - a\n      - b\n',
    ).replace(
        "'IgnoreFlowIfNullOrEmpty([x])'}", '\'IgnoreFlowIfNullOrEmpty([x])\', "expect_skip": "IgnoreFlowIfNullOrEmpty"}'
    ).replace(
        "      match: []   # wrong on purpose",
        '      match:\n        - userName eq "ada@contoso.com"   # wrong on purpose',
    )
    _code, payload = run_json(capsys, str(path))
    assert [c["status"] for c in payload["cases"]] == ["passed", "passed", "passed", "passed", "error", "passed"]


def test_update_inserts_into_json_and_keeps_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "j.cases.json"
    original = '{\r\n  "cases": [\r\n    {\r\n      "expression": "ToUpper(\\"a\\")"\r\n    },\r\n    {"expression": "[x]", "expect": 5}\r\n  ]\r\n}\r\n'
    path.write_bytes(original.encode())
    assert main(["test", "--update", str(path)]) == 0
    capsys.readouterr()
    text = path.read_bytes().decode()
    assert text == original.replace('"ToUpper(\\"a\\")"\r\n', '"ToUpper(\\"a\\")",\r\n      "expect": "A"\r\n').replace(
        '"expect": 5}', '"expect": null}'
    )
    json.loads(text)
    assert main(["test", str(path)]) == 0


# ------------------------------------------------------------------------------------ HRProvisioningTests


def test_hr_suite_runs_unchanged_with_junit_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.xml"
    code = main(["test", "--junit-xml", str(report), str(SUITE)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "7 passed, 1 new" in out
    suites = ET.parse(report).getroot()
    assert suites.tag == "testsuites" and suites.get("tests") == "8" and suites.get("failures") == "0"
    cases = suites.findall("testsuite/testcase")
    names = sorted(c.get("name") for c in cases)
    assert "HR.Provisioning.givenName.001: 'When name is 'Lukáš''" in names
    assert all(c.get("classname", "").endswith(".json") and c.get("line") and c.get("time") for c in cases)
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert [c.get("name") for c in skipped] == ["HR.Provisioning.userPrincipalName.002: 'Please-Fill-In'"]


def test_hr_wrong_value_and_broken_expression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "Provisioning"
    shutil.copytree(SUITE, suite)
    wrong = suite / "Tests" / "givenName" / "Data" / "001.json"
    wrong.write_bytes(wrong.read_bytes().replace(b'"ExpectedResult":  "Lukas"', b'"ExpectedResult":  "Lucas"'))
    broken = suite / "Tests" / "sAMAccountName" / "Data" / "002.json"
    broken.write_bytes(broken.read_bytes().replace(b'"Left(ToLower(', b'"Left(ToLowr('))
    report = tmp_path / "report.xml"
    code = main(["test", "--color", "never", "--junit-xml", str(report), str(suite)])
    out = capsys.readouterr().out
    assert code == 1
    assert '- expected: "Lucas"' in out and '+ actual:   "Lukas"' in out
    assert "error[unknown-function]: no function named 'ToLowr'" in out
    assert "1 failed, 5 passed, 1 error, 1 new" in out
    root = ET.parse(report).getroot()
    failure = root.find(".//testcase/failure")
    assert failure is not None and failure.get("message") == 'expected "Lucas", got "Lukas"'
    assert root.find(".//testcase/error").get("type") == "unknown-function"


def test_hr_case_in_utf16_and_update_fills_the_placeholder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "Provisioning"
    shutil.copytree(SUITE, suite)
    placeholder = suite / "Tests" / "userPrincipalName" / "Data" / "002.json"
    before = placeholder.read_bytes()
    other = suite / "Tests" / "accountDisabled" / "Data" / "001.json"
    other.write_bytes(b"\xff\xfe" + other.read_bytes()[3:].decode("utf-8").encode("utf-16-le"))
    assert main(["test", "--update", str(suite)]) == 0
    capsys.readouterr()
    after = placeholder.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\r\n" in after
    assert after == before.replace(
        b'"ExpectedResult":  "Please-Fill-In"', b'"ExpectedResult":  "please-fill-in.please-fill-in@contoso.com"'
    )
    code, payload = run_json(capsys, str(suite))
    assert code == 0 and {c["status"] for c in payload["cases"]} == {"passed"}


@pytest.mark.parametrize(
    ("expected", "actual", "verdict"),
    [
        ("Lukas", ["Lukas"], True),
        ("lukas", ["Lukas"], True),  # Should -Be ignores case (Should -BeExactly would not)
        ("Lukas", ["Lukáš"], False),
        (None, [], True),
        ([], [], True),
        (None, [""], False),
        ("", [], False),
        ("", [""], True),
        (["a", "B"], ["A", "b"], True),
        (["a"], ["a", "b"], False),
        (["x"], ["X"], True),
        (5, ["5"], True),
        (5, [" 5 "], True),
        (5, ["five"], False),
        (2, ["2.5"], True),  # [int]"2.5" is 2: half to even
        (1.5, ["1.50"], True),
        (True, ["True"], True),
        (True, ["False"], True),  # any non-empty text is $true
        (False, ["False"], False),
        (False, [""], True),
        ({"a": 1}, ["x"], False),
    ],
)
def test_pester_should_be_semantics(expected: object, actual: list[str], verdict: bool) -> None:
    assert pester_equal(expected, actual)[0] is verdict


def test_hr_notes_explain_surprising_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = tmp_path / "S"
    data = suite / "Tests" / "flag" / "Data"
    data.mkdir(parents=True)
    (data / "1.json").write_text(
        json.dumps(
            {
                "TargetAttributeName": "flag",
                "Description": "bool",
                "ExpectedResult": True,
                "Expression": '"False"',
                "InputAttributes": {},
            }
        )
    )
    (data / "2.json").write_text(
        json.dumps(
            {
                "TargetAttributeName": "flag",
                "Description": "case",
                "ExpectedResult": "abc",
                "Expression": '"ABC"',
                "InputAttributes": {},
            }
        )
    )
    code, payload = run_json(capsys, str(suite))
    assert code == 0
    first, second = payload["cases"]
    assert first["name"] == "HR.S.flag.1: 'bool'" and "any non-empty text is $true" in first["notes"][0]
    assert "ignores case" in second["notes"][0]


# ------------------------------------------------------------------------------------------ scaffolding


def test_init_writes_a_starter_file_that_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "users.yaml"
    shutil.copy(CASES / "mappings" / "users.yaml", mapping)
    assert main(["test", "--init", str(mapping)]) == 0
    starter = tmp_path / "users.cases.yaml"
    text = starter.read_text()
    assert text.startswith("# Starter cases for") and "mapping: users.yaml" in text
    assert text.count("  - target: ") == 11 and "action: create" in text
    code, payload = run_json(capsys, str(starter))
    assert code == 0 and len(payload["cases"]) == 12
    assert {c["status"] for c in payload["cases"]} == {"passed"}
    assert main(["test", "--init", str(mapping)]) == 2  # never overwrites
    capsys.readouterr()
    assert main(["test", "--init", "entra-group", "-o", "-"]) == 0
    group = capsys.readouterr().out
    assert "preset: entra-group" not in group and "mapping: preset:entra-group" in group
    assert "request: POST /Groups" in group and "value: target-1" in group


def test_json_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    _, payload = run_json(capsys, str(CASES / "leavers.cases.json"))
    assert set(payload) == {"summary", "problems", "cases"}
    assert set(payload["cases"][0]) >= {
        "id",
        "file",
        "line",
        "kind",
        "name",
        "status",
        "expected",
        "outcome",
        "diff",
        "trace",
        "diagnostics",
        "notes",
    }
    assert payload["cases"][0]["expected"] == {"key": "expect", "value": False}
