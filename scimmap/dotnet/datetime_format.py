""".NET date and time format strings: one tokenizer shared by ``ToString`` and ``ParseExact``.

FormatDateTime hands its inputFormat to ``DateTime.ParseExact`` and its outputFormat to ``DateTime.ToString``,
so both directions must read a format string the same way .NET does: a one-character string is a *standard*
format ("d", "o", "s", "u", ...), anything longer is a *custom* format where runs of the same field letter
form one token (``yyyy``, ``MMM``, ``fff``), ``'...'``/``"..."`` quote literals, ``\\x`` escapes one character
and ``%x`` makes a lone field letter a custom format.  Culture: en-US (Entra's rendering is the en-US general
pattern ``M/d/yyyy h:mm:ss tt``); the invariant culture differs only in its standard patterns.
"""

from __future__ import annotations

import functools
from typing import Literal

from attrs import frozen

from scimmap.dotnet.datetimes import (
    AM_DESIGNATOR,
    DAY_ABBREVIATIONS,
    DAY_NAMES,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    PM_DESIGNATOR,
    DateFormatError,
    Kind,
    NetDateTime,
)

Culture = Literal["en-US", "invariant"]

FIELD_LETTERS = frozenset("dfFghHKmMstyz")
MAX_FRACTION_DIGITS = 7

_COMMON_STANDARD = {
    "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
    "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
    "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
}

STANDARD_FORMATS: dict[str, dict[str, str]] = {
    "en-US": {
        **_COMMON_STANDARD,
        "d": "M/d/yyyy",
        "D": "dddd, MMMM d, yyyy",
        "f": "dddd, MMMM d, yyyy h:mm tt",
        "F": "dddd, MMMM d, yyyy h:mm:ss tt",
        "g": "M/d/yyyy h:mm tt",
        "G": "M/d/yyyy h:mm:ss tt",
        "m": "MMMM d",
        "M": "MMMM d",
        "t": "h:mm tt",
        "T": "h:mm:ss tt",
        "U": "dddd, MMMM d, yyyy h:mm:ss tt",
        "y": "MMMM yyyy",
        "Y": "MMMM yyyy",
    },
    "invariant": {
        **_COMMON_STANDARD,
        "d": "MM/dd/yyyy",
        "D": "dddd, dd MMMM yyyy",
        "f": "dddd, dd MMMM yyyy HH:mm",
        "F": "dddd, dd MMMM yyyy HH:mm:ss",
        "g": "MM/dd/yyyy HH:mm",
        "G": "MM/dd/yyyy HH:mm:ss",
        "m": "MMMM dd",
        "M": "MMMM dd",
        "t": "HH:mm",
        "T": "HH:mm:ss",
        "U": "dddd, dd MMMM yyyy HH:mm:ss",
        "y": "yyyy MMMM",
        "Y": "yyyy MMMM",
    },
}
"""Single-character (standard) format strings and the custom pattern each stands for."""

TokenKind = Literal["field", "quoted", "escaped", "char"]


@frozen
class Token:
    """One unit of a custom format.

    ``field``: a field letter repeated ``count`` times (``text`` is the letter).  ``quoted``: a quoted
    literal (its unquoted text).  ``escaped``: a backslash-escaped character.  ``char``: any other single
    character, kept apart from quoted text because ParseExact treats unquoted ``' '``, ``'.'``, ``'Z'``,
    ``':'`` and ``'/'`` specially.
    """

    kind: TokenKind
    text: str
    count: int = 1


def expand_standard(fmt: str, culture: Culture = "en-US") -> str:
    """The custom pattern behind a one-character standard format; custom formats come back unchanged."""
    if len(fmt) != 1:
        return fmt
    pattern = STANDARD_FORMATS[culture].get(fmt)
    if pattern is None:
        raise DateFormatError(
            f"'{fmt}' is not a standard date format (use one of {', '.join(sorted(STANDARD_FORMATS[culture]))}, "
            "or write '%" + fmt + "' for a single custom field)"
        )
    return pattern


def tokenize(fmt: str, culture: Culture = "en-US") -> list[Token]:
    """Split a format string (standard or custom) into tokens; raises DateFormatError where .NET throws."""
    return list(tokens_of(fmt, culture))


@functools.lru_cache(maxsize=256)
def tokens_of(fmt: str, culture: Culture = "en-US") -> tuple[Token, ...]:
    """:func:`tokenize`, once per format: a mapping's formats are constants, tokens are immutable."""
    return tuple(_tokenize(fmt, culture))


