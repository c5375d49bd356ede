"""Text to trees: the only module that imports lark.

Grammars are loaded lazily and once per process (so ``import scimmap`` stays fast), from the package's
``_grammar`` folder in a wheel or the repository's top-level ``grammar/`` folder in a checkout.  Lark's
exceptions are translated here into :class:`ParseError` diagnostics that speak the user's language
(`expected "," or ")"`, never ``RPAR``).  Trees are converted to nodes without recursion so deeply nested
input produces a diagnostic, not a ``RecursionError``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Iterable

import lark
from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from scimmap.errors import Diagnostic, ParseError, Span
from scimmap.language.nodes import (
    Attribute,
    Call,
    Comparison,
    Concat,
    Constant,
    Identifier,
    Node,
    Parameter,
)

MAX_DEPTH = 100
"""Deepest nesting accepted. Entra states no limit; real mappings stay far below it (see docs/expressions.md)."""

MAX_PARSE_LENGTH = 100_000
"""Longest text parsed at all: ten times Entra's 10,000-character limit (which ``compile`` enforces), so
``parse``/``format`` still work on slightly-too-long expressions while hostile megabytes cost no time."""

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def grammar_dir() -> Path:
    """The folder holding the ``.lark`` files, from an installed wheel or from a source checkout."""
    for candidate in (_PACKAGE_DIR / "_grammar", _PACKAGE_DIR.parent / "grammar"):
        if (candidate / "expression.lark").is_file():
            return candidate
    raise FileNotFoundError("scimmap's grammar files are missing from this installation")


@functools.lru_cache(maxsize=None)
def parser(name: str) -> Lark:
    """The LALR parser for ``grammar/<name>.lark``, built once (and cached on disk by lark)."""
    text = (grammar_dir() / f"{name}.lark").read_text(encoding="utf-8")
    return Lark(
        text,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
        cache=_cache_path(name, text),
    )


def _cache_path(name: str, text: str) -> str | bool:
    """A per-grammar-version cache file in the user's temp dir; ``True`` lets lark pick when that fails."""
    import hashlib
    import tempfile

    digest = hashlib.sha256((lark.__version__ + text).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / "scimmap-lark-cache"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return True
    return str(folder / f"{name}-{digest}.lark.cache")


# ---------------------------------------------------------------------------------------------------
# Error translation

EXPRESSION_TERMINALS: dict[str, str] = {
    "LPAR": '"("',
    "RPAR": '")"',
    "COMMA": '","',
    "AMPERSAND": '"&"',
    "COMPARE": "a comparison operator",
    "ATTRIBUTE": "an attribute such as [name]",
    "STRING": "a string",
    "INTEGER": "a number",
    "DECIMAL": "a number",
    "HEX": "a hex number",
    "NAME": "a function name",
    "PARAMETER": "a %parameter%",
    "$END": "the end of the expression",
}


CLOUD_SYNC_TERMINALS = frozenset({"AMPERSAND", "PARAMETER"})
"""Tokens only the cloud-sync dialect has: the grammar reads them in every dialect (so the checker can say
"only in cloud sync"), but a provisioning error must not offer them as what was expected."""


def _describe(expected: Iterable[str], names: dict[str, str], hidden: frozenset[str] = frozenset()) -> str:
    shown = [name for name in expected if name not in hidden] or list(expected)
    described = sorted({names.get(name, name.lower().replace("_", " ")) for name in shown})
    # Operands are summarised: listing seven kinds of value helps nobody.
    operand_kinds = {names.get(k) for k in ("ATTRIBUTE", "STRING", "INTEGER", "DECIMAL", "HEX", "NAME", "PARAMETER")}
    if sum(1 for d in described if d in operand_kinds) >= 3:
        described = [d for d in described if d not in operand_kinds] + ["a value (attribute, string, number or call)"]
    if len(described) == 1:
        return described[0]
    return ", ".join(described[:-1]) + " or " + described[-1]


def _syntax_error(text: str, start: int, end: int, message: str, hint: str | None = None) -> ParseError:
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return ParseError(Diagnostic("syntax", message, Span(start, end), text, hint))


def translate_error(
    error: UnexpectedInput, text: str, names: dict[str, str], hidden: frozenset[str] = frozenset()
) -> ParseError:
    """Turn lark's exception into a diagnostic at the right offset, in the user's words (``hidden``
    terminals are never offered as expected)."""
    if isinstance(error, UnexpectedCharacters):
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else ""
        if char == '"':
            return _syntax_error(text, position, len(text), "unterminated string: missing closing '\"'")
        if char == "[":
            if "]" not in text[position:]:
                return _syntax_error(text, position, len(text), "unterminated attribute: missing ']'")
            return _syntax_error(text, position, position + 2, "empty attribute name '[]'")
        expected = error.allowed or set()
        shown = repr(char) if char.strip() else repr(char)
        message = f"unexpected character {shown}"
        if expected:
            message += f"; expected {_describe(expected, names, hidden)}"
        return _syntax_error(text, position, position + 1, message)
    if isinstance(error, UnexpectedEOF):
        return _syntax_error(
            text, len(text), len(text), f"unexpected end of expression; expected {_describe(error.expected, names, hidden)}"
        )
    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = set(error.accepts or error.expected)
        if token.type == "$END":
            return _syntax_error(
                text, len(text), len(text), f"unexpected end of expression; expected {_describe(expected, names, hidden)}"
            )
        start = token.start_pos if token.start_pos is not None else 0
        end = token.end_pos if token.end_pos is not None else start + len(str(token))
        hint = None
        if token.type == "COMPARE":
            hint = "only one comparison is allowed here; nest IIF or add parentheses"
        return _syntax_error(
            text, start, end, f"unexpected {_token_words(token, names)}; expected {_describe(expected, names, hidden)}", hint
        )
    return _syntax_error(text, 0, len(text), str(error))


def _token_words(token: Token, names: dict[str, str]) -> str:
    value = str(token)
    if token.type in ("LPAR", "RPAR", "COMMA", "AMPERSAND", "COMPARE", "DOT", "LSQB", "RSQB"):
        return f'"{value}"'
    kind = _TOKEN_KINDS.get(token.type, "token")
    return f"{kind} {value!r}" if len(value) <= 40 else kind


_TOKEN_KINDS = {
    "ATTRIBUTE": "attribute",
    "STRING": "string",
    "INTEGER": "number",
    "DECIMAL": "number",
    "HEX": "hex number",
    "NAME": "name",
    "PARAMETER": "parameter",
}


def parse_tree(grammar: str, text: str, names: dict[str, str], hidden: frozenset[str] = frozenset()) -> Tree:
    """Parse ``text`` with ``grammar`` and translate every lark failure into a ParseError."""
    try:
        return parser(grammar).parse(text)
    except UnexpectedInput as error:
        raise translate_error(error, text, names, hidden) from None
    except LarkError as error:  # pragma: no cover - lark's other errors are grammar bugs
        raise _syntax_error(text, 0, len(text), f"cannot parse: {error}") from None


# ---------------------------------------------------------------------------------------------------
# Expressions

_ESCAPE = re.compile(r"\\([\\\"])")


def unescape_string(literal: str) -> str:
    """Body of a string token: ``\\\\`` and ``\\"`` unescape, any other backslash stays as written."""
    return _ESCAPE.sub(r"\1", literal[1:-1])


def _span_of(item: Tree | Token) -> Span:
    if isinstance(item, Token):
        return Span(item.start_pos or 0, item.end_pos or 0)
    meta = item.meta
    if getattr(meta, "empty", True):
        return Span(0, 0)
    return Span(meta.start_pos, meta.end_pos)


_MAX_HEX_DIGITS = 16
"""&H literals are .NET Int64 values; anything longer cannot be one (and would be slow to print)."""


def _leaf(kind: str, token: Token, text: str) -> Node:
    span = _span_of(token)
    value = str(token)
    if kind == "attribute":
        return Attribute(value[1:-1], span)
    if kind == "string":
        return Constant(unescape_string(value), "string", span)
    if kind == "integer":
        # Normalised as text: int() refuses literals over 4,300 digits, and the value stays exact anyway.
        sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
        digits = digits.lstrip("0")
        return Constant(sign + digits if digits else "0", "integer", span)
    if kind == "decimal":
        # Kept as written (Len(42568.75) is 8, the length of that text), except for the leading zeros
        # whole numbers drop as well; the fraction keeps every digit, trailing zeros included.
        sign, whole, fraction = _decimal_parts(value)
        return Constant(f"{sign}{whole}.{fraction}", "decimal", span)
    if kind == "hex":
        if len(value[2:].lstrip("0")) > _MAX_HEX_DIGITS:
            raise _syntax_error(text, span.start, span.end, f"hex number {value[:12]}... is larger than 64 bits")
        return Constant(str(int(value[2:], 16)), "hex", span)
    if kind == "identifier":
        return Identifier(value, span)
    if kind == "parameter":
        return Parameter(value[1:-1], span)
    raise _syntax_error(text, span.start, span.end, f"unexpected {kind}")  # pragma: no cover


def _decimal_parts(value: str) -> tuple[str, str, str]:
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    whole, fraction = digits.split(".", 1)
    return sign, whole.lstrip("0") or "0", fraction


def _build(tree: Tree | Token, text: str) -> Node:
    """Convert a lark tree to nodes bottom-up with an explicit stack (no recursion)."""
    results: dict[int, Node | None] = {}
    stack: list[tuple[Any, bool, int]] = [(tree, False, 0)]
    while stack:
        item, expanded, level = stack.pop()
        if level > MAX_DEPTH:
            span = _span_of(item) if item is not None else Span(0, 0)
            raise ParseError(
                Diagnostic(
                    "too-deep",
                    f"expression nests deeper than {MAX_DEPTH} levels",
                    span,
                    text,
                    "split the logic across several mappings or simplify the nesting",
                )
            )
        if isinstance(item, Token):
            raise _syntax_error(text, item.start_pos or 0, item.end_pos or 0, f"unexpected {item!r}")
        if item.data in ("attribute", "string", "integer", "decimal", "hex", "identifier", "parameter"):
            results[id(item)] = _leaf(str(item.data), item.children[0], text)
            continue
        kids = [c for c in item.children if not (isinstance(c, Token) and c.type == "COMPARE")]
        if item.data == "call":
            kids = list(item.children[1].children)
        if not expanded:
            stack.append((item, True, level))
            nested = level + (1 if item.data in ("call", "comparison", "concat") else 0)
            stack.extend((kid, False, nested) for kid in kids if kid is not None)
            continue
        built = [results.pop(id(kid)) if kid is not None else None for kid in kids]
        span = _span_of(item)
        if item.data == "start":
            results[id(item)] = built[0]
        elif item.data == "call":
            name = item.children[0]
            args = tuple(built)
            if args == (None,):
                args = ()
            results[id(item)] = Call(str(name), args, span, _span_of(name))
        elif item.data == "comparison":
            operator = next(c for c in item.children if isinstance(c, Token) and c.type == "COMPARE")
            left, right = built
            assert left is not None and right is not None
            results[id(item)] = Comparison(str(operator), left, right, span)  # type: ignore[arg-type]
        elif item.data == "concat":
            results[id(item)] = Concat(tuple(b for b in built if b is not None), span)
        else:  # pragma: no cover - grammar and builder out of sync
            raise _syntax_error(text, span.start, span.end, f"unexpected construct {item.data}")
    node = results[id(tree)]
    assert node is not None
    return node


def parse_expression(text: str, dialect: str = "provisioning") -> Node:
    """Parse expression text into nodes; raises ParseError with a span inside ``text``.

    Both dialects share one grammar; ``dialect`` only decides which tokens a syntax error offers.
    """
    if not isinstance(text, str):
        raise ParseError(Diagnostic("syntax", f"an expression must be text, not {type(text).__name__}"))
    if not text.strip():
        raise ParseError(Diagnostic("syntax", "empty expression", Span(0, len(text)), text))
    if "\x00" in text:
        position = text.index("\x00")
        raise _syntax_error(text, position, position + 1, "NUL character in expression")
    if len(text) > MAX_PARSE_LENGTH:
        raise ParseError(
            Diagnostic(
                "too-long",
                f"expression is {len(text):,} characters long; scimmap parses at most {MAX_PARSE_LENGTH:,}",
                Span(MAX_PARSE_LENGTH, len(text)),
                text,
                "Entra accepts at most 10,000 characters",
            )
        )
    if len(text) <= _CACHED_LENGTH:
        return _parse_cached(text, dialect)
    return _parse_checked(text, dialect)


_CACHED_LENGTH = 10_000
"""Texts up to Entra's own limit are cached: nodes are immutable, and check, compile and the mapping
validator all parse the same mapping text (a 200-mapping file would otherwise be parsed three times)."""


@functools.lru_cache(maxsize=2048)
def _parse_cached(text: str, dialect: str) -> Node:
    return _parse_checked(text, dialect)


def _parse_checked(text: str, dialect: str) -> Node:
    _check_nesting(text)
    hidden = frozenset() if dialect == "cloud-sync" else CLOUD_SYNC_TERMINALS
    tree = parse_tree("expression", text, EXPRESSION_TERMINALS, hidden)
    return _build(tree, text)


_NESTING_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|\[[^\]]*\]?|[()]', re.S)


