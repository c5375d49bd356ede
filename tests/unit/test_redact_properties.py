"""Anything derived from a Redact()-ed value is secret in every message (issue 11).

Generated from the catalog's documented examples: every argument slot that a source value can reach is
replaced by ``Redact([x])``, and ``x`` is set to secret-shaped text that the functions fail on in different
ways (a number too large, month-like and style-like words, Base64, a date that does not parse).  Whatever the
failure, neither the secret nor any 6-character piece of it may appear in the error, its rendering or the
trace; one ``scimmap map --errors`` run shows the same for the errors file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from casefiles import example_slots

import scimmap
from scimmap.functions import BUILTINS
from scimmap.language.trace import render_trace

SECRETS = [
    "99999999999999999999",
    "+0999999999999999999",
    "Hunter2pass",
    "Hunterxx",
    "SGVsbG8gV29ybGQhSGVsbG8gV29ybGQhSGVsbG8=",
    "2024-13-45T99:99:99Z",
    "1e1000000",
    "AllowLeadingWhiteXYZ",
]


def _redacted_slots() -> Iterator[tuple[str, str]]:
    for name, _, _, _, template in example_slots():
        if name != "Redact" and "provisioning" in BUILTINS.get(name).dialects:
            yield name, template.replace("{}", "Redact([x])", 1)


SLOTS = sorted(set(_redacted_slots()))


def _pieces(secret: str) -> set[str]:
    return {secret[i : i + 6] for i in range(len(secret) - 5)} | {secret}


def test_the_slots_cover_the_catalog() -> None:
    assert len({name for name, _ in SLOTS}) >= 30, SLOTS


@pytest.mark.parametrize("expression", [text for _, text in SLOTS])
def test_no_message_shows_a_redacted_value(expression: str) -> None:
    try:
        compiled = scimmap.compile(expression)
    except scimmap.ScimmapError:
        pytest.skip("the example does not compile with Redact() in this slot (a literal-only slot)")
    for secret in SECRETS:
        source = {"x": secret}
        try:
            compiled.evaluate(source)
        except scimmap.ScimmapError as error:
            shown = str(error) + "\n" + error.render(color=False) + repr(error.diagnostics)
            leaked = {piece for piece in _pieces(secret) if piece in shown}
            assert not leaked, (expression, secret, shown)
        steps, _, error = compiled.trace(source)
        rendered = render_trace(compiled, steps, error) + ("" if error is None else str(error))
        leaked = {piece for piece in _pieces(secret) if piece in rendered}
        assert not leaked, (expression, secret, rendered)


def test_the_secrets_do_make_functions_fail() -> None:
    """The property above only means something where evaluation fails: prove that it often does."""
    failed = 0
    for _, expression in SLOTS:
        try:
            compiled = scimmap.compile(expression)
        except scimmap.ScimmapError:
            continue
        for secret in SECRETS:
            try:
                compiled.evaluate({"x": secret})
            except scimmap.ScimmapError:
                failed += 1
    assert failed >= 100, failed


def test_map_errors_file_holds_no_redacted_value(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n"
        '  - target: active\n    expression: Switch([IsSoftDeleted], , "False", "True", "True", "False")\n'
        '  - target: title\n    expression: DateAdd("d", BitAnd(Redact([pin]), 1), [hired])\n'
    )
    users = "".join(
        json.dumps({"userPrincipalName": f"u{i}@x", "pin": secret, "hired": "2024-01-01"}) + "\n"
        for i, secret in enumerate(SECRETS)
    )
    (tmp_path / "users.jsonl").write_text(users)
    for jobs in ("1", "2"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scimmap",
                "map",
                "--mapping",
                str(mapping),
                "users.jsonl",
                "-o",
                "out.jsonl",
                "--errors",
                "errors.jsonl",
                "--jobs",
                jobs,
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        errors = (tmp_path / "errors.jsonl").read_text()
        assert errors.count("\n") >= 1, (done.stderr, errors)
        shown = errors + done.stderr + (tmp_path / "out.jsonl").read_text()
        for secret in SECRETS:
            assert not {p for p in _pieces(secret) if p in shown}, (secret, shown)
