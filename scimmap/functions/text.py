"""Text transforms with .NET behaviour: ToLower, ToUpper, PCase, NormalizeDiacritics, ConvertToBase64,
ConvertToUTF8Hex.

The .NET rules live in ``scimmap.dotnet`` (casing, titlecase, diacritics, encoding); this module only
declares the functions and applies the shared value rules that Microsoft leaves open:

- a null source gives null (nothing is provisioned), ``""`` gives ``""``;
- a multi-valued source is transformed value by value and stays multi-valued, so
  ``ToLower([proxyAddresses])`` works the way people expect instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scimmap.dotnet.casing import Rules, culture_problem, culture_rules, to_lower, to_upper
from scimmap.dotnet.diacritics import normalize_diacritics
from scimmap.dotnet.encoding import utf8_hex, utf16le_base64
from scimmap.dotnet.limits import check_length
from scimmap.dotnet.titlecase import pcase
from scimmap.functions.catalog import Example, Param, builtin
from scimmap.language.values import ValueFailure, to_text

_NULL_AND_LISTS = "A null source gives null; a multi-valued source is transformed value by value."


def per_value(value: Any, transform: Callable[[str], str], what: str) -> Any:
    """Apply a text transform to a value, or to each value of a multi-valued one; null stays null."""
    if type(value) is list:
        return [_one(item, transform, what) for item in value]
    return _one(value, transform, what)


def _one(value: Any, transform: Callable[[str], str], what: str) -> str | None:
    text = to_text(value, what)
    return None if text is None else transform(text)


def _rules(culture: str | None, function: str) -> Rules:
    try:
        return culture_rules(culture)
    except ValueError as problem:
        raise ValueFailure(f"{function}: {problem}") from None


def _culture_param() -> Param:
    return Param(
        "culture",
        required=False,
        check=culture_problem,
        summary='an RFC 4646 culture name such as "tr-TR"; the invariant culture when omitted',
    )


@builtin(
    "ToLower",
    [Param("source", type="any", summary="the value to lower-case"), _culture_param()],
    examples=[
        Example('ToLower("JOHN.SMITH@CONTOSO.COM")', "john.smith@contoso.com"),
        Example('ToLower("ISTANBUL", "tr-TR")', "ıstanbul"),
    ],
    notes=[
        ".NET simple case mapping: every character maps to exactly one character (no final-sigma rule).",
        "tr and az cultures map I to ı; the invariant culture leaves İ unchanged, other cultures give i.",
        "A malformed culture name is an error; a well-formed unknown one cases like the invariant culture "
        "except for İ (-> i).",
        _NULL_AND_LISTS,
    ],
)
def to_lower_function(source: Any, culture: str | None) -> Any:
    """Lower-cases the value with the culture's rules (the invariant culture when culture is omitted)."""
    rules = _rules(culture, "ToLower")
    return per_value(source, lambda text: to_lower(text, rules), "ToLower")


@builtin(
    "ToUpper",
    [Param("source", type="any", summary="the value to upper-case"), _culture_param()],
    examples=[
        Example('ToUpper("straße")', "STRAßE"),
        Example('ToUpper("istanbul", "tr-TR")', "İSTANBUL"),
    ],
    notes=[
        '.NET simple case mapping: ß stays ß (never "SS") and the length never changes.',
        "tr and az cultures map i to İ; the invariant culture leaves ı unchanged, other cultures give I.",
        "A malformed culture name is an error; a well-formed unknown one cases like the invariant culture "
        "except for ı (-> I).",
        _NULL_AND_LISTS,
    ],
)
def to_upper_function(source: Any, culture: str | None) -> Any:
    """Upper-cases the value with the culture's rules (the invariant culture when culture is omitted)."""
    rules = _rules(culture, "ToUpper")
    return per_value(source, lambda text: to_upper(text, rules), "ToUpper")


