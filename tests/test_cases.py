"""Every expression case under tests/cases/ through the public ``scimmap.evaluate``."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from casefiles import expression_cases

import scimmap

ALL = list(expression_cases())


def run(case: dict[str, Any]) -> Any:
    now = datetime.fromisoformat(case["now"].replace("Z", "+00:00")) if "now" in case else None
    taken = set(case.get("exists", ()))
    exists = (lambda value: value in taken) if "exists" in case else None
    return scimmap.evaluate(
        case["expression"],
        case["given"],
        now=now,
        exists=exists,
        dialect=case.get("dialect", "provisioning"),
        parameters=case.get("parameters"),
    )


@pytest.mark.parametrize("case", [c for _, c in ALL], ids=[i for i, _ in ALL])
def test_case(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(scimmap.ScimmapError) as raised:
            run(case)
        diagnostic = raised.value.diagnostics[0]
        assert diagnostic.code == case["error"], diagnostic.render()
        if "span" in case:
            assert [diagnostic.span.start, diagnostic.span.end] == case["span"], diagnostic.render()
        return
    value = run(case)
    if "skip" in case:
        assert value is scimmap.SKIP
    elif "skip_object" in case:
        assert value is scimmap.SKIP_OBJECT
    elif "result_regex" in case:
        assert isinstance(value, str) and re.fullmatch(case["result_regex"], value), value
    else:
        expected = case["result"]
        assert value == expected and type(value) is type(expected), f"{value!r} != {expected!r}"
