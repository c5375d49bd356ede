"""String functions: Append, Join, Left, Mid, ToLower ... (entra-semantics.md §4)."""

from __future__ import annotations

from typing import Any

from scimmap.functions.catalog import Example, Param, builtin
from scimmap.language.values import to_text


@builtin(
    "Append",
    [Param("source", summary="the value to extend"), Param("suffix", summary="text added at the end")],
    examples=[Example('Append([userPrincipalName], ".test")', "John.Doe@contoso.com.test",
                      {"userPrincipalName": "John.Doe@contoso.com"})],
)
def append(source: str | None, suffix: str | None) -> str:
    """Returns source followed by suffix.

    A null source or suffix reads as "" (Microsoft does not say; see docs/expressions.md).
    """
    return (source or "") + (suffix or "")


@builtin(
    "Join",
    [
        Param("separator", summary="placed between values; may be \"\""),
        Param("source", type="any", repeating=True, summary="values; multi-valued ones contribute each value"),
    ],
    examples=[Example('Join(", ", "", [surname], [givenName])', "Doe, John", {"surname": "Doe", "givenName": "John"})],
)
def join(separator: str | None, sources: list[Any]) -> str:
    """Joins the values with the separator, skipping null and empty values and flattening multi-valued ones.

    Skipping empty values means no doubled or dangling separators for missing parts.
    """
    parts: list[str] = []
    for source in sources:
        values = source if type(source) is list else (source,)
        for value in values:
            text = to_text(value, "Join")
            if text:
                parts.append(text)
    return (separator or "").join(parts)


@builtin(
    "Left",
    [Param("String"), Param("NumChars", type="integer")],
    examples=[Example('Left("John Doe", 3)', "Joh")],
)
def left(string: str | None, num_chars: int | None) -> str:
    """The first NumChars characters; null gives "", a negative count gives the whole string."""
    if string is None:
        return ""
    if num_chars is None or num_chars < 0:
        return string
    return string[:num_chars]


@builtin(
    "Mid",
    [Param("source"), Param("start", type="integer"), Param("length", type="integer")],
    examples=[Example('Mid("John Doe", 3, 5)', "hn Do"), Example('Mid("John Doe", 6, 999)', "Doe")],
)
def mid(source: str | None, start: int | None, length: int | None) -> str | None:
    """Up to length characters from the 1-based position start."""
    if source is None:
        return None
    if start is None or length is None:
        return source
    begin = max(start, 1) - 1
    if length <= 0:
        return ""
    return source[begin : begin + length]


@builtin(
    "ToLower",
    [Param("source"), Param("culture", required=False, summary="an RFC 4646 name such as tr-TR")],
    examples=[Example('ToLower("JOHN")', "john")],
)
def to_lower(source: str | None, culture: str | None) -> str | None:
    """Lower-cases the value with the culture's rules (invariant culture when omitted)."""
    return None if source is None else source.lower()
