"""scimmap's file positions (1-based, code points) to the protocol's (0-based, UTF-16 code units) and back.

``scimmap check`` counts lines at ``\\n`` and columns in code points, starting at 1; LSP counts from 0
and, unless the client negotiated another encoding, in UTF-16 code units, so a character outside the
Basic Multilingual Plane (an emoji) is one column for the CLI and two for the editor.  The codec comes
from pygls, which settles the encoding with the client during ``initialize``.
"""

from __future__ import annotations

from typing import Protocol

from lsprotocol import types

from scimmap.errors import Diagnostic

Point = tuple[int, int]


class Codec(Protocol):
    """What this module needs of :class:`pygls.workspace.PositionCodec`."""

    def client_num_units(self, string: str) -> int: ...


class Lines:
    """One document text, split the way scimmap counts lines, with the client's column unit."""

    def __init__(self, text: str, codec: Codec) -> None:
        # The reader drops a byte-order mark before counting columns, so columns on line 1 move by one.
        self.bom = text.startswith("\ufeff")
        # Each line without its break (a CRLF file's \r is not part of any column).
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        self.codec = codec

    def position(self, point: Point) -> types.Position:
        """The protocol position of a 1-based (line, column); past the end clamps to the end."""
        line, column = point[0] - 1, point[1] - 1
        if line < 0:
            return types.Position(line=0, character=0)
        if line >= len(self.lines):
            last = len(self.lines) - 1
            return types.Position(line=last, character=self.codec.client_num_units(self.lines[last]))
        if line == 0 and self.bom:
            column += 1
        text = self.lines[line]
        return types.Position(line=line, character=self.codec.client_num_units(text[: max(0, column)]))

    def range(self, start: Point, end: Point) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def point(self, position: types.Position) -> Point:
        """The 1-based (line, column) of a protocol position; a column inside a surrogate pair rounds down."""
        line = max(0, min(position.line, len(self.lines) - 1))
        text = self.lines[line]
        units = 0
        column = 0
        for char in text:
            width = self.codec.client_num_units(char)
            if units + width > position.character:
                break
            units += width
            column += 1
        if line == 0 and self.bom:
            column = max(0, column - 1)
        return line + 1, column + 1

    def raw(self, line: int) -> str:
        """The 0-based ``line`` as the document holds it (without its line break)."""
        return self.lines[line] if 0 <= line < len(self.lines) else ""

    def point_of(self, line: int, column: int) -> Point:
        """The point of a 0-based line and code-point column of the document text (inverse of :meth:`cursor`)."""
        return line + 1, column + 1 - (1 if line == 0 and self.bom else 0)

    def cursor(self, position: types.Position) -> tuple[int, int]:
        """0-based line and code-point column in the document text as it is (a byte-order mark counts)."""
        line, column = self.point(position)
        return line - 1, column - 1 + (1 if line == 1 and self.bom else 0)

    def text_of(self, start: Point, end: Point) -> str:
        """The document text between two points of one line (empty across lines)."""
        if start[0] != end[0] or not 1 <= start[0] <= len(self.lines):
            return ""
        offset = 1 if start[0] == 1 and self.bom else 0
        return self.lines[start[0] - 1][start[1] - 1 + offset : end[1] - 1 + offset]

    def char_before(self, point: Point) -> str:
        """The character just before a point on its line ('' at the start of a line)."""
        if not 1 <= point[0] <= len(self.lines) or point[1] <= 1:
            return ""
        offset = 1 if point[0] == 1 and self.bom else 0
        text = self.lines[point[0] - 1]
        index = point[1] - 2 + offset
        return text[index] if 0 <= index < len(text) else ""


def diagnostic_range(diagnostic: Diagnostic, lines: Lines) -> types.Range:
    """The range ``scimmap check --format json`` prints (line, column, end_line, end_column), converted."""
    return lines.range((diagnostic.line, diagnostic.column), (diagnostic.end_line, diagnostic.end_column))


SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


def lsp_diagnostic(diagnostic: Diagnostic, lines: Lines, uri: str | None = None) -> types.Diagnostic:
    """A scimmap diagnostic as the protocol carries it: the message exactly as ``scimmap check`` prints it.

    The hint (and its did-you-mean) travels as related information at the same range, which editors show
    under the message (VS Code, Neovim, Emacs); ``data`` keeps message and hint apart for the code actions.
    """
    where = diagnostic_range(diagnostic, lines)
    related = None
    if diagnostic.hint and uri is not None:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=uri, range=where), message=f"hint: {diagnostic.hint}"
            )
        ]
    return types.Diagnostic(
        range=where,
        message=diagnostic.message,
        severity=SEVERITIES.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code,
        source="scimmap",
        related_information=related,
        data={"message": diagnostic.message, "hint": diagnostic.hint},
    )
