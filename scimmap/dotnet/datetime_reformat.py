"""FormatDateTime's common shape in one step: a fixed-width numeric date in, numeric fields out.

``ParseExact`` followed by ``ToString`` goes through a parse state, a .NET date value with its kind and
ticks, and a token walk per field: several microseconds, for a function a mapping calls on every user
(``FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyyMMdd")``).  When the input format is
fixed-width digits with year, month and day (the shape :func:`~scimmap.dotnet.datetime_parse.fixed_width_pattern`
recognises) and the output uses only fields that read the date and time of day (no kind, no weekday),
the result is a function of the digits alone: one regular expression, a range check and one ``%``
format.  Anything else (a text the pattern does not match, a date out of range, other styles or
fields) returns None, and the caller takes the general path, which gives .NET's answer or its error.
``tests/unit/test_datetime_reformat.py`` checks the two paths agree over generated dates and formats.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from scimmap.dotnet.datetime_format import MAX_FRACTION_DIGITS, Token, tokens_of
from scimmap.dotnet.datetime_parse import fixed_width_pattern
from scimmap.dotnet.datetime_styles import DateTimeStyles, parse_styles
from scimmap.dotnet.datetimes import AM_DESIGNATOR, MONTH_ABBREVIATIONS, MONTH_NAMES, PM_DESIGNATOR, DateFormatError

Reformat = Callable[[str], "str | None"]

_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_TRAILING_WHITE = int(DateTimeStyles.ALLOW_TRAILING_WHITE)

_INPUT_FIELDS = {"year": "y", "month": "M", "day": "d", "hour": "H", "minute": "m", "second": "s", "fraction": "f"}
"""The parse-state fields a fast input format may set (12-hour and two-digit years need the general rules)."""


@functools.lru_cache(maxsize=256)
def fast_reformat(styles: str | None, input_format: str, output_format: str) -> Reformat | None:
    """The one-step form of ``ToString(ParseExact(text, input_format, styles), output_format)``, or None
    when the formats are not of the shape it covers.  Cached: formats are constants of a mapping."""
    try:
        flags = int(parse_styles(styles))
        pattern = fixed_width_pattern(input_format, flags)
        output = tokens_of(output_format or "G")
    except DateFormatError:
        return None
    if pattern is None:
        return None
    names = [name for name, _letter, _count in pattern.fields]
    if len(set(names)) != len(names) or not {"year", "month", "day"} <= set(names):
        return None
    for name, letter, count in pattern.fields:  # no 12-hour clock, no two-digit year
        if _INPUT_FIELDS[name] != letter or (letter == "y" and count <= 2):
            return None
    text, arguments = _output(output)
    if text is None:
        return None
    source = "\n".join(
        [
            "def reformat(text):",
            f"    match = fullmatch(text.rstrip() if {bool(flags & _TRAILING_WHITE)} else text)",
            "    if match is None:",
            "        return None",
            "    " + ", ".join(names) + " = map(int, match.groups())",
            *(f"    {name} = 0" for name in ("hour", "minute", "second", "fraction") if name not in names),
            *(
                f"    fraction *= {10 ** (MAX_FRACTION_DIGITS - count)}"
                for name, _letter, count in pattern.fields
                if name == "fraction" and count < MAX_FRACTION_DIGITS
            ),
            "    if not (1 <= year <= 9999 and 1 <= month <= 12 and hour < 24 and minute < 60 and second < 60):",
            "        return None",
            "    if day < 1 or day > (29 if month == 2 and year % 4 == 0 and (year % 100 or year % 400 == 0)"
            " else DAYS[month - 1]):",
            "        return None",
            f"    return {text!r} % ({arguments}{',' if arguments else ''})",
        ]
    )
    namespace: dict[str, Any] = {
        "fullmatch": pattern.regex.fullmatch,
        "DAYS": _DAYS,
        "AM": AM_DESIGNATOR,
        "PM": PM_DESIGNATOR,
        "MONTHS": MONTH_NAMES,
        "MONTHS3": MONTH_ABBREVIATIONS,
    }
    exec(compile(source, f"<FormatDateTime {input_format!r} -> {output_format!r}>", "exec"), namespace)
    return namespace["reformat"]  # type: ignore[no-any-return]


def _output(tokens: tuple[Token, ...]) -> tuple[str | None, str]:
    """The output format as a ``%`` template and its arguments, or (None, "") for a field it does not cover.

    Each field is what ``datetime_format._format_field`` writes for it."""
    template: list[str] = []
    arguments: list[str] = []
    for token in tokens:
        kind, text, count = token.kind, token.text, token.count
        if kind != "field":
            template.append(text.replace("%", "%%"))
            continue
        width = min(count, 2)
        if text in "dMHhms" and count <= 2:
            value = {"d": "day", "M": "month", "H": "hour", "h": "(hour % 12 or 12)", "m": "minute", "s": "second"}
            template.append(f"%0{width}d")
            arguments.append(value[text])
        elif text == "M":
            template.append("%s")
            arguments.append(f"{'MONTHS3' if count == 3 else 'MONTHS'}[month - 1]")
        elif text == "y":
            template.append(f"%0{count}d")
            arguments.append("year % 100" if count <= 2 else "year")
        elif text == "f":
            template.append(f"%0{count}d")
            arguments.append(f"fraction // {10 ** (MAX_FRACTION_DIGITS - count)}")
        elif text == "t":
            template.append("%s")
            arguments.append("(AM if hour < 12 else PM)" + ("[0]" if count == 1 else ""))
        elif text == "z":
            template.append("+0" if count == 1 else "+00" if count == 2 else "+00:00")
        elif text == "g":
            template.append("A.D.")
        else:
            return None, ""  # the weekday, F's trimming and K's kind need the general path
    return "".join(template), ", ".join(arguments)


__all__ = ["fast_reformat"]