def _tokenize(fmt: str, culture: Culture) -> list[Token]:
    pattern = expand_standard(fmt, culture)
    tokens: list[Token] = []
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if char in FIELD_LETTERS:
            end = index
            while end < length and pattern[end] == char:
                end += 1
            count = end - index
            if char in "fF" and count > MAX_FRACTION_DIGITS:
                raise DateFormatError(f"'{char * count}' asks for more than 7 fractional-second digits")
            tokens.append(Token("field", char, count))
            index = end
        elif char in "'\"":
            text, index = _quoted(pattern, index)
            tokens.append(Token("quoted", text))
        elif char == "\\":
            if index + 1 >= length:
                raise DateFormatError("the format ends with a lone backslash")
            tokens.append(Token("escaped", pattern[index + 1]))
            index += 2
        elif char == "%":
            if index + 1 >= length or pattern[index + 1] == "%":
                raise DateFormatError("'%' must be followed by one format character (and not by another '%')")
            following = pattern[index + 1]
            if following in FIELD_LETTERS:
                tokens.append(Token("field", following, 1))
                index += 2
            else:
                index += 1  # '%' before a non-field character just introduces that character
        else:
            tokens.append(Token("char", char))
            index += 1
    return tokens


def _quoted(pattern: str, start: int) -> tuple[str, int]:
    """Text of the quoted literal starting at ``start`` and the index after its closing quote."""
    quote = pattern[start]
    index = start + 1
    parts: list[str] = []
    while index < len(pattern):
        char = pattern[index]
        if char == quote:
            return "".join(parts), index + 1
        if char == "\\":
            if index + 1 >= len(pattern):
                break
            parts.append(pattern[index + 1])
            index += 2
            continue
        parts.append(char)
        index += 1
    raise DateFormatError(f"the format has an unterminated {quote} quoted literal")


def validate_format(fmt: str) -> str | None:
    """Param.check for date format arguments: the reason .NET would reject ``fmt``, or None.

    An empty format is accepted: ``ToString("")`` means "G"; ParseExact rejects it at run time.
    """
    if fmt == "":
        return None
    try:
        tokenize(fmt)
    except DateFormatError as problem:
        return str(problem)
    return None


# -- ToString -------------------------------------------------------------------------------------------


def format_datetime(value: NetDateTime, fmt: str, culture: Culture = "en-US") -> str:
    """``DateTime.ToString(fmt, culture)``; an empty format is the general pattern "G"."""
    out: list[str] = []
    for token in tokens_of(fmt or "G", culture):
        if token.kind == "field":
            out.append(_format_field(value, token.text, token.count, out))
        else:
            out.append(token.text)
    return "".join(out)


def _digits(number: int, count: int) -> str:
    return str(number).zfill(min(count, 2))


def _format_field(value: NetDateTime, letter: str, count: int, out: list[str]) -> str:
    if letter == "d":
        if count <= 2:
            return _digits(value.day, count)
        names = DAY_ABBREVIATIONS if count == 3 else DAY_NAMES
        return names[value.day_of_week]
    if letter == "M":
        if count <= 2:
            return _digits(value.month, count)
        names = MONTH_ABBREVIATIONS if count == 3 else MONTH_NAMES
        return names[value.month - 1]
    if letter == "y":
        if count <= 2:
            return str(value.year % 100).zfill(count)
        return str(value.year).zfill(count)
    if letter == "h":
        return _digits(value.hour % 12 or 12, count)
    if letter == "H":
        return _digits(value.hour, count)
    if letter == "m":
        return _digits(value.minute, count)
    if letter == "s":
        return _digits(value.second, count)
    if letter == "f":
        return str(value.fraction // 10 ** (MAX_FRACTION_DIGITS - count)).zfill(count)
    if letter == "F":
        digits = str(value.fraction // 10 ** (MAX_FRACTION_DIGITS - count)).zfill(count).rstrip("0")
        if not digits and out and out[-1].endswith("."):
            out[-1] = out[-1][:-1]  # .NET drops the '.' before an all-zero F field
        return digits
    if letter == "t":
        designator = AM_DESIGNATOR if value.hour < 12 else PM_DESIGNATOR
        return designator[0] if count == 1 else designator
    if letter == "z":
        # Local time is UTC, and a Utc-kind value prints +00:00 as well: every offset is zero here.
        if count == 1:
            return "+0"
        if count == 2:
            return "+00"
        return "+00:00"
    if letter == "K":
        return {Kind.UTC: "Z", Kind.LOCAL: "+00:00", Kind.UNSPECIFIED: ""}[value.kind] * count
    if letter == "g":
        return "A.D."
    raise DateFormatError(f"unknown format field {letter!r}")  # pragma: no cover - FIELD_LETTERS is exhaustive


__all__ = [
    "STANDARD_FORMATS",
    "Token",
    "expand_standard",
    "format_datetime",
    "tokenize",
    "validate_format",
]