def _check_nesting(text: str) -> None:
    """Reject parentheses nested deeper than MAX_DEPTH before lark sees the text.

    Lark parses deep input without recursing, but slowly (tens of thousands of levels take seconds) and the
    tree builder then refuses it anyway; one regular-expression pass over the text is linear and cheap.
    Strings and attribute names are skipped (unterminated ones run to the end), so a "(" inside them
    never counts.
    """
    level = 0
    for match in _NESTING_TOKENS.finditer(text):
        token = match.group()
        if token == "(":
            level += 1
            if level > MAX_DEPTH:
                position = match.start()
                raise ParseError(
                    Diagnostic(
                        "too-deep",
                        f"expression nests deeper than {MAX_DEPTH} levels",
                        Span(position, position + 1),
                        text,
                        "split the logic across several mappings or simplify the nesting",
                    )
                )
        elif token == ")":
            level = max(0, level - 1)


# ---------------------------------------------------------------------------------------------------
# SCIM target paths (grammar/target.lark); scimmap.scim.paths walks the tree by .data/.children.

TARGET_TERMINALS: dict[str, str] = {
    "URN": "a schema URN",
    "NAME": "an attribute name",
    "LSQB": '"["',
    "RSQB": '"]"',
    "LPAR": '"("',
    "RPAR": '")"',
    "DOT": '"."',
    "COMPARE": "a comparison operator (eq, ne, co, sw, ew, gt, ge, lt, le)",
    "PR": '"pr"',
    "AND": '"and"',
    "OR": '"or"',
    "NOT": '"not"',
    "STRING": "a string",
    "NUMBER": "a number",
    "TRUE": "true",
    "FALSE": "false",
    "NULL": "null",
    "$END": "the end of the path",
}


def parse_target_tree(text: str) -> Tree:
    """Parse a SCIM target path; lark's errors become ParseError diagnostics in the user's words."""
    tree = parse_tree("target", text, TARGET_TERMINALS)
    return tree
