"""FormatDateTime's one-step path gives what ParseExact then ToString give, or steps aside."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scimmap.dotnet.datetime_format import format_datetime
from scimmap.dotnet.datetime_parse import parse_exact
from scimmap.dotnet.datetime_reformat import fast_reformat
from scimmap.dotnet.datetime_styles import parse_styles
from scimmap.dotnet.datetimes import DateTimeError

INPUTS = [
    "yyyy-MM-ddTHH:mm:ssZ",
    "yyyyMMddHHmmss.fZ",
    "yyyyMMdd",
    "yyyy-MM-dd",
    "dd-MM-yyyyTHH:mm",
    "yyyy-MM-dd'T'HH:mm:ss",
    "yyyy/MM/dd",
    "yyyyMMddHHmmss.fffffffZ",
    "MM/dd/yyyy",
]
OUTPUTS = [
    "yyyyMMdd",
    "yyyy-MM-dd",
    "dd.MM.yyyy HH:mm:ss",
    "M/d/yy h:mm tt",
    "yyyy-MM-ddTHH:mm:ss.fffZ",
    "MMM d, yyyy",
    "MMMM",
    "t z g",
]
STYLES = [None, "AssumeUniversal", "AdjustToUniversal", "None"]


def general(text: str, styles: str | None, input_format: str, output_format: str) -> str:
    return format_datetime(parse_exact(text, input_format, parse_styles(styles)), output_format)


def render(input_format: str, digits: dict[str, int]) -> str:
    """The text ``input_format`` describes for these field values (no range check: invalid dates too)."""
    text = input_format
    for token, value in (
        ("yyyy", f"{digits['year']:04d}"),
        ("fffffff", f"{digits['fraction']:07d}"),
        ("MM", f"{digits['month']:02d}"),
        ("dd", f"{digits['day']:02d}"),
        ("HH", f"{digits['hour']:02d}"),
        ("mm", f"{digits['minute']:02d}"),
        ("ss", f"{digits['second']:02d}"),
        ("f", str(digits["fraction"] % 10)),
    ):
        text = text.replace(token, value)
    return text.replace("'", "")


@pytest.mark.parametrize("output_format", OUTPUTS)
@pytest.mark.parametrize("input_format", INPUTS)
def test_common_formats_take_the_one_step_path(input_format: str, output_format: str) -> None:
    reformat = fast_reformat(None, input_format, output_format)
    assert reformat is not None
    text = render(
        input_format, {"year": 2016, "month": 2, "day": 29, "hour": 21, "minute": 7, "second": 9, "fraction": 1234567}
    )
    assert reformat(text) == general(text, None, input_format, output_format)


@pytest.mark.parametrize(
    ("input_format", "output_format"),
    [
        ("yyyyMMdd", "dddd"),  # the weekday
        ("yyyyMMdd", "yyyy-MM-ddK"),  # the kind
        ("yyyyMMdd", "yyyy.FFF"),  # F drops its dot
        ("yyMMdd", "yyyyMMdd"),  # a two-digit year follows the century rule
        ("yyyyMMddhhmm", "yyyyMMdd"),  # a 12-hour clock
        ("MMdd", "MM"),  # no year: the current one
        ("d/M/yyyy", "yyyy"),  # variable width: the token walk
        ("dd.MM.yyyy HH:mm", "yyyy"),  # ParseExact's own rules for '.' and ' '
        ("yyyyMMdd", "q"),  # not a standard format: the general path reports it
    ],
)
def test_other_shapes_step_aside(input_format: str, output_format: str) -> None:
    assert fast_reformat(None, input_format, output_format) is None


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(INPUTS),
    st.sampled_from(OUTPUTS),
    st.sampled_from(STYLES),
    st.fixed_dictionaries(
        {
            "year": st.integers(0, 9999),
            "month": st.integers(0, 13),
            "day": st.integers(0, 32),
            "hour": st.integers(0, 25),
            "minute": st.integers(0, 61),
            "second": st.integers(0, 61),
            "fraction": st.integers(0, 9_999_999),
        }
    ),
    st.sampled_from(["", " ", "  ", "x"]),
)
def test_the_one_step_path_agrees_with_parse_exact_then_to_string(
    input_format: str, output_format: str, styles: str | None, digits: dict[str, int], padding: str
) -> None:
    text = padding + render(input_format, digits) + padding
    reformat = fast_reformat(styles, input_format, output_format)
    assert reformat is not None
    fast = reformat(text)
    try:
        expected: str | None = general(text, styles, input_format, output_format)
    except DateTimeError:
        expected = None  # the general path's error: the one-step path must have stepped aside
    # Both ways: every text of these shapes the general path accepts is answered in one step, the same.
    assert fast == expected
