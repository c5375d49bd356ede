"""VB.NET ``DateAndTime.DateAdd`` / ``DateAndTime.DateDiff``, which Entra's DateAdd and DateDiff behave like.

The DateDiff table of Microsoft's function reference only comes out with VB.NET's rules (its ww row is -493): ``d``,
``h``, ``n``, ``s`` truncate the elapsed span toward zero, ``ww`` first moves both dates back to their
Sunday-based week start (hence -493, not -492), ``m`` and ``yyyy`` count calendar boundaries.  Intervals are
looked up upper-cased as VB's ``DateIntervalFromString`` does, so "D" works and ``q``/``y``/``w`` exist too.
Source: dotnet/runtime ``Microsoft.VisualBasic.Core/src/Microsoft/VisualBasic/DateAndTime.vb``.
"""

from __future__ import annotations

from enum import Enum

from scimmap.dotnet.datetimes import (
    TICKS_PER_DAY,
    TICKS_PER_HOUR,
    TICKS_PER_MINUTE,
    TICKS_PER_SECOND,
    DateTimeError,
    NetDateTime,
)


class DateInterval(Enum):
    YEAR = "yyyy"
    QUARTER = "q"
    MONTH = "m"
    DAY_OF_YEAR = "y"
    DAY = "d"
    WEEKDAY = "w"
    WEEK_OF_YEAR = "ww"
    HOUR = "h"
    MINUTE = "n"
    SECOND = "s"


_BY_NAME = {member.value.upper(): member for member in DateInterval}
INTERVAL_NAMES = tuple(member.value for member in DateInterval)

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


class IntervalError(DateTimeError):
    """An interval name VB.NET does not know (ArgumentException)."""


def interval_from_string(text: str | None) -> DateInterval:
    """``DateIntervalFromString``: case-insensitive; anything else is an error."""
    member = _BY_NAME.get((text or "").upper())
    if member is None:
        raise IntervalError(
            f"{text!r} is not a date interval (use yyyy, q, m, y, d, w, ww, h, n or s; n is minutes, m is months)"
        )
    return member


def validate_interval(text: str) -> str | None:
    """Param.check form of :func:`interval_from_string`."""
    try:
        interval_from_string(text)
    except IntervalError as problem:
        return str(problem)
    return None


def date_add(interval: DateInterval, number: int, value: NetDateTime) -> NetDateTime:
    """``DateAdd`` with ``number`` already ``CInt(Fix(...))``-ed; month/year arithmetic clamps the day."""
    if not INT32_MIN <= number <= INT32_MAX:
        raise DateTimeError(f"{number} is too large for DateAdd (it must fit a 32-bit integer)")
    if interval is DateInterval.YEAR:
        return value.add_years(number)
    if interval is DateInterval.QUARTER:
        return value.add_months(number * 3)
    if interval is DateInterval.MONTH:
        return value.add_months(number)
    if interval in (DateInterval.DAY, DateInterval.DAY_OF_YEAR, DateInterval.WEEKDAY):
        return value.add_ticks(number * TICKS_PER_DAY)
    if interval is DateInterval.WEEK_OF_YEAR:
        return value.add_ticks(number * 7 * TICKS_PER_DAY)
    if interval is DateInterval.HOUR:
        return value.add_ticks(number * TICKS_PER_HOUR)
    if interval is DateInterval.MINUTE:
        return value.add_ticks(number * TICKS_PER_MINUTE)
    return value.add_ticks(number * TICKS_PER_SECOND)


def _fix_div(numerator: int, denominator: int) -> int:
    """Division truncated toward zero (VB's Fix and ``\\``), unlike Python's floor division."""
    quotient = abs(numerator) // abs(denominator)
    return quotient if (numerator >= 0) == (denominator > 0) else -quotient


def _week_start(value: NetDateTime) -> int:
    """Ticks after subtracting VB's GetDayOfWeek(value, Sunday) (1..7 days, Sunday = 1)."""
    return value.ticks - ((value.day_of_week + 7) % 7 + 1) * TICKS_PER_DAY


def date_diff(interval: DateInterval, date1: NetDateTime, date2: NetDateTime) -> int:
    """``DateDiff(interval, date1, date2)``: positive when date2 is later."""
    span = date2.ticks - date1.ticks
    if interval is DateInterval.YEAR:
        return date2.year - date1.year
    if interval is DateInterval.MONTH:
        return (date2.year - date1.year) * 12 + (date2.month - date1.month)
    if interval is DateInterval.QUARTER:
        return (date2.year - date1.year) * 4 + (date2.month - 1) // 3 - (date1.month - 1) // 3
    if interval in (DateInterval.DAY, DateInterval.DAY_OF_YEAR):
        return _fix_div(span, TICKS_PER_DAY)
    if interval is DateInterval.HOUR:
        return _fix_div(span, TICKS_PER_HOUR)
    if interval is DateInterval.MINUTE:
        return _fix_div(span, TICKS_PER_MINUTE)
    if interval is DateInterval.SECOND:
        return _fix_div(span, TICKS_PER_SECOND)
    if interval is DateInterval.WEEKDAY:
        return _fix_div(_fix_div(span, TICKS_PER_DAY), 7)
    aligned = _week_start(date2) - _week_start(date1)
    return _fix_div(_fix_div(aligned, TICKS_PER_DAY), 7)


__all__ = [
    "INTERVAL_NAMES",
    "DateInterval",
    "IntervalError",
    "date_add",
    "date_diff",
    "interval_from_string",
    "validate_interval",
]
