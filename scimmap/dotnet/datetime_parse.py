"""Reading dates as .NET does: ``DateTime.ParseExact`` (FormatDateTime) and a ``DateTime.Parse`` subset (CDate).

``parse_exact`` follows ``DateTimeParse.DoStrictParse``/``ParseByFormat`` token by token: greedy digit runs
with no backtracking (``M`` takes one or two digits, ``MM`` exactly two), ``F`` fields that may be absent,
``Z``/``K``/``zzz`` zone tokens, whitespace rules from DateTimeStyles and the final time-zone adjustment
(``RoundtripKind`` keeps a ``Z`` as UTC, an explicit offset becomes local time, which is UTC on the service).

``parse`` covers the shapes documented for CDate and NumFromDate (ISO 8601 with ``T`` or a space, a date
followed directly by an offset such as ``2020-03-16-07:00``, Entra's own month-first ``M/d/yyyy h:mm:ss tt``,
month names, RFC 1123) rather than the whole culture-driven lexer of ``DateTime.Parse``; anything else is a
DateParseError.  Offset-less text is UTC (the service runs in UTC; docs/expressions.md) and every result is converted to UTC.
"""

from __future__ import annotations

import functools
import re

from scimmap.dotnet.datetime_format import MAX_FRACTION_DIGITS, Token, tokens_of
from scimmap.dotnet.datetime_styles import DEFAULT_STYLES, DateTimeStyles
from scimmap.dotnet.datetimes import (
    AM_DESIGNATOR,
    DAY_ABBREVIATIONS,
    DAY_NAMES,
    MAX_OFFSET_TICKS,
    MAX_TICKS,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    PM_DESIGNATOR,
    TICKS_PER_DAY,
    TICKS_PER_HOUR,
    TICKS_PER_MINUTE,
    TICKS_PER_SECOND,
    DateFormatError,
    DateParseError,
    DateRangeError,
    Kind,
    NetDateTime,
    to_four_digit_year,
)

# -- ParseExact -----------------------------------------------------------------------------------------

# The flags as plain ints: IntFlag arithmetic runs Python code in the enum module, ints do not.
_LEADING_WHITE = int(DateTimeStyles.ALLOW_LEADING_WHITE)
_TRAILING_WHITE = int(DateTimeStyles.ALLOW_TRAILING_WHITE)
_INNER_WHITE = int(DateTimeStyles.ALLOW_INNER_WHITE)
_NO_CURRENT_DATE = int(DateTimeStyles.NO_CURRENT_DATE_DEFAULT)
_TO_UNIVERSAL = int(DateTimeStyles.ADJUST_TO_UNIVERSAL)
_ASSUME_LOCAL = int(DateTimeStyles.ASSUME_LOCAL)
_ASSUME_UNIVERSAL = int(DateTimeStyles.ASSUME_UNIVERSAL)
_ROUNDTRIP = int(DateTimeStyles.ROUNDTRIP_KIND)


class _State:
    """The fields ParseByFormat fills in; -1 means "not seen" as in .NET's DateTimeResult."""

    def __init__(self) -> None:
        self.year = self.month = self.day = -1
        self.hour = self.minute = self.second = -1
        self.fraction = -1  # ticks
        self.day_of_week = -1
        self.time_mark = ""  # "", "AM" or "PM"
        self.hour12 = False
        self.two_digit_year = False
        self.offset: int | None = None  # ticks east of UTC
        self.utc = False

    def set(self, name: str, value: int, letter: str) -> None:
        current = getattr(self, name)
        if current == -1:
            setattr(self, name, value)
        elif current != value:
            raise DateParseError(f"the '{letter}' field appears twice with different values")

    def set_offset(self, offset: int, letter: str) -> None:
        if self.offset is not None and self.offset != offset:
            raise DateParseError(f"the '{letter}' field appears twice with different time zones")
        self.offset = offset


