""".NET culture-aware ``String.ToUpper``/``ToLower``: simple 1:1 case mapping, invariant or Turkish rules.

Entra runs .NET, whose casing maps one UTF-16 code unit (or surrogate pair) to exactly one, using
Unicode's *simple* case mapping (UnicodeData.txt), never the *full* mapping of SpecialCasing.txt that
Python's ``str.upper()`` applies.  So ``ToUpper("straße")`` is ``"STRAßE"`` (Python: ``"STRASSE"``),
``ToLower("ΣΑΣ")`` is ``"σασ"`` (Python applies the final-sigma rule) and the length never changes.

Three rule sets exist, exactly as in dotnet/runtime ``pal_casing.c``:

- invariant (culture omitted or ``""``): like ICU's simple mapping, except that Windows keeps
  U+0131 ``ı`` unchanged by ToUpper and U+0130 ``İ`` unchanged by ToLower;
- Turkish (language ``tr`` or ``az``): ``i`` -> ``İ`` and ``I`` -> ``ı``; ``ı`` -> ``I`` and ``İ`` -> ``i``;
- any other culture: the plain simple mapping (``ı`` -> ``I``, ``İ`` -> ``i``).

A culture name must look like an RFC 4646 tag (``en-US``, ``az-Latn-AZ``); a well-formed but unknown name
casing like any other non-Turkish culture, because .NET on ICU accepts any well-formed name.
"""

from __future__ import annotations

import re
from typing import Literal

Rules = Literal["invariant", "turkish", "culture"]

_CULTURE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*\Z")
_DOTTED_CAPITAL_I = "\u0130"
_DOTLESS_SMALL_I = "\u0131"


def culture_problem(name: str) -> str | None:
    """Why ``name`` is not a culture name .NET would accept, or None; also used as the compile-time check."""
    if name == "":
        return None
    if len(name) > 85 or not _CULTURE.match(name):
        return f"{name!r} is not a culture name (expected an RFC 4646 name such as 'en-US' or 'tr-TR')"
    return None


def culture_rules(name: str | None) -> Rules:
    """Which casing rules a culture name selects; raises ValueError for a malformed name."""
    if not name:
        return "invariant"
    problem = culture_problem(name)
    if problem:
        raise ValueError(problem)
    language = re.split(r"[-_]", name, maxsplit=1)[0].lower()
    return "turkish" if language in ("tr", "az") else "culture"


class _SimpleUpper(dict[int, str]):
    """Code point -> simple upper-case mapping, filled lazily as ``str.translate`` asks for characters.

    Python only exposes the full mapping; where that expands (ß -> SS, ﬀ -> FF) the simple mapping is
    either the single-character title-case form (ᾳ -> ᾼ, the only such cases are Greek iota-subscript
    letters) or the character itself.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        upper = char.upper()
        if len(upper) != 1:
            title = char.title()
            upper = title if len(title) == 1 else char
        self[code] = upper
        return upper


class _SimpleLower(dict[int, str]):
    """Code point -> simple lower-case mapping; only U+0130 İ expands under the full mapping (to ``i̇``)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            lower = "i" if char == _DOTTED_CAPITAL_I else char
        self[code] = lower
        return lower


_UPPER = _SimpleUpper()
_LOWER = _SimpleLower()
# Windows invariant casing keeps the dotless i and the dotted capital I (ICU would give "I" and "i").
_UPPER_INVARIANT = _SimpleUpper({ord(_DOTLESS_SMALL_I): _DOTLESS_SMALL_I})
_LOWER_INVARIANT = _SimpleLower({ord(_DOTTED_CAPITAL_I): _DOTTED_CAPITAL_I})


def simple_upper(char: str) -> str:
    """The simple (1:1) upper-case mapping of one character, as ICU ``u_toupper`` gives it."""
    return _UPPER[ord(char)]


def simple_lower(char: str) -> str:
    """The simple (1:1) lower-case mapping of one character, as ICU ``u_tolower`` gives it."""
    return _LOWER[ord(char)]


def to_upper(text: str, rules: Rules = "invariant") -> str:
    """``String.ToUpper`` under the given rules."""
    if text.isascii():
        if rules == "turkish":
            return text.replace("i", _DOTTED_CAPITAL_I).upper()
        return text.upper()
    if rules == "turkish":
        text = text.replace("i", _DOTTED_CAPITAL_I)
    return text.translate(_UPPER_INVARIANT if rules == "invariant" else _UPPER)


def to_lower(text: str, rules: Rules = "invariant") -> str:
    """``String.ToLower`` under the given rules."""
    if text.isascii():
        if rules == "turkish":
            return text.replace("I", _DOTLESS_SMALL_I).lower()
        return text.lower()
    if rules == "turkish":
        text = text.replace("I", _DOTLESS_SMALL_I)
    return text.translate(_LOWER_INVARIANT if rules == "invariant" else _LOWER)


__all__ = ["Rules", "culture_problem", "culture_rules", "simple_lower", "simple_upper", "to_lower", "to_upper"]
