"""Date functions: CDate, DateAdd, DateDiff, DateFromNum, FormatDateTime, NumFromDate, Now.

Entra is a .NET service: CDate is ``DateTime.Parse`` read as UTC, FormatDateTime is ``ParseExact`` then
``ToString``, DateAdd/DateDiff are VB.NET's, NumFromDate/DateFromNum are file-time conversions.  The .NET
behaviour lives in ``scimmap.dotnet``; this module binds it to the catalog and decides null handling.

DateTime values travel between functions as aware UTC ``datetime`` objects and render as
``M/d/yyyy h:mm:ss tt`` when they meet text.  FormatDateTime deliberately reads its source as *text*, so a
DateTime passed to it is first rendered that way: documented expressions such as
``FormatDateTime(Now(), , "M/d/yyyy h:mm:ss tt", "yyyy-MM-dd")`` depend on it.

Null handling (Microsoft is silent; docs/expressions.md lists the choice): a null date, number or source gives
null, so optional attributes do not fail a whole flow; an unparseable string is an ``evaluation`` error, as
.NET would throw.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from scimmap.dotnet.datetime_format import format_datetime, validate_format
from scimmap.dotnet.datetime_parse import parse, parse_exact
from scimmap.dotnet.datetime_reformat import fast_reformat
from scimmap.dotnet.datetime_styles import parse_styles, validate_styles
from scimmap.dotnet.datetimes import DateTimeError, NetDateTime
from scimmap.dotnet.filetime import from_file_time, to_file_time
from scimmap.dotnet.vbdate import date_add, date_diff, interval_from_string, validate_interval
from scimmap.functions.catalog import Caution, Example, Finding, Param, builtin
from scimmap.language.values import OMITTED, ValueFailure, parse_integer, single, to_text

# -- conversions ------------------------------------------------------------------------------------------


def to_net(value: Any, what: str = "this function") -> NetDateTime | None:
    """A value as a .NET DateTime (UTC): DateTimes pass, text parses like CDate, null stays null."""
    kind = type(value)
    if value is None:
        return None
    if kind is datetime:
        return NetDateTime.from_datetime(value)
    if kind is list:
        return to_net(single(value, what), what)
    if kind is str:
        try:
            return parse(value)
        except DateTimeError as problem:
            raise ValueFailure(f"{what}: {problem}") from None
    raise ValueFailure(f"{what} expects a date, got {to_text(value, what)!r}")


def to_datetime(value: Any, what: str = "this function") -> datetime | None:
    """The catalog's "datetime" converter: an aware UTC datetime, or None for null."""
    net = to_net(value, what)
    return None if net is None else net.to_datetime()


def _net_call(what: str, operation: Any, *args: Any) -> Any:
    """Run a scimmap.dotnet operation, turning its errors into ValueFailure for the evaluator."""
    try:
        return operation(*args)
    except DateTimeError as problem:
        raise ValueFailure(f"{what}: {problem}") from None


_INT64_DIGITS = 19
"""Int64 holds 19 digits at most; a number whose leading digit sits further left cannot be one."""

_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*\Z")


def _whole_number(value: Any, what: str) -> int | None:
    """VB's ``CInt(Fix(Number))``: numbers and numeric text, fractions truncated toward zero."""
    kind = type(value)
    if value is None:
        return None
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is list:
        return _whole_number(single(value, what), what)
    if kind is str:
        number = parse_integer(value)
        if number is not None:
            return number
        if _DECIMAL.match(value):
            try:
                exact: Decimal | None = Decimal(value.strip())
            except (InvalidOperation, ValueError):  # pragma: no cover - _DECIMAL only lets numbers through
                exact = None
            if exact is not None:
                # Decided on the exponent before int(): int(Decimal("1e1000000")) builds a million-digit
                # integer (53 s, issue 11), and nothing that large fits the Int64 VB's Fix produces anyway.
                if exact and exact.adjusted() >= _INT64_DIGITS:
                    raise ValueFailure(f"{what} is outside the 64-bit integer range")
                return int(exact)  # int() of a Decimal truncates toward zero, like Fix
    raise ValueFailure(f"{what} expects a number, got {to_text(value, what)!r}")


# -- compile-time checks -----------------------------------------------------------------------------------


def _short_form(call: Any, dialect: str) -> list[Finding]:
    """FormatDateTime(source, inputFormat, outputFormat) outside cloud sync: Entra wants the styles slot."""
    if dialect != "provisioning" or len(call.args) != 3:
        return []
    from scimmap.language.nodes import Call
    from scimmap.language.printer import format_node

    source, input_format, output_format = call.args
    long_form = format_node(Call(call.name, (source, None, input_format, output_format)))
    return [
        Finding(
            "FormatDateTime with three arguments is the cloud-sync form; app provisioning expects the "
            "dateTimeStyles slot, even empty, as the second argument",
            call.name_span,
            f"write {long_form}",
        )
    ]


