"""File positions of JSON values, so a diagnostic in a Graph schema export points inside the expression string.

Python's json module keeps no positions, and an exported synchronization schema is one long file where the
expression of interest can sit on line 1896.  This module scans the text once more, recording where every
value and key starts (by its path of keys and indexes), and maps each character of a decoded string back to
its raw character in the file: ``\\"``, ``\\n`` and ``\\u00e9`` are one character of the value but two or six
of the file, so a caret under the ``S`` of ``Swich`` must land on the file column of that ``S``.
"""

from __future__ import annotations

import json.decoder
import re
from collections.abc import Callable
from typing import Any

from scimmap.errors import Origin
from scimmap.mapping.yamlpos import CharOrigin, LineIndex

Path = tuple[str | int, ...]

scanstring: Callable[[str, int], tuple[str, int]] = getattr(json.decoder, "scanstring")  # noqa: B009 - typeshed does not declare it
"""The json module's own string decoder (C-accelerated), so decoding here is exactly json.loads'."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")


class JsonPositions:
    """Where each value and key of one JSON text starts, and per-character origins for its strings.

    Built from text that ``json.loads`` already accepted; if the scan still fails (it never should), every
    lookup answers None and diagnostics fall back to the file without a position.
    """

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.index = LineIndex(text)
        self.values: dict[Path, int] = {}
        self.keys: dict[Path, int] = {}
        try:
            self._value(0, ())
        except (IndexError, ValueError, RecursionError):
            self.values.clear()
            self.keys.clear()

    # -- lookups -----------------------------------------------------------------------------------

    def value(self, path: Path) -> Origin | None:
        """Where the value at ``path`` starts (its ``{``, ``[``, quote or first digit)."""
        offset = self.values.get(path)
        return None if offset is None else Origin(self.file, (self.index.position(offset),))

    def key(self, path: Path) -> Origin | None:
        """Where the key naming ``path``'s last step starts (its opening quote's first character)."""
        offset = self.keys.get(path)
        return None if offset is None else Origin(self.file, (self.index.position(offset + 1),))

    def string(self, path: Path, skip: int = 0) -> Origin | None:
        """An origin for every character of the string at ``path`` (minus ``skip`` leading characters)."""
        offset = self.values.get(path)
        if offset is None or self.text[offset] != '"':
            return self.value(path)
        decoded, _ = scanstring(self.text, offset + 1)
        points = self._points(offset)[skip:]
        decoded = decoded[skip:]
        if not points:
            return Origin(self.file, (self.index.position(offset + 1),))
        line_offsets = [0]
        for line in decoded.split("\n")[:-1]:
            line_offsets.append(line_offsets[-1] + len(line) + 1)
        return CharOrigin(self.file, (points[0],), points, line_offsets)

    # -- the scan ----------------------------------------------------------------------------------

    def _skip(self, at: int) -> int:
        match = _WHITESPACE.match(self.text, at)
        return match.end() if match else at

    def _value(self, at: int, path: Path) -> int:
        """Record the value starting at (or after whitespace from) ``at``; return the offset after it."""
        text = self.text
        at = self._skip(at)
        self.values[path] = at
        char = text[at]
        if char == '"':
            return scanstring(text, at + 1)[1]
        if char == "{":
            at = self._skip(at + 1)
            if text[at] == "}":
                return at + 1
            while True:
                at = self._skip(at)
                key, after = scanstring(text, at + 1)
                self.keys[path + (key,)] = at
                at = self._skip(after)
                if text[at] != ":":
                    raise ValueError("expected ':'")
                at = self._skip(self._value(at + 1, (*path, key)))
                if text[at] == ",":
                    at += 1
                    continue
                if text[at] != "}":
                    raise ValueError("expected '}'")
                return at + 1
        if char == "[":
            at = self._skip(at + 1)
            if text[at] == "]":
                return at + 1
            position = 0
            while True:
                at = self._skip(self._value(at, (*path, position)))
                position += 1
                if text[at] == ",":
                    at += 1
                    continue
                if text[at] != "]":
                    raise ValueError("expected ']'")
                return at + 1
        match = _SCALAR.match(text, at)
        if match is None:
            raise ValueError(f"unexpected {char!r}")
        return match.end()

    def _points(self, quote: int) -> list[tuple[int, int]]:
        """The file (line, column) of each decoded character of the string whose quote is at ``quote``."""
        text = self.text
        points: list[tuple[int, int]] = []
        at = quote + 1
        while text[at] != '"':
            points.append(self.index.position(at))
            if text[at] != "\\":
                at += 1
            elif text[at + 1] != "u":
                at += 2
            elif _surrogate_pair(text, at):
                at += 12  # json decodes \uD83D\uDE00 as one character
            else:
                at += 6
        return points


def _surrogate_pair(text: str, at: int) -> bool:
    try:
        high = int(text[at + 2 : at + 6], 16)
        if not 0xD800 <= high <= 0xDBFF or text[at + 6 : at + 8] != "\\u":
            return False
        low = int(text[at + 8 : at + 12], 16)
    except ValueError:
        return False
    return 0xDC00 <= low <= 0xDFFF


_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)|[\ud800-\udfff]", re.S)
"""Every JSON escape (``\\\\`` consumed whole, so ``\\\\ud800`` is not an escape of a surrogate) and every
raw surrogate character."""


def _surrogate_escapes(text: str) -> list[tuple[int, int, int | None]]:
    """``(start, end, code point)`` of each surrogate escape: a pair gives its astral code point, a lone
    surrogate (escaped or raw) None."""
    found: list[tuple[int, int, int | None]] = []
    matches = list(_ESCAPE.finditer(text))
    index = 0
    while index < len(matches):
        match = matches[index]
        index += 1
        if match.group(0)[0] != "\\":
            found.append((match.start(), match.end(), None))
            continue
        if match.group(1) is None:
            continue
        high = int(match.group(1), 16)
        if not 0xD800 <= high <= 0xDFFF:
            continue
        following = matches[index] if index < len(matches) else None
        if (
            high <= 0xDBFF
            and following is not None
            and following.start() == match.end()
            and following.group(1) is not None
            and 0xDC00 <= int(following.group(1), 16) <= 0xDFFF
        ):
            found.append(
                (
                    match.start(),
                    following.end(),
                    0x10000 + ((high - 0xD800) << 10) + int(following.group(1), 16) - 0xDC00,
                )
            )
            index += 1
        else:
            found.append((match.start(), match.end(), None))
    return found


def lone_surrogate(text: str) -> int | None:
    """The offset of the first lone surrogate in JSON text: json.loads accepts it, but no UTF-8 output
    (a diagnostic, the written file, a SCIM body) can hold it.  Pairs (``\\ud83d\\ude00``) are fine."""
    return next((start for start, _, point in _surrogate_escapes(text) if point is None), None)


def astral_escapes(text: str) -> str:
    """JSON text with each escaped surrogate pair rewritten as YAML's eight-digit ``\\U0001F600`` form, which PyYAML reads
    (it refuses ``\\ud83d``); columns after the pair on its line shift by two."""
    pieces: list[str] = []
    last = 0
    for start, end, point in _surrogate_escapes(text):
        if point is not None:
            pieces.extend((text[last:start], f"\\U{point:08X}"))
            last = end
    return "".join(pieces) + text[last:] if pieces else text


def load_tracking_duplicates(text: str) -> tuple[Any, dict[int, list[str]]]:
    """``json.loads(text)`` and, by ``id`` of each object that had them, its repeated keys (json keeps the
    last silently, so a pasted-twice ``source`` in a Graph export would change the mapping unseen)."""
    duplicated: dict[int, list[str]] = {}

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(items)
        if len(built) != len(items):
            seen: set[str] = set()
            duplicated[id(built)] = [key for key, _ in items if key in seen or seen.add(key)]  # type: ignore[func-returns-value]
        return built

    return json.loads(text, object_pairs_hook=pairs), duplicated


def duplicate_keys(document: Any, duplicated: dict[int, list[str]]) -> list[tuple[Path, str]]:
    """``(path of the repeated key, key)`` for each duplicate :func:`load_tracking_duplicates` found."""
    if not duplicated:
        return []
    found: list[tuple[Path, str]] = []
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            found.extend(((*path, key), key) for key in duplicated.get(id(value), []))
            stack.extend((child, (*path, key)) for key, child in value.items())
        elif isinstance(value, list):
            stack.extend((child, (*path, index)) for index, child in enumerate(value))
    return sorted(found, key=lambda item: str(item[0]))
