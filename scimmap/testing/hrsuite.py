"""HRProvisioningTests suites, read unchanged: ``<suite>/Tests/<target>/Data/*.json``, one case per file.

martin-rublik/HRProvisioningTests (PowerShell + Pester) generates, per expression mapping of a table, a
folder ``Tests/<TargetAttributeName>/Data`` holding JSON files with ``TargetAttributeName``,
``Description``, ``ExpectedResult``, ``Expression`` and ``InputAttributes``, written by
``ConvertTo-Json | Out-File -Encoding utf8`` (Windows PowerShell adds a BOM), plus ``Config/config.json``
with the ``TestSuiteName``.  Its Pester test names each case
``HR.<TestSuiteName>.<TargetAttributeName>.<file name up to the first dot>: '<Description>'``, sends the
expression with the input attributes to Graph's online parseExpression, and passes when
``$retval.EvaluationResult | Should -Be $ExpectedResult`` holds (compared in
:func:`scimmap.testing.compare.pester_equal`).  Here the expression is evaluated offline instead, against
exactly the input attributes, as parseExpression sees them (no Entra source view is added).

The generator's placeholder ``"Please-Fill-In"`` as ExpectedResult counts as "no expected value yet", so
``scimmap test --update`` can fill it in.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from scimmap.errors import Diagnostic, Origin
from scimmap.testing.cases import HR, Case, Expectation
from scimmap.testing.yamldata import Data, decode, load_document

KEYS = ("TargetAttributeName", "Description", "ExpectedResult", "Expression", "InputAttributes")
PLACEHOLDER = "Please-Fill-In"
EXPECTED = "ExpectedResult"


def is_hr_case_path(path: Path) -> bool:
    """``.../Tests/<target>/Data/<name>.json`` (folder names compared without case, as on Windows)."""
    parts = path.parts
    return (
        path.suffix.lower() == ".json"
        and len(parts) >= 4
        and parts[-2].lower() == "data"
        and parts[-4].lower() == "tests"
    )


def holds_hr_case(path: Path) -> bool:
    """An HR-shaped path whose JSON is an HRProvisioningTests case (or is broken JSON, which Pester would
    report too); other JSON files that happen to live in such a folder are left alone."""
    if not is_hr_case_path(path):
        return False
    try:
        text, _, _ = decode(path.read_bytes())
        document = json.loads(text)
    except (OSError, UnicodeDecodeError):
        return False
    except ValueError:
        return True
    return isinstance(document, dict) and ("Expression" in document or "TargetAttributeName" in document)


def suite_root(path: Path) -> Path:
    return path.parent.parent.parent.parent


@functools.lru_cache(maxsize=64)
def suite_name(root: Path) -> str:
    """``TestSuiteName`` from ``Config/config.json`` (as the Pester tests read it), else the folder's name."""
    config = root / "Config" / "config.json"
    try:
        text, _, _ = decode(config.read_bytes())
        name = json.loads(text).get("TestSuiteName")
    except (OSError, ValueError, AttributeError):
        name = None
    return str(name) if name else root.name


def read_hr_case(path: Path, file: str | None = None) -> tuple[list[Case], list[Diagnostic]]:
    name = file or str(path)
    test_case = path.name.split(".")[0]
    try:
        raw = path.read_bytes()
        text, _, _ = decode(raw)
        plain = json.loads(text)
    except OSError as error:
        return [], [Diagnostic("invalid-case", f"cannot read {name}: {error.strerror}", origin=Origin(name))]
    except (UnicodeDecodeError, ValueError) as error:
        case = Case(HR, name, 1, name=f"HR.{suite_name(suite_root(path))}.{path.parent.parent.name}.{test_case}")
        case.problems.append(
            Diagnostic("invalid-case", f"not an HRProvisioningTests case: {error}", origin=Origin(name))
        )
        return [case], []
    document, _ = load_document(raw, name)  # positions only: json.loads above decided validity
    root: Data | None = document.root if document is not None else None
    if not isinstance(plain, dict):
        case = Case(HR, name, 1, name=f"HR.{suite_name(suite_root(path))}.{path.parent.parent.name}.{test_case}")
        case.problems.append(
            Diagnostic("invalid-case", "an HRProvisioningTests case is one JSON object", origin=Origin(name))
        )
        return [case], []
    target = _text(plain.get("TargetAttributeName")) or path.parent.parent.name
    description = _text(plain.get("Description")) or ""
    suite = suite_name(suite_root(path))
    line = 1
    expression_origin = None
    expected_data = None
    if root is not None and root.is_mapping:
        line = root.line
        expression_data = root.get("Expression")
        if expression_data is not None and document is not None:
            expression_origin = document.origin(expression_data)
        expected_data = root.get(EXPECTED)
        if expected_data is not None:
            line = expected_data.line
    case = Case(
        HR,
        name,
        line,
        name=f"HR.{suite}.{target}.{test_case}: '{description}'",
        target=target,
        description=description,
        expression=plain.get("Expression") if isinstance(plain.get("Expression"), str) else None,
        expression_origin=expression_origin,
        document=document,
        data=root,
        suite=suite,
    )
    if case.expression is None:
        case.problems.append(
            Diagnostic(
                "invalid-case",
                "this case has no Expression (text)",
                origin=Origin(name, ((line, 1),)),
                hint="HRProvisioningTests cases hold " + ", ".join(KEYS),
            )
        )
    inputs = plain.get("InputAttributes")
    if isinstance(inputs, dict):
        case.source = dict(inputs)
    elif inputs is not None:
        case.problems.append(
            Diagnostic(
                "invalid-case",
                "InputAttributes must be a JSON object of attribute names and values",
                origin=Origin(name, ((line, 1),)),
            )
        )
    if EXPECTED in plain and plain[EXPECTED] != PLACEHOLDER:
        case.expected = Expectation(EXPECTED, plain[EXPECTED], expected_data)
    return [case], []


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value)


__all__ = ["KEYS", "PLACEHOLDER", "holds_hr_case", "is_hr_case_path", "read_hr_case", "suite_name"]
