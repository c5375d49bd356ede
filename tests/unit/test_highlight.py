"""Editor support: the Pygments lexer and ``scimmap catalog --json``."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from casefiles import documented_cases
from pygments.token import Error, Name, Number, Operator, String

import scimmap
from scimmap.interactive.highlight import ScimmapLexer

ROOT = Path(__file__).resolve().parents[2]
DOC_CASES = documented_cases()


def tokens(text: str) -> list[tuple[object, str]]:
    """Non-blank tokens, runs of the same kind merged (a string arrives as quote, body, quote)."""
    merged: list[tuple[object, str]] = []
    for kind, value in ScimmapLexer().get_tokens(text):
        if not value.strip():
            merged.append((None, ""))
        elif merged and merged[-1][0] is kind and kind is String.Double:
            merged[-1] = (kind, merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return [(kind, value) for kind, value in merged if kind is not None]


@pytest.mark.parametrize("case", DOC_CASES, ids=[c.get("id", c["expression"][:40]) for c in DOC_CASES])
def test_every_documented_expression_lexes_without_error_tokens(case: dict) -> None:
    found = [value for kind, value in ScimmapLexer().get_tokens(case["expression"]) if kind in Error]
    assert not found, found


def test_token_kinds() -> None:
    assert tokens('Switch([IsSoftDeleted], , "False", &HF7, -3, vbTextCompare, %DomainFQDN%) & x <> y') == [
        (Name.Function, "Switch"),
        (tokens("(")[0][0], "("),
        (Name.Variable, "[IsSoftDeleted]"),
        (tokens(",")[0][0], ","),
        (tokens(",")[0][0], ","),
        (String.Double, '"False"'),
        (tokens(",")[0][0], ","),
        (Number.Hex, "&HF7"),
        (tokens(",")[0][0], ","),
        (Number.Integer, "-3"),
        (tokens(",")[0][0], ","),
        (Name.Constant, "vbTextCompare"),
        (tokens(",")[0][0], ","),
        (Name.Variable.Global, "%DomainFQDN%"),
        (tokens(")")[0][0], ")"),
        (Operator, "&"),
        (Name.Constant, "x"),
        (Operator, "<>"),
        (Name.Constant, "y"),
    ]


def test_string_escapes_and_kept_backslashes() -> None:
    kinds = [kind for kind, _ in ScimmapLexer().get_tokens(r'"a\"b\\c\d"')]
    assert String.Escape in kinds
    assert Error not in kinds


def test_half_typed_input_is_not_an_error() -> None:
    # The REPL highlights as you type: an open string or attribute must not flash red.
    for text in ('Join(" ", [giv', 'Append([mail], "@con', "Switch(\n  [a],"):
        assert all(kind not in Error for kind, _ in ScimmapLexer().get_tokens(text)), text


def test_stray_characters_are_error_tokens() -> None:
    assert any(kind in Error for kind, _ in ScimmapLexer().get_tokens("Join(;)"))


def test_entry_point_is_declared_and_loads() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert '[project.entry-points."pygments.lexers"]' in text
    assert 'scimmap = "scimmap.interactive.highlight:ScimmapLexer"' in text
    module, _, name = "scimmap.interactive.highlight:ScimmapLexer".partition(":")
    lexer = getattr(importlib.import_module(module), name)
    assert "scimmap" in lexer.aliases


def test_pygments_finds_it_by_alias_when_installed() -> None:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution("scimmap")
    except PackageNotFoundError:
        pytest.skip("scimmap is not installed as a distribution, so its entry points are not registered")
    from pygments.lexers import get_lexer_by_name

    assert isinstance(get_lexer_by_name("scimmap"), ScimmapLexer)


# -- scimmap catalog --------------------------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scimmap", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_catalog_json_lists_every_builtin_with_its_shape() -> None:
    result = run_cli("catalog", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    by_name = {f["name"]: f for f in data["functions"]}
    assert set(by_name) == {spec.name for spec in scimmap.BUILTINS}
    switch = by_name["Switch"]
    assert switch["signature"] == "Switch(source, [defaultValue], key1, value1, ...)"
    assert switch["summary"]
    assert switch["returns"]
    assert [p["name"] for p in switch["parameters"]][:2] == ["source", "defaultValue"]
    first = switch["parameters"][0]
    assert set(first) >= {"name", "type", "required", "repeating", "literal", "choices", "graph_key"}
    assert switch["parameters"][1]["required"] is False
    assert switch["parameters"][2]["repeating"] is True
    assert switch["parameters"][2]["graph_key"] == "switchValue"
    assert "provisioning" in switch["dialects"]


def test_catalog_filters_by_name_and_dialect() -> None:
    data = json.loads(run_cli("catalog", "--json", "switch", "join").stdout)
    assert [f["name"] for f in data["functions"]] == ["Join", "Switch"]
    cloud = json.loads(run_cli("catalog", "--json", "--dialect", "cloud-sync").stdout)
    assert all("cloud-sync" in f["dialects"] for f in cloud["functions"])


def test_catalog_unknown_name_suggests() -> None:
    result = run_cli("catalog", "Swich")
    assert result.returncode == 1
    assert "did you mean 'Switch'" in result.stderr


def test_catalog_plain_text() -> None:
    result = run_cli("catalog")
    assert result.returncode == 0
    assert "Switch(source, [defaultValue], key1, value1, ...)" in result.stdout
