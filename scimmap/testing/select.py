"""``-k PATTERN``: pytest's keyword expressions over case ids (``file::target: description``).

A word matches when it occurs in the id, ignoring case; words combine with ``and``, ``or``, ``not`` and
parentheses (``-k "title and not update"``).  The grammar is four rules, so it is parsed here by recursive
descent rather than with a parser library.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from scimmap.errors import Diagnostic, ScimmapError, Span

Matcher = Callable[[str], bool]
_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")


class SelectionError(ScimmapError):
    """The -k expression does not parse: a usage error."""

    default_code = "invalid-input"


def keyword_matcher(pattern: str) -> Matcher:
    tokens = [(m.group(1), m.start(1)) for m in _TOKEN.finditer(pattern)]
    parser = _Parser(pattern, tokens)
    matcher = parser.expression()
    if parser.position < len(tokens):
        parser.fail(f"unexpected {tokens[parser.position][0]!r}")
    return matcher


class _Parser:
    def __init__(self, pattern: str, tokens: list[tuple[str, int]]) -> None:
        self.pattern = pattern
        self.tokens = tokens
        self.position = 0

    def fail(self, message: str) -> None:
        start = self.tokens[self.position][1] if self.position < len(self.tokens) else len(self.pattern)
        raise SelectionError(
            Diagnostic(
                "invalid-input",
                f"-k: {message}",
                Span(start, max(start, min(len(self.pattern), start + 1))),
                self.pattern,
                "words combine with and, or, not and parentheses",
            )
        )

    def peek(self) -> str | None:
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def expression(self) -> Matcher:
        parts = [self.conjunction()]
        while self.peek() == "or":
            self.position += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda text: any(part(text) for part in parts))

    def conjunction(self) -> Matcher:
        parts = [self.negation()]
        while self.peek() == "and":
            self.position += 1
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else (lambda text: all(part(text) for part in parts))

    def negation(self) -> Matcher:
        if self.peek() == "not":
            self.position += 1
            inner = self.negation()
            return lambda text: not inner(text)
        return self.atom()

    def atom(self) -> Matcher:
        token = self.peek()
        if token is None:
            self.fail("expected a word")
        assert token is not None
        if token == "(":
            self.position += 1
            inner = self.expression()
            if self.peek() != ")":
                self.fail("expected ')'")
            self.position += 1
            return inner
        if token in (")", "and", "or"):
            self.fail(f"unexpected {token!r}")
        self.position += 1
        word = token.lower()
        return lambda text: word in text.lower()


__all__ = ["SelectionError", "keyword_matcher"]
