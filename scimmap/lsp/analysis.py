"""One version of one open document: what ``scimmap check`` reports for it, and which value each position holds.

The text is read once with the same reader and checks as ``scimmap check``
(:func:`scimmap.mapping.validate.check_read`), so diagnostics, codes and positions are the CLI's.  The
table that reading produced carries the file position of every character of every value (block scalars,
quoted and JSON strings included); :class:`Region` turns those into a lookup from a cursor to the value and
the offset inside it.  Positions here are the CLI's: 1-based lines and 1-based columns counted in code
points; :mod:`scimmap.lsp.positions` converts them to the protocol's.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any, Literal

from scimmap.errors import Diagnostic, Origin
from scimmap.mapping.model import Mapping, ScopeClause

_OBJECT_LINE = re.compile(r"""^\s*["']?(?:object|sourceObjectName)["']?\s*:\s*["']?(\w+)""", re.MULTILINE)

Role = Literal["expression", "source", "constant", "target", "default", "clause-attribute", "clause-operator"]
Point = tuple[int, int]


class Region:
    """A value of the table whose characters have known file positions.

    ``points[k]`` is the file position of character ``k`` of ``text``; one extra point says where the
    position just after the last character is, so a cursor at the end of a value is inside it.  The
    points are computed on first use: a lookup in a 2,000-mapping file only needs them for the one or
    two values on the cursor's lines (``first_line``/``last_line`` are cheap).
    """

    def __init__(
        self, role: Role, text: str, origin: Origin, mapping: Mapping | None = None, clause: ScopeClause | None = None
    ) -> None:
        self.role = role
        self.text = text
        self.origin = origin
        self.mapping = mapping
        self.clause = clause
        self.first_line = origin.locate(0, 0)[0]
        # Where the end is: a folded scalar's one value line spans several file lines.
        self.last_line = origin.locate(text.count("\n"), len(text) - text.rfind("\n") - 1)[0]

    def __repr__(self) -> str:
        return f"Region({self.role!r}, {self.text!r}, lines {self.first_line}-{self.last_line})"

    @functools.cached_property
    def points(self) -> tuple[Point, ...]:
        return points_of(self.text, self.origin)

    @property
    def start(self) -> Point:
        return self.points[0]

    @property
    def end(self) -> Point:
        return self.points[-1]

    def offset_at(self, point: Point) -> int | None:
        """The character offset a cursor at ``point`` stands before, or None when it is outside."""
        if not self.first_line <= point[0] <= self.last_line or not self.start <= point <= self.end:
            return None
        return max(0, bisect_right(self.points, point) - 1)

    def point_at(self, offset: int) -> Point:
        return self.points[max(0, min(offset, len(self.points) - 1))]

    def end_of(self, start: int, end: int) -> Point:
        """Where a replacement of characters ``start..end`` ends in the file (exclusive).

        The next character's position is exact even after an escape (``\\"`` is two file characters);
        across a line break (folded scalars) the range stops after the last replaced character instead,
        so an edit never swallows the newline and the indentation.
        """
        if end <= start:
            return self.point_at(start)
        last = self.point_at(end - 1)
        following = self.point_at(end)
        if following[0] == last[0] and following > last:
            return following
        return last[0], last[1] + 1


def points_of(text: str, origin: Origin) -> tuple[Point, ...]:
    """The file position of every character of ``text`` (and of the end), through its origin."""
    points: list[Point] = []
    line = column = 0
    for char in text:
        points.append(origin.locate(line, column))
        if char == "\n":
            line, column = line + 1, 0
        else:
            column += 1
    points.append(origin.locate(line, column))
    return tuple(points)


class Analysis:
    """Everything the server answers about one document version, computed on first use.

    Instances never change: an edit makes a new one.  Attributes are computed lazily because a hover on a
    2,000-mapping file must not wait for work only inlay hints need.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file

    @functools.cached_property
    def _read(self) -> tuple[Any, list[Diagnostic]]:
        from scimmap.mapping.files import read_mapping_text

        return read_mapping_text(self.text, self.file)

    @property
    def table(self) -> Any:
        """The mapping table, or None when the text is not a readable mapping file."""
        return self._read[0]

    @functools.cached_property
    def diagnostics(self) -> list[Diagnostic]:
        """Exactly what ``scimmap check`` reports for this text."""
        from scimmap.mapping.validate import check_read

        table, found = self._read
        return check_read(table, found, self.file)

    @property
    def object(self) -> str:
        """``User`` or ``Group``: what the table maps.

        Read from the ``object:`` line until the text has been read (completion must not wait for a
        2,000-mapping file), and while it does not read.
        """
        table = self._read[0] if "_read" in self.__dict__ else None
        if table is not None:
            written = str(getattr(table, "object", ""))
        else:
            match = _OBJECT_LINE.search(self.text)
            written = match.group(1) if match else ""
        return "Group" if written.lower() == "group" else "User"

    @functools.cached_property
    def regions(self) -> tuple[Region, ...]:
        table = self.table
        if table is None:
            return ()
        return tuple(self._regions(table))

    def _regions(self, table: Any) -> Iterator[Region]:
        kinds: dict[str, Role] = {"expression": "expression", "direct": "source", "constant": "constant"}
        for mapping in getattr(table, "mappings", ()):
            origins = mapping.origins
            if "target" in origins:
                yield Region("target", mapping.target, origins["target"], mapping)
            if "source" in origins and mapping.source is not None and mapping.kind in kinds:
                yield Region(kinds[mapping.kind], mapping.source, origins["source"], mapping)
            if "default" in origins and mapping.default is not None:
                yield Region("default", mapping.default, origins["default"], mapping)
        for group in getattr(table, "scope", ()):
            for clause in group.clauses:
                for key, role in (("attribute", "clause-attribute"), ("operator", "clause-operator")):
                    origin = clause.origins.get(key)
                    text = getattr(clause, key)
                    if origin is not None and text:
                        yield Region(role, text, origin, clause=clause)  # type: ignore[arg-type]

    def region_at(self, point: Point) -> tuple[Region, int] | None:
        """The value under a cursor and the offset inside it."""
        for region in self.regions:
            if region.first_line <= point[0] <= region.last_line:
                offset = region.offset_at(point)
                if offset is not None:
                    return region, offset
        return None

    def regions_ending_in(self, first: int, last: int) -> list[Region]:
        """The regions whose last line is between ``first`` and ``last`` (1-based, inclusive)."""
        return [region for region in self.regions if first <= region.last_line <= last]