SHORT_FORM = Caution(
    "formatdatetime-short-form",
    "In app provisioning, `scimmap check` warns about the three-argument form (cloud sync's): Microsoft's app "
    "provisioning reference always writes the dateTimeStyles slot, left empty, and guides that drop it have "
    "been corrected (MicrosoftDocs/entra-docs issue #69). scimmap still evaluates it as (source, inputFormat, "
    "outputFormat).",
    _short_form,
)


# -- functions -----------------------------------------------------------------------------------------------


@builtin(
    "CDate",
    [Param("expression", type="datetime", summary="date text (ISO 8601, M/d/yyyy h:mm:ss tt, ...) or a DateTime")],
    returns="datetime",
    examples=[
        Example('CDate("2021-06-30+08:00")', "6/29/2021 4:00:00 PM"),
        Example('CDate("2009-06-15T01:45:30-07:00")', "6/15/2009 8:45:30 AM"),
    ],
    notes=[
        "Text without a UTC offset is read as UTC; a date alone is UTC midnight.",
        "Month-first: CDate reads its own output (M/d/yyyy h:mm:ss tt) back.",
        "null gives null; text that is not a date is an evaluation error.",
    ],
)
def cdate(expression: datetime | None) -> datetime | None:
    """Parses a date and time string and returns it as a UTC DateTime.

    Offsets are applied (``2021-06-30+08:00`` is 4 PM the day before in UTC); the result renders as
    ``M/d/yyyy h:mm:ss tt``.
    """
    return expression


@builtin(
    "DateAdd",
    [
        Param(
            "interval",
            check=validate_interval,
            summary="yyyy, m (month), d, ww, h, n (minute), s; also q, y, w; any case",
        ),
        Param("value", type="any", summary="how many intervals to add; may be negative or numeric text"),
        Param("dateTime", type="datetime", summary="a DateTime or date text (read like CDate)"),
    ],
    returns="datetime",
    examples=[
        Example('DateAdd("d", 7, CDate("2012-03-16-07:00"))', "3/23/2012 7:00:00 AM"),
        Example('DateAdd("m", 1, CDate("2021-01-31"))', "2/28/2021 12:00:00 AM"),
    ],
    notes=[
        "VB.NET DateAdd: month and year steps clamp the day to the month's length.",
        "Fractional values are truncated toward zero; an unknown interval is an error.",
        "A null value or dateTime gives null.",
    ],
)
def dateadd(interval: str | None, value: Any, date_time: datetime | None) -> datetime | None:
    """Returns dateTime moved by value intervals (n is minutes, m is months)."""
    kind = _net_call("DateAdd", interval_from_string, interval)
    number = _whole_number(value, "DateAdd(value)")
    if number is None or date_time is None:
        return None
    moved = _net_call("DateAdd", date_add, kind, number, NetDateTime.from_datetime(date_time))
    return moved.to_datetime()  # type: ignore[no-any-return]


@builtin(
    "DateDiff",
    [
        Param(
            "interval",
            check=validate_interval,
            summary="yyyy, m (month), d, ww, h, n (minute), s; also q, y, w; any case",
        ),
        Param("date1", type="datetime", summary="the start"),
        Param("date2", type="datetime", summary="the end: the result is positive when date2 is later"),
    ],
    returns="integer",
    examples=[
        Example('DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))', 13),
        Example('DateDiff("ww", CDate("8/25/2021 5:41:18 PM"), CDate("2012-03-16-07:00"))', -493),
    ],
    notes=[
        "VB.NET DateDiff: d, h, n, s count whole elapsed units (truncated toward zero); ww counts "
        'Sunday-aligned weeks; m and yyyy count calendar boundaries (DateDiff("m", Jan 31, Feb 1) = 1).',
        "A null date gives null.",
    ],
)
def datediff(interval: str | None, date1: datetime | None, date2: datetime | None) -> int | None:
    """Returns the number of intervals from date1 to date2 (date2 - date1)."""
    kind = _net_call("DateDiff", interval_from_string, interval)
    if date1 is None or date2 is None:
        return None
    first = NetDateTime.from_datetime(date1)
    second = NetDateTime.from_datetime(date2)
    return date_diff(kind, first, second)


