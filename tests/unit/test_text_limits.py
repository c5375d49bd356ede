"""Text growth and regex compile cost are bounded before anything big is built (issue 11).

Nine nested ``Replace(..., "a", , , "aaaaaaaaaa", , )`` on a one-character source used 1 GB; 230 distinct
``[abX]{99999}`` patterns took 18.8 s and 5.9 GB to compile.  Every function that makes text longer computes
the result's length first (``text-too-long``), and constant patterns are weighed against a per-expression
and per-file budget before any is compiled (``regex-too-large``).  Memory is asserted with tracemalloc
(peak bytes), never with a clock.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.dotnet.limits import MAX_TEXT_LENGTH
from scimmap.dotnet.regex import MAX_EXPANSION, MAX_WEIGHT_PER_EXPRESSION, MAX_WEIGHT_PER_FILE
from scimmap.language.check import over_budget
from scimmap.language.nodes import Constant
from scimmap.mapping.validate import check_text

PEAK_BYTES = 64 * 1024 * 1024
"""Far above what a result at the limit needs (4 MiB as a Python string, a few copies) and far below the
gigabytes the hostile inputs used."""


def _peak(action: Callable[[], Any]) -> tuple[Any, int]:
    """``action()``'s result (or the ScimmapError it raised) and the peak traced memory while it ran."""
    tracemalloc.start()
    try:
        try:
            result: Any = action()
        except scimmap.ScimmapError as error:
            result = error
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _nested(times: int, inner: str = "[x]") -> str:
    expression = inner
    for _ in range(times):
        expression = f'Replace({expression}, "a", , , "aaaaaaaaaa", , )'
    return expression


def test_nine_nested_replaces_are_refused_before_the_gigabyte() -> None:
    result, peak = _peak(lambda: scimmap.evaluate(_nested(9), {"x": "a"}))
    assert isinstance(result, scimmap.EvaluationError)
    assert result.code == "text-too-long"
    assert "10,000,000 characters" in str(result)
    assert peak < PEAK_BYTES
    assert len(scimmap.evaluate(_nested(6), {"x": "a"})) == 10**6  # just under the limit: still computed


