"""String functions: Append, Join, Left, Len, Mid, Word, Split, Item, Count, Replace, InStr and the like.

Microsoft documents only some null and out-of-range rules (Left, Word, Item in cloud sync).  Where it is
silent, these functions follow the .NET / VB.NET routine the Entra function is named after (``Strings.Mid``,
``Strings.InStr``, ``String.Split``), and every such choice is pinned by a commented case in
``tests/cases/functions/`` and listed in docs/expressions.md.  Single-valued parameters reject a
multi-valued value with more than one value (``values.single``) instead of guessing which one to use.
"""

from __future__ import annotations

from typing import Any

import regex as _regex

from scimmap.dotnet import regex as dotnet_regex
from scimmap.dotnet.limits import check_length
from scimmap.functions.catalog import Example, Param, builtin
from scimmap.language.values import OMITTED, ValueFailure, is_sentinel, to_text


@builtin(
    "Append",
    [Param("source", summary="the value to extend"), Param("suffix", summary="text added at the end")],
    examples=[
        Example(
            'Append([userPrincipalName], ".test")',
            "John.Doe@contoso.com.test",
            {"userPrincipalName": "John.Doe@contoso.com"},
        )
    ],
)
def append(source: str | None, suffix: str | None) -> str:
    """Returns source followed by suffix.

    A null source or suffix reads as "" (Microsoft does not say; see docs/expressions.md).
    """
    return joined_pair(source, suffix, "Append")


def joined_pair(first: str | None, second: str | None, what: str) -> str:
    """``first + second`` (null reads as ""), refused before it is built when longer than the text limit."""
    first, second = first or "", second or ""
    check_length(len(first) + len(second), f"{what}'s result")
    return first + second