@builtin(
    "DateFromNum",
    [Param("value", type="integer", summary="an AD file time: 100-ns intervals since 1601-01-01 UTC")],
    returns="datetime",
    examples=[Example("DateFromNum(129699324000000000)", "1/1/2012 11:00:00 PM")],
    notes=[
        "0 is 1/1/1601 12:00:00 AM; negative values and values past 9999-12-31 (such as the never-expires "
        "9223372036854775807) are errors.",
        "null gives null.",
    ],
)
def datefromnum(value: int | None) -> datetime | None:
    """Converts an AD 64-bit time (accountExpires, pwdLastSet) to a UTC DateTime."""
    if value is None:
        return None
    return _net_call("DateFromNum", from_file_time, value).to_datetime()  # type: ignore[no-any-return]


@builtin(
    "NumFromDate",
    [Param("value", type="any", summary="date text in ISO 8601 (e.g. 2025-12-31 23:59:59-08:00) or a DateTime")],
    returns="integer",
    examples=[
        Example('NumFromDate("2012-01-01T23:00:00Z")', 129699324000000000),
        Example('NumFromDate("1970-01-01T00:00:00Z")', 116444736000000000),
    ],
    notes=[
        "Text without an offset is UTC. Dates before 1601, or past 9999-12-31 once converted to UTC, are errors.",
        "Returns a number (it flows to an Int64 target such as accountExpires); null gives null.",
    ],
)
def numfromdate(value: Any) -> int | None:
    """Converts a date to the AD file time format: 100-ns intervals since 1601-01-01T00:00Z."""
    net = to_net(value, "NumFromDate")
    if net is None:
        return None
    return _net_call("NumFromDate", to_file_time, net)  # type: ignore[no-any-return]


@builtin(
    "Now",
    [],
    returns="datetime",
    context=True,
    pure=False,
    examples=[Example("Now()", ..., note="the current UTC time, e.g. 7/2/2021 3:33:38 PM")],
    notes=["Tests and tools fix the clock with evaluate(..., now=...)."],
)
def now(ctx: Any) -> datetime:
    """Returns the current date and time in UTC."""
    return ctx.now  # type: ignore[no-any-return]


@builtin(
    "FormatDateTime",
    [
        Param("source", summary="date text; a DateTime is rendered M/d/yyyy h:mm:ss tt first"),
        Param(
            "dateTimeStyles",
            required=False,
            default=OMITTED,
            check=validate_styles,
            summary="DateTimeStyles names separated by , or | (default RoundtripKind, AllowLeadingWhite, "
            "AllowTrailingWhite); absent in the 3-argument form",
        ),
        Param("inputFormat", check=validate_format, summary=".NET format the source is in (ParseExact)"),
        Param("outputFormat", default=OMITTED, check=validate_format, summary=".NET format of the result"),
    ],
    min_args=3,
    short_form=["dateTimeStyles"],
    context=True,
    pure=False,
    examples=[
        Example(
            'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
            "2015-01-23",
            {"extensionAttribute1": "20150123105347.1Z"},
        ),
        Example(
            'FormatDateTime("20150123105347.1Z", "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
            "2015-01-23",
            note="the cloud-sync form: (source, inputFormat, outputFormat)",
        ),
    ],
    cautions=[SHORT_FORM],
    notes=[
        "3 arguments mean (source, inputFormat, outputFormat), the cloud-sync form; 4 arguments add "
        "dateTimeStyles second, the app-provisioning form.",
        "An input with a UTC offset is converted to local time, which is UTC on the service; a Z stays UTC.",
        "Culture en-US (month and day names, AM/PM); a null source gives null; input that does not match "
        "inputFormat is an evaluation error.",
    ],
)
def formatdatetime(ctx: Any, source: str | None, styles: Any, input_format: Any, output_format: Any) -> str | None:
    """Parses source with inputFormat (.NET ParseExact) and returns it written with outputFormat."""
    if input_format is OMITTED or input_format is None:
        raise ValueFailure("FormatDateTime needs an input format")
    if output_format is None:
        raise ValueFailure("FormatDateTime needs an output format")
    if source is None:
        return None
    text_styles = None if styles is OMITTED else styles
    reformat = fast_reformat(text_styles, input_format, output_format)
    if reformat is not None:  # a fixed-width numeric date: the digits decide, or None for the general path
        result = reformat(source)
        if result is not None:
            return result
    flags = _net_call("FormatDateTime(dateTimeStyles)", parse_styles, text_styles)
    today = _today(ctx.now)
    parsed = _net_call("FormatDateTime", lambda: parse_exact(source, input_format, flags, today=today))
    return _net_call("FormatDateTime", format_datetime, parsed, output_format)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=8)
def _today(now: datetime) -> NetDateTime:
    """``now`` as a .NET DateTime, once per evaluation time (a table maps many objects at one ``now``)."""
    return NetDateTime.from_datetime(now)


__all__ = ["to_datetime", "to_net"]
