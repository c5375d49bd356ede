"""Properties of the language that must hold for every input, not just the examples we thought of.

- Printing is lossless: ``parse(format(parse(s))) == parse(s)``, one-line and ``pretty=True``, for text
  generated from the grammar, for trees generated from the catalog and for every documented expression.
- Any text either parses or raises ``ParseError`` whose span lies inside the text, with a 1-based line and
  column that agree with the span.
- Nothing but ``ScimmapError`` leaves parse, check, compile, evaluate or format.
- Well-formed catalog calls compile, and evaluating them raises nothing but ``EvaluationError``.

These run with small example counts so CI stays fast; tests/fuzz/ runs the same ideas for long.
"""

from __future__ import annotations

from typing import Any

import pytest
from casefiles import documented_expressions
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import calls, expression_text, hostile_sources

import scimmap
from scimmap.errors import Diagnostic

DOC_EXPRESSIONS = documented_expressions()

quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_round_trip(text: str) -> None:
    node = scimmap.parse(text)
    for pretty in (False, True):
        printed = scimmap.format(node, pretty=pretty)
        assert scimmap.parse(printed) == node, f"pretty={pretty}:\n{printed}"
        # Printing is a fixed point: the canonical text of the canonical text is itself.
        assert scimmap.format(scimmap.parse(printed), pretty=pretty) == printed


def assert_well_placed(diagnostic: Diagnostic, text: str) -> None:
    """The span lies inside the text and line/column are the 1-based position of its start."""
    assert diagnostic.span is not None, diagnostic
    span = diagnostic.span
    assert 0 <= span.start <= span.end <= len(text), (span, len(text))
    before = text[: span.start]
    assert diagnostic.line == before.count("\n") + 1
    assert diagnostic.column == span.start - (before.rfind("\n") + 1) + 1
    assert diagnostic.line >= 1 and diagnostic.column >= 1
    assert diagnostic.source == text
    rendered = diagnostic.render()
    assert f"[{diagnostic.code}]" in rendered
    assert ("^" in rendered) == bool(text), rendered  # nothing to point at in an empty text


# ---------------------------------------------------------------------------------------------------
# Round trips


@pytest.mark.parametrize("text", DOC_EXPRESSIONS)
def test_documented_expressions_round_trip(text: str) -> None:
    assert_round_trip(text)


@quick
@given(expression_text())
def test_generated_text_round_trips(text: str) -> None:
    try:
        scimmap.parse(text)
    except scimmap.ParseError as error:
        # The grammar can generate only two things the parser refuses on purpose: depth and length limits.
        assert error.diagnostic.code in ("too-deep", "too-long"), error.render()
        return
    assert_round_trip(text)


@quick
@given(calls())
def test_catalog_trees_round_trip(node: Any) -> None:
    text = scimmap.format(node)
    assert scimmap.parse(text) == node
    assert scimmap.parse(scimmap.format(node, pretty=True)) == node


# ---------------------------------------------------------------------------------------------------
# Any text


@quick
@given(st.text(max_size=60))
@example('Join(" ", [a]')
@example("\ud800")
@example("f(\n\n")
@example("")
def test_any_text_parses_or_raises_a_placed_parse_error(text: str) -> None:
    try:
        scimmap.parse(text)
    except scimmap.ParseError as error:
        if text.strip():
            assert_well_placed(error.diagnostic, text)


@quick
@given(st.text(st.sampled_from('IIFSwitchJoin()[]",=<>&%x1 \n\\-'), max_size=40))
def test_near_miss_text_parses_or_raises_a_placed_parse_error(text: str) -> None:
    try:
        scimmap.parse(text)
    except scimmap.ParseError as error:
        if text.strip():
            assert_well_placed(error.diagnostic, text)


# ---------------------------------------------------------------------------------------------------
# Only ScimmapError escapes


def run_everything(text: Any, source: Any = None) -> None:
    """Every public entry point on one input; each may only fail with a ScimmapError."""
    for dialect in ("provisioning", "cloud-sync"):
        try:
            scimmap.format(text)
            scimmap.format(text, pretty=True)
        except scimmap.ScimmapError:
            pass
        diagnostics = scimmap.check(text, dialect=dialect)
        assert all(isinstance(d, Diagnostic) for d in diagnostics)
        try:
            expression = scimmap.compile(text, dialect=dialect)
        except scimmap.ScimmapError as error:
            if isinstance(text, str) and error.diagnostic.span is not None:
                assert_well_placed(error.diagnostic, text)
            continue
        try:
            expression.evaluate(source)
        except scimmap.ScimmapError as error:
            assert isinstance(error, scimmap.EvaluationError), error.render()


@quick
@given(st.text(max_size=80))
def test_random_text_raises_only_scimmap_errors(text: str) -> None:
    run_everything(text)


@quick
@given(expression_text(), hostile_sources)
def test_generated_expressions_raise_only_scimmap_errors(text: str, source: dict[str, Any]) -> None:
    run_everything(text, source)


@pytest.mark.parametrize("value", [None, 42, b"Join()", ["[x]"], object()])
def test_non_text_input_is_a_parse_error(value: Any) -> None:
    for function in (scimmap.parse, scimmap.format, scimmap.compile):
        with pytest.raises(scimmap.ParseError):
            function(value)
    assert [d.code for d in scimmap.check(value)] == ["syntax"]


@quick
@given(calls(), hostile_sources)
def test_catalog_calls_compile_and_fail_only_with_evaluation_errors(node: Any, source: dict[str, Any]) -> None:
    expression = scimmap.compile(node)
    try:
        value = expression.evaluate(source)
    except scimmap.EvaluationError as error:
        assert error.diagnostic.code == "evaluation" or error.diagnostic.severity == "error"
        assert_well_placed(error.diagnostic, expression.text)
        return
    assert (
        value is None
        or value is scimmap.SKIP
        or value is scimmap.SKIP_OBJECT
        or isinstance(value, (str, int, bool, list))
    ), repr(value)
    if isinstance(value, list):
        assert all(isinstance(item, str) for item in value), value
