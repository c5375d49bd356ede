"""File positions of YAML scalar values, so a caret inside an expression lands on the right file column.

PyYAML gives each node a start mark, but a value's characters are not the file's characters: quotes and
escapes vanish, folded lines become spaces, block scalars lose their indentation.  This module maps every
character of a scalar's value back to its ``(line, column)`` in the file and wraps the result in an
:class:`~scimmap.errors.Origin` that diagnostics already know how to use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import yaml
from attrs import field, frozen

from scimmap.errors import Origin

_SKIPPABLE = frozenset(" \t\r\n\\'\"")


def _points(items: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    return tuple(items)


def _ints(items: Iterable[int]) -> tuple[int, ...]:
    return tuple(items)


@frozen
class CharOrigin(Origin):
    """An origin that knows the file position of every character of a (possibly folded) value.

    ``Origin.line_starts`` can only say where each value line begins; a folded or escaped scalar shifts
    columns inside a line, so this subclass keeps one position per character instead.
    """

    points: tuple[tuple[int, int], ...] = field(default=(), converter=_points, repr=False)
    line_offsets: tuple[int, ...] = field(default=(0,), converter=_ints, repr=False)

    def locate(self, line_index: int, column_index: int) -> tuple[int, int]:
        if not self.points:
            return super().locate(line_index, column_index)
        if line_index >= len(self.line_offsets):
            line_index = len(self.line_offsets) - 1
        offset = self.line_offsets[line_index] + column_index
        if offset < len(self.points):
            return self.points[offset]
        line, column = self.points[-1]
        return line, column + 1 + (offset - len(self.points))


class LineIndex:
    """0-based offset -> 1-based (line, column) for one file text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        index = text.find("\n")
        while index >= 0:
            self.starts.append(index + 1)
            index = text.find("\n", index + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_text(self, line: int) -> str:
        """Text of the 1-based ``line`` without its newline."""
        if line < 1 or line > len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start:] if end < 0 else self.text[start:end]


def node_origin(file: str, node: yaml.Node) -> Origin:
    """Where a node starts (keys, sequences, whole mappings)."""
    return Origin(file, ((node.start_mark.line + 1, node.start_mark.column + 1),))


def scalar_origin(file: str, node: yaml.ScalarNode, value: str, index: LineIndex) -> Origin:
    """An origin that maps every character of ``value`` (the node's text, maybe trimmed) into the file."""
    start = node.start_mark.index
    end = node.end_mark.index
    style = node.style
    if style in (None, "", "'", '"') and node.start_mark.line == node.end_mark.line:
        # One line whose characters are the value's own (no escapes, no doubled quotes): every character
        # sits at the first one's column plus its offset, which a plain Origin says without a table.
        # (Plain scalars have style None from PyYAML's loader and "" from libyaml's.)
        quoted = style in ("'", '"')
        inner = start + (1 if quoted else 0)
        if index.text[inner : inner + len(value)] == value and (not quoted or inner + len(value) == end - 1):
            return Origin(file, ((node.start_mark.line + 1, node.start_mark.column + 1 + (inner - start)),))
    fallback = node_origin(file, node)
    try:
        if style == "|":
            literal = _literal_origin(file, node, value, index)
            if literal is not None:
                return literal
            raw_start = index.text.find("\n", start, end) + 1 or start
            return _aligned(file, value, index, raw_start, end, style) or fallback
        if style == ">":
            raw_start = index.text.find("\n", start, end) + 1 or start
            return _aligned(file, value, index, raw_start, end, style) or fallback
        if style in ("'", '"'):
            return _aligned(file, value, index, start + 1, max(start + 1, end - 1), style) or fallback
        return _aligned(file, value, index, start, end, style) or fallback
    except (IndexError, ValueError):  # pragma: no cover - positions are best effort, never fatal
        return fallback


def _literal_origin(file: str, node: yaml.ScalarNode, value: str, index: LineIndex) -> Origin | None:
    """Literal blocks keep lines intact: each value line starts at the block indentation."""
    header_line = node.start_mark.line + 1  # 1-based line of the "|" indicator
    lines = value.split("\n")
    first_content = next((k for k, text in enumerate(lines) if text.strip()), None)
    if first_content is None:
        return None
    file_line = index.line_text(header_line + 1 + first_content)
    indent = len(file_line) - len(file_line.lstrip(" "))
    indent -= len(lines[first_content]) - len(lines[first_content].lstrip(" "))
    for k, text in enumerate(lines):
        if text and index.line_text(header_line + 1 + k)[indent:] != text:
            return None
    return Origin(file, tuple((header_line + 1 + k, indent + 1) for k in range(len(lines))))


def _aligned(file: str, value: str, index: LineIndex, raw_start: int, raw_end: int, style: str | None) -> Origin | None:
    """Greedy alignment of value characters to raw file characters (quotes, escapes and folds skipped)."""
    text = index.text
    points: list[tuple[int, int]] = []
    p = raw_start
    for char in value:
        if p >= raw_end:
            points.append(
                index.position(max(raw_start, raw_end - 1)) if raw_end > raw_start else index.position(raw_start)
            )
            continue
        if style == '"' and text[p] == "\\" and p + 1 < raw_end and text[p + 1] in "xuU" and char not in "xuU\\":
            width = {"x": 4, "u": 6, "U": 10}[text[p + 1]]
            points.append(index.position(p))
            p += width
            continue
        if style == '"' and text[p] == "\\" and p + 1 < raw_end and text[p + 1] in "0abtnvfre N_LP" and char != "\\":
            points.append(index.position(p))
            p += 2
            continue
        if char in " \t\n":
            if text[p] in " \t\r\n":
                points.append(index.position(p))
                p += 1
            else:
                points.append(index.position(p))
            continue
        q = p
        while q < raw_end and text[q] != char and text[q] in _SKIPPABLE:
            q += 1
        if q < raw_end and text[q] == char:
            points.append(index.position(q))
            p = q + 1
        else:
            points.append(index.position(p))
    if not points:
        return None
    offsets = [0]
    for line in value.split("\n")[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    return CharOrigin(file, (points[0],), points, offsets)
