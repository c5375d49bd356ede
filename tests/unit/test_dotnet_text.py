"""The .NET text helpers behind ToLower/ToUpper, PCase, NormalizeDiacritics and the Base64/hex functions.

The case files pin documented and chosen behaviour through ``scimmap.evaluate``; these tests pin the
helper modules' own contracts (1:1 casing, culture-name validation, the diacritics table as data,
encoder round trips) and, with hypothesis, that no input makes them raise anything unexpected.
"""

from __future__ import annotations

import base64
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.dotnet.casing import culture_problem, culture_rules, simple_lower, simple_upper, to_lower, to_upper
from scimmap.dotnet.diacritics import REPLACEMENTS, TABLE, normalize_diacritics
from scimmap.dotnet.encoding import dotnet_text, from_base64, utf8_hex, utf16le_base64
from scimmap.dotnet.titlecase import pcase, to_title_case
from scimmap.functions import BUILTINS

RULES = ("invariant", "culture", "turkish")
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""The first examples pay for lazily built tables and grammar loading; timing is not what is tested."""
any_text = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=30)
"""Any code points, lone surrogates included: Python strings (and .NET strings) can hold them."""


# --- casing -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rules", RULES)
@relaxed
@given(text=any_text)
def test_casing_never_changes_length(rules: str, text: str) -> None:
    assert len(to_upper(text, rules)) == len(text)  # type: ignore[arg-type]
    assert len(to_lower(text, rules)) == len(text)  # type: ignore[arg-type]


@relaxed
@given(text=st.text(st.characters(blacklist_characters="ıİ\u0345"), max_size=30))
def test_invariant_casing_is_python_casing_wherever_that_is_one_to_one(text: str) -> None:
    for char in text:
        if len(char.upper()) == 1:
            assert to_upper(char) == char.upper()
        if len(char.lower()) == 1:
            assert to_lower(char) == char.lower()


@pytest.mark.parametrize(
    ("char", "upper"),
    [("ß", "ß"), ("ŉ", "ŉ"), ("ǰ", "ǰ"), ("ΐ", "ΐ"), ("ﬀ", "ﬀ"), ("ﬅ", "ﬅ"), ("ᾳ", "ᾼ"), ("ᾀ", "ᾈ"), ("ǆ", "Ǆ")],
)
def test_simple_upper_where_python_expands(char: str, upper: str) -> None:
    assert simple_upper(char) == upper


def test_simple_lower_of_dotted_capital_i_is_plain_i() -> None:
    assert simple_lower("İ") == "i"
    assert "İ".lower() == "i\u0307"  # what Python's full mapping would have given


@pytest.mark.parametrize(
    ("rules", "upper", "lower"),
    [
        ("invariant", "ıIİI", "ıiİi"),  # Windows invariant keeps ı and İ
        ("culture", "IIİI", "ıiii"),
        ("turkish", "IİİI", "ıiiı"),
    ],
)
def test_the_four_turkish_letters_under_each_rule_set(rules: str, upper: str, lower: str) -> None:
    assert to_upper("ıiİI", rules) == upper  # type: ignore[arg-type]
    assert to_lower("ıiİI", rules) == lower  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        (None, "invariant"),
        ("", "invariant"),
        ("en-US", "culture"),
        ("fr", "culture"),
        ("xx-YY", "culture"),
        ("tr", "turkish"),
        ("tr-TR", "turkish"),
        ("TR-tr", "turkish"),
        ("az-Latn-AZ", "turkish"),
        ("az-Cyrl-AZ", "turkish"),
        ("zh-Hant-TW", "culture"),
        ("es-419", "culture"),
    ],
)
def test_culture_rules(name: str | None, rules: str) -> None:
    assert culture_rules(name) == rules


@pytest.mark.parametrize(
    "name", ["en US", "12-34", "-en", "en-", "en--US", "e n", "tr-TR!", "toolonglanguage", "x" * 90]
)
def test_malformed_culture_names(name: str) -> None:
    assert culture_problem(name)
    with pytest.raises(ValueError):
        culture_rules(name)


# --- title case ---------------------------------------------------------------------------------------


@relaxed
@given(text=any_text, separators=st.one_of(st.none(), st.text(max_size=4)))
def test_pcase_keeps_length_and_is_idempotent(text: str, separators: str | None) -> None:
    once = pcase(text, separators)
    assert len(once) == len(text)
    assert pcase(once, separators) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pablo gonsalves (second)", "Pablo Gonsalves (Second)"),
        ("o'neil", "O'neil"),  # .NET keeps the ASCII apostrophe inside a word
        ("o\u2019neil", "O\u2019Neil"),  # but U+2019 is a separator
        ("4th", "4Th"),  # a word starts at a letter
        ("a\u0301b c", "A\u0301b C"),  # marks belong to the word
        ("\u01c6emal", "\u01c5emal"),  # digraph title case
    ],
)
def test_to_title_case_follows_dotnet_word_rules(text: str, expected: str) -> None:
    assert to_title_case(text) == expected


# --- diacritics ---------------------------------------------------------------------------------------


def test_table_has_every_row_of_the_reference() -> None:
    replacements = [replacement for replacement, _ in TABLE]
    assert replacements == [
        "a", "A", "ae", "AE", "c", "C", "d", "D", "e", "E", "g", "G", "i", "I", "l", "L", "n", "N",
        "o", "O", "oe", "OE", "r", "R", "ss", "s", "S", "t", "T", "u", "U", "y", "Y", "z", "Z",
    ]  # fmt: skip
    assert sum(len(entries.split()) for _, entries in TABLE) == len(REPLACEMENTS) == 261


def test_every_entry_is_one_letter_with_its_marks() -> None:
    for replacement, entries in TABLE:
        for entry in entries.split():
            decomposed = unicodedata.normalize("NFD", entry)
            assert not unicodedata.combining(decomposed[0]), entry
            assert all(unicodedata.combining(mark) for mark in decomposed[1:]), entry
            assert normalize_diacritics(entry) == replacement
            assert normalize_diacritics(decomposed) == replacement


@relaxed
@given(text=any_text)
def test_normalize_diacritics_never_fails_and_keeps_ascii(text: str) -> None:
    result = normalize_diacritics(text)
    if text.isascii():
        assert result == text


letters_and_marks = st.text(
    st.sampled_from(
        [*"aeiouAEIOUnoszøæıİœ ", *"".join(e for _, e in TABLE).replace(" ", ""), "\u0301", "\u0304", "\u0308"]
    ),
    max_size=12,
)


@relaxed
@given(text=letters_and_marks)
def test_canonically_equivalent_input_gives_equivalent_output(text: str) -> None:
    composed = normalize_diacritics(unicodedata.normalize("NFC", text))
    decomposed = normalize_diacritics(unicodedata.normalize("NFD", text))
    assert unicodedata.normalize("NFC", composed) == unicodedata.normalize("NFC", decomposed)


# --- encodings ----------------------------------------------------------------------------------------


@relaxed
@given(text=any_text)
def test_base64_round_trips_through_the_decoder(text: str) -> None:
    encoded = utf16le_base64(text)
    assert from_base64(encoded) == dotnet_text(text)
    assert from_base64(base64.b64encode(dotnet_text(text).encode("utf-8")).decode(), "UTF8") == dotnet_text(text)


@relaxed
@given(text=any_text)
def test_utf8_hex_is_upper_case_and_decodes(text: str) -> None:
    digits = utf8_hex(text)
    assert digits == digits.upper()
    assert bytes.fromhex(digits).decode("utf-8") == dotnet_text(text)


def test_dotnet_text_joins_pairs_and_replaces_lone_surrogates() -> None:
    assert dotnet_text("\ud83d\ude00") == "😀"
    assert dotnet_text("a\ud800") == "a\ufffd"
    assert dotnet_text("\ude00\ud83d") == "\ufffd\ufffd"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("SABlAGwAbABvACAAdwBvAHIAbABkACEA", "Unicode", "Hello world!"),
        ("SGVsbG8gd29ybGQh", "UTF8", "Hello world!"),
        ("SGVsbG8gd29ybGQh", "utf8", "Hello world!"),
        ("SGVs bG8g\nd29y bGQh", "ASCII", "Hello world!"),  # whitespace is ignored, as in .NET
        ("w6k=", "ASCII", "??"),  # bytes above 0x7F read as "?"
        ("w6k=", "UTF8", "é"),
        ("/w==", "UTF8", "\ufffd"),
        ("QQ==", "Unicode", "\ufffd"),  # an odd trailing byte
        ("", "Unicode", ""),
    ],
)
def test_from_base64(text: str, encoding: str, expected: str) -> None:
    assert from_base64(text, encoding) == expected


@pytest.mark.parametrize(
    ("text", "encoding"), [("QQ=", "UTF8"), ("Q===", "UTF8"), ("@@@@", "UTF8"), ("QQ==", "EBCDIC")]
)
def test_from_base64_rejects(text: str, encoding: str) -> None:
    with pytest.raises(ValueError):
        from_base64(text, encoding)


# --- the declared functions -------------------------------------------------------------------------

TEXT_FUNCTIONS = ("ToLower", "ToUpper", "PCase", "NormalizeDiacritics", "ConvertToBase64", "ConvertToUTF8Hex")

_COMPILED: dict[str, scimmap.Expression] = {}


def _compiled(name: str, arity: int) -> scimmap.Expression:
    """Compiled once per function: parsing is not what this property is about."""
    if name not in _COMPILED:
        _COMPILED[name] = scimmap.compile(f"{name}([v], [w])" if arity == 2 else f"{name}([v])")
    return _COMPILED[name]


values = st.one_of(
    st.none(),
    any_text,
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.lists(st.one_of(st.none(), any_text), max_size=3),
)


@pytest.mark.parametrize("name", TEXT_FUNCTIONS)
@relaxed
@given(value=values, extra=st.one_of(st.none(), any_text))
def test_text_functions_fail_only_with_evaluation_errors(name: str, value: object, extra: str | None) -> None:
    spec = BUILTINS.get(name)
    assert spec is not None and spec.impl.__module__ == "scimmap.functions.text"
    expression = _compiled(name, len(spec.params))
    try:
        result = expression.evaluate({"v": value, "w": extra})
    except scimmap.EvaluationError as error:
        assert error.diagnostic.code == "evaluation"
        return
    if isinstance(value, list):
        # The source view drops null items: Entra's multi-valued attributes hold none.
        assert isinstance(result, list) and len(result) == len([item for item in value if item is not None])
    elif value is None:
        assert result is None
    else:
        assert isinstance(result, str)
