"""Whether an actual outcome matches the expected one, and how to show the difference.

Case files compare strictly: ``"True"`` (text) is not ``true`` (a boolean), ``"5"`` is not ``5``, and
lists keep their order, because those differences reach the SCIM body.  HRProvisioningTests suites
compare the way Pester's ``Should -Be`` does, so a migrated suite keeps its verdicts: see
:func:`pester_equal`.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from typing import Any

from scimmap.language.values import SKIP, SKIP_OBJECT

_INTEGER = re.compile(r"\s*[-+]?[0-9]+\s*\Z")


def same(expected: Any, actual: Any) -> bool:
    """Equality that keeps JSON types apart (Python's ``True == 1`` and ``1 == 1.0`` do not hold here)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(same(value, actual[key]) for key, value in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same(e, a) for e, a in zip(expected, actual))
        )
    if expected is None or actual is None:
        return expected is None and actual is None
    return type(expected) is type(actual) and expected == actual


# ------------------------------------------------------------------------------------------------- Pester


def graph_result(value: Any) -> list[str]:
    """An evaluation result as Graph's parseExpression returns it: ``evaluationResult``, a list of strings.

    A null result (or a dropped attribute) is an empty list; ``""`` stays one empty string.
    """
    if value is None or value is SKIP or value is SKIP_OBJECT:
        return []
    items = value if isinstance(value, list) else [value]
    return [_text(item) for item in items if item is not None]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def pester_equal(expected: Any, actual: list[str]) -> tuple[bool, str | None]:
    """Pester 5's ``$retval.EvaluationResult | Should -Be $ExpectedResult``, and a note when the verdict
    would surprise someone who reads the values.

    Pester's ArraysAreEqual: a null, an empty array and ``@($null)`` are all equal to each other and to
    nothing else; otherwise both sides are arrays of the same length compared element by element with
    ``$Expected -eq $Actual``, which converts the actual text to the expected value's type: strings compare
    ignoring case, a number is compared numerically, and a Boolean compares with "any non-empty text is
    $true".
    """
    expected_items = expected if isinstance(expected, list) else [expected]
    if _null_or_empty(expected_items) or not actual:
        return _null_or_empty(expected_items) and not actual, None
    if len(expected_items) != len(actual):
        return False, None
    notes: list[str] = []
    for want, got in zip(expected_items, actual):
        ok, note = _element_equal(want, got)
        if note:
            notes.append(note)
        if not ok:
            return False, "; ".join(notes) or None
    return True, "; ".join(notes) or None


def _null_or_empty(items: list[Any]) -> bool:
    return not items or (len(items) == 1 and items[0] is None)


def _element_equal(expected: Any, actual: str) -> tuple[bool, str | None]:
    if isinstance(expected, list):
        return pester_equal(expected, [actual])
    if isinstance(expected, bool):
        verdict = (actual != "") == expected
        return verdict, (
            f"ExpectedResult is the Boolean {'true' if expected else 'false'}, so Pester converts the result "
            f"{json.dumps(actual)} to a Boolean, and any non-empty text is $true: write the expected result as "
            'text ("True" or "False")'
        )
    if isinstance(expected, (int, float)):
        number = _number(actual)
        if number is None:
            return False, None
        if isinstance(expected, int) and not isinstance(number, int):
            number = round(number)  # [int]"2.5" is 2: .NET rounds half to even, as Python does
        return number == expected, None
    if isinstance(expected, str):
        if expected.casefold() != actual.casefold():
            return False, None
        if expected != actual:
            return True, (
                f"Pester's Should -Be ignores case: {json.dumps(actual)} passes for "
                f"{json.dumps(expected)}; Entra sends the value as computed"
            )
        return True, None
    return False, None  # an object never equals a string in PowerShell


def _number(text: str) -> int | float | None:
    if _INTEGER.match(text):
        return int(text)
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# ------------------------------------------------------------------------------------------------ showing


def show(value: Any) -> str:
    """A value the way case files write it (JSON), so "True" and true look different."""
    if value is SKIP:
        return "(not flowed: IgnoreFlowIfNullOrEmpty)"
    if value is SKIP_OBJECT:
        return "(object skipped: IgnoreObjectFlow)"
    return json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))


def diff(expected: Any, actual: Any, *, expected_label: str = "expected", actual_label: str = "actual") -> list[str]:
    """``- expected`` / ``+ actual`` lines; structured values as a unified diff of their JSON."""
    flat = not isinstance(expected, (dict, list)) and not isinstance(actual, (dict, list))
    if flat:
        return [f"- {expected_label}: {show(expected)}", f"+ {actual_label}:   {show(actual)}"]
    left = json.dumps(expected, indent=2, ensure_ascii=False, sort_keys=True).splitlines()
    right = json.dumps(actual, indent=2, ensure_ascii=False, sort_keys=True).splitlines()
    lines = list(difflib.unified_diff(left, right, expected_label, actual_label, lineterm="", n=3))
    return [line for line in lines if not line.startswith(("---", "+++"))] or [f"  {show(expected)}"]


__all__ = ["diff", "graph_result", "pester_equal", "same", "show"]