@builtin(
    "PCase",
    [
        Param("source", type="any", summary="the value to convert to proper case"),
        Param(
            "wordSeparators",
            required=False,
            summary='characters that separate words (e.g. " ,-\'"); replaces the default set',
        ),
    ],
    examples=[
        Example("PCase([firstName])", "Pablo Gonsalves (Second)", {"firstName": "PABLO GONSALVES (SECOND)"}),
        Example('PCase([lastName], " \'-")', "Pinto-De'Silva", {"lastName": "PINTO-DE'SILVA"}),
    ],
    notes=[
        "Everything is lower-cased first, so all-caps words are converted too (unlike raw .NET ToTitleCase).",
        "Default separators: spaces, control and format characters, punctuation and symbols, as .NET "
        'ToTitleCase uses them; an apostrophe does not split a word ("O\'NEIL" -> "O\'neil") and a word '
        'starts at its first letter ("4TH" -> "4Th").',
        'With wordSeparators only those characters separate words; "" or null means the default set.',
        _NULL_AND_LISTS,
    ],
)
def pcase_function(source: Any, word_separators: str | None) -> Any:
    """Upper-cases the first letter of each word and lower-cases every other character."""
    return per_value(source, lambda text: pcase(text, word_separators), "PCase")


@builtin(
    "NormalizeDiacritics",
    [Param("source", type="any", summary="usually a first or last name")],
    examples=[
        Example("NormalizeDiacritics([givenName])", "Zoe", {"givenName": "Zoë"}),
        Example('NormalizeDiacritics("Müller Ørsted")', "Muller OErsted"),
    ],
    notes=[
        "A fixed table from Microsoft's reference, not Unicode decomposition: ä -> a, æ -> ae, ø -> oe, "
        "ß -> ss, ı -> i; characters the table does not list (œ, đ, ð, þ, ồ ...) are kept.",
        "Multi-character entries (ā́, u̇̄) are replaced as a unit; decomposed input (e + U+0301) is "
        "treated like its composed form.",
        _NULL_AND_LISTS,
    ],
)
def normalize_diacritics_function(source: Any) -> Any:
    """Replaces characters with diacritics by their plain equivalents from Microsoft's table."""
    return per_value(source, _normalized, "NormalizeDiacritics")


def _normalized(text: str) -> str:
    # The table maps one character to at most two (æ -> ae), so the result is at most twice the input:
    # checked after, which bounds memory at twice the limit.
    result = normalize_diacritics(text)
    check_length(len(result), "NormalizeDiacritics' result")
    return result


@builtin(
    "ConvertToBase64",
    [Param("source", type="any", summary="text to encode")],
    examples=[Example('ConvertToBase64("Hello world!")', "SABlAGwAbABvACAAdwBvAHIAbABkACEA")],
    notes=[
        'Encodes the UTF-16LE (".NET Unicode") bytes, not UTF-8; a lone surrogate is encoded as U+FFFD.',
        _NULL_AND_LISTS,
    ],
)
def convert_to_base64(source: Any) -> Any:
    """The Base64 form of the value's UTF-16LE bytes."""
    return per_value(source, _base64, "ConvertToBase64")


def _base64(text: str) -> str:
    # Four characters per three UTF-16 bytes (a lone surrogate becomes U+FFFD, also two bytes).
    size = len(text.encode("utf-16-le", "surrogatepass"))
    check_length(4 * ((size + 2) // 3), "ConvertToBase64's result")
    return utf16le_base64(text)


@builtin(
    "ConvertToUTF8Hex",
    [Param("source", type="any", summary="text to encode")],
    examples=[Example('ConvertToUTF8Hex("Hello world!")', "48656C6C6F20776F726C6421")],
    notes=["Upper-case hex digits, two per UTF-8 byte, no separators.", _NULL_AND_LISTS],
)
def convert_to_utf8_hex(source: Any) -> Any:
    """The value's UTF-8 bytes as upper-case hexadecimal."""
    return per_value(source, _hex, "ConvertToUTF8Hex")


def _hex(text: str) -> str:
    # Two characters per UTF-8 byte; a lone surrogate passes as three bytes, as its U+FFFD does.
    check_length(2 * len(text.encode("utf-8", "surrogatepass")), "ConvertToUTF8Hex's result")
    return utf8_hex(text)
