"""The library's errors as a script's author meets them: str(), .code, every problem of a file, short repr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import scimmap

BROKEN = """\
object: User
mappings:
  - target: userName
    source: userPrincipalName
    match: 1
  - target: displayName
    expression: Swich([department], "Other", "HR", "People")
  - target: title
    expression: |
      Join(" ",
           Left([givenName], 1, 2, 3),
           [surname])
  - target: emails[type eq "work"
    source: mail
  - target: nickName
    expression: 'Left([mail], 2'
"""


def test_str_of_an_error_is_its_rendering() -> None:
    with pytest.raises(scimmap.CheckError) as raised:
        scimmap.compile('Swich([department], "Other", "HR", "People")')
    error = raised.value
    assert error.code == "unknown-function"
    assert str(error) == error.render()
    assert "error[unknown-function]: no function named 'Swich'" in str(error)
    assert "   | ^^^^^" in str(error) and "hint: did you mean 'Switch'?" in str(error)
    with pytest.raises(scimmap.ParseError) as parsed:
        scimmap.parse('Join("-", [a]')
    assert parsed.value.code == "syntax" and "^" in str(parsed.value)
    with pytest.raises(scimmap.EvaluationError) as failed:
        scimmap.evaluate("Mid([a], [a], 1)", {"a": "x"})
    assert failed.value.code == "evaluation" and str(failed.value) == failed.value.render()
    assert scimmap.MappingError("plain text").code == "invalid-mapping"


def test_a_broken_mapping_file_reports_every_problem_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(BROKEN)
    with pytest.raises(scimmap.MappingError) as raised:
        scimmap.load_mapping(str(path))
    error = raised.value
    found = [(d.code, d.line, d.column) for d in error.diagnostics]
    assert found == [
        ("unknown-function", 7, 17),
        ("invalid-arity", 11, 12),
        ("invalid-target", 13, 34),
        ("syntax", 16, 32),
    ]
    for code, line, column in found:
        assert f"error[{code}]" in str(error) and f"--> {path}:{line}:{column}" in str(error)


def test_repr_of_a_diagnostic_stays_short(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    path.write_text(BROKEN.replace("Swich(", "Swich(" + '"' + "x" * 3000 + '", '))
    with pytest.raises(scimmap.MappingError) as raised:
        scimmap.load_mapping(str(path))
    diagnostic = raised.value.diagnostics[0]
    assert len(diagnostic.source) > 3000
    assert repr(diagnostic) == (
        f"Diagnostic('unknown-function', \"no function named 'Swich'\", severity='error', at='{path}:7:17')"
    )
    assert len(repr(diagnostic.origin)) < 200


@pytest.mark.slow
def test_an_uncaught_error_in_a_script_shows_the_rendering() -> None:
    script = "import scimmap\nscimmap.compile('Join(\" \", [givenName] [surname])')\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    last = result.stderr[result.stderr.index("scimmap.errors.ParseError") :]
    assert "error[syntax]: unexpected attribute '[surname]'" in last
    assert 'Join(" ", [givenName] [surname])' in last and "^^^^^^^^^" in last


def test_a_redacted_value_stays_hidden_when_a_function_quotes_it_trimmed() -> None:
    # Found by the fuzz suite: DateTimeStyles parsing trims its input before quoting it in the message.
    expression = scimmap.compile('FormatDateTime(Redact([x]), Redact([x]), "", "")')
    with pytest.raises(scimmap.EvaluationError) as raised:
        expression.evaluate({"x": " SECRET spaced "})
    assert "SECRET" not in str(raised.value) and "[Redact]" in str(raised.value)
