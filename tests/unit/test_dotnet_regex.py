"""scimmap.dotnet.regex: .NET pattern translation, replacement patterns, group numbering and timeouts."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scimmap.dotnet import regex as dn
from scimmap.dotnet.limits import MAX_TEXT_LENGTH, TextTooLong
from scimmap.language.values import ValueFailure

# -- translation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "python"),
    [
        (r"\+(?<isd>\d* )(?<number>\d{10})", r"\+(?P<_g1>\d* )(?P<_g2>\d{10})"),
        (r"(?<a>x)(y)", r"(?P<_g2>x)(?P<_g1>y)"),  # .NET: unnamed groups are numbered first
        (r"(?'a'x)\k'a'\k<a>", r"(?P<_g1>x)(?P=_g1)(?P=_g1)"),
        (r"(a)\1", r"(?P<_g1>a)(?P=_g1)"),
        (r"(?<5>a)\k<5>", r"(?P<_g5>a)(?P=_g5)"),
        (r"a(?i)b|c", r"a(?i:b)|(?i:c)"),  # scoped to the rest of the enclosing group, every alternative
        (r"(a(?i)b|c)d", r"(?P<_g1>a(?i:b)|(?i:c))d"),
        (r"(?i-s:a)", r"(?i-s:a)"),
        (r"(?n)(a)(?<b>c)", r"(?:a)(?P<_g1>c)"),  # explicit capture
        (r"(?n:(a))(b)", r"(?:(?:a))(?P<_g1>b)"),
        ("(?x) a  b # comment (\n c", "abc"),
        (r"(?x)[ ]", r"[ ]"),  # whitespace inside a class is kept in x mode
        (r"[a-z-[aeiou]]", r"(?:(?![aeiou])[a-z])"),
        (r"[^a-z-[x]]", r"(?:(?![x])[^a-z])"),
        (r"x{,3}", r"x\{,3}"),  # .NET reads {,n} literally
        (r"x{2,3}?", r"x{2,3}?"),
        (r"\e\cA", r"\x1b\x01"),
        (r"a\z", r"a\Z"),
        (r"a\Z", r"a(?=\n?\Z)"),
        (r"\p{IsGreek}\p{Lu}", r"\p{Block=Greek}\p{Lu}"),
        (r"(?(1)a|b)(x)", r"(?(_g1)a|b)(?P<_g1>x)"),
        (r"(?<n>x)(?(n)a|b)", r"(?P<_g1>x)(?(_g1)a|b)"),
        (r"(?(x)a|b)", r"(?(?=x)a|b)"),
        (r"(?(?!x)a|b)", r"(?(?!x)a|b)"),
        (r"(?#note)a", "a"),
        (r"[]a]", r"[]a]"),
        (r"[[:alpha:]]", r"[\[:alpha:]]"),
        (r"\0\12(a)", r"\x00\x0a(?P<_g1>a)"),
        (r"^a$", r"^a$"),
        (r"(?<=a)b(?<!c)(?>d)", r"(?<=a)b(?<!c)(?>d)"),
    ],
)
def test_translate(pattern: str, python: str) -> None:
    assert dn.translate(pattern) == python


@pytest.mark.parametrize(
    "pattern",
    [
        "(",
        ")",
        "[a",
        "a*+",  # possessive quantifiers are a nested-quantifier error in .NET
        "a**",
        "a???",
        r"\K",
        r"\q",
        r"\Q",
        "(?P<a>x)",
        "(?<a-b>x)",  # balancing groups
        r"\k<zz>",
        r"\2(a)",
        "a{2,1}",
        "\\",
        r"\x4",
        r"\u12",
        r"\p{NoSuchCategory}",
        "(?z)",
        "a{99999999}",  # valid .NET, but regex would unroll it and exhaust memory
        "(?:a{1000}){1000}",
        "a{" + "9" * 5000 + "}",
    ],
)
def test_invalid_patterns(pattern: str) -> None:
    problem = dn.validate_pattern(pattern)
    assert problem is not None and problem.startswith("invalid regular expression")
    with pytest.raises(dn.RegexSyntaxError):
        dn.compile_regex(pattern)
    with pytest.raises(ValueFailure):
        dn.replace(pattern, "abc", "")


def test_valid_pattern_has_no_problem() -> None:
    assert dn.validate_pattern(r"(?<id>.*)@(?<domain>.*)") is None


def test_hostile_numbers_do_not_crash() -> None:
    assert dn.validate_pattern("\\" + "1" * 5000) is None  # octal \111 then literal digits
    assert dn.validate_pattern("(?<" + "1" * 5000 + ">a)") is None
    assert dn.replace("(a)", "a", "$" + "1" * 5000) == "$" + "1" * 5000
    assert dn.replace("(a)", "a", "${" + "1" * 5000 + "}") == "${" + "1" * 5000 + "}"


def test_compiled_patterns_are_cached() -> None:
    assert dn.compile_regex("ca+che") is dn.compile_regex("ca+che")


# -- matching semantics ---------------------------------------------------------------------------


def test_dollar_matches_before_a_final_newline_like_dotnet() -> None:
    assert dn.matches("a$", "a\n")
    assert not dn.matches(r"a\z", "a\n")
    assert dn.matches(r"a\Z", "a\n")
    assert not dn.matches("a$", "a\nb")


def test_inline_option_applies_from_where_it_appears() -> None:
    assert dn.matches("^x(?i)y$", "xY")
    assert not dn.matches("^x(?i)y$", "XY")


def test_class_subtraction() -> None:
    assert dn.replace("[a-z-[aeiou]]", "education", "") == "euaio"


def test_matches_partial_and_whole() -> None:
    assert dn.matches("[1-9][0-9]", "100")  # Regex.IsMatch is a partial match
    assert not dn.matches("[1-9][0-9]", "100", whole=True)
    assert dn.matches(r".*\@domain.com", "jo@domain.com", whole=True)


# -- replacement patterns -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "replacement", "expected"),
    [
        (r"\+(?<isd>\d* )(?<number>\d{10})", "+91 9998887777", "${number}", "9998887777"),
        (r"(?<a>x)(y)", "xy", "$1|$2|${a}|${1}", "y|x|x|y"),
        ("x", "xy", "[$&|$0]", "[x|x]y"),
        ("x", "xy", "$$", "$y"),
        ("y", "xy", "<$`>", "x<x>"),
        ("x", "xy", "<$'>", "<y>y"),
        ("x", "xy", "<$_>", "<xy>y"),
        ("(x)(?<n>y)?", "xy", "<$+>", "<y>"),  # highest-numbered group (the named one)
        ("x", "xy", "$+", "xy"),  # no groups: $+ is the whole match
        ("x", "xy", "$9$x${zz}$", "$9$x${zz}$y"),  # unknown substitutions stay literal
        ("(x)", "xy", "$10", "$10y"),  # $10 with one group is literal text
        ("(x)", "xy", "${1", "${1y"),
        ("(x)", "xy", "$name", "$namey"),  # ${name} needs braces
        ("(z)?x", "xy", "[$1]", "[]y"),  # a group that took no part is ""
        ("[a-zA-Z_]*", "john_doe72", "", "72"),  # empty matches are replaced too
        ("[a-zA-Z_]*", "john_doe72", "X", "XX7X2X"),
        ("", "ab", "-", "-a-b-"),
        ("a*", "aaa", "X", "XX"),
    ],
)
def test_replace(pattern: str, text: str, replacement: str, expected: str) -> None:
    assert dn.replace(pattern, text, replacement) == expected


def test_parse_replacement_parts() -> None:
    expression = dn.compile_regex("(?<id>.*)@(.*)")
    assert dn.parse_replacement("u-${id}-$1-$$", expression) == ("u-", ("group", "_g2"), "-", ("group", "_g1"), "-$")


def test_replace_group_and_capture() -> None:
    assert dn.replace_group(r"(?<n>^\d*)", "545 Tremont Street", "n", "888") == "888 Tremont Street"
    assert dn.replace_group(r"(?<s>@(.)*)", "jsmith@contoso.com", "s", "") == "jsmith"
    assert dn.replace_group(r"(\d)", "a1b2", "1", "#") == "a#b#"
    assert dn.replace_group(r"a(?<d>\d)?", "ab", "d", "#") == "ab"
    assert dn.capture(r"\+(?<isd>\d* )(?<number>\d{10})", "+91 8887779999", "number") == "8887779999"
    assert dn.capture(r"(?<n>\d+)", "none", "n") is None
    with pytest.raises(ValueFailure):
        dn.replace_group("(?<n>x)", "x", "missing", "")
    with pytest.raises(ValueFailure):
        dn.capture("(?<n>x)", "x", "missing")


# -- timeouts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["replace", "matches", "capture", "replace_group"])
def test_catastrophic_backtracking_times_out(operation: str) -> None:
    pattern, text = "(?<g>a|aa)+$", "a" * 40 + "!"
    calls = {
        "replace": lambda: dn.replace(pattern, text, "", timeout=0.2),
        "matches": lambda: dn.matches(pattern, text, timeout=0.2),
        "capture": lambda: dn.capture(pattern, text, "g", timeout=0.2),
        "replace_group": lambda: dn.replace_group(pattern, text, "g", "", timeout=0.2),
    }
    started = time.process_time()
    with pytest.raises(ValueFailure, match="took longer than"):
        calls[operation]()
    assert time.process_time() - started < 2.0  # the regex package counts CPU time


def test_default_timeout_stops_runaway_backtracking() -> None:
    # Half a second of CPU (docs/security.md).
    assert dn.DEFAULT_TIMEOUT == 0.5
    started = time.process_time()
    with pytest.raises(ValueFailure):
        dn.replace("(a|aa)+$", "a" * 40 + "!", "")
    assert time.process_time() - started < 3.0


def test_nested_plus_is_fast_in_the_regex_package() -> None:
    # The classic (a+)+$ does not backtrack catastrophically in `regex`: it simply does not match.
    assert dn.replace("(a+)+$", "a" * 40 + "!", "x") == "a" * 40 + "!"


# -- robustness -----------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab()[]{}|*+?^$\\-:<>'=!#,.0123456789kinsxzZpPeEcdwu ", max_size=16), st.text(max_size=6))
def test_any_pattern_is_valid_or_a_regex_syntax_error(pattern: str, text: str) -> None:
    try:
        expression = dn.compile_regex(pattern)
    except dn.RegexSyntaxError:
        assert dn.validate_pattern(pattern) is not None
        return
    assert dn.validate_pattern(pattern) is None
    try:
        dn.replace(pattern, text, "$1${x}$$", timeout=0.2)
        dn.matches(pattern, text, timeout=0.2)
    except ValueFailure:
        pass
    assert expression.pattern == pattern


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="$&`'+_{}0123456789abxyz", max_size=12))
def test_any_replacement_text_works(replacement: str) -> None:
    result = dn.replace("(?<x>a)(b)?", "ab-a", replacement)
    assert isinstance(result, str)


def test_a_timeout_is_not_remembered_so_results_depend_only_on_the_input() -> None:
    # A process-wide cache of timed-out (pattern, input) pairs made a later call fail at once whatever its
    # timeout, so results depended on what ran before (threads vs sequential differed in 990 of 39,000).
    text = "a" * 20 + "!"
    with pytest.raises(ValueFailure):
        dn.replace("(a|aa)+$", text, "X", timeout=1e-9)
    assert dn.replace("(a|aa)+$", text, "X", timeout=30) == text
    assert dn.matches("(a|aa)+$", text, timeout=30) is False


def test_counted_repeats_are_weighed_before_compiling() -> None:
    assert dn.pattern_weight("[abX]{9999}") == 9999
    assert dn.pattern_weight("(ab){3}") == 6
    assert dn.pattern_weight("^\\d{5}$") == 7
    dn.compile_regex("[abX]{9999}")
    for pattern in ("[abX]{99999}", "(a{9000})(b{9000})", "a{5000}|b{5001}", "(?:x{100}){101}", "z" * 10_001):
        with pytest.raises(dn.RegexSyntaxError, match="too large"):
            dn.compile_regex(pattern)


def test_replacement_expansion_is_refused_before_it_is_built() -> None:
    # "$_" * 4000 used 1.1 GB before the regex timeout stopped it.
    source = "x" * 1000
    tracemalloc.start()
    try:
        with pytest.raises(TextTooLong, match="characters long"):
            dn.replace("x", source, "$_" * 4000)
        with pytest.raises(TextTooLong):
            dn.replace_group("(?<g>x)", source, "g", "y" * 2000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024 * 1024
    # Up to the limit is fine, to the character.
    assert len(dn.replace("x", "x" * 1024, "$_")) == MAX_TEXT_LENGTH
    with pytest.raises(TextTooLong):
        dn.replace("x", "x" * 1023 + "yy", "$_")  # 1023 * 1025 + the unmatched tail
    assert dn.replace("x", "x" * 1024, "$`$'") == "x" * (1023 * 1024)


def test_regex_input_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(TextTooLong):
        dn.matches("a", "b" * (MAX_TEXT_LENGTH + 1))
    assert dn.matches("a", "b" * MAX_TEXT_LENGTH) is False


# -- when the timeout is armed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "bounded"),
    [
        ("(?<local>[^@]+)@.*", True),
        ("^[a-z]+$", True),
        (r"\d{3}-\d{4}", True),
        ("(?:ab*)?c", True),
        ("(a+)+b", False),  # a repeat of a repeat
        ("(a|aa)+$", False),  # a repeat of an alternation
        ("(x?)*", False),  # a repeat of an optional
        (r"(\w)\1", False),  # a backreference
        ("(a)(?(1)b|c)", False),  # a conditional
    ],
)
def test_the_timeout_is_left_unarmed_only_where_backtracking_is_polynomial(pattern: str, bounded: bool) -> None:
    expression = dn.compile_regex(pattern)
    assert (expression.untimed >= 0) is bounded
    if bounded:  # room for ordinary values (a mail address, a phone number) at the engine's budget
        assert expression.untimed >= 100


def test_a_long_text_arms_the_timeout_even_for_a_simple_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    armed: list[float | None] = []
    real = dn._timeout

    def spy(expression: dn.DotNetRegex, text: str, timeout: float) -> float | None:
        armed.append(real(expression, text, timeout))
        return armed[-1]

    monkeypatch.setattr(dn, "_timeout", spy)
    limit = dn.compile_regex("(?<local>[^@]+)@.*").untimed
    assert dn.replace("(?<local>[^@]+)@.*", "a" * (limit - 2) + "@x", "${local}") == "a" * (limit - 2)
    assert dn.replace("(?<local>[^@]+)@.*", "a" * (limit + 10) + "@x", "${local}") == "a" * (limit + 10)
    assert armed == [None, dn.DEFAULT_TIMEOUT]
