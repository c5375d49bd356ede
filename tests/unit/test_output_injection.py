"""Input text never steers a terminal or a CI log (issue 11): every diagnostic, in every output format,
shows control characters, line breaks and bidi overrides escaped, so a pull request's mapping file cannot
inject a GitHub Actions command (``::error file=...::``) or an escape sequence through the pre-commit hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scimmap.cli import main

HOSTILE_CHARS = "\n\r\x1b\x07\x00\x85\x9b\u2028\u2029\u202e\u2066\ufeff\x7f"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""What must never reach the output raw (tab and newline separate our own lines)."""

hostile = st.text(alphabet=st.sampled_from([*HOSTILE_CHARS, "a", ":", " ", "=", "[", '"']), min_size=1, max_size=30)


def _lines(text: str) -> list[str]:
    return text.split("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=hostile, value=hostile, expression=hostile)
def test_check_output_never_carries_raw_controls(
    key: str, value: str, expression: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = json.dumps(
        {
            "object": "User",
            "mappings": [
                {"target": "userName", "source": "userPrincipalName", "match": 1},
                {"target": "::error file=x::" + value, "expression": expression},
                {"target": "title", "source": "x", key: value},
            ],
        }
    )
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    for fmt in ("text", "json"):
        main(["check", str(path), "--format", fmt])
        captured = capsys.readouterr()
        for line in _lines(captured.out) + _lines(captured.err):
            assert not RAW.search(line), (fmt, line)
            assert not line.lstrip().startswith("::"), (fmt, line)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_eval_errors_never_carry_raw_controls(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["eval", 'DateAdd("d", 1, [x])', "--set", f"x={value}"])
    main(["eval", "Join(" + json.dumps(value) + ", "])
    captured = capsys.readouterr()
    for line in _lines(captured.err):
        assert not RAW.search(line), line
        assert not line.lstrip().startswith("::"), line


def test_a_long_input_gives_a_short_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(
        json.dumps(
            {
                "object": "User",
                "mappings": [
                    {"target": "userName", "source": "userPrincipalName", "match": 1},
                    {"target": "x" * 400_000 + "[", "source": "mail"},
                ],
            }
        )
    )
    main(["check", str(path)])
    captured = capsys.readouterr()
    assert "x" * 1000 not in captured.out + captured.err
    assert len(captured.out + captured.err) < 20_000
