"""``System.Globalization.DateTimeStyles`` written as text in FormatDateTime's dateTimeStyles argument.

Microsoft never documents how the argument is spelled (docs/expressions.md lists the choice), so scimmap accepts what
.NET's ``Enum.Parse`` accepts for a flags enum, plus ``|`` because people write C#: member names separated by
``,`` or ``|`` (case-insensitive, spaces ignored) or a decimal number, e.g. ``"AllowWhiteSpaces, AssumeUniversal"``.
An empty or omitted argument means Entra's default, ``RoundtripKind | AllowLeadingWhite | AllowTrailingWhite``.
"""

from __future__ import annotations

import enum
import functools
import re

from scimmap.dotnet.datetimes import DateFormatError


class DateTimeStyles(enum.IntFlag):
    """The .NET flag values, so numeric spellings mean what they mean in .NET."""

    NONE = 0
    ALLOW_LEADING_WHITE = 1
    ALLOW_TRAILING_WHITE = 2
    ALLOW_INNER_WHITE = 4
    ALLOW_WHITE_SPACES = 7
    NO_CURRENT_DATE_DEFAULT = 8
    ADJUST_TO_UNIVERSAL = 16
    ASSUME_LOCAL = 32
    ASSUME_UNIVERSAL = 64
    ROUNDTRIP_KIND = 128


DEFAULT_STYLES = (
    DateTimeStyles.ROUNDTRIP_KIND | DateTimeStyles.ALLOW_LEADING_WHITE | DateTimeStyles.ALLOW_TRAILING_WHITE
)
"""What FormatDateTime uses when dateTimeStyles is omitted or empty, as Microsoft's function reference says."""

_NAMES = {
    "none": DateTimeStyles.NONE,
    "allowleadingwhite": DateTimeStyles.ALLOW_LEADING_WHITE,
    "allowtrailingwhite": DateTimeStyles.ALLOW_TRAILING_WHITE,
    "allowinnerwhite": DateTimeStyles.ALLOW_INNER_WHITE,
    "allowwhitespaces": DateTimeStyles.ALLOW_WHITE_SPACES,
    "nocurrentdatedefault": DateTimeStyles.NO_CURRENT_DATE_DEFAULT,
    "adjusttouniversal": DateTimeStyles.ADJUST_TO_UNIVERSAL,
    "assumelocal": DateTimeStyles.ASSUME_LOCAL,
    "assumeuniversal": DateTimeStyles.ASSUME_UNIVERSAL,
    "roundtripkind": DateTimeStyles.ROUNDTRIP_KIND,
}
_SPELLINGS = {
    "None", "AllowLeadingWhite", "AllowTrailingWhite", "AllowInnerWhite", "AllowWhiteSpaces",
    "NoCurrentDateDefault", "AdjustToUniversal", "AssumeLocal", "AssumeUniversal", "RoundtripKind",
}  # fmt: skip
_ALL = 255


@functools.lru_cache(maxsize=256)
def parse_styles(text: str | None) -> DateTimeStyles:
    """The flags ``text`` names; raises DateFormatError for unknown names or combinations .NET rejects.
    Cached: the argument is a constant of a mapping."""
    if text is None or not text.strip():
        return DEFAULT_STYLES
    flags = DateTimeStyles.NONE
    for part in re.split(r"[,|]", text):
        word = part.strip()
        if not word:
            raise DateFormatError(f"dateTimeStyles {text!r} has an empty entry")
        if re.fullmatch(r"[+-]?\d{1,10}", word):  # longer digit runs are no DateTimeStyles value
            number = int(word)
            if number < 0 or number & ~_ALL:
                raise DateFormatError(f"{word} is not a valid DateTimeStyles value")
            flags |= DateTimeStyles(number)
            continue
        member = _NAMES.get(word.lower())
        if member is None:
            raise DateFormatError(f"unknown DateTimeStyles name {word!r} (known: {', '.join(sorted(_SPELLINGS))})")
        flags |= member
    _check_combination(flags)
    return flags


def _check_combination(flags: DateTimeStyles) -> None:
    """The ArgumentException cases of ``DateTimeFormatInfo.ValidateStyles``."""
    if flags & DateTimeStyles.ASSUME_LOCAL and flags & DateTimeStyles.ASSUME_UNIVERSAL:
        raise DateFormatError("AssumeLocal and AssumeUniversal cannot be combined")
    if flags & DateTimeStyles.ROUNDTRIP_KIND and flags & (
        DateTimeStyles.ASSUME_LOCAL | DateTimeStyles.ASSUME_UNIVERSAL | DateTimeStyles.ADJUST_TO_UNIVERSAL
    ):
        raise DateFormatError("RoundtripKind cannot be combined with AssumeLocal, AssumeUniversal or AdjustToUniversal")


def validate_styles(text: str) -> str | None:
    """Param.check form of :func:`parse_styles`."""
    try:
        parse_styles(text)
    except DateFormatError as problem:
        return str(problem)
    return None


__all__ = ["DEFAULT_STYLES", "DateTimeStyles", "parse_styles", "validate_styles"]
