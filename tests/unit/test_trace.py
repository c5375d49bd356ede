"""The trace renderer over the compiled evaluator's steps (scimmap/language/trace.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

import scimmap
from scimmap.language.nodes import Attribute, Call, walk
from scimmap.language.trace import REDACTED, render_trace, show

ROOT = Path(__file__).resolve().parents[2]


def trace(text: str, source: dict | None = None, **kwargs) -> str:
    expression = scimmap.compile(text)
    steps, _, error = expression.trace(source or {}, **kwargs)
    return render_trace(expression, steps, error)


def line_for(output: str, fragment: str) -> str:
    matches = [line for line in output.splitlines()[1:] if fragment in line]  # the heading repeats everything
    assert matches, f"{fragment!r} not in\n{output}"
    return matches[0]


def text_col(line: str) -> str:
    """The sub-expression column of a body line (after the step label, before the value)."""
    return line[5:].split("  = ")[0].split("  : ")[0].rstrip()


def test_switch_marks_untaken_values_and_shows_result() -> None:
    # The documented IsSoftDeleted example (the default active mapping): "True" -> "False".
    out = trace('Switch([IsSoftDeleted], , "False", "True", "True", "False")', {"IsSoftDeleted": "True"})
    lines = out.splitlines()
    assert lines[0] == 'Trace of Switch([IsSoftDeleted], , "False", "True", "True", "False")'
    assert '= "True"' in line_for(out, "[IsSoftDeleted]")
    assert sum("not evaluated" in line for line in lines) == 1  # the value of the unmatched "False" key
    assert lines[-1] == 'Result: "False"'


def test_iif_untaken_branch_is_not_evaluated_even_when_equal_to_another_node() -> None:
    # "x" occurs twice: as the compared constant (evaluated) and as the false branch (not evaluated).
    out = trace('IIF([a] = "x", "yes", "x")', {"a": "x"})
    lines = out.splitlines()
    x_lines = [line for line in lines[1:-1] if text_col(line).strip() == '"x"']
    assert len(x_lines) == 2
    assert '= "x"' in x_lines[0]
    assert "not evaluated" in x_lines[1]
    assert "not evaluated" not in line_for(out, '"yes"')
    assert lines[-1] == 'Result: "yes"'


def test_steps_are_in_evaluation_order_and_indented_by_depth() -> None:
    out = trace('IIF([a] = "x", Left([b], 2), [c])', {"a": "x", "b": "hello"})
    body = out.splitlines()[1:-1]
    texts = [text_col(line) for line in body]
    assert [t.strip() for t in texts] == [
        "[a]",
        '"x"',
        '[a] = "x"',
        "[b]",
        "2",
        "Left([b], 2)",
        "[c]",
        'IIF([a] = "x", Left([b], 2), [c])',
    ]
    assert texts[0].startswith("    ") and texts[-1].startswith("IIF")  # depth 2 vs depth 0
    assert "(constant)" in body[[t.strip() for t in texts].index("2")]  # converted at compile time, still shown
    assert "not evaluated" in line_for(out, "[c]")


def test_null_and_empty_values_are_flagged() -> None:
    out = trace('Join(",", [missing], [empty], "z")', {"empty": ""})
    assert "null" in line_for(out, "[missing]") and "<- null" in line_for(out, "[missing]")
    assert '""' in line_for(out, "[empty]") and "<- empty" in line_for(out, "[empty]")
    assert "<-" not in line_for(out, 'Join(",", [missing]')


def test_failure_marks_the_failing_call_and_unfinished_callers() -> None:
    out = trace('Join("-", Mid([a], [n], 2), "z")', {"a": "abc", "n": "q"})
    assert "failed:" in line_for(out, "Mid([a], [n], 2)  ")
    assert "not finished" in line_for(out, 'Join("-", Mid')
    assert out.splitlines()[-1].startswith("Failed:")


def test_datetimes_render_as_entra_does() -> None:
    now = datetime(2021, 6, 29, 16, 0, tzinfo=timezone.utc)
    out = trace("Now()", now=now)
    assert '"6/29/2021 4:00:00 PM"' in line_for(out, "Now()")


def test_redact_hides_the_value_at_inside_and_around_the_call() -> None:
    if scimmap.BUILTINS.get("Redact") is None:
        pytest.skip("Redact is not in the catalog yet (scimmap/functions/strings.py)")
    out = trace('Join("/", "x", Redact([password]))', {"password": "hunter2"})
    assert "hunter2" not in out
    assert REDACTED in line_for(out, "[password]")
    assert out.splitlines()[-1] == f"Result: {REDACTED}"


def test_redact_is_hidden_by_node_shape_alone() -> None:
    # Independent of the Redact implementation: any step at or inside a Redact call is masked.
    from scimmap.language.compiler import TraceStep

    secret = Attribute("password")
    node = Call("Redact", (secret,))

    class Fake:
        text = "Redact([password])"

    fake = Fake()
    fake.node = node  # type: ignore[attr-defined]
    out = render_trace(fake, [TraceStep(secret, "s3cret", 1), TraceStep(node, "s3cret", 0)], None)
    assert "s3cret" not in out
    assert out.count(REDACTED) == 3  # the attribute, the call and the result


def test_show_keeps_types_apart() -> None:
    assert show(None) == "null"
    assert show("") == '""'
    assert show("True") == '"True"'
    assert show(True) == "True"
    assert show(7) == "7"
    assert show(["a", "b"]) == '["a", "b"]'
    assert show(scimmap.SKIP).startswith("(not flowed")


@pytest.mark.parametrize("case", json.loads((ROOT / "tests/cases/entra_docs.json").read_text())[0]["cases"][:400])
def test_every_documented_example_traces(case: dict) -> None:
    """The renderer never crashes and always ends with the evaluator's own verdict."""
    try:
        expression = scimmap.compile(case["expression"], dialect=case.get("dialect", "provisioning"))
    except scimmap.ScimmapError:
        return  # compile-time errors have no trace
    now = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    steps, value, error = expression.trace(case.get("given", {}), now=now)
    out = render_trace(expression, steps, error)
    last = out.splitlines()[-1]
    if error is not None:
        assert last.startswith("Failed:")
    elif value is not scimmap.SKIP and value is not scimmap.SKIP_OBJECT and not _redacted(expression):
        assert last == f"Result: {show(value)}"
    # Each step is one numbered line; other lines (constants, untaken branches) never outnumber the nodes.
    body = out.splitlines()[1:-1]
    numbered = [line for line in body if line[:3].strip().isdigit()]
    if error is None:
        assert len(numbered) == len(steps)
    assert len(body) <= sum(1 for _ in walk(expression.node))


