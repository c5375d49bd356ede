"""Active Directory / Windows file times: 100-ns ticks since 1601-01-01T00:00Z (``accountExpires``).

NumFromDate is ``DateTime.ToFileTimeUtc`` and DateFromNum ``DateTime.FromFileTimeUtc``; both throw
ArgumentOutOfRangeException outside 1601-01-01 .. DateTime.MaxValue, which is why the never-expires value
9223372036854775807 cannot be turned back into a date (a DateFromNum choice listed in docs/expressions.md).
"""

from __future__ import annotations

from scimmap.dotnet.datetimes import MAX_TICKS, DateRangeError, Kind, NetDateTime

FILE_TIME_OFFSET = 504_911_232_000_000_000
"""DateTime ticks of 1601-01-01T00:00:00Z."""

MAX_FILE_TIME = MAX_TICKS - FILE_TIME_OFFSET
"""The file time of DateTime.MaxValue (9999-12-31T23:59:59.9999999Z)."""


def to_file_time(value: NetDateTime) -> int:
    """``ToFileTimeUtc``: local time is UTC on the service, so every Kind reads the same instant."""
    file_time = value.to_utc_ticks() - FILE_TIME_OFFSET
    if file_time < 0:
        raise DateRangeError("dates before 1601-01-01 have no file time")
    return file_time


def from_file_time(file_time: int) -> NetDateTime:
    """``FromFileTimeUtc``: a UTC DateTime, or DateRangeError outside 0 .. MAX_FILE_TIME."""
    if not 0 <= file_time <= MAX_FILE_TIME:
        raise DateRangeError(
            f"{file_time} is not a file time a DateTime can hold (0 to {MAX_FILE_TIME}, i.e. 1601-01-01 to 9999-12-31)"
        )
    return NetDateTime(file_time + FILE_TIME_OFFSET, Kind.UTC)


__all__ = ["FILE_TIME_OFFSET", "MAX_FILE_TIME", "from_file_time", "to_file_time"]
