"""Spans, diagnostics and the exception hierarchy.

Every problem a user can cause becomes a :class:`Diagnostic` with a stable kebab-case code, so tools can
filter on codes and people get a caret under the exact text.  Exceptions carry the diagnostics that caused
them; nothing but a :class:`ScimmapError` subclass leaves the public API on bad input.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import Literal

from attrs import field, frozen

Severity = Literal["error", "warning"]
"""How bad a :class:`Diagnostic` is; the code registry (scimmap/codes/) declares each code's with this type."""


@frozen
class Span:
    """Half-open ``[start, end)`` range of 0-based character offsets into the expression text."""

    start: int
    end: int

    def __attrs_post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")


def _positions(items: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple(items)


@frozen
class Origin:
    """Where an expression's text sits inside a file, so diagnostics can say ``file:line:col``.

    ``line_starts`` holds, for each line of the expression text, the 1-based file line and column of its
    first character: block scalars indent every continuation line, so one offset is not enough.
    """

    file: str
    line_starts: tuple[tuple[int, int], ...] = field(converter=_positions, default=((1, 1),))

    def locate(self, line_index: int, column_index: int) -> tuple[int, int]:
        """Map a 0-based (line, column) inside the expression text to a 1-based file position."""
        if not self.line_starts:
            return line_index + 1, column_index + 1
        if line_index < len(self.line_starts):
            file_line, file_col = self.line_starts[line_index]
        else:
            last_line, file_col = self.line_starts[-1]
            file_line = last_line + (line_index - len(self.line_starts) + 1)
        return file_line, file_col + column_index


def _line_col(source: str, offset: int) -> tuple[int, int]:
    """0-based line and column of ``offset`` in ``source``."""
    offset = max(0, min(offset, len(source)))
    line_index = source.count("\n", 0, offset)
    line_start = source.rfind("\n", 0, offset) + 1
    return line_index, offset - line_start


_WINDOW = 100
"""Widest slice of a source line shown under a diagnostic: a megabyte line must not flood the terminal."""

_CONTROLS = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
"""C0 and C1 controls, DEL, line and paragraph separators, bidi marks and overrides, BOM, lone surrogates:
what a terminal or a CI log interprets (escape sequences, ``::error`` commands on a new line, reordered
text) instead of showing."""

_UNSAFE = re.compile(f"[{_CONTROLS}]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

MESSAGE_LIMIT = 400
"""Longest message or hint kept whole: a message quoting a 4 MB target must not be 4 MB.  Longer ones keep
their head and tail (the explanation usually ends the message) and say how much was cut."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def safe_text(text: str, limit: int | None = MESSAGE_LIMIT) -> str:
    """``text`` as it may be shown anywhere: every control character escaped (``\\n``, ``\\x1b``,
    ``\\u202e``), so it stays on one line and cannot steer a terminal or a CI log, and cut to ``limit``.

    Diagnostics apply it to their message and hint when they are made, so every renderer (text, JSON,
    ``map --errors``, LSP, REPL) gets the safe form without doing anything.
    """
    text = _UNSAFE.sub(_escape, str(text))
    if limit is not None and len(text) > limit:
        head, tail = limit * 3 // 4, limit // 4
        text = f"{text[:head]}…[{len(text) - head - tail} of {len(text)} characters cut]…{text[-tail:]}"
    return text


def _safe_hint(text: str | None) -> str | None:
    return None if text is None else safe_text(text)


def _printable(text: str) -> str:
    """One printable character per source character, so the caret stays aligned and printing never fails
    (lone surrogates from undecodable command-line bytes would make ``print`` raise)."""
    return _UNSAFE.sub("\ufffd", text.replace("\t", " "))


@frozen(repr=False)
class Diagnostic:
    """One problem, with enough context to render itself without the caller's help."""

    code: str
    message: str = field(converter=safe_text)
    span: Span | None = None
    source: str = ""
    hint: str | None = field(default=None, converter=_safe_hint)
    severity: Severity = "error"
    origin: Origin | None = None

    @property
    def line(self) -> int:
        """1-based line of the span's start (in the file when an origin is known)."""
        return self._position(self.span.start if self.span else 0)[0]

    @property
    def column(self) -> int:
        """1-based column of the span's start (in the file when an origin is known)."""
        return self._position(self.span.start if self.span else 0)[1]

    @property
    def end_line(self) -> int:
        return self._position(self.span.end if self.span else 0)[0]

    @property
    def end_column(self) -> int:
        return self._position(self.span.end if self.span else 0)[1]

    def _position(self, offset: int) -> tuple[int, int]:
        line_index, column_index = _line_col(self.source, offset)
        if self.origin is not None:
            return self.origin.locate(line_index, column_index)
        return line_index + 1, column_index + 1

    def with_origin(self, origin: Origin) -> Diagnostic:
        return Diagnostic(self.code, self.message, self.span, self.source, self.hint, self.severity, origin)

    def render(self, *, color: bool = False) -> str:
        """Render as ``error[code]: message`` with a caret line under the span (docs/errors.md shows it)."""
        red, yellow, blue, bold, reset = (
            ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m") if color else ("",) * 5
        )
        tone = red if self.severity == "error" else yellow
        lines = [f"{bold}{tone}{self.severity}[{self.code}]{reset}{bold}: {self.message}{reset}"]
        if self.origin is not None:
            lines.append(f"  {blue}-->{reset} {safe_text(self.origin.file, None)}:{self.line}:{self.column}")
        if self.source and self.span is not None:
            line_index, column_index = _line_col(self.source, self.span.start)
            text_line = self.source.split("\n")[line_index]
            end_line_index, end_column_index = _line_col(self.source, self.span.end)
            width = (end_column_index if end_line_index == line_index else len(text_line)) - column_index
            first = max(0, column_index - _WINDOW // 3) if len(text_line) > _WINDOW else 0
            visible = _printable(text_line[first : first + _WINDOW])
            lead = "..." if first else ""
            trail = "..." if first + _WINDOW < len(text_line) else ""
            offset = column_index - first
            width = min(width, len(visible) - offset)
            lines.append(f"   {blue}|{reset} {lead}{visible}{trail}")
            lines.append(f"   {blue}|{reset} {' ' * (len(lead) + offset)}{tone}{'^' * max(1, width)}{reset}")
        if self.hint:
            lines.append(f"   {blue}={reset} hint: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        # Short on purpose: the source text can be 10,000 characters and a file origin holds one position
        # per character; render() shows them in full.
        where = ""
        if self.origin is not None:
            where = f", at='{self.origin.file}:{self.line}:{self.column}'"
        elif self.span is not None:
            where = f", at={self.span.start}"
        return f"Diagnostic({self.code!r}, {self.message!r}, severity={self.severity!r}{where})"

    def to_dict(self, file: str | None = None) -> dict[str, object]:
        """The machine-readable form ``scimmap check --format json`` prints."""
        return {
            "file": _safe_file(file if file is not None else (self.origin.file if self.origin else None)),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }


class ValueFailure(Exception):
    """A function cannot produce a value for these inputs; the message is shown to the user.

    Internal: raised by the functions and the .NET layer below them, and turned into an ``evaluation``
    diagnostic (a ScimmapError) by the evaluator, which knows the failing call's span.  It lives here, at
    the bottom, so that the .NET layer can raise it without importing the language."""


def _safe_file(file: str | None) -> str | None:
    return None if file is None else safe_text(file, None)


class ScimmapError(Exception):
    """Base of every error scimmap raises on bad input; ``.diagnostics`` says what and where."""

    def __init__(self, diagnostics: Sequence[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(self.default_code, diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics) or [Diagnostic(self.default_code, self.default_code)]
        super().__init__(self.diagnostics[0].message)

    default_code = "error"

    @property
    def diagnostic(self) -> Diagnostic:
        return self.diagnostics[0]

    @property
    def code(self) -> str:
        """The first problem's stable code (``unknown-function``...), for ``except`` blocks that branch on it."""
        return self.diagnostics[0].code

    def render(self, *, color: bool = False) -> str:
        return "\n\n".join(d.render(color=color) for d in self.diagnostics)

    def __str__(self) -> str:
        # What an uncaught error shows in a user's script: every problem with its code, position, caret
        # and hint, exactly as `scimmap` prints it.
        return self.render()


class ParseError(ScimmapError):
    """The text is not an expression (or target path) at all."""

    default_code = "syntax"


class CheckError(ScimmapError):
    """The text parses but breaks a static rule (unknown function, arity, literal type...)."""

    default_code = "invalid-argument"


class EvaluationError(ScimmapError):
    """Evaluation failed for this source object (Entra would report or escrow the object)."""

    default_code = "evaluation"


class MappingError(ScimmapError):
    """A mapping table, mapping file, preset or source record is unusable."""

    default_code = "invalid-mapping"


def stderr_supports_color() -> bool:
    return sys.stderr.isatty()