@builtin(
    "Join",
    separator_join=True,
    params=[
        Param("separator", summary='placed between values; may be ""'),
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
    glue = separator or ""
    check_length(sum(map(len, parts)) + len(glue) * max(len(parts) - 1, 0), "Join's result")
    return glue.join(parts)


@builtin(
    "Left",
    [Param("String"), Param("NumChars", type="integer")],
    examples=[Example('Left("John Doe", 3)', "Joh")],
)
def left(string: str | None, num_chars: int | None) -> str:
    """The first NumChars characters; null gives "", a negative count gives the whole string."""
    if num_chars is None:
        raise ValueFailure("Left needs a number of characters, got no value")
    if string is None:
        return ""
    if num_chars < 0:
        return string
    return string[:num_chars]


@builtin(
    "Len",
    [Param("String", summary="text or a number")],
    returns="integer",
    examples=[
        Example('Len("John Doe")', 8),
        Example("Len(42568)", 5),
        Example("Len(42568.75)", 8),
        Example("Len([LastName])", 0, {"LastName": None}),
    ],
    notes=[
        "A number counts the characters it is written with (`Len(42568.75)` is 8); a Boolean counts "
        '"True"/"False", a DateTime its M/d/yyyy h:mm:ss tt text.',
        "Characters are counted as .NET's String.Length counts them, in UTF-16 code units: a character "
        "outside the Basic Multilingual Plane (an emoji) counts 2.",
        "Several values of a multi-valued attribute are an evaluation error, as for every single-valued parameter.",
    ],
)
def length(string: str | None) -> int:
    """The number of characters in the text; null and "" give 0.

    Typically compared with a limit to build identifiers of bounded length, e.g.
    `IIF(Len([LastName]) <= 5, Left(Join("", [LastName], [FirstName]), 10), ...)`.
    """
    if not string:
        return 0
    return len(string.encode("utf-16-le", "surrogatepass")) // 2


@builtin(
    "Mid",
    [Param("source"), Param("start", type="integer"), Param("length", type="integer")],
    examples=[Example('Mid("John Doe", 3, 5)', "hn Do"), Example('Mid("John Doe", 6, 999)', "Doe")],
)
def mid(source: str | None, start: int | None, length: int | None) -> str:
    """Up to length characters from the 1-based position start.

    Out-of-range arguments follow VB.NET ``Strings.Mid``: a start past the end gives "", a start below 1
    or a negative length is an error (a silent clamp would hide an off-by-one in the mapping).  A null
    source gives "", as Left and Word do.
    """
    if start is None or length is None:
        raise ValueFailure(f"Mid needs a {'start' if start is None else 'length'}, got no value")
    if start < 1:
        raise ValueFailure(f"Mid's start is 1-based and must be at least 1, got {start}")
    if length < 0:
        raise ValueFailure(f"Mid's length must not be negative, got {length}")
    if source is None:
        return ""
    return source[start - 1 : start - 1 + length]


@builtin(
    "Word",
    [
        Param("String"),
        Param("WordNumber", type="integer", summary="1-based"),
        Param("Delimiters", summary="every character in it separates words"),
    ],
    examples=[
        Example('Word("The quick brown fox", 3, " ")', "brown"),
        Example('Word("This,string!has&many separators", 3, ",!&#")', "has"),
    ],
)
def word(string: str | None, number: int | None, delimiters: str | None) -> str:
    """The WordNumber-th run of characters between delimiter characters, or "" when there is none.

    Consecutive delimiters do not make empty words ("words" are runs of characters), and a string
    without any delimiter is one word.
    """
    if string is None or number is None or number < 1:
        return ""
    separators = set(delimiters or "")
    words: list[str] = []
    current: list[str] = []
    for ch in string:
        if ch in separators:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words[number - 1] if number <= len(words) else ""


@builtin(
    "Split",
    [Param("source"), Param("delimiter", summary="the text between values")],
    returns="multi",
    examples=[Example('Split("a,b", ",")', ["a", "b"])],
)
def split(source: str | None, delimiter: str | None) -> list[str] | None:
    """Splits at every occurrence of the delimiter, like .NET ``String.Split(string)``.

    Values are not trimmed and empty values are kept ("a,,b" gives three values); a delimiter of several
    characters is matched as a whole; an empty delimiter returns the source as one value; null gives null.
    """
    if source is None:
        return None
    if not delimiter:
        return [source]
    return source.split(delimiter)


def _values(value: Any) -> list[Any] | None:
    """A multi-valued parameter's values; None for null or an empty list (no values at all)."""
    if value is None:
        return None
    if type(value) is list:
        return value or None
    return [value]


@builtin(
    "Item",
    [
        Param("attribute", type="any", summary="a multi-valued attribute"),
        Param("index", type="integer", summary="1-based"),
    ],
    returns="any",
    examples=[
        Example(
            "Item([proxyAddresses], 1)",
            "SMTP:jo@contoso.com",
            {"proxyAddresses": ["SMTP:jo@contoso.com", "smtp:jo@fabrikam.com"]},
        )
    ],
)
def item(attribute: Any, index: int | None) -> Any:
    """The index-th value (1-based); an index outside the values is an error, as cloud sync documents.

    A single value counts as one value; null (or no values) gives null.
    """
    values = _values(attribute)
    if index is None:
        raise ValueFailure("Item needs an index, got no value")
    if values is None:
        return None
    if index < 1 or index > len(values):
        raise ValueFailure(
            f"Item index {index} is out of range: the attribute has {len(values)} value(s), counted from 1"
        )
    return values[index - 1]


@builtin(
    "Count",
    [Param("attribute", type="any", summary="a multi-valued attribute")],
    returns="integer",
    examples=[Example("Count([proxyAddresses])", 2, {"proxyAddresses": ["a", "b"]})],
)
def count(attribute: Any) -> int:
    """The number of values: 0 for null, 1 for a single value (even "")."""
    values = _values(attribute)
    return 0 if values is None else len(values)


@builtin(
    "RemoveDuplicates",
    [Param("attribute", type="any", summary="a multi-valued attribute")],
    returns="multi",
    examples=[Example("RemoveDuplicates([proxyAddresses])", ["a", "B"], {"proxyAddresses": ["a", "B", "a"]})],
)
def remove_duplicates(attribute: Any) -> list[Any] | None:
    """Each value once, in order of first occurrence, compared exactly (case-sensitively); null gives null."""
    values = _values(attribute)
    if values is None:
        return None
    seen: set[str | None] = set()
    kept: list[Any] = []
    for value in values:
        key = to_text(value, "RemoveDuplicates")
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


@builtin(
    "StripSpaces",
    [Param("source")],
    examples=[Example('StripSpaces("Jo Ann Smith")', "JoAnnSmith")],
)
def strip_spaces(source: str | None) -> str | None:
    """Removes every space character (U+0020); tabs and other whitespace stay.  Null stays null."""
    return None if source is None else source.replace(" ", "")


def _check_regex(pattern: str) -> str | None:
    return dotnet_regex.validate_pattern(pattern)


def _given(value: Any) -> bool:
    return value is not OMITTED


@builtin(
    "Replace",
    graph_all_slots=True,
    params=[
        Param("source", graph_key="source"),
        Param("oldValue", required=False, default=OMITTED, graph_key="Find", summary="literal text to find"),
        Param(
            "regexPattern",
            required=False,
            default=OMITTED,
            graph_key="RegularExpression",
            check=_check_regex,
            cost=dotnet_regex.pattern_weight,
            summary="a .NET regular expression",
        ),
        Param("regexGroupName", required=False, default=OMITTED, graph_key="RegularExpressionGroupName"),
        Param(
            "replacementValue",
            required=False,
            default=OMITTED,
            graph_key="Replacement",
            summary="with regexPattern: .NET substitutions such as ${name}, $1, $$",
        ),
        Param(
            "replacementAttributeName",
            required=False,
            default=OMITTED,
            graph_key="ReplacementPropertyName",
            summary="an attribute reference such as [mobile]",
        ),
        Param("template", required=False, default=OMITTED, graph_key="Template"),
    ],
    examples=[
        Example('Replace([mail], "@contoso.com", , , "", , )', "john.doe", {"mail": "john.doe@contoso.com"}),
        Example(
            'Replace([UserID], "<username>", , , , , "<username>@contoso.com")',
            "jsmith@contoso.com",
            {"UserID": "jsmith"},
        ),
        Example('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', "72", {"mailNickname": "john_doe72"}),
        Example(
            'Replace([AddressLineData], , "(?<streetNumber>^\\\\d*)", "streetNumber", "888", , )',
            "888 Tremont Street",
            {"AddressLineData": "545 Tremont Street"},
        ),
    ],
)
def replace(
    source: str | None,
    old_value: Any,
    pattern: Any,
    group: Any,
    replacement: Any,
    attribute_value: Any,
    template: Any,
) -> str | None:
    """Replaces text; which slots are filled picks the mode ("" counts as filled, an empty slot does not).

    Checked in the order of Microsoft's reference, the first complete set wins:
    1. oldValue + replacementValue: every occurrence of oldValue in source, case-sensitively;
    2. oldValue + template: every occurrence of oldValue in the template, replaced by source;
    3. regexPattern + regexGroupName + replacementValue: in every match, only the group's text;
    4. regexPattern + replacementValue: .NET ``Regex.Replace`` with ``$`` substitutions;
    5. regexPattern + regexGroupName + replacementAttributeName: source when it has a value, else the
       group captured in that attribute's value (the app-provisioning rule; cloud sync documents the
       opposite).
    A null source gives null in modes 1-4; an empty oldValue finds nothing.
    """
    if _given(old_value) and _given(replacement):
        if source is None:
            return None
        return _replace_text(source, old_value, replacement or "") if old_value else source
    if _given(old_value) and _given(template):
        if source is None:
            return None
        text = template or ""
        return _replace_text(text, old_value, source) if old_value else text
    if _given(pattern):
        if pattern is None:
            raise ValueFailure("Replace's regexPattern has no value")
        if _given(group) and group is None:
            raise ValueFailure("Replace's regexGroupName has no value")
        if _given(replacement):
            if source is None:
                return None
            if _given(group):
                return dotnet_regex.replace_group(pattern, source, group, replacement or "")
            return dotnet_regex.replace(pattern, source, replacement or "")
        if _given(group) and _given(attribute_value):
            if source:
                return source
            if attribute_value is None:
                return None
            return dotnet_regex.capture(pattern, attribute_value, group)
    raise ValueFailure(
        "Replace needs oldValue with replacementValue or template, or regexPattern with replacementValue, "
        "or regexPattern, regexGroupName and replacementAttributeName"
    )


def _replace_text(text: str, old: str, new: str) -> str:
    """``text.replace(old, new)`` with its length computed (by counting, without building) and bounded first."""
    check_length(len(text) + text.count(old) * (len(new) - len(old)), "Replace's result")
    return text.replace(old, new)


@builtin(
    "InStr",
    [
        Param("value1", summary="the text to search"),
        Param("value2", summary="the text to find"),
        Param("start", type="integer", required=False, summary="1-based position to start at (default 1)"),
        Param(
            "compareType",
            type="enum",
            required=False,
            literal=True,
            choices=("vbBinaryCompare", "vbTextCompare"),
            summary="vbBinaryCompare (default, case-sensitive)",
        ),
    ],
    returns="integer",
    examples=[
        Example('InStr("The quick brown fox", "quick")', 5),
        Example('InStr("repEated", "e", 3, vbBinaryCompare)', 7),
    ],
)
def instr(value1: str | None, value2: str | None, start: int | None, compare_type: Any) -> int:
    """The 1-based position of value2 in value1 at or after start, or 0 when it is not there.

    Follows VB.NET ``Strings.InStr``: binary (case-sensitive) comparison by default; an empty value1 or a
    start past the end gives 0; an empty value2 gives start; a start below 1 is an error.
    """
    begin = 1 if start is None else start
    if begin < 1:
        raise ValueFailure(f"InStr's start is 1-based and must be at least 1, got {begin}")
    text = value1 or ""
    if begin - 1 > len(text) or not text:
        return 0
    if not value2:
        return begin
    mode = "vbbinarycompare" if compare_type is None or is_sentinel(compare_type) else str(compare_type).lower()
    if mode == "vbtextcompare":
        found = _regex.compile(_regex.escape(value2), _regex.IGNORECASE | _regex.V0).search(text, begin - 1)
        return found.start() + 1 if found else 0
    return text.find(value2, begin - 1) + 1


@builtin(
    "Coalesce",
    [Param("source", type="any", repeating=True, summary="candidates; the last one acts as the default")],
    returns="any",
    min_args=1,
    examples=[
        Example(
            "Coalesce([mail], [userPrincipalName])",
            "jo@contoso.com",
            {"mail": None, "userPrincipalName": "jo@contoso.com"},
        )
    ],
)
def coalesce(sources: list[Any]) -> Any:
    """The first value that is not null; "" is a value and is returned.  All null gives null.

    A multi-valued attribute with no values counts as null.
    """
    for value in sources:
        if value is None or (type(value) is list and not value):
            continue
        return value
    return None


@builtin(
    "CStr",
    [Param("value", summary="a number, a Boolean or a reference")],
    examples=[Example("CStr([dn])", "cn=Joe,dc=contoso,dc=com", {"dn": "cn=Joe,dc=contoso,dc=com"})],
)
def cstr(value: str | None) -> str | None:
    """The value as text: Booleans "True"/"False", numbers in decimal, DateTimes as Entra renders them.

    Null stays null.
    """
    return value


@builtin(
    "Redact",
    [Param("value", type="any", summary="the value to hide from provisioning logs")],
    returns="any",
    secret=True,
    examples=[Example('Redact("StringToBeRedacted")', "StringToBeRedacted")],
)
def redact(value: Any) -> Any:
    """The value, unchanged: Entra only hides it in provisioning logs (shown there as "[Redact]")."""
    return value
