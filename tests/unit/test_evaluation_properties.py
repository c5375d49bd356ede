"""Every catalog function, fed arbitrary attribute values, either returns a value or raises ScimmapError.

``scimmap.evaluate`` turns any exception into an ``evaluation`` diagnostic, so a crash inside a function
would still look like a ScimmapError there.  The test therefore also runs the generated function without
that safety net: the only failure a function may raise itself is ``ValueFailure`` (bad input, said in a
sentence); a ``TypeError`` or ``OverflowError`` is a bug, and it would reach users as "X failed: ...".

Functions are called on attribute references (``Fn([a0], [a1], ...)``) so the values reach the
implementation at run time instead of being judged by the checker; literal-only parameters get one of
their accepted words.  The values are the hostile ones from ``strategies.py``: null, "", NUL, lone
surrogates, huge and negative integers, Booleans, lists and nested lists.
"""

from __future__ import annotations

import random
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import hostile_scalars, hostile_text

import scimmap
from scimmap.functions.catalog import FunctionSpec
from scimmap.language.source import prepare_source
from scimmap.language.values import SKIP, SKIP_OBJECT, ValueFailure

NOW = datetime(2025, 7, 30, tzinfo=timezone.utc)

values = st.one_of(
    hostile_scalars,
    st.lists(hostile_text, max_size=4),
    st.sampled_from(
        [
            "12",
            "-3",
            " 7 ",
            "&HFF",
            "2021-06-30+08:00",
            "7/2/2021 3:33:38 PM",
            "20210630120000.0Z",
            "yyyy-MM-dd",
            "d",
            "m",
            "ww",
            "SGVsbG8=",
            "(?<x>a)",
            "${x}",
            "en-US",
            "tr-TR",
            "x-bad",
        ]
    ),
)
"""Argument values: hostile text plus shapes that get past the first line of each function."""


def _dialect(spec: FunctionSpec) -> str:
    return "provisioning" if "provisioning" in spec.dialects else "cloud-sync"


def _counts(spec: FunctionSpec) -> list[int]:
    upper = spec.maximum if spec.maximum is not None else spec.minimum + 4
    return [n for n in range(spec.minimum, upper + 1) if spec.arity_problem(n) is None]


KNOWN_CRASHES: dict[str, str] = {}
"""Crashes this test found in other families, reported to their owners; remove an entry once fixed."""


def _specs() -> list[Any]:
    return [
        pytest.param(spec, marks=pytest.mark.xfail(reason=KNOWN_CRASHES[spec.name], strict=False))
        if spec.name in KNOWN_CRASHES
        else spec
        for spec in scimmap.BUILTINS
    ]


@st.composite
def calls(draw: st.DrawFn, spec: FunctionSpec) -> tuple[str, dict[str, Any]]:
    """``Fn([a0], ...)`` text and the source giving each attribute its value."""
    count = draw(st.sampled_from(_counts(spec)))
    args: list[str] = []
    source: dict[str, Any] = {}
    for index in range(count):
        param = spec.param_at(index)
        if param.literal or param.choices:
            if param.choices:
                args.append(draw(st.sampled_from(param.choices)))
            elif not param.required:
                args.append("")
            else:
                args.append('"x"')
            continue
        if not param.required and draw(st.integers(0, 4)) == 0:
            args.append("")
            continue
        name = f"a{index}"
        args.append(f"[{name}]")
        source[name] = draw(values)
    return f"{spec.name}({', '.join(args)})", source


def _is_output(value: Any) -> bool:
    if value is None or value is SKIP or value is SKIP_OBJECT:
        return True
    if type(value) in (str, int, bool):
        return True
    return type(value) is list and all(item is None or type(item) is str for item in value)


@pytest.mark.parametrize("spec", _specs(), ids=lambda spec: spec.name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_argument_values_give_a_value_or_a_scimmap_error(spec: FunctionSpec, data: st.DataObject) -> None:
    if not _counts(spec):
        pytest.skip(f"{spec.name} has no valid argument count to call it with")
    text, source = data.draw(calls(spec))
    taken = data.draw(st.booleans())
    options: dict[str, Any] = {
        "now": NOW,
        "exists": lambda candidate: taken and len(candidate) % 2 == 0,
        "rng": random.Random(0),
        "parameters": {"DefaultDomain": "contoso.com"},
    }
    try:
        value = scimmap.evaluate(text, source, dialect=_dialect(spec), **options)
    except scimmap.ScimmapError as error:
        assert error.diagnostics, "a ScimmapError must carry a diagnostic"
        _assert_no_crash(text, source, _dialect(spec), options)
        return
    assert _is_output(value), f"{text} with {source!r} returned {value!r}"


def _assert_no_crash(text: str, source: dict[str, Any], dialect: str, options: dict[str, Any]) -> None:
    """Run the generated code directly: only ValueFailure and ScimmapError are expected failures."""
    try:
        expression = scimmap.compile(text, dialect=dialect)
    except scimmap.ScimmapError:
        return
    options = {**options, "rng": random.Random(0)}
    try:
        expression._function(prepare_source(source), expression.context(**options))
    except (ValueFailure, scimmap.ScimmapError):
        return
    except Exception as error:
        raise AssertionError(f"{text} with {source!r} crashed: {type(error).__name__}: {error}") from error
