"""Parse errors: codes, offsets, line/column, carets, the user's words, and the limits.

A diagnostic is only useful if it points at the right character and speaks the user's language, so each
case pins the code, the span and the message; lark's terminal names (RPAR, COMMA...) must never show.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.errors import Diagnostic, Span
from scimmap.language.check import MAX_LENGTH
from scimmap.language.nodes import Attribute, Call
from scimmap.language.syntax import MAX_DEPTH, MAX_PARSE_LENGTH

LARK_NAMES = re.compile(
    r"\b(RPAR|LPAR|COMMA|AMPERSAND|COMPARE|ATTRIBUTE|STRING|INTEGER|HEX|NAME|PARAMETER|LSQB|RSQB)\b|\$END|__ANON|__IGNORE"
)


def parse_error(text: str) -> Diagnostic:
    with pytest.raises(scimmap.ParseError) as raised:
        scimmap.parse(text)
    return raised.value.diagnostic


# (text, code, [start, end], line, column, words the message must contain)
ERRORS = [
    ('Join(" ", [a]', "syntax", [13, 13], 1, 14, 'unexpected end of expression; expected ")" or ","'),
    ('Join(" " [a])', "syntax", [9, 12], 1, 10, "unexpected attribute '[a]'"),
    ("f(a))", "syntax", [4, 5], 1, 5, 'unexpected ")"; expected the end of the expression'),
    (")", "syntax", [0, 1], 1, 1, 'unexpected ")"'),
    ('"abc', "syntax", [0, 4], 1, 1, "unterminated string"),
    ('Join(",", "abc)', "syntax", [10, 15], 1, 11, "unterminated string"),
    ("[abc", "syntax", [0, 4], 1, 1, "unterminated attribute"),
    ("[]", "syntax", [0, 2], 1, 1, "empty attribute name"),
    ("f(a,\n  b", "syntax", [8, 8], 2, 4, "unexpected end of expression"),
    ("a = b = c", "syntax", [6, 7], 1, 7, 'unexpected "="'),
    ('[a] "x"', "syntax", [4, 7], 1, 5, "unexpected string '\"x\"'"),
    ("1.", "syntax", [1, 2], 1, 2, "unexpected character '.'"),  # decimals need digits on both sides
    (".5", "syntax", [0, 1], 1, 1, "unexpected character '.'"),
    ("1.5e3", "syntax", [3, 5], 1, 4, "unexpected name 'e3'"),  # no exponents
    ("+1", "syntax", [0, 1], 1, 1, "unexpected character '+'"),
    ("f(a b)", "syntax", [4, 5], 1, 5, "unexpected name 'b'"),
    ("IIF([a]=, 1, 2)", "syntax", [8, 9], 1, 9, 'unexpected ","'),
    ("f(a)(b)", "syntax", [4, 5], 1, 5, 'unexpected "("'),
    ("&", "syntax", [0, 1], 1, 1, 'unexpected "&"'),
    ("%x", "syntax", [0, 1], 1, 1, "unexpected character '%'"),
    ("f(\n\n", "syntax", [4, 4], 3, 1, "unexpected end of expression"),
    ('Switch([x],\n\t, "a", "b"\n  ) )', "syntax", [28, 29], 3, 5, 'unexpected ")"'),
    ("x\x00", "syntax", [1, 2], 1, 2, "NUL character"),
    ("", "syntax", [0, 0], 1, 1, "empty expression"),
    ("  \n\t ", "syntax", [0, 5], 1, 1, "empty expression"),
    ("\ud800", "syntax", [0, 1], 1, 1, "unexpected character '\\ud800'"),
]


@pytest.mark.parametrize(("text", "code", "span", "line", "column", "words"), ERRORS, ids=[repr(e[0]) for e in ERRORS])
def test_parse_error_is_placed_and_worded(
    text: str, code: str, span: list[int], line: int, column: int, words: str
) -> None:
    diagnostic = parse_error(text)
    assert diagnostic.code == code
    assert [diagnostic.span.start, diagnostic.span.end] == span, diagnostic.render()
    assert (diagnostic.line, diagnostic.column) == (line, column)
    assert words in diagnostic.message
    assert not LARK_NAMES.search(diagnostic.message), diagnostic.message
    assert diagnostic.source == text


@pytest.mark.parametrize("text", ['Join(" ", [a]', "f(", "IIF([a] =", "(", "f(a,", 'Switch([x], , "a"', "[a] &"])
def test_end_of_input_errors_point_at_the_end(text: str) -> None:
    diagnostic = parse_error(text)
    assert diagnostic.span == Span(len(text), len(text))
    assert diagnostic.message.startswith("unexpected end of expression; expected ")


def test_caret_rendering_matches_design() -> None:
    # `&` exists only in cloud sync, so the provisioning dialect (the default) never offers it.
    assert parse_error('Join(" " [a])').render() == (
        'error[syntax]: unexpected attribute \'[a]\'; expected ")", "," or a comparison operator\n'
        '   | Join(" " [a])\n'
        "   |          ^^^"
    )
    with pytest.raises(scimmap.ParseError) as raised:
        scimmap.parse('Join(" " [a])', dialect="cloud-sync")
    assert (
        raised.value.diagnostic.message
        == 'unexpected attribute \'[a]\'; expected "&", ")", "," or a comparison operator'
    )


def test_caret_rendering_on_a_later_line() -> None:
    rendered = parse_error('IIF([a] = "x",\n    "yes"\n    "no")').render()
    assert rendered.splitlines()[1:] == ['   |     "no")', "   |     ^^^^"]


def test_caret_rendering_at_end_of_input() -> None:
    assert parse_error("f([a], ").render().splitlines()[1:] == ["   | f([a], ", "   |        ^"]


def test_rendering_hint_line() -> None:
    rendered = parse_error("a = b = c").render()
    assert rendered.endswith("= hint: only one comparison is allowed here; nest IIF or add parentheses")


def test_rendering_replaces_unprintable_characters_one_for_one() -> None:
    lines = parse_error("\ud800 + 1").render().splitlines()
    assert lines[1] == "   | \ufffd + 1"
    assert lines[2] == "   | ^"
    lines[0].encode("utf-8")  # printable: a lone surrogate in the message would make print() fail
    lines[1].encode("utf-8")


def test_rendering_shows_a_window_of_a_long_line() -> None:
    text = "Join(" + ", ".join(['"abc"'] * 400) + ", 1 2)"
    rendered = parse_error(text).render()
    source_line, caret_line = rendered.splitlines()[1:3]
    assert len(source_line) < 120 and source_line.startswith("   | ...") and source_line.endswith("1 2)")
    assert source_line[caret_line.index("^")] == "2"


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from('IIFJoin(),[a]"x=<>&%1 -\n'), max_size=30))
def test_no_lark_terminal_names_in_messages(text: str) -> None:
    try:
        scimmap.parse(text)
    except scimmap.ParseError as error:
        # A name the user typed may legitimately appear quoted; lark's names never may.
        for match in LARK_NAMES.finditer(error.diagnostic.message):
            assert match.group() in text, error.diagnostic.message


def test_expected_tokens_are_friendly_words() -> None:
    message = parse_error("IIF(").message
    assert (
        message == 'unexpected end of expression; expected "(", ")", "," or a value (attribute, string, number or call)'
    )


# ---------------------------------------------------------------------------------------------------
# Depth


def nested(depth: int, name: str = "ToLower") -> str:
    return f"{name}(" * depth + "[x]" + ")" * depth


def test_depth_limit_boundary() -> None:
    assert scimmap.evaluate(nested(MAX_DEPTH), {"x": "A"}) == "a"
    diagnostic = parse_error(nested(MAX_DEPTH + 1))
    assert diagnostic.code == "too-deep"
    assert diagnostic.span == Span(len("ToLower(") * MAX_DEPTH + len("ToLower"), len("ToLower(") * (MAX_DEPTH + 1))
    assert "100 levels" in diagnostic.message


def test_grouping_parentheses_count_as_nesting() -> None:
    assert scimmap.parse("(" * MAX_DEPTH + "[x]" + ")" * MAX_DEPTH) == Attribute("x")
    assert parse_error("(" * (MAX_DEPTH + 1) + "[x]" + ")" * (MAX_DEPTH + 1)).code == "too-deep"


def test_parentheses_inside_strings_and_attributes_do_not_count() -> None:
    text = 'Join("' + "(" * 500 + '", [' + "(" * 500 + "])"
    assert scimmap.parse(text) == Call("Join", [scimmap.parse('"' + "(" * 500 + '"'), Attribute("(" * 500)])


def test_comparisons_in_nested_calls_hit_the_depth_limit_too() -> None:
    text = "IIF(" * 60 + "[a] = [b]" + ', "x", "y")' * 60
    scimmap.parse(text)  # 60 levels of calls, 61 with the comparison
    deeper = "Not(" * 100 + "[a] = [b]" + ")" * 100
    assert parse_error(deeper).code == "too-deep"


@pytest.mark.parametrize(
    "text",
    [
        "Trim(" * 30000 + "[x]" + ")" * 30000,
        "(" * 50000,
        "(" * 5000 + "[x]" + ")" * 5000,
        "ToLower(" * 12000,
        "IIF(" * 20000 + "[a]=[b]" + ', "x", "y")' * 20000,
    ],
    ids=["trim-30000", "open-50000", "group-5000", "unclosed-12000", "iif-20000"],
)
def test_deep_nesting_is_a_quick_clear_diagnostic(text: str) -> None:
    for run in (scimmap.parse, scimmap.compile, scimmap.check, scimmap.format):
        started = time.perf_counter()
        try:
            outcome = run(text)
        except scimmap.ScimmapError as error:
            codes = {d.code for d in error.diagnostics}
        else:
            assert isinstance(outcome, list), run
            codes = {d.code for d in outcome}
        assert codes & {"too-deep", "too-long"}, (run, codes)
        assert time.perf_counter() - started < 2.0, run


def test_hand_built_deep_trees_are_refused_not_recursed() -> None:
    node = Attribute("x")
    for _ in range(MAX_DEPTH):
        node = Call("ToLower", [node])
    assert scimmap.evaluate(node, {"x": "A"}) == "a"
    for _ in range(5000):
        node = Call("ToLower", [node])
    for run in (scimmap.compile, scimmap.format, scimmap.check):
        with pytest.raises(scimmap.ScimmapError) if run is not scimmap.check else _no_raise():
            result = run(node)
            assert [d.code for d in result] == ["too-deep"]


class _no_raise:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


# ---------------------------------------------------------------------------------------------------
# Length


def string_of_length(total: int) -> str:
    return '"' + "a" * (total - 2) + '"'


def test_length_limit_boundary_is_enforced_at_compile_time() -> None:
    assert MAX_LENGTH == 10_000
    ok = string_of_length(10_000)
    assert scimmap.evaluate(ok) == "a" * 9_998
    too_long = string_of_length(10_001)
    assert scimmap.parse(too_long) == scimmap.parse(string_of_length(10_001))  # parsing still works
    assert scimmap.format(too_long) == too_long
    with pytest.raises(scimmap.CheckError) as raised:
        scimmap.compile(too_long)
    diagnostic = raised.value.diagnostic
    assert diagnostic.code == "too-long"
    assert diagnostic.span == Span(10_000, 10_001)
    assert "10,001" in diagnostic.message and "10,000" in diagnostic.message
    assert [d.code for d in scimmap.check(too_long)] == ["too-long"]


def test_megabyte_input_is_refused_quickly() -> None:
    text = 'Join("", ' + ", ".join(['"abc"'] * 150_000) + ")"
    assert len(text) > 1_000_000
    for run in (scimmap.parse, scimmap.compile, scimmap.check, scimmap.format):
        started = time.perf_counter()
        try:
            outcome = run(text)
        except scimmap.ScimmapError as error:
            codes = [d.code for d in error.diagnostics]
        else:
            codes = [d.code for d in outcome]
        assert codes == ["too-long"], run
        assert time.perf_counter() - started < 1.0, run


def test_parse_limit_boundary() -> None:
    assert scimmap.parse(string_of_length(MAX_PARSE_LENGTH)).value == "a" * (MAX_PARSE_LENGTH - 2)
    diagnostic = parse_error(string_of_length(MAX_PARSE_LENGTH + 1))
    assert diagnostic.code == "too-long"
    assert diagnostic.span == Span(MAX_PARSE_LENGTH, MAX_PARSE_LENGTH + 1)
    rendered = diagnostic.render()
    assert len(rendered) < 500  # the caret window, not a hundred thousand characters


# ---------------------------------------------------------------------------------------------------
# Literals beyond Python's integer conversion limit


def test_huge_integer_literals_stay_exact_text() -> None:
    digits = "9" * 5000
    assert scimmap.parse(digits).value == digits
    assert scimmap.parse("-000" + digits).value == "-" + digits
    assert scimmap.parse("-000").value == "0"
    assert scimmap.format(digits) == digits
    with pytest.raises(scimmap.CheckError) as raised:
        scimmap.compile(f"Left([x], {digits})")
    assert raised.value.diagnostic.code == "invalid-argument"


def test_hex_literals_are_limited_to_64_bits() -> None:
    assert scimmap.parse("&HFFFFFFFFFFFFFFFF").value == str(2**64 - 1)
    assert scimmap.parse("&H" + "0" * 40 + "F").value == "15"
    diagnostic = parse_error('Join("", &H' + "F" * 17 + ")")
    assert diagnostic.code == "syntax" and "64 bits" in diagnostic.message
    assert diagnostic.span == Span(9, 9 + 19)


def test_hand_built_constants_print_as_strings_when_their_form_cannot_hold_them() -> None:
    from scimmap.language.nodes import Constant

    assert scimmap.format(Constant("abc", "integer")) == '"abc"'
    assert scimmap.format(Constant("-5", "hex")) == '"-5"'
    assert scimmap.format(Constant("255", "hex")) == "&HFF"
