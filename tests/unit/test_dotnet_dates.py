"""scimmap.dotnet date behaviour: .NET format strings both ways, DateTimeStyles, Parse, VB DateAdd/DateDiff, file times.

Expected outputs come from .NET's documentation of custom and standard format strings (sample instant
2009-06-15T13:45:30.6175425) and from the VB.NET DateAndTime source the spec cites; the hypothesis tests
check the two directions against each other: ToString then ParseExact with the same format is the identity.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scimmap.dotnet.datetime_format import format_datetime, tokenize, validate_format
from scimmap.dotnet.datetime_parse import parse, parse_exact
from scimmap.dotnet.datetime_styles import DEFAULT_STYLES, DateTimeStyles, parse_styles, validate_styles
from scimmap.dotnet.datetimes import (
    MAX_TICKS,
    TICKS_PER_DAY,
    DateFormatError,
    DateParseError,
    DateRangeError,
    DateTimeError,
    Kind,
    NetDateTime,
)
from scimmap.dotnet.filetime import MAX_FILE_TIME, from_file_time, to_file_time
from scimmap.dotnet.vbdate import DateInterval, date_add, date_diff, interval_from_string, validate_interval

SAMPLE = NetDateTime.from_parts(2009, 6, 15, 13, 45, 30, 6_175_425)


def utc(text: str) -> NetDateTime:
    return parse(text)


# ---------------------------------------------------------------------------------------------------
# The value model


def test_ticks_match_python_dates() -> None:
    assert NetDateTime.from_parts(1, 1, 1).ticks == 0
    assert NetDateTime.from_parts(9999, 12, 31, 23, 59, 59, 9_999_999).ticks == MAX_TICKS
    assert NetDateTime.from_parts(2009, 6, 15).day_of_week == 1  # a Monday
    moment = datetime(2021, 8, 25, 17, 41, 18, 123456, tzinfo=timezone.utc)
    assert NetDateTime.from_datetime(moment).to_datetime() == moment
    shifted = datetime(2021, 8, 25, 10, 41, 18, tzinfo=timezone(timedelta(hours=-7)))
    assert NetDateTime.from_datetime(shifted).to_datetime() == shifted


def test_out_of_range_values_raise_range_errors() -> None:
    with pytest.raises(DateRangeError):
        NetDateTime(MAX_TICKS + 1)
    with pytest.raises(DateRangeError):
        NetDateTime.from_parts(2021, 2, 29)
    with pytest.raises(DateRangeError):
        NetDateTime.from_parts(9999, 12, 31).add_ticks(TICKS_PER_DAY)


# ---------------------------------------------------------------------------------------------------
# ToString


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("%d", "15"),
        ("dd", "15"),
        ("ddd", "Mon"),
        ("dddd", "Monday"),
        ("%M", "6"),
        ("MM", "06"),
        ("MMM", "Jun"),
        ("MMMM", "June"),
        ("%y", "9"),
        ("yy", "09"),
        ("yyy", "2009"),
        ("yyyy", "2009"),
        ("yyyyy", "02009"),
        ("%h", "1"),
        ("hh", "01"),
        ("%H", "13"),
        ("HH", "13"),
        ("%m", "45"),
        ("%s", "30"),
        ("%f", "6"),
        ("ff", "61"),
        ("fff", "617"),
        ("fffffff", "6175425"),
        ("FFFFFFF", "6175425"),
        ("%t", "P"),
        ("tt", "PM"),
        ("%g", "A.D."),
        ("hh:mm:ss.ff tt", "01:45:30.61 PM"),
        ("yyyy'-'MM'-'dd", "2009-06-15"),
        ("'quoted' yyyy", "quoted 2009"),
        ("\\d\\d dd", "dd 15"),
        ('"MM"MM', "MM06"),
        ("yyyy/MM/dd", "2009/06/15"),
        ("d", "6/15/2009"),
        ("D", "Monday, June 15, 2009"),
        ("g", "6/15/2009 1:45 PM"),
        ("G", "6/15/2009 1:45:30 PM"),
        ("", "6/15/2009 1:45:30 PM"),
        ("s", "2009-06-15T13:45:30"),
        ("u", "2009-06-15 13:45:30Z"),
        ("o", "2009-06-15T13:45:30.6175425"),
        ("t", "1:45 PM"),
        ("T", "1:45:30 PM"),
        ("M", "June 15"),
        ("y", "June 2009"),
        ("f", "Monday, June 15, 2009 1:45 PM"),
        ("r", "Mon, 15 Jun 2009 13:45:30 GMT"),
    ],
)
def test_format_matches_dotnet_documentation(fmt: str, expected: str) -> None:
    assert format_datetime(SAMPLE, fmt) == expected


def test_invariant_culture_standard_patterns() -> None:
    assert format_datetime(SAMPLE, "G", "invariant") == "06/15/2009 13:45:30"
    assert format_datetime(SAMPLE, "d", "invariant") == "06/15/2009"


def test_F_drops_trailing_zeros_and_a_bare_dot() -> None:
    whole = NetDateTime.from_parts(2009, 6, 15, 13, 45, 30, 500_000)
    assert format_datetime(whole, "ss.FFF") == "30.05"
    assert format_datetime(NetDateTime.from_parts(2009, 6, 15, 13, 45, 30), "ss.FFF") == "30"
    assert format_datetime(whole, "ss.fff") == "30.050"


def test_K_and_z_follow_the_kind_with_local_time_utc() -> None:
    assert format_datetime(SAMPLE.with_kind(Kind.UTC), "%K") == "Z"
    assert format_datetime(SAMPLE.with_kind(Kind.LOCAL), "%K") == "+00:00"
    assert format_datetime(SAMPLE, "[K]") == "[]"
    assert format_datetime(SAMPLE.with_kind(Kind.UTC), "%z|zz|zzz") == "+0|+00|+00:00"
    assert format_datetime(SAMPLE.with_kind(Kind.UTC), "o") == "2009-06-15T13:45:30.6175425Z"


def test_midnight_and_noon_on_the_12_hour_clock() -> None:
    assert format_datetime(NetDateTime.from_parts(2021, 1, 1), "h:mm tt") == "12:00 AM"
    assert format_datetime(NetDateTime.from_parts(2021, 1, 1, 12), "h:mm tt") == "12:00 PM"


@pytest.mark.parametrize("fmt", ["'unterminated", "yyyy\\", "%", "%%", "ffffffff", "FFFFFFFF", "Z", "x", "q", '"'])
def test_invalid_formats_are_reported(fmt: str) -> None:
    assert validate_format(fmt) is not None
    with pytest.raises(DateFormatError):
        format_datetime(SAMPLE, fmt)


@pytest.mark.parametrize(
    "fmt", ["", "yyyy", "yyyyMMddHHmmss.fZ", "M/d/yyyy h:mm:ss tt", "'%'", "\\%", "%-", "o", "fffffff"]
)
def test_valid_formats_pass_validation(fmt: str) -> None:
    assert validate_format(fmt) is None


def test_tokenizer_groups_runs_and_keeps_literals_apart() -> None:
    kinds = [(t.kind, t.text, t.count) for t in tokenize("yyyy'-'MM\\T.Z")]
    assert kinds == [
        ("field", "y", 4),
        ("quoted", "-", 1),
        ("field", "M", 2),
        ("escaped", "T", 1),
        ("char", ".", 1),
        ("char", "Z", 1),
    ]


# ---------------------------------------------------------------------------------------------------
# ParseExact


def test_parse_exact_reads_the_documented_servicenow_format() -> None:
    value = parse_exact("20150123105347.1Z", "yyyyMMddHHmmss.fZ")
    assert (value.year, value.month, value.day, value.hour, value.minute, value.second) == (2015, 1, 23, 10, 53, 47)
    assert value.fraction == 1_000_000 and value.kind is Kind.UTC


def test_offsets_become_local_time_which_is_utc() -> None:
    value = parse_exact("2020-12-31+08:00", "yyyy-MM-ddzzz")
    assert (value.day, value.hour, value.kind) == (30, 16, Kind.LOCAL)
    assert parse_exact("2020-12-31-08", "yyyy-MM-ddzz").hour == 8
    assert parse_exact("2020-12-31-8", "yyyy-MM-ddz").hour == 8
    assert parse_exact("2020-12-31T00:00-0130", "yyyy-MM-dd'T'HH:mmzzz").minute == 30


def test_K_reads_Z_an_offset_or_nothing() -> None:
    assert parse_exact("2021-01-01Z", "yyyy-MM-ddK").kind is Kind.UTC
    assert parse_exact("2021-01-01+01:00", "yyyy-MM-ddK").ticks == NetDateTime.from_parts(2020, 12, 31, 23).ticks
    assert parse_exact("2021-01-01", "yyyy-MM-ddK").kind is Kind.UNSPECIFIED


def test_twelve_hour_clock_rules() -> None:
    assert parse_exact("12:00:00 AM", "hh:mm:ss tt").hour == 0
    assert parse_exact("12:00:00 PM", "hh:mm:ss tt").hour == 12
    assert parse_exact("01:00:00 pm", "hh:mm:ss tt").hour == 13
    assert parse_exact("1 P", "h t").hour == 13
    with pytest.raises(DateParseError):
        parse_exact("9:00:00 AM", "hh:mm:ss tt")  # hh needs two digits
    with pytest.raises(DateParseError):
        parse_exact("13:00 PM", "hh:mm tt")
    with pytest.raises(DateParseError):
        parse_exact("13:00 AM", "HH:mm tt")  # a 24-hour value contradicting AM


def test_digit_widths_are_greedy_without_backtracking() -> None:
    assert parse_exact("1/5/2021", "M/d/yyyy").month == 1
    with pytest.raises(DateParseError):
        parse_exact("152021", "Mdyyyy")  # M greedily takes "15" and never retries with "1"
    with pytest.raises(DateParseError):
        parse_exact("2021-3-05", "yyyy-MM-dd")


def test_optional_fractions() -> None:
    assert parse_exact("10:00:00", "HH:mm:ss.FFF").fraction == 0
    assert parse_exact("10:00:00.5", "HH:mm:ss.FFF").fraction == 5_000_000
    assert parse_exact("10:00:00.25", "HH:mm:ss.FFF").fraction == 2_500_000
    with pytest.raises(DateParseError):
        parse_exact("10:00:00.5", "HH:mm:ss.ff")


def test_names_and_day_of_week_consistency() -> None:
    assert parse_exact("15 JUNE 2009", "dd MMMM yyyy").month == 6
    assert parse_exact("Mon 15 Jun 2009", "ddd dd MMM yyyy").day == 15
    with pytest.raises(DateParseError):
        parse_exact("Tue 15 Jun 2009", "ddd dd MMM yyyy")


def test_conflicting_repeated_fields_fail() -> None:
    assert parse_exact("2009 2009", "yyyy yyyy").year == 2009
    with pytest.raises(DateParseError):
        parse_exact("2009 2010", "yyyy yyyy")


def test_missing_date_parts_default_like_dotnet() -> None:
    today = NetDateTime.from_parts(2025, 7, 30)
    assert parse_exact("10:30", "HH:mm", today=today).date_parts == (2025, 7, 30)
    assert parse_exact("2021", "yyyy", today=today).date_parts == (2021, 1, 1)
    assert parse_exact("03", "MM", today=today).date_parts == (2025, 3, 1)
    nodefault = DEFAULT_STYLES | DateTimeStyles.NO_CURRENT_DATE_DEFAULT
    assert parse_exact("10:30", "HH:mm", nodefault, today=today).date_parts == (1, 1, 1)


def test_whitespace_styles() -> None:
    assert parse_exact("  2021-03-05  ", "yyyy-MM-dd").day == 5
    with pytest.raises(DateParseError):
        parse_exact(" 2021-03-05", "yyyy-MM-dd", DateTimeStyles.NONE)
    with pytest.raises(DateParseError):
        parse_exact("2021 -03-05", "yyyy-MM-dd")
    assert parse_exact("2021 - 03 -05", "yyyy-MM-dd", DateTimeStyles.ALLOW_WHITE_SPACES).day == 5


def test_assume_and_adjust_styles() -> None:
    assert parse_exact("2021-03-05", "yyyy-MM-dd", parse_styles("AssumeUniversal")).kind is Kind.LOCAL
    both = parse_styles("AssumeUniversal, AdjustToUniversal")
    assert parse_exact("2021-03-05", "yyyy-MM-dd", both).kind is Kind.UTC
    assert parse_exact("2021-03-05", "yyyy-MM-dd", parse_styles("AssumeLocal")).kind is Kind.LOCAL
    adjusted = parse_exact("2021-03-05T10:00+02:00", "yyyy-MM-dd'T'HH:mmzzz", parse_styles("AdjustToUniversal"))
    assert (adjusted.hour, adjusted.kind) == (8, Kind.UTC)


def test_offset_past_max_value_is_a_range_error() -> None:
    with pytest.raises(DateRangeError):
        parse_exact("9999-12-31T23:59:59-04:00", "yyyy-MM-dd'T'HH:mm:sszzz")
    with pytest.raises(DateParseError):
        parse_exact("2021-01-01+15:00", "yyyy-MM-ddzzz")


def test_empty_format_is_rejected() -> None:
    with pytest.raises(DateFormatError):
        parse_exact("x", "")


# ---------------------------------------------------------------------------------------------------
# Round trip: ToString then ParseExact with the same custom format gives the same instant

DATE_PARTS = [
    "yyyy-MM-dd",
    "yyyyMMdd",
    "M/d/yyyy",
    "dd MMMM yyyy",
    "MMM d, yyyy",
    "dddd, MMMM dd, yyyy",
    "yyyy'y'MM'm'dd",
]
TIME_PARTS = ["HH:mm:ss.fffffff", "h:mm:ss.fffffff tt", "hh'h'mm'm'ss's'.fffffff tt", "HHmmssfffffff", "H:m:s.fffffff"]
JOINERS = ["'T'", " ", "\\T", " | "]
ZONES = ["", "K", " K"]

datetimes = st.builds(
    NetDateTime,
    st.integers(0, MAX_TICKS),
    st.sampled_from([Kind.UTC, Kind.LOCAL, Kind.UNSPECIFIED]),
)


@settings(max_examples=300, deadline=None)
@given(
    datetimes,
    st.sampled_from(DATE_PARTS),
    st.sampled_from(TIME_PARTS),
    st.sampled_from(JOINERS),
    st.sampled_from(ZONES),
)
def test_format_then_parse_exact_is_the_identity(
    value: NetDateTime, date_part: str, time_part: str, joiner: str, zone: str
) -> None:
    fmt = date_part + joiner + time_part + zone
    text = format_datetime(value, fmt)
    back = parse_exact(text, fmt)
    assert back.ticks == value.ticks, (fmt, text)
    if zone:
        assert back.kind is value.kind, (fmt, text)


@settings(max_examples=200, deadline=None)
@given(datetimes, st.sampled_from(["o", "s", "u", "G", "F", "r"]))
def test_standard_formats_round_trip_to_the_second(value: NetDateTime, fmt: str) -> None:
    back = parse_exact(format_datetime(value, fmt), fmt)
    assert back.ticks // 10_000_000 == value.ticks // 10_000_000


@settings(max_examples=200, deadline=None)
@given(datetimes)
def test_parse_reads_what_entra_renders(value: NetDateTime) -> None:
    rendered = format_datetime(value, "M/d/yyyy h:mm:ss tt")
    assert parse(rendered).ticks == value.ticks - value.fraction


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    st.sampled_from(["yyyy-MM-dd", "M/d/yyyy hh:mm:ss tt", "yyyyMMddHHmmss.fZ", "K", "zzz", "o", "dddd MMM"]),
)
def test_parse_exact_fails_only_with_date_errors(text: str, fmt: str) -> None:
    try:
        parse_exact(text, fmt)
    except DateTimeError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_fails_only_with_date_errors(text: str) -> None:
    try:
        parse(text)
    except DateTimeError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_format_either_validates_and_formats_or_is_reported(fmt: str) -> None:
    problem = validate_format(fmt)
    if problem is None:
        assert isinstance(format_datetime(SAMPLE, fmt), str)
    else:
        with pytest.raises(DateFormatError):
            format_datetime(SAMPLE, fmt)


# ---------------------------------------------------------------------------------------------------
# Parse (CDate)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-03-16-07:00", "2020-03-16T07:00:00"),
        ("2021-06-30+08:00", "2021-06-29T16:00:00"),
        ("2009-06-15T01:45:30-07:00", "2009-06-15T08:45:30"),
        ("2025-12-31 23:59:59-08:00", "2026-01-01T07:59:59"),
        ("2021-08-24", "2021-08-24T00:00:00"),
        ("8/25/2021 5:41:18 PM", "2021-08-25T17:41:18"),
        ("12/31/2025 12:00:00 AM", "2025-12-31T00:00:00"),
        ("2009-06-15T13:45:30Z", "2009-06-15T13:45:30"),
        ("2009-06-15t13:45:30z", "2009-06-15T13:45:30"),
        ("June 15, 2009 1:45 PM", "2009-06-15T13:45:00"),
        ("Mon, 15 Jun 2009 20:45:30 GMT", "2009-06-15T20:45:30"),
        ("15-Jun-2009", "2009-06-15T00:00:00"),
        ("2009/06/15 13:45", "2009-06-15T13:45:00"),
        ("1/15/90", "1990-01-15T00:00:00"),
    ],
)
def test_parse_shapes(text: str, expected: str) -> None:
    assert format_datetime(parse(text), "s") == expected
    assert parse(text).kind is Kind.UTC


@pytest.mark.parametrize(
    "text",
    ["", "nope", "2021-02-30", "2021-13-01", "25:00", "2021-01-01T25:00", "13:00 PM 2021-01-01", "2021-01-01+15:00"],
)
def test_parse_failures(text: str) -> None:
    with pytest.raises(DateTimeError):
        parse(text)


# ---------------------------------------------------------------------------------------------------
# DateTimeStyles


def test_styles_syntax() -> None:
    assert parse_styles(None) == DEFAULT_STYLES
    assert parse_styles("  ") == DEFAULT_STYLES
    assert parse_styles("None") == DateTimeStyles.NONE
    assert (
        parse_styles("allowwhitespaces | AssumeUniversal")
        == DateTimeStyles.ALLOW_WHITE_SPACES | DateTimeStyles.ASSUME_UNIVERSAL
    )
    assert parse_styles("1, 2") == DateTimeStyles.ALLOW_LEADING_WHITE | DateTimeStyles.ALLOW_TRAILING_WHITE
    for bad in ("Bogus", "AssumeLocal, AssumeUniversal", "RoundtripKind|AdjustToUniversal", "256", "a,,b"):
        assert validate_styles(bad) is not None, bad


# ---------------------------------------------------------------------------------------------------
# VB.NET DateAdd / DateDiff


def test_interval_names_are_case_insensitive_and_closed() -> None:
    assert interval_from_string("WW") is DateInterval.WEEK_OF_YEAR
    assert interval_from_string("n") is DateInterval.MINUTE
    assert validate_interval("x") is not None and validate_interval("") is not None
    assert validate_interval("Yyyy") is None


@pytest.mark.parametrize(
    ("interval", "expected"),
    [("d", -3449), ("ww", -493), ("m", -113), ("yyyy", -9), ("w", -492), ("h", -82786), ("q", -38)],
)
def test_the_documented_datediff_pair(interval: str, expected: int) -> None:
    first = utc("8/25/2021 5:41:18 PM")
    second = utc("2012-03-16-07:00")
    assert date_diff(interval_from_string(interval), first, second) == expected


def test_datediff_rules_where_calendars_and_elapsed_time_disagree() -> None:
    assert date_diff(DateInterval.MONTH, utc("2021-01-31"), utc("2021-02-01")) == 1
    assert date_diff(DateInterval.DAY, utc("2021-01-01T23:00Z"), utc("2021-01-02T01:00Z")) == 0
    assert date_diff(DateInterval.HOUR, utc("2021-01-01T10:30Z"), utc("2021-01-01T08:00Z")) == -2


@settings(max_examples=200, deadline=None)
@given(datetimes, datetimes)
def test_elapsed_intervals_truncate_toward_zero(a: NetDateTime, b: NetDateTime) -> None:
    seconds = (
        (b.to_datetime() - a.to_datetime()) // timedelta(microseconds=1) // 1_000_000
        if a.fraction == b.fraction == 0
        else None
    )
    if seconds is None:
        return
    sign = -1 if seconds < 0 else 1
    assert date_diff(DateInterval.SECOND, a, b) == seconds
    assert date_diff(DateInterval.DAY, a, b) == sign * (abs(seconds) // 86400)


def test_dateadd_clamps_and_checks_ranges() -> None:
    assert format_datetime(date_add(DateInterval.MONTH, 1, utc("2021-01-31")), "s") == "2021-02-28T00:00:00"
    assert format_datetime(date_add(DateInterval.YEAR, 1, utc("2020-02-29")), "s") == "2021-02-28T00:00:00"
    assert format_datetime(date_add(DateInterval.QUARTER, -1, utc("2021-05-31")), "s") == "2021-02-28T00:00:00"
    assert (
        format_datetime(date_add(DateInterval.WEEK_OF_YEAR, 2, utc("2012-03-16-07:00")), "s") == "2012-03-30T07:00:00"
    )
    with pytest.raises(DateRangeError):
        date_add(DateInterval.YEAR, 1, utc("9999-06-01"))
    with pytest.raises(DateTimeError):
        date_add(DateInterval.SECOND, 2**31, utc("2021-01-01"))


# ---------------------------------------------------------------------------------------------------
# File times


def test_file_times() -> None:
    assert to_file_time(utc("1601-01-01T00:00:00Z")) == 0
    assert to_file_time(utc("1970-01-01T00:00:00Z")) == 116_444_736_000_000_000
    assert to_file_time(utc("2012-01-01T23:00:00-01:00")) == 129_699_360_000_000_000
    assert from_file_time(MAX_FILE_TIME).ticks == MAX_TICKS
    for bad in (-1, MAX_FILE_TIME + 1, 2**63 - 1):
        with pytest.raises(DateRangeError):
            from_file_time(bad)
    with pytest.raises(DateRangeError):
        to_file_time(utc("1600-12-31T23:59:59Z"))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, MAX_FILE_TIME))
def test_file_time_round_trip(file_time: int) -> None:
    assert to_file_time(from_file_time(file_time)) == file_time


# ---------------------------------------------------------------------------------------------------
# The catalog functions on hostile values: a value or an evaluation error, nothing else

DATE_EXPRESSIONS = [
    "CDate([x])",
    "DateAdd([x], [y], [z])",
    'DateAdd("d", [y], [z])',
    "DateDiff([x], [y], [z])",
    'DateDiff("ww", [y], [z])',
    "DateFromNum([x])",
    "NumFromDate([x])",
    "FormatDateTime([x], [y], [z], [w])",
    'FormatDateTime([x], , [z], "o")',
    "FormatDateTime([x], [y], [z])",
    'FormatDateTime([x], , "yyyy-MM-dd", [w])',
]
hostile = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=25),
    st.sampled_from(
        [
            "2021-08-24",
            "8/25/2021 5:41:18 PM",
            "d",
            "ww",
            "yyyy-MM-dd",
            "o",
            "%%",
            "'",
            "1.5",
            "9999-12-31T23:59:59-04:00",
            "9223372036854775807",
            "-1",
            "AssumeUniversal",
            "1" * 5000,
        ]
    ),
    st.lists(st.text(max_size=5), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(DATE_EXPRESSIONS), st.fixed_dictionaries({"x": hostile, "y": hostile, "z": hostile, "w": hostile})
)
def test_date_functions_fail_only_with_evaluation_errors(expression: str, source: dict[str, object]) -> None:
    import scimmap

    try:
        value = scimmap.evaluate(expression, source, now=datetime(2025, 7, 30, tzinfo=timezone.utc))
    except scimmap.EvaluationError as error:
        assert error.diagnostic.code == "evaluation"
        return
    assert value is None or isinstance(value, (str, int)), repr(value)


# -- the fixed-width pattern ParseExact uses for simple formats is the token walk, faster ------------------

_FORMAT_PIECES = [
    "yyyy",
    "yy",
    "MM",
    "dd",
    "HH",
    "hh",
    "mm",
    "ss",
    "f",
    "fff",
    "-",
    ":",
    "T",
    "/",
    ".",
    "Z",
    "'x'",
    "\\T",
    " ",
    "tt",
    "M",
    "d",
    "FF",
]
_TEXT_PIECES = [
    "2021",
    "21",
    "06",
    "29",
    "16",
    "04",
    "00",
    "7",
    "123",
    "-",
    ":",
    "T",
    "/",
    ".",
    "Z",
    "z",
    "GMT",
    "x",
    " ",
    "PM",
    "6",
    " \t",
    "1",
    "99",
    "\u00a0",
]


@settings(max_examples=400, deadline=None)
@given(
    fmt=st.lists(st.sampled_from(_FORMAT_PIECES), min_size=2, max_size=7).map("".join),
    text=st.lists(st.sampled_from(_TEXT_PIECES), max_size=9).map("".join),
    styles=st.sampled_from(
        [
            DEFAULT_STYLES,
            DateTimeStyles.NONE,
            DateTimeStyles.ROUNDTRIP_KIND,
            DateTimeStyles.ALLOW_WHITE_SPACES,
            DateTimeStyles.ADJUST_TO_UNIVERSAL,
        ]
    ),
)
def test_parse_exact_fast_pattern_equals_the_token_walk(fmt: str, text: str, styles: DateTimeStyles) -> None:
    from scimmap.dotnet import datetime_parse

    def outcome(call: object) -> object:
        try:
            return call()  # type: ignore[operator]
        except (DateParseError, DateFormatError, DateRangeError) as error:
            return type(error).__name__, str(error)

    today = NetDateTime.from_parts(2024, 2, 3, 0, 0, 0)
    fast = outcome(lambda: parse_exact(text, fmt, styles, today=today))
    walked = outcome(lambda: datetime_parse._walk(text, fmt, int(styles), today))
    assert fast == walked


def test_common_input_formats_take_the_fixed_width_pattern() -> None:
    from scimmap.dotnet import datetime_parse

    for fmt in ("yyyy-MM-ddTHH:mm:ssZ", "yyyyMMddHHmmss.fZ", "yyyy-MM-dd", "MM/dd/yyyy HH:mm"[:10]):
        assert datetime_parse.fixed_width_pattern(fmt, int(DEFAULT_STYLES)) is not None, fmt
    assert datetime_parse.fixed_width_pattern("M/d/yyyy h:mm:ss tt", int(DEFAULT_STYLES)) is None
    value = parse_exact("20150123105347.1Z", "yyyyMMddHHmmss.fZ")
    assert format_datetime(value, "yyyy-MM-dd HH:mm:ss.f K") == "2015-01-23 10:53:47.1 Z"
