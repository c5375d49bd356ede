"""Shared hypothesis strategies: expression text from the real grammar, catalog-aware trees, hostile values.

Text comes from ``hypothesis.extra.lark.from_lark`` over the very grammar ``scimmap.language.syntax``
loads, so a grammar change is fuzzed the day it lands.  Terminals whose regular expressions would
produce mostly noise (names, attribute names, strings) get explicit strategies that look like what
people write, with a share of odd characters kept in.  Trees built from ``scimmap.BUILTINS`` respect each
function's arity, omitted slots, literal-only and enum parameters, so they reach the evaluator rather than
stopping at the checker.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from scimmap.functions.catalog import FunctionSpec, Param
from scimmap.language.nodes import Attribute, Call, Comparison, Constant, Identifier, Node
from scimmap.language.printer import quote
from scimmap.language.syntax import grammar_dir, parser

# ---------------------------------------------------------------------------------------------------
# Text from the grammar


@functools.cache
def expression_grammar() -> Lark:
    """The package's expression grammar as a Lark object ``from_lark`` can read.

    ``syntax.parser`` may come from lark's on-disk cache, which drops the grammar object from_lark
    needs; then the same file is loaded once more without the cache (same options otherwise).
    """
    loaded = parser("expression")
    if hasattr(loaded, "grammar"):
        return loaded
    text = (grammar_dir() / "expression.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=True)


KNOWN_NAMES = ["Join", "Switch", "IIF", "Mid", "Left", "ToLower", "Replace", "Append", "FormatDateTime", "Not"]
ODD_CHARS = "\t\n é€\u00a0<>%&\\\"'()[],=_.:;#/@-"

names = st.one_of(
    st.sampled_from(KNOWN_NAMES),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True),
)
"""NAME: mostly real function names so the checker gets past unknown-function now and then."""

attribute_names = st.one_of(
    st.sampled_from(
        [
            "x",
            "givenName",
            "mail",
            "IsSoftDeleted",
            "extension_<AppId>_GroupDN",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
        ]
    ),
    st.text(st.characters(blacklist_characters="]\x00", codec=None), min_size=1, max_size=12),
)

attributes = attribute_names.map(lambda name: f"[{name}]")
"""ATTRIBUTE: ``[`` anything but ``]`` ``]``."""

string_values = st.one_of(
    st.sampled_from(["", " ", "a", "True", "False", "0", "1", "@contoso.com", "\\d+", "(a+)+$", "yyyyMMdd"]),
    st.text(st.sampled_from("abcXYZ019" + ODD_CHARS), max_size=12),
    st.text(st.characters(blacklist_characters="\x00", codec=None), max_size=8),
)
"""Constant values; the parser refuses NUL on purpose (tests/unit/test_syntax.py), so none here."""

strings = string_values.map(quote)
"""STRING: any text, quoted with the printer's own escaping, plus raw backslash forms such as ``"\\d"``."""

raw_strings = st.sampled_from(['"\\d"', '"\\+"', '"\\,"', '"a\\"b"', '"\\\\"', '"line\nbreak"'])


