""".NET ``System.DateTime`` as Entra's date functions see it: 100-ns ticks plus a Kind, local time = UTC.

Python's ``datetime`` stops at microseconds and has no notion of .NET's ``Kind``, yet both matter here:
AD file times count 100-ns ticks, ``fffffff`` prints the seventh digit, ``K`` prints ``Z``/``+00:00``/nothing
by Kind, and range errors must trigger exactly where .NET's ``DateTime.MaxValue`` (9999-12-31T23:59:59.9999999)
does (``sf-expiry-9999``).  So the format, parse, VB and file-time modules all work on :class:`NetDateTime`
and convert to an aware UTC ``datetime`` only at the boundary with the evaluator.

The cloud service runs in UTC (CDate and Now are documented to return UTC), so "local" time is UTC throughout.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone
from enum import Enum

from attrs import frozen

TICKS_PER_SECOND = 10_000_000
TICKS_PER_MINUTE = 60 * TICKS_PER_SECOND
TICKS_PER_HOUR = 60 * TICKS_PER_MINUTE
TICKS_PER_DAY = 24 * TICKS_PER_HOUR
MIN_TICKS = 0
MAX_TICKS = 3_652_059 * TICKS_PER_DAY - 1
"""DateTime.MaxValue.Ticks: 9999-12-31T23:59:59.9999999."""

MAX_OFFSET_TICKS = 14 * TICKS_PER_HOUR
""".NET rejects UTC offsets beyond ±14:00."""

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
"""Indexed by .NET ``DayOfWeek`` (Sunday = 0); en-US and the invariant culture share these names."""
DAY_ABBREVIATIONS = tuple(name[:3] for name in DAY_NAMES)
AM_DESIGNATOR = "AM"
PM_DESIGNATOR = "PM"


class DateTimeError(ValueError):
    """A .NET date operation failed; the message is a plain sentence shown to the user."""


class DateFormatError(DateTimeError):
    """A format string .NET would reject with FormatException (unterminated quote, ``%%``, ``ffffffff``)."""


class DateParseError(DateTimeError):
    """The input text does not match (FormatException from Parse/ParseExact)."""


class DateRangeError(DateTimeError):
    """The result falls outside DateTime.MinValue..MaxValue (ArgumentOutOfRangeException)."""


class Kind(Enum):
    """``DateTimeKind``: only ``K``, ``o`` and ``zzz`` output and file-time conversion look at it."""

    UNSPECIFIED = "Unspecified"
    UTC = "Utc"
    LOCAL = "Local"


@frozen
class NetDateTime:
    """A .NET DateTime: ticks since 0001-01-01T00:00 (proleptic Gregorian) and its Kind."""

    ticks: int
    kind: Kind = Kind.UNSPECIFIED

    def __attrs_post_init__(self) -> None:
        check_ticks(self.ticks)

    # -- construction ---------------------------------------------------------------------------------
    @classmethod
    def from_parts(
        cls,
        year: int,
        month: int,
        day: int,
        hour: int = 0,
        minute: int = 0,
        second: int = 0,
        fraction: int = 0,
        kind: Kind = Kind.UNSPECIFIED,
    ) -> NetDateTime:
        """``fraction`` is in ticks (0..9,999,999); invalid fields raise DateRangeError as .NET's constructor does."""
        if not 1 <= year <= 9999 or not 1 <= month <= 12:
            raise DateRangeError("year, month or day is out of range for a date")
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateRangeError(f"day {day} does not exist in {MONTH_NAMES[month - 1]} {year}")
        if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60 and 0 <= fraction < TICKS_PER_SECOND):
            raise DateRangeError("hour, minute or second is out of range for a time of day")
        days = days_from_civil(year, month, day)
        ticks = days * TICKS_PER_DAY + hour * TICKS_PER_HOUR + minute * TICKS_PER_MINUTE + second * TICKS_PER_SECOND
        return cls(ticks + fraction, kind)

    @classmethod
    def from_datetime(cls, value: datetime) -> NetDateTime:
        """A Python datetime: aware ones are converted to UTC (Kind Utc); naive ones are taken as UTC."""
        if value.tzinfo is not None:
            offset = value.utcoffset() or timedelta(0)
            local = cls.from_datetime(value.replace(tzinfo=None))
            return cls(
                check_ticks(local.ticks - _timedelta_ticks(offset)),
                Kind.UTC,
            )
        days = value.toordinal() - 1
        ticks = (
            days * TICKS_PER_DAY
            + value.hour * TICKS_PER_HOUR
            + value.minute * TICKS_PER_MINUTE
            + value.second * TICKS_PER_SECOND
            + value.microsecond * 10
        )
        return cls(ticks, Kind.UTC)

    # -- fields ---------------------------------------------------------------------------------------
    @property
    def date_parts(self) -> tuple[int, int, int]:
        """(year, month, day)."""
        return civil_from_days(self.ticks // TICKS_PER_DAY)

    @property
    def year(self) -> int:
        return self.date_parts[0]

    @property
    def month(self) -> int:
        return self.date_parts[1]

    @property
    def day(self) -> int:
        return self.date_parts[2]

    @property
    def hour(self) -> int:
        return (self.ticks // TICKS_PER_HOUR) % 24

    @property
    def minute(self) -> int:
        return (self.ticks // TICKS_PER_MINUTE) % 60

    @property
    def second(self) -> int:
        return (self.ticks // TICKS_PER_SECOND) % 60

    @property
    def fraction(self) -> int:
        """Sub-second part in ticks (0..9,999,999)."""
        return self.ticks % TICKS_PER_SECOND

    @property
    def day_of_week(self) -> int:
        """.NET DayOfWeek: Sunday = 0 (0001-01-01 was a Monday)."""
        return (self.ticks // TICKS_PER_DAY + 1) % 7

    @property
    def time_of_day(self) -> int:
        return self.ticks % TICKS_PER_DAY

    # -- arithmetic -----------------------------------------------------------------------------------
    def add_ticks(self, ticks: int) -> NetDateTime:
        return NetDateTime(check_ticks(self.ticks + ticks), self.kind)

    def add_months(self, months: int) -> NetDateTime:
        """``Calendar.AddMonths``: the day is clamped to the target month's length (Jan 31 + 1 = Feb 28)."""
        if not -120_000 <= months <= 120_000:
            raise DateRangeError("the number of months is out of range")
        year, month, day = self.date_parts
        index = year * 12 + (month - 1) + months
        new_year, new_month = divmod(index, 12)
        new_month += 1
        if not 1 <= new_year <= 9999:
            raise DateRangeError("the resulting date is out of range (years 1 to 9999)")
        new_day = min(day, calendar.monthrange(new_year, new_month)[1])
        ticks = days_from_civil(new_year, new_month, new_day) * TICKS_PER_DAY + self.time_of_day
        return NetDateTime(ticks, self.kind)

    def add_years(self, years: int) -> NetDateTime:
        """``Calendar.AddYears``: Feb 29 becomes Feb 28 in a common year."""
        if not -10_000 <= years <= 10_000:
            raise DateRangeError("the number of years is out of range")
        return self.add_months(years * 12)

    def with_kind(self, kind: Kind) -> NetDateTime:
        return NetDateTime(self.ticks, kind)

    def to_utc_ticks(self) -> int:
        """Ticks in UTC: local time is UTC on the service, so Kind never shifts the instant."""
        return self.ticks

    def to_datetime(self) -> datetime:
        """An aware UTC Python datetime (the seventh fractional digit is dropped: Python counts microseconds)."""
        days, rest = divmod(self.ticks, TICKS_PER_DAY)
        base = datetime.fromordinal(days + 1).replace(tzinfo=timezone.utc)
        return base + timedelta(microseconds=rest // 10)


def _timedelta_ticks(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * TICKS_PER_SECOND + delta.microseconds * 10


def check_ticks(ticks: int) -> int:
    """Raise DateRangeError unless DateTime.MinValue <= ticks <= DateTime.MaxValue."""
    if not MIN_TICKS <= ticks <= MAX_TICKS:
        raise DateRangeError("the date is outside the range .NET DateTime supports (years 1 to 9999, UTC)")
    return ticks


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 0001-01-01 in the proleptic Gregorian calendar."""
    return datetime(year, month, day).toordinal() - 1


def civil_from_days(days: int) -> tuple[int, int, int]:
    value = datetime.fromordinal(days + 1)
    return value.year, value.month, value.day


def to_four_digit_year(year: int) -> int:
    """GregorianCalendar.ToFourDigitYear with TwoDigitYearMax 2049: 49 -> 2049, 50 -> 1950."""
    if year >= 100:
        return year
    century = 2049 // 100 * 100
    result = century + year
    return result - 100 if result > 2049 else result


__all__ = [
    "DAY_ABBREVIATIONS",
    "DAY_NAMES",
    "MAX_TICKS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "TICKS_PER_DAY",
    "TICKS_PER_HOUR",
    "TICKS_PER_MINUTE",
    "TICKS_PER_SECOND",
    "DateFormatError",
    "DateParseError",
    "DateRangeError",
    "DateTimeError",
    "Kind",
    "NetDateTime",
    "check_ticks",
    "to_four_digit_year",
]