@pytest.mark.parametrize(
    ("expression", "source", "dialect"),
    [
        ("Append([x], [y])", {"x": "a" * MAX_TEXT_LENGTH, "y": "b"}, "provisioning"),
        ("Prepend([y], [x])", {"x": "a" * MAX_TEXT_LENGTH, "y": "b"}, "provisioning"),
        ('Join(",", [x], [x])', {"x": "a" * (MAX_TEXT_LENGTH // 2)}, "provisioning"),
        ('Join(",", Mid([x], 1, 600000), Mid([x], 1, 600000))', {"x": "a" * 600000}, "provisioning"),
        ('Replace([x], "a", , , "aa", , )', {"x": "a" * (MAX_TEXT_LENGTH // 2 + 1)}, "provisioning"),
        ('Replace([x], "<u>", , , , , "<u><u>")', {"x": "a" * (MAX_TEXT_LENGTH // 2 + 1)}, "provisioning"),
        ('Replace([x], , "a", , "$_$_", , )', {"x": "a" * 725}, "provisioning"),  # 725 * 1,450
        ('Replace([x], , "(?<g>a)", "g", [y], , )', {"x": "a" * 1025, "y": "b" * 1024}, "provisioning"),
        ("ConvertToBase64([x])", {"x": "a" * (MAX_TEXT_LENGTH // 2)}, "provisioning"),
        ("ConvertToUTF8Hex([x])", {"x": "a" * (MAX_TEXT_LENGTH // 2 + 1)}, "provisioning"),
        ("NormalizeDiacritics([x])", {"x": "æ" * (MAX_TEXT_LENGTH // 2 + 1)}, "provisioning"),
        ("Mid([x], 1, 600000) & Mid([x], 1, 600000)", {"x": "a" * 600000}, "cloud-sync"),
    ],
)
def test_each_growing_function_refuses_a_result_past_the_limit(
    expression: str, source: dict[str, str], dialect: str
) -> None:
    with pytest.raises(scimmap.EvaluationError) as raised:
        scimmap.evaluate(expression, source, dialect=dialect)
    assert raised.value.code == "text-too-long"
    assert "a" * 20 not in str(raised.value)  # sizes only, never the text


def test_a_result_exactly_at_the_limit_is_fine() -> None:
    half = "a" * (MAX_TEXT_LENGTH // 2)
    assert len(scimmap.evaluate("Append([x], [x])", {"x": half})) == MAX_TEXT_LENGTH
    assert len(scimmap.evaluate('Join("", [x], [x])', {"x": half})) == MAX_TEXT_LENGTH
    assert len(scimmap.evaluate('Replace([x], "a", , , "aa", , )', {"x": half})) == MAX_TEXT_LENGTH


_GROWTH = [
    lambda e: f'Replace({e}, "a", , , "aaaaaaaaaa", , )',
    lambda e: f'Replace({e}, , "a", , "$&$&$&$&$&$&$&$&", , )',
    lambda e: f'Replace({e}, , "(a)", , "$_$1$_", , )',
    lambda e: f'Replace({e}, , "(?<g>a)", "g", "aaaaa", , )',
    lambda e: f'Replace("aaaa<v>aaaa<v>", "<v>", , , , , {e})',
    lambda e: f"Join({e}, {e}, {e}, {e})",
    lambda e: f"Append({e}, {e})",
    lambda e: f'Prepend({e}, "aa")',
    lambda e: f"ConvertToBase64({e})",
    lambda e: f"ConvertToUTF8Hex({e})",
    lambda e: f"NormalizeDiacritics({e})",
    lambda e: f'IIF(IsPresent([x]), {e}, "")',
    lambda e: f'Switch([x], {e}, "zz", "")',
    lambda e: f"Left({e}, 100000000)",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, len(_GROWTH) - 1), min_size=1, max_size=12),
    st.text(alphabet="aæ<v>$x", min_size=0, max_size=4),
)
def test_nested_growth_never_passes_the_limit_and_raises_only_scimmap_errors(steps: list[int], x: str) -> None:
    expression = "[x]"
    for step in steps:
        candidate = _GROWTH[step](expression)
        if len(candidate) > 10_000:
            break
        expression = candidate
    result, peak = _peak(lambda: scimmap.evaluate(expression, {"x": x}))
    if isinstance(result, scimmap.ScimmapError):
        assert result.code in ("text-too-long", "evaluation"), result
    else:
        assert result is None or len(result) <= MAX_TEXT_LENGTH
    assert peak < PEAK_BYTES, (expression, peak)


# ---------------------------------------------------------------------------------------- regex budget


def _patterns(letters: str, count: int) -> str:
    calls = [f'Replace([x], , "{letter}{{{count}}}", , "", , )' for letter in letters]
    return f'Join("", {", ".join(calls)})'


def test_one_pattern_over_the_weight_limit_is_refused_at_compile_time() -> None:
    with pytest.raises(scimmap.CheckError) as raised:
        scimmap.compile(f'Replace([x], , "[abX]{{{MAX_EXPANSION + 1}}}", , "", , )')
    assert raised.value.code == "invalid-argument"
    assert "too large" in str(raised.value)


def test_the_patterns_of_one_expression_share_a_budget() -> None:
    count = MAX_WEIGHT_PER_EXPRESSION // 3 + 1
    with pytest.raises(scimmap.CheckError) as raised:
        scimmap.compile(_patterns("abc", count))
    assert raised.value.code == "regex-too-large"
    assert raised.value.diagnostic.span is not None
    assert _patterns("abc", count)[raised.value.diagnostic.span.start :].startswith(f'"c{{{count}}}"')
    _, peak = _peak(lambda: scimmap.check(_patterns("".join(chr(0x4E00 + i) for i in range(30)), count)))
    assert peak < PEAK_BYTES  # weighed, none compiled (30 would take about 90 MB)
    scimmap.compile(_patterns("ab", count))  # two of them fit
    scimmap.compile(_patterns("aaa", count))  # one pattern written three times is compiled once


def _file(expressions: list[str]) -> str:
    lines = ["object: User", "mappings:", "  - target: userName", "    source: userPrincipalName", "    match: 1"]
    for index, expression in enumerate(expressions):
        lines += [
            f"  - target: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter{index}",
            f"    expression: '{expression}'",
        ]
    return "\n".join(lines) + "\n"


def test_the_patterns_of_one_mapping_file_share_a_budget() -> None:
    per_expression = MAX_WEIGHT_PER_EXPRESSION // 2  # each expression is within its own budget
    letters = "".join(chr(0x4E00 + i) for i in range(40))
    # 40 patterns (compiling them would take about 150 MB); 11 already pass the file's budget.
    files = _file([_patterns(letters[2 * i : 2 * i + 2], per_expression) for i in range(20)])
    assert 11 * per_expression > MAX_WEIGHT_PER_FILE
    found = [d for d in check_text(files) if d.code == "regex-too-large"]
    assert len(found) == 1 and "mapping file" in found[0].message, found
    result, peak = _peak(lambda: scimmap.load_mapping(files))
    assert isinstance(result, scimmap.MappingError) and "regex-too-large" in {d.code for d in result.diagnostics}
    assert peak < PEAK_BYTES  # weighed, not compiled
    fits = _file([_patterns(letters[2 * i : 2 * i + 2], per_expression) for i in range(5)])
    assert not [d for d in check_text(fits) if d.code == "regex-too-large"]


class _CountedCost(int):
    """A pattern weight that counts every addition it takes part in (shared by all instances)."""

    additions = 0

    def __add__(self, other: int) -> int:
        _CountedCost.additions += 1
        return int(self) + int(other)

    __radd__ = __add__


def test_weighing_adds_each_distinct_pattern_once() -> None:
    """The file's budget adds up every distinct pattern of every expression, so its cost must grow with the
    number of patterns, not with its square (24,000 patterns of weight 2, an 800 KB file within budget, cost
    1.2 s more when the total was summed again for each new pattern).  Counted, not timed."""
    count = 4000
    costs: list[tuple[Constant, int]] = [(Constant(f"p{i}", "string"), _CountedCost(2)) for i in range(count)]
    costs += costs[:100]  # repeated patterns weigh nothing more
    _CountedCost.additions = 0
    assert over_budget(costs, MAX_WEIGHT_PER_FILE) is None  # 8,000 < 100,000: no crossing
    assert _CountedCost.additions <= 2 * count, _CountedCost.additions  # the old sum made 8 million
    crossing = over_budget(costs, 2 * 1000)
    assert crossing is not None and crossing[0].value == "p1000" and crossing[1] == 2 * count


def test_a_scoping_filter_pattern_is_held_to_the_same_limit() -> None:
    text = (
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n"
        f'scope:\n  - - {{attribute: department, operator: REGEX MATCH, value: "[abX]{{{MAX_EXPANSION + 1}}}"}}\n'
    )
    found = [d for d in check_text(text) if d.code == "invalid-scope"]
    assert found and "too large" in found[0].message