class _Cursor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def match(self, char: str) -> bool:
        if self.peek() == char and char:
            self.pos += 1
            return True
        return False

    def skip_white(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def digits(self, least: int, most: int) -> int | None:
        """ParseDigits: up to ``most`` ASCII digits, failing (and rewinding) below ``least``."""
        start = self.pos
        while self.pos < len(self.text) and self.pos - start < most and self.text[self.pos] in "0123456789":
            self.pos += 1
        if self.pos - start < least:
            self.pos = start
            return None
        return int(self.text[start : self.pos])

    def word(self, names: tuple[str, ...]) -> int | None:
        """Index of the longest name matching here, case-insensitively (MatchMonthName and friends)."""
        best = -1
        best_length = 0
        rest = self.text[self.pos :].lower()
        for index, name in enumerate(names):
            if len(name) > best_length and rest.startswith(name.lower()):
                best, best_length = index, len(name)
        if best < 0:
            return None
        self.pos += best_length
        return best


def _fail(text: str, fmt: str) -> DateParseError:
    return DateParseError(f"{text!r} does not match the date format {fmt!r}")


def parse_exact(
    text: str,
    fmt: str,
    styles: DateTimeStyles = DEFAULT_STYLES,
    *,
    today: NetDateTime | None = None,
) -> NetDateTime:
    """``DateTime.ParseExact(text, fmt, en-US, styles)``.

    ``today`` supplies the date for formats without one (.NET uses the current local date).
    """
    if fmt == "":
        raise DateFormatError("the input date format is empty")
    flags = int(styles)
    simple = fixed_width_pattern(fmt, flags)
    if simple is not None:
        match = simple.regex.fullmatch(text.rstrip() if flags & _TRAILING_WHITE else text)
        if match is not None:
            return _build(simple.state(match), flags, today, text, fmt)
        # no match: the walk below says why (or accepts what the pattern is too strict for)
    return _walk(text, fmt, flags, today)


def _walk(text: str, fmt: str, flags: int, today: NetDateTime | None) -> NetDateTime:
    """ParseByFormat: the format's tokens against the text, one by one."""
    tokens = _format_tokens(fmt, flags)
    cursor = _Cursor(text)
    if flags & _TRAILING_WHITE:
        cursor.text = cursor.text.rstrip()
    if flags & _LEADING_WHITE:
        cursor.skip_white()
    state = _State()
    inner_white = bool(flags & _INNER_WHITE)
    index = 0
    while index < len(tokens):
        if inner_white:
            cursor.skip_white()
        index = _parse_token(tokens, index, cursor, state, flags)
        if index < 0:
            raise _fail(text, fmt)
    if cursor.pos < len(cursor.text):
        raise DateParseError(f"{text!r} has text left over after matching the date format {fmt!r}")
    return _build(state, flags, today, text, fmt)


class _FixedWidth:
    """A format made only of fixed-width digit fields and literal characters, as one regular expression.

    The token walk consumes exactly N ASCII digits for ``dd``/``MM``/``yyyy``/``HH``/``hh``/``mm``/``ss``/
    ``f...`` and exactly the literal for every other token, so for such formats a full match of the
    pattern is what the walk accepts, and its groups are the digits the walk would read; the fields are
    then set in token order through the same state, so ``_build`` gives the same result and errors.
    """

    def __init__(self, regex: re.Pattern[str], fields: tuple[tuple[str, str, int], ...], utc_at: int | None) -> None:
        self.regex = regex
        self.fields = fields  # (state attribute, letter, digit count) per group
        self.utc_at = utc_at  # how many fields come before the Z, or None

    def state(self, match: re.Match[str]) -> _State:
        state = _State()
        for position, ((name, letter, count), digits) in enumerate(zip(self.fields, match.groups())):
            if position == self.utc_at:
                state.set_offset(0, "Z")
                state.utc = True
            if letter == "h":
                state.hour12 = True
            elif letter == "y" and count <= 2:
                state.two_digit_year = True
            value = int(digits)
            state.set(name, value * 10 ** (MAX_FRACTION_DIGITS - count) if letter == "f" else value, letter)
        if self.utc_at == len(self.fields):
            state.set_offset(0, "Z")
            state.utc = True
        return state


_FIXED_FIELDS = {
    "d": "day",
    "M": "month",
    "y": "year",
    "H": "hour",
    "h": "hour",
    "m": "minute",
    "s": "second",
    "f": "fraction",
}


@functools.lru_cache(maxsize=256)
def fixed_width_pattern(fmt: str, flags: int) -> _FixedWidth | None:
    """The format as a :class:`_FixedWidth` pattern, or None when any token needs the walk."""
    if flags & _INNER_WHITE:
        return None
    tokens = _format_tokens(fmt, flags)
    parts = [r"\s*"] if flags & _LEADING_WHITE else []
    fields: list[tuple[str, str, int]] = []
    utc_at = None
    for index, token in enumerate(tokens):
        if token.kind == "field":
            letter, count = token.text, token.count
            fixed = (letter in "dMHhms" and count == 2) or (letter == "y" and count >= 2) or letter == "f"
            if letter not in _FIXED_FIELDS or not fixed:
                return None
            parts.append(f"([0-9]{{{count}}})")
            fields.append((_FIXED_FIELDS[letter], letter, count))
        elif token.kind == "char" and token.text == "Z" and utc_at is None:
            parts.append("(?:[Gg][Mm][Tt]|[Zz])")
            utc_at = len(fields)
        elif token.kind == "char" and token.text not in " .ZG":
            parts.append(re.escape(token.text))
        elif (
            token.kind == "char"
            and token.text == "."
            and not (index + 1 < len(tokens) and tokens[index + 1].kind == "field" and tokens[index + 1].text == "F")
        ):
            parts.append(r"\.")
        elif token.kind in ("escaped", "quoted") and token.text:
            parts.append(re.escape(token.text))
        else:
            return None
    return _FixedWidth(re.compile("".join(parts)), tuple(fields), utc_at)


@functools.lru_cache(maxsize=256)
def _format_tokens(fmt: str, flags: int) -> tuple[Token, ...]:
    """A format's tokens as ParseExact walks them, computed once per format and styles (formats are
    constants of a mapping, so the same few come back for every object)."""
    return tuple(_trim_format(list(tokens_of(fmt)), flags))


def _trim_format(tokens: list[Token], styles: int) -> list[Token]:
    """AllowLeading/TrailingWhite also trim the format (and the spaces at the edges of quoted literals)."""
    tokens = list(tokens)
    if styles & _TRAILING_WHITE:
        while tokens and tokens[-1].kind == "char" and tokens[-1].text.isspace():
            tokens.pop()
        if tokens and tokens[-1].kind == "quoted":
            tokens[-1] = Token("quoted", tokens[-1].text.rstrip(" "))
    if styles & _LEADING_WHITE:
        while tokens and tokens[0].kind == "char" and tokens[0].text.isspace():
            tokens.pop(0)
        if tokens and tokens[0].kind == "quoted":
            tokens[0] = Token("quoted", tokens[0].text.lstrip(" "))
    return tokens


def _parse_token(tokens: tuple[Token, ...], index: int, cursor: _Cursor, state: _State, styles: int) -> int:
    """Consume input for ``tokens[index]``; return the next token index, or -1 when the input does not match."""
    token = tokens[index]
    if token.kind == "field":
        return index + 1 if _parse_field(token.text, token.count, cursor, state) else -1
    if token.kind == "quoted":
        for char in token.text:
            if char == " " and styles & _INNER_WHITE:
                cursor.skip_white()
            elif not cursor.match(char):
                return -1
        return index + 1
    if token.kind == "escaped":
        return index + 1 if cursor.match(token.text) else -1
    char = token.text
    if char == " ":
        if styles & _INNER_WHITE or cursor.match(" "):
            return index + 1
        if styles & _TRAILING_WHITE and index + 1 < len(tokens):
            # .NET retries the next format token here so "h:mm tt" can match an empty designator.
            return _parse_token(tokens, index + 1, cursor, state, styles)
        return -1
    if char == ".":
        if cursor.match("."):
            return index + 1
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and following.kind == "field" and following.text == "F":
            return index + 2  # ".FFF" with no fraction in the input
        return -1
    if char == "Z":
        state.set_offset(0, "Z")
        state.utc = True
        if cursor.text[cursor.pos : cursor.pos + 3].upper() == "GMT":
            cursor.pos += 3
        elif cursor.peek() in ("Z", "z"):
            cursor.pos += 1
        else:
            return -1
        return index + 1
    if char == "G" and _is_gmt(tokens, index):
        state.set_offset(0, "GMT")
        if cursor.text[cursor.pos : cursor.pos + 3] != "GMT":
            return -1
        cursor.pos += 3
        return index + 3
    return index + 1 if cursor.match(char) else -1


def _is_gmt(tokens: tuple[Token, ...], index: int) -> bool:
    following = tokens[index + 1 : index + 3]
    return len(following) == 2 and following[0] == Token("field", "M", 1) and following[1] == Token("char", "T")


def _parse_field(letter: str, count: int, cursor: _Cursor, state: _State) -> bool:
    if (letter in "dM" and count <= 2) or letter in "hHms":
        value = cursor.digits(1, 2) if count == 1 else cursor.digits(2, 2)  # "h" one or two digits, "hh" two
        if value is None:
            return False
        name = {"d": "day", "M": "month", "h": "hour", "H": "hour", "m": "minute", "s": "second"}[letter]
        if letter == "h":
            state.hour12 = True
        state.set(name, value, letter)
        return True
    if letter == "d":
        found = cursor.word(DAY_ABBREVIATIONS if count == 3 else DAY_NAMES)
        if found is None:
            return False
        state.set("day_of_week", found, letter)
        return True
    if letter == "M":
        found = cursor.word(MONTH_ABBREVIATIONS if count == 3 else MONTH_NAMES)
        if found is None:
            return False
        state.set("month", found + 1, letter)
        return True
    if letter == "y":
        if count <= 2:
            state.two_digit_year = True
        value = cursor.digits(1, 2) if count == 1 else cursor.digits(count, count)
        if value is None:
            return False
        state.set("year", value, letter)
        return True
    if letter in "fF":
        start = cursor.pos
        value = cursor.digits(1, count)
        if value is None or cursor.pos - start < count:
            if letter == "f":
                return False
        digits = cursor.pos - start
        ticks = (value or 0) * 10 ** (MAX_FRACTION_DIGITS - digits) if digits else 0
        state.set("fraction", ticks, letter)
        return True
    if letter == "t":
        if count == 1:
            char = cursor.peek()
            if char == AM_DESIGNATOR[0]:
                mark = "AM"
            elif char == PM_DESIGNATOR[0]:
                mark = "PM"
            else:
                return False
            cursor.pos += 1
        else:
            found = cursor.word((AM_DESIGNATOR, PM_DESIGNATOR))
            if found is None:
                return False
            mark = "AM" if found == 0 else "PM"
        if state.time_mark and state.time_mark != mark:
            raise DateParseError("the 't' field appears twice with different values")
        state.time_mark = mark
        return True
    if letter == "z":
        offset = _zone_offset(cursor, count)
        if offset is None:
            return False
        state.set_offset(offset, "z")
        return True
    if letter == "K":
        if cursor.match("Z"):
            state.set_offset(0, "K")
            state.utc = True
            return True
        if cursor.peek() not in ("+", "-"):
            return True  # K matches nothing for an unspecified kind
        offset = _zone_offset(cursor, 3)
        if offset is None:
            return False
        state.set_offset(offset, "K")
        return True
    if letter == "g":
        return cursor.word(("A.D.", "AD")) is not None
    return False  # pragma: no cover - FIELD_LETTERS is exhaustive


def _zone_offset(cursor: _Cursor, count: int) -> int | None:
    """ParseTimeZoneOffset: ``z``/``zz`` read hours only; ``zzz`` reads hours and two-digit minutes."""
    sign = cursor.peek()
    if sign not in ("+", "-"):
        return None
    cursor.pos += 1
    minutes = 0
    if count <= 2:
        hours = cursor.digits(1, 2) if count == 1 else cursor.digits(2, 2)
        if hours is None:
            return None
    else:
        hours = cursor.digits(1, 2)
        if hours is None:
            return None
        cursor.match(":")
        found = cursor.digits(2, 2)
        if found is None:
            return None
        minutes = found
    if minutes >= 60:
        return None
    offset = hours * TICKS_PER_HOUR + minutes * TICKS_PER_MINUTE
    return -offset if sign == "-" else offset


def _build(state: _State, styles: int, today: NetDateTime | None, text: str, fmt: str) -> NetDateTime:
    if state.two_digit_year and state.year != -1:
        if state.year >= 100:
            raise _fail(text, fmt)
        state.year = to_four_digit_year(state.year)
    hour = 0 if state.hour == -1 else state.hour
    if state.hour12:
        if hour > 12:
            raise DateParseError(f"{text!r}: hour {hour} is not a 12-hour clock value")
        if state.time_mark in ("", "AM"):
            hour = 0 if hour == 12 else hour
        else:
            hour = 12 if hour == 12 else hour + 12
    elif (state.time_mark == "AM" and hour >= 12) or (state.time_mark == "PM" and hour < 12):
        raise DateParseError(f"{text!r}: hour {hour} contradicts {state.time_mark}")
    time_only = state.year == -1 and state.month == -1 and state.day == -1
    year, month, day = state.year, state.month, state.day
    if year == -1 or month == -1 or day == -1:
        if month == -1 and day == -1:
            if year == -1:
                if styles & _NO_CURRENT_DATE or today is None:
                    year, month, day = 1, 1, 1
                else:
                    year, month, day = today.date_parts
            else:
                month, day = 1, 1
        else:
            if year == -1:
                year = today.year if today is not None else 1
            month = 1 if month == -1 else month
            day = 1 if day == -1 else day
    try:
        parsed = NetDateTime.from_parts(
            year,
            month,
            day,
            hour,
            max(state.minute, 0),
            max(state.second, 0),
        )
        if state.fraction > 0:
            parsed = parsed.add_ticks(state.fraction)
    except DateRangeError as problem:
        raise DateParseError(f"{text!r} is not a valid date: {problem}") from None
    if state.day_of_week != -1 and state.day_of_week != parsed.day_of_week:
        raise DateParseError(f"{text!r}: the day of the week does not match the date")
    return _adjust_zone(parsed, state, styles, time_only)


def _adjust_zone(parsed: NetDateTime, state: _State, styles: int, time_only: bool) -> NetDateTime:
    """DetermineTimeZoneAdjustments with local time = UTC."""
    offset = state.offset
    if offset is not None and abs(offset) > MAX_OFFSET_TICKS:
        raise DateParseError("the UTC offset is beyond ±14:00")
    if offset is None:
        if styles & _ASSUME_LOCAL:
            if not styles & _TO_UNIVERSAL:
                return parsed.with_kind(Kind.LOCAL)
            offset = 0
        elif styles & _ASSUME_UNIVERSAL:
            if styles & _TO_UNIVERSAL:
                return parsed.with_kind(Kind.UTC)
            offset = 0
        else:
            return parsed
    if styles & _ROUNDTRIP and state.utc:
        return parsed.with_kind(Kind.UTC)
    ticks = parsed.ticks - offset
    if time_only and parsed.ticks < TICKS_PER_DAY:
        ticks %= TICKS_PER_DAY  # a bare time of day wraps around instead of leaving the calendar
    if not 0 <= ticks <= MAX_TICKS:
        raise DateRangeError("the date, converted to UTC, is outside the range .NET DateTime supports")
    kind = Kind.UTC if styles & _TO_UNIVERSAL else Kind.LOCAL
    return NetDateTime(ticks, kind)


# -- Parse (CDate, NumFromDate) -------------------------------------------------------------------------

_MONTH = r"(?P<monthname>[A-Za-z]{3,9})\.?"
_TIME = (
    r"(?:(?:\s*[Tt]\s*|\s+|\s*,\s*)"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{1,2}))?(?::(?P<second>\d{1,2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?:\s*(?P<mark>[AaPp]\.?[Mm]?\.?))?"
    r")?"
)
_ZONE = r"(?:\s*(?P<zone>[Zz]|GMT|UTC|gmt|utc|[+-]\d{1,2}(?::?\d{2})?))?"
_DAYNAME = r"(?:[A-Za-z]{3,9}\.?,?\s+)?"

_SHAPES = [
    # 2009-06-15T01:45:30-07:00, 2020-03-16-07:00, 2025-12-31 23:59:59-08:00, 2009/06/15
    re.compile(r"(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})" + _TIME + _ZONE),
    # 8/25/2021 5:41:18 PM (Entra's rendering), 12-31-2025, 1/15/90
    re.compile(r"(?P<month>\d{1,2})(?P<sep>[-/.])(?P<day>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})" + _TIME + _ZONE),
    # June 15, 2009 / Mon, Jun 15 2009 1:45 PM
    re.compile(_DAYNAME + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME + _ZONE),
    # 15 June 2009 / Mon, 15 Jun 2009 20:45:30 GMT / 15-Jun-2009
    re.compile(
        _DAYNAME + r"(?P<day>\d{1,2})(?P<sep>[-\s])" + _MONTH + r"(?:(?P=sep)|,?\s+)(?P<year>\d{4})" + _TIME + _ZONE
    ),
]


def parse(text: str) -> NetDateTime:
    """Parse date text as CDate does and return it in UTC (Kind Utc)."""
    stripped = text.strip()
    for shape in _SHAPES:
        match = shape.fullmatch(stripped)
        if match is not None:
            return _from_match(match, text)
    raise DateParseError(f"{text!r} is not a date and time .NET can read (try ISO 8601 such as 2021-06-30T08:00:00Z)")


def _from_match(match: re.Match[str], text: str) -> NetDateTime:
    groups = match.groupdict()
    year = int(groups["year"])
    if len(groups["year"]) == 2:
        year = to_four_digit_year(year)
    if groups.get("monthname"):
        month = _month_from_name(groups["monthname"], text)
    else:
        month = int(groups["month"])
    day = int(groups["day"])
    hour = int(groups["hour"]) if groups["hour"] else 0
    minute = int(groups["minute"]) if groups["minute"] else 0
    second = int(groups["second"]) if groups["second"] else 0
    if groups["hour"] and groups["minute"] is None and not groups["mark"]:
        raise DateParseError(f"{text!r}: a time needs minutes or an AM/PM designator")
    mark = (groups["mark"] or "").replace(".", "").upper()[:1]
    if mark:
        if not 0 <= hour <= 12:
            raise DateParseError(f"{text!r}: hour {hour} is not a 12-hour clock value")
        hour = hour % 12 + (12 if mark == "P" else 0)
    fraction = 0
    if groups["fraction"]:
        digits = groups["fraction"]
        fraction = round(int(digits) * TICKS_PER_SECOND / 10 ** len(digits))
    try:
        value = NetDateTime.from_parts(year, month, day, hour, minute, second)
        value = value.add_ticks(fraction)
    except DateRangeError as problem:
        raise DateParseError(f"{text!r} is not a valid date: {problem}") from None
    offset = _zone(groups["zone"], text)
    ticks = value.ticks - offset
    if not 0 <= ticks <= MAX_TICKS:
        raise DateRangeError(f"{text!r}, converted to UTC, is outside the range .NET DateTime supports")
    return NetDateTime(ticks, Kind.UTC)


def _month_from_name(name: str, text: str) -> int:
    folded = name.lower()
    for index, full in enumerate(MONTH_NAMES):
        if folded == full.lower() or folded == full[:3].lower() or (folded == "sept" and index == 8):
            return index + 1
    raise DateParseError(f"{text!r}: {name!r} is not a month name")


def _zone(zone: str | None, text: str) -> int:
    if not zone or zone.upper() in ("Z", "GMT", "UTC"):
        return 0
    match = re.fullmatch(r"([+-])(\d{1,2}):?(\d{2})?", zone)
    if match is None:  # pragma: no cover - the shape regex only lets valid zones through
        raise DateParseError(f"{text!r}: {zone!r} is not a UTC offset")
    hours = int(match.group(2))
    minutes = int(match.group(3) or 0)
    if minutes >= 60:
        raise DateParseError(f"{text!r}: {zone!r} is not a UTC offset")
    offset = hours * TICKS_PER_HOUR + minutes * TICKS_PER_MINUTE
    if offset > MAX_OFFSET_TICKS:
        raise DateParseError(f"{text!r}: the UTC offset {zone} is beyond ±14:00")
    return -offset if match.group(1) == "-" else offset


__all__ = ["fixed_width_pattern", "parse", "parse_exact"]