def expression_text() -> st.SearchStrategy[str]:
    """Syntactically valid expression text drawn from the real grammar."""
    return from_lark(
        expression_grammar(),
        start="start",
        explicit={
            "NAME": names,
            "ATTRIBUTE": attributes,
            "STRING": st.one_of(strings, raw_strings),
            # &H literals are 64-bit at most (longer ones are a syntax error, tested in test_syntax.py).
            "HEX": st.from_regex(r"&[Hh]0{0,3}[0-9A-Fa-f]{1,16}", fullmatch=True),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Catalog-aware trees

_LITERAL_POOL = [
    "",
    "a",
    "x",
    "0",
    "1",
    "2",
    "-1",
    "10",
    "True",
    "False",
    "@",
    ",",
    " ",
    "\\d+",
    "[a-z]+",
    "(a+)+$",
    "^(?<user>[^@]*)@",
    "yyyyMMddHHmmss.fZ",
    "yyyy-MM-dd",
    "M/d/yyyy",
    "en-US",
    "d",
    "yyyy",
    "UTF8",
    "Unicode",
]


def _literal_choices(param: Param) -> list[str]:
    """Constants this parameter accepts at compile time (its ``check`` decides; enums are their words)."""
    if param.choices:
        return list(param.choices)
    pool = _LITERAL_POOL if param.type != "integer" else ["0", "1", "2", "3", "-1", "10"]
    if param.check is None:
        return pool
    accepted = [value for value in pool if _check_ok(param, value)]
    return accepted or pool


def _check_ok(param: Param, value: str) -> bool:
    try:
        return param.check(value) is None  # type: ignore[misc]
    except Exception:
        return False


def _leaf(param: Param | None) -> st.SearchStrategy[Node]:
    if param is not None and param.type == "integer":
        constants = st.one_of(
            st.integers(-3, 12).map(lambda n: Constant(str(n), "integer")),
            st.sampled_from(["0", "1", "5", " 2 ", "&HF", "-7"]).map(lambda v: Constant(v, "string")),
        )
    else:
        constants = string_values.map(lambda v: Constant(v, "string"))
    return st.one_of(
        attribute_names.filter(lambda n: n.strip() != "").map(Attribute)
        | st.sampled_from([Attribute("x"), Attribute("y"), Attribute("list"), Attribute("missing")]),
        constants,
    )


def _catalog_specs(catalog: Any, dialect: str) -> list[FunctionSpec]:
    return [spec for spec in catalog if dialect in spec.dialects]


def _counts(spec: FunctionSpec) -> list[int]:
    upper = spec.maximum if spec.maximum is not None else spec.minimum + 6
    return [n for n in range(spec.minimum, upper + 1) if spec.arity_problem(n) is None]


@st.composite
def calls(
    draw: st.DrawFn,
    catalog: Any = None,
    dialect: str = "provisioning",
    max_depth: int = 3,
    top: bool = True,
) -> Node:
    """A well-formed Call of a catalog function, arguments possibly nested calls, constants, attributes."""
    if catalog is None:
        from scimmap.functions import BUILTINS

        catalog = BUILTINS
    specs = [s for s in _catalog_specs(catalog, dialect) if _counts(s) and (top or not s.top_level_only)]
    spec = draw(st.sampled_from(specs))
    count = draw(st.sampled_from(_counts(spec)))
    args: list[Node | None] = []
    # Short forms (FormatDateTime's three arguments) leave some parameters out of the written slots.
    expand = getattr(spec, "expand", None)
    layout = expand(tuple(range(count))) if expand is not None else tuple(range(count))
    written = [spec.param_at(index) for index, slot in enumerate(layout) if slot is not None]
    for index in range(count):
        param = written[index]
        if not param.required and draw(st.integers(0, 3)) == 0:
            args.append(None)
            continue
        args.append(draw(_argument(param, catalog, dialect, max_depth)))
    return Call(spec.name, args)


def _argument(param: Param, catalog: Any, dialect: str, max_depth: int) -> st.SearchStrategy[Node]:
    if param.choices:
        words = _literal_choices(param)
        if param.literal:
            return st.sampled_from(words).map(Identifier)
        return st.sampled_from(words).map(lambda w: Constant(w, "string"))
    if param.literal or param.check is not None:
        literal = st.sampled_from(_literal_choices(param)).map(lambda v: Constant(v, "string"))
        if param.literal:
            return literal
        # Any other constant might fail the check; an attribute is only known at run time.
        return st.one_of(literal, st.sampled_from([Attribute("x"), Attribute("y"), Attribute("missing")]))
    options = [_leaf(param)]
    if max_depth > 0:
        options.append(calls(catalog, dialect, max_depth - 1, top=False))
        if param.type in ("any", "boolean"):
            options.append(comparisons(catalog, dialect, max_depth - 1))
    return st.one_of(*options)


@st.composite
def comparisons(draw: st.DrawFn, catalog: Any = None, dialect: str = "provisioning", max_depth: int = 1) -> Node:
    side = st.one_of(_leaf(None), calls(catalog, dialect, max_depth, top=False)) if max_depth > 0 else _leaf(None)
    operator = draw(st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
    return Comparison(operator, draw(side), draw(side))


# ---------------------------------------------------------------------------------------------------
# Hostile data

HUGE = "x" * 200_000
hostile_text = st.one_of(
    st.text(max_size=30),
    st.text(st.characters(codec=None), max_size=10),  # lone surrogates included
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\ud800",
            "\udfff",
            "x\udc80y",
            HUGE,
            "1" * 5_000,
            "-0",
            "&HFF",
            "99999999999999999999",
            "-99999999999999999999",
            "2147483648",
            "True",
            "false",
            "0",
            "12/31/9999",
            "20210101000000.0Z",
            "9999-12-31T23:59:59Z",
            "S-1-5-21-1-2-3-500",
            "AQUAAAAAAAUVAAAA",
            "%x%",
            "CN=a,OU=b,DC=c",
            "\u0130",
            "ß",
            "\U0001f600" * 3,
            "(a+)+$",
            "a" * 40 + "!",
        ]
    ),
)

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 10**40, 0, -1]),
    hostile_text,
)

hostile_values = st.one_of(
    hostile_scalars,
    st.lists(hostile_scalars, max_size=4),
    st.lists(st.lists(hostile_text, max_size=2), max_size=2),  # nested lists: not a documented shape
    st.sampled_from([1.5, float("nan"), float("inf"), {"a": "b"}, (), b"bytes"]),
)
"""Source attribute values beyond the documented shapes: everything must end in a value or ScimmapError."""

SOURCE_KEYS = ["x", "y", "list", "missing", "givenName", "mail", "IsSoftDeleted"]

hostile_sources = st.dictionaries(st.sampled_from(SOURCE_KEYS[:-1]) | attribute_names, hostile_values, max_size=6)
