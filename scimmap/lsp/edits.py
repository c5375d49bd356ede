"""Writing new text into a YAML or JSON scalar: the quoting a value needs where it goes.

A fix computed on the expression (``"`` for a typographic quote) must be written ``\\"`` inside a
double-quoted YAML or JSON string and as is inside single quotes or a block scalar; a formatted expression
replaces the whole scalar, keeping its style (a ``|`` block gets the indented layout).  Positions are
1-based (line, column) points as in :mod:`scimmap.lsp.analysis`.
"""

from __future__ import annotations

import json
import re

from attrs import frozen

from scimmap.lsp.analysis import Point, Region
from scimmap.lsp.fixes import Fix
from scimmap.lsp.positions import Lines

_PLAIN_UNSAFE = re.compile(r"^[\[\]{}#&*!|>'\"%@`,?:-]|: | #|^\s|\s$")


@frozen
class FileEdit:
    start: Point
    end: Point
    new: str


def style_at(point: Point, lines: Lines) -> str:
    """The quoting of a one-line value that starts at ``point``: ``'``, ``"`` or ``""`` (plain)."""
    before = lines.char_before(point)
    return before if before in ("'", '"') else ""


def style_of(region: Region, lines: Lines) -> str:
    """How the value is written: ``'``, ``"`` (YAML double quotes or JSON), ``|``, ``>`` or ``""`` (plain)."""
    quoted = style_at(region.start, lines)
    if quoted:
        return quoted
    line = lines.raw(region.start[0] - 1)
    if line[: region.start[1] - 1].strip() or region.start[0] < 2:
        return ""
    # A block scalar's value starts on a line of its own, below the ``key: |`` header.
    for index in range(region.start[0] - 2, -1, -1):
        header = lines.raw(index).rstrip()
        if header.strip():
            match = re.search(r":\s*([|>])[-+0-9]*\s*(#.*)?$", header)
            return match.group(1) if match else ""
    return ""


def escape(text: str, style: str) -> str:
    """``text`` as it must be written inside a scalar of ``style`` (no surrounding quotes)."""
    if style == '"':
        return json.dumps(text, ensure_ascii=False)[1:-1]
    if style == "'":
        return text.replace("'", "''")
    return text


def fix_edits(fix: Fix, region: Region, lines: Lines) -> list[FileEdit] | None:
    """The file edits of an expression fix, or None when the scalar cannot hold the new text as is."""
    style = style_of(region, lines)
    edits = []
    for edit in fix.edits:
        if style == "" and edit.start == 0 and _PLAIN_UNSAFE.match(edit.new):
            return None
        if "\n" in edit.new and style not in ("|", ">"):
            return None
        edits.append(
            FileEdit(region.point_at(edit.start), region.end_of(edit.start, edit.end), escape(edit.new, style))
        )
    return edits


def replace_value(start: Point, end: Point, new: str, style: str) -> FileEdit | None:
    """Replace a whole one-line value (a key, a target, a direct source) with ``new``, quoted as needed."""
    if style == "" and _PLAIN_UNSAFE.search(new):
        return None
    return FileEdit(start, end, escape(new, style))


def scalar_end(region: Region, lines: Lines) -> Point:
    """Just after the value as written: after its closing quote for a quoted scalar."""
    style = style_of(region, lines)
    if style in ("'", '"'):
        return region.end[0], region.end[1] + 1
    return region.end


def format_edit(region: Region, lines: Lines, canonical: str, pretty: str) -> FileEdit | None:
    """The edit that writes the formatted expression in place of the value, keeping the scalar's style.

    A ``|`` block gets the indented layout, every other style the canonical line; None when the value is
    already written that way.
    """
    style = style_of(region, lines)
    if style in ("|", ">"):
        layout = pretty if style == "|" else canonical
        if layout == region.text.rstrip("\n"):
            return None
        indent = " " * (region.start[1] - 1)
        return FileEdit((region.start[0], 1), region.end, "\n".join(indent + line for line in layout.split("\n")))
    if canonical == region.text:
        return None
    start = (region.start[0], region.start[1] - 1) if style else region.start
    end = scalar_end(region, lines)
    if style == '"':
        return FileEdit(start, end, json.dumps(canonical, ensure_ascii=False))
    if style == "" and not _PLAIN_UNSAFE.search(canonical):
        return FileEdit(start, end, canonical)
    return FileEdit(start, end, "'" + canonical.replace("'", "''") + "'")
