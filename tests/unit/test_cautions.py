"""Forms Microsoft's function reference warns against: they compile and run, and ``check`` warns.

Each caution is declared with its function (``FunctionSpec.cautions``); these tests pin where each one
applies, that its hint is the documented form, and that it is a warning, never an error.
"""

from __future__ import annotations

import pytest

import scimmap

WARNED = [
    (
        'FormatDateTime([d], "yyyy-MM-dd", "yyyyMMdd")',
        "formatdatetime-short-form",
        "FormatDateTime",
        'write FormatDateTime([d], , "yyyy-MM-dd", "yyyyMMdd")',
    ),
    (
        'IIF(IgnoreFlowIfNullOrEmpty([country]), [country], "Other")',
        "ignore-flow-condition",
        "IgnoreFlowIfNullOrEmpty([country])",
        "IgnoreFlowIfNullOrEmpty(IIF(...))",
    ),
    (
        'IIF(IgnoreFlowIfNullOrEmpty([country]) = "USA", "us", "other")',
        "ignore-flow-condition",
        "IgnoreFlowIfNullOrEmpty([country])",
        "IgnoreFlowIfNullOrEmpty(IIF(...))",
    ),
    ('Prepend("SMTP:", [mail])', "graph-only-function", "Prepend", 'write Append("SMTP:", [mail])'),
    ("IsNothing([manager])", "graph-only-function", "IsNothing", "write IsNull([manager])"),
    (
        "AppRoleAssignments([appRoleAssignments])",
        "graph-only-function",
        "AppRoleAssignments",
        "write AppRoleAssignmentsComplex([appRoleAssignments])",
    ),
    ('Join(",", prepend("a", [b]))', "graph-only-function", "prepend", 'write Append("a", [b])'),
]


@pytest.mark.parametrize(("text", "code", "marked", "hint"), WARNED, ids=[w[0] for w in WARNED])
def test_caution_is_a_positioned_warning_with_the_documented_form(text: str, code: str, marked: str, hint: str) -> None:
    found = [d for d in scimmap.check(text) if d.code == code]
    assert len(found) == 1, scimmap.check(text)
    warning = found[0]
    assert warning.severity == "warning"
    assert text[warning.span.start : warning.span.end] == marked
    assert hint in (warning.hint or "")
    expression = scimmap.compile(text)  # a warning never stops compilation
    assert code in {w.code for w in expression.warnings}


NOT_WARNED = [
    ('FormatDateTime([d], , "yyyy-MM-dd", "yyyyMMdd")', "provisioning"),
    ('FormatDateTime([d], "yyyy-MM-dd", "yyyyMMdd")', "cloud-sync"),
    ('IgnoreFlowIfNullOrEmpty(IIF([country] = "USA", [region], ""))', "provisioning"),
    ('IIF([country] = "USA", IgnoreFlowIfNullOrEmpty([region]), "x")', "provisioning"),
    ('Append("SMTP:", [mail])', "provisioning"),
    ("IsNull([manager])", "provisioning"),
]


@pytest.mark.parametrize(("text", "dialect"), NOT_WARNED, ids=[f"{t} ({d})" for t, d in NOT_WARNED])
def test_documented_forms_are_not_warned(text: str, dialect: str) -> None:
    assert scimmap.check(text, dialect=dialect) == []


def test_short_form_still_evaluates_as_source_input_output() -> None:
    value = scimmap.evaluate('FormatDateTime([d], "yyyy-MM-dd", "yyyyMMdd")', {"d": "2024-02-29"})
    assert value == "20240229"


def test_catalog_export_lists_each_functions_cautions() -> None:
    from scimmap.cli.catalog import catalog_json
    from scimmap.functions import BUILTINS

    exported = {f["name"]: f for f in catalog_json(BUILTINS, names=["FormatDateTime", "Prepend", "Join"])["functions"]}
    assert [c["code"] for c in exported["FormatDateTime"]["cautions"]] == ["formatdatetime-short-form"]
    assert [c["code"] for c in exported["Prepend"]["cautions"]] == ["graph-only-function"]
    assert exported["Join"]["cautions"] == []


def test_caution_codes_can_be_selected_and_are_documented() -> None:
    from scimmap.cli.check import known_codes

    assert {"formatdatetime-short-form", "ignore-flow-condition", "graph-only-function"} <= known_codes()