def _redacted(expression) -> bool:
    return "redact(" in expression.text.lower()


def test_untaken_subtree_is_a_single_line() -> None:
    out = trace('IIF([a] = "x", "yes", Append([b], Left([c], 1)))', {"a": "x"})
    assert sum("not evaluated" in line for line in out.splitlines()) == 1
    assert "[c]" not in [line.split()[1] for line in out.splitlines()[1:-1] if len(line.split()) > 1]


def test_eval_trace_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scimmap", "eval", "--trace", 'IIF([a]="x", "yes", "no")', "--set", "a=x"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "not evaluated" in line_for(result.stdout, '"no"')
    assert result.stdout.rstrip().endswith('Result: "yes"')


# -- scimmap explain --mapping --input ------------------------------------------------------------------

MAPPING = """\
object: User
name: explain-test
mappings:
  - target: userName
    source: userPrincipalName
    match: 1
  - target: title
    source: jobTitle
    default: Staff
  - target: displayName
    expression: IgnoreFlowIfNullOrEmpty([displayName])
  - target: externalId
    source: mailNickname
    apply: on-create
  - target: preferredLanguage
    source: preferredLanguage
"""


def explain(tmp_path: Path, user: dict, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "map.yaml").write_text(MAPPING)
    (tmp_path / "user.json").write_text(json.dumps(user))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scimmap",
            "explain",
            "--mapping",
            str(tmp_path / "map.yaml"),
            "--input",
            str(tmp_path / "user.json"),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def block(output: str, target: str) -> str:
    """The heading line of one target and its indented details."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"  {target}  <-"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("      ")), len(lines))
    return "\n".join(lines[start:end])


def test_explain_mapping_reports_value_kind_default_and_skip_reason(tmp_path: Path) -> None:
    result = explain(tmp_path, {"userPrincipalName": "ada@contoso.com", "displayName": "", "mailNickname": "ada"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "direct [userPrincipalName]" in block(out, "userName")
    assert 'value: "ada@contoso.com"' in block(out, "userName")
    assert "matching precedence 1" in block(out, "userName")
    assert 'value: "Staff"' in block(out, "title") and "default applied" in block(out, "title")
    assert "expression IgnoreFlowIfNullOrEmpty([displayName])" in block(out, "displayName")
    assert "IgnoreFlowIfNullOrEmpty" in block(out, "displayName").split("skipped:")[1]
    assert 'value: "ada"' in block(out, "externalId")
    assert "skipped: no value (null)" in block(out, "preferredLanguage")
    assert '"userName": "ada@contoso.com"' in out  # the SCIM body follows


def test_explain_mapping_on_update_skips_on_create_targets(tmp_path: Path) -> None:
    result = explain(tmp_path, {"userPrincipalName": "ada@contoso.com", "mailNickname": "ada"}, "--action", "update")
    assert result.returncode == 0, result.stderr
    assert "on create only" in block(result.stdout, "externalId")
    assert "default applied" not in block(result.stdout, "title")


def test_explain_mapping_says_which_scoping_clause_failed_and_with_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scimmap.cli import main

    scoped = (
        MAPPING
        + """scope:
  - - {attribute: userPrincipalName, operator: ENDS_WITH, value: "@contoso.com"}
    - {attribute: department, operator: EQUALS, values: [Sales, Marketing]}
  - name: contractors
    clauses:
      - {attribute: employeeType, operator: IS NOT NULL}
"""
    )
    (tmp_path / "scoped.yaml").write_text(scoped)
    (tmp_path / "user.json").write_text(json.dumps({"userPrincipalName": "ada@contoso.com", "department": "Research"}))
    assert main(["explain", "--mapping", str(tmp_path / "scoped.yaml"), "--input", str(tmp_path / "user.json")]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("  out of scope: the scoping filters exclude this object (nothing is sent)")
    assert lines[at + 1 : at + 3] == [
        '    scoping filter 1: department EQUALS "Sales" or "Marketing" does not hold; department is "Research"',
        "    scoping filter 2 (contractors): employeeType IS NOT NULL does not hold; employeeType is null (the attribute is absent)",
    ]


def test_colour_does_not_break_alignment() -> None:
    import re

    expression = scimmap.compile('IIF([a] = "x", "yes", "no")')
    steps, _, error = expression.trace({"a": "x"})
    out = render_trace(expression, steps, error, color=True)
    plain = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines()[1:-1]]
    columns = {min(i for i in (line.find("  = "), line.find("  : ")) if i >= 0) for line in plain}
    assert len(columns) == 1, plain
    assert "\x1b[" in out
