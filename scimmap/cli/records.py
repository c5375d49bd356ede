"""Reading ``scimmap map`` input: records out of a byte stream, every record counted, none lost to its neighbour.

Two layouts.  JSON Lines splits on ``\\n`` only (never ``str.splitlines``, which also splits on a bare CR, the
separators ``\\x1c``-``\\x1e``, NEL, U+2028 and U+2029, so a valid record holding one would become two errors
and every later line number would shift).  A line holding only JSON whitespace (space, tab, CR) is blank and
skipped; any other line is a record, so a line of ``\\x1c``, NEL or U+3000 is counted as an invalid-json
error.  Invalid UTF-8 is that line's error, never silently replaced.

A JSON array (first non-blank byte ``[``) is scanned element by element in one pass: a small state machine
tracks strings and nesting to find where each element ends, so a bad element is that element's error and
the scan goes on at the next one, linear in the input.  Memory holds one element at a time.

``NaN``, ``Infinity`` and numbers that overflow a float (``1e400``) are the record's error: they are not
JSON, and they must never become ``"nan"`` or ``"inf"`` in a SCIM body.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from typing import IO, Any, NamedTuple

from scimmap.console import strict_json


class RecordError(NamedTuple):
    """A record that could not be read: reported at its line like any other failed record (picklable,
    so it travels to ``--jobs`` workers with the rest of a batch)."""

    code: str
    message: str


CHUNK = 1 << 16
_BLANK = b" \t\r\n"
_TEXT_BLANK = " \t\r\n"
_BOM = b"\xef\xbb\xbf"
_STRUCTURE = re.compile(r'["{}\[\],]')
_IN_STRING = re.compile(r'["\\]')
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""What ``surrogateescape`` decoding leaves for a byte that is not UTF-8 (array input is decoded that way,
so a bad byte stays inside its element and becomes that element's error)."""


loads = strict_json
"""Strict JSON (shared with ``eval --input``): no NaN, no Infinity, no number that overflows a float."""


def parse(data: str | bytes, loads: Callable[[Any], Any] = loads) -> Any:
    """One record's text (or its raw UTF-8 line) to a value, or a :class:`RecordError` (never raises).
    Raw bytes are checked for UTF-8 only when the parse fails, so a good line is decoded once, by ``loads``."""
    try:
        return loads(data)
    except RecursionError:
        return RecordError("invalid-json", "JSON nests too deeply")
    except ValueError as error:
        if isinstance(data, bytes):
            text = _line_text(data)
            if isinstance(text, RecordError):
                return text
        return RecordError("invalid-json", f"not valid JSON: {error}")


def records(stream: IO[bytes], raw: bool = False, loads: Callable[[Any], Any] = loads) -> Iterator[tuple[int, Any]]:
    """``(line, text | value | RecordError)`` for every record of ``stream``: JSON Lines yield the line's
    text (``raw``: its bytes, decoded where it is parsed, maybe in a worker), a JSON array yields its
    elements parsed with ``loads``, each with the line where it starts."""
    line_text = bytes if raw else _line_text  # bytes(line) is line itself
    line_no = 0
    for line in stream:
        line_no += 1
        if line_no == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        head = line.lstrip(_BLANK)
        if not head:
            continue
        if head.startswith(b"["):
            yield from _array(stream, head[1:], line_no, loads)
            return
        yield line_no, line_text(line)
        break
    else:
        return
    for line in stream:
        line_no += 1
        if line.strip(_BLANK):
            yield line_no, line_text(line)


class Block(NamedTuple):
    """Whole JSON Lines, undecoded, for a worker to split, parse, map and write itself: the reader only
    finds the last newline of each chunk and counts the newlines (both in C), so it never becomes the
    bottleneck of ``--jobs``."""

    line: int
    """The number of the block's first line."""
    data: bytes


def line_blocks(stream: IO[bytes], size: int) -> Iterator[Block] | None:
    """``stream`` as :class:`Block` s of about ``size`` bytes when it is clearly JSON Lines (its first
    non-blank byte, seen without consuming anything, is not ``[``); None otherwise (a JSON array, or a
    stream that cannot be peeked at: read it with :func:`records`)."""
    peek = getattr(stream, "peek", None)
    if peek is None:
        return None
    head = peek(CHUNK)
    head = (head[len(_BOM) :] if head.startswith(_BOM) else head).lstrip(_BLANK)
    if not head or head.startswith(b"["):
        return None
    return _blocks(stream, size)


def _blocks(stream: IO[bytes], size: int) -> Iterator[Block]:
    line = 1
    parts: list[bytes] = []
    while True:
        chunk = stream.read(size)
        if not chunk:
            if parts:
                yield Block(line, b"".join(parts))
            return
        end = chunk.rfind(b"\n") + 1
        if not end:  # a line longer than the chunk: keep its parts (joined once, never re-copied)
            parts.append(chunk)
            continue
        parts.append(chunk[:end])
        data = b"".join(parts)
        parts = [chunk[end:]] if end < len(chunk) else []
        yield Block(line, data)
        line += data.count(b"\n")


class Span(NamedTuple):
    """Whole JSON Lines of a regular file, by position: what a ``--jobs`` worker reads itself (``pread``),
    so the records never pass through the parent or a pipe."""

    path: str
    start: int
    length: int
    line: int
    """The number of the span's first line."""

    def read(self) -> Block:
        with open(self.path, "rb") as handle:
            return Block(self.line, os.pread(handle.fileno(), self.length, self.start))


def line_spans(stream: IO[bytes], path: str, size: int) -> Iterator[Span] | None:
    """A regular file of JSON Lines (see :func:`line_blocks`) as :class:`Span` s of about ``size`` bytes,
    cut after a newline.  The reader only finds each chunk's last newline and counts the newlines before
    it, in one reused buffer: the parent of ``--jobs`` workers copies nothing it does not have to."""
    if line_blocks(stream, size) is None:  # only peeks
        return None
    return _spans(stream, path, size)


def _spans(stream: IO[bytes], path: str, size: int) -> Iterator[Span]:
    buffer = bytearray(size)
    start = stream.tell()
    line = 1
    pending = 0  # bytes read since the last cut, none of them a newline
    while True:
        read = stream.readinto(buffer)  # type: ignore[attr-defined]
        if not read:
            if pending:
                yield Span(path, start, pending, line)
            return
        end = buffer.rfind(b"\n", 0, read) + 1
        if not end:  # a line longer than the chunk
            pending += read
            continue
        length = pending + end
        yield Span(path, start, length, line)
        line += buffer.count(b"\n", 0, end)
        start += length
        pending = read - end


def block_records(block: Block) -> Iterator[tuple[int, bytes]]:
    """``(line, raw line)`` for every non-blank line of ``block``, as :func:`records` gives them with
    ``raw=True`` (split on ``\\n`` only; a UTF-8 BOM on line 1 is not part of the record)."""
    line = block.line
    pieces = block.data.split(b"\n")
    last = pieces.pop()  # what follows the last newline: the file's last line when it has no newline
    for raw in pieces:
        if line == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if raw.strip(_BLANK):
            yield line, raw + b"\n"  # with its newline, as the line reader gives it (and error positions count it)
        line += 1
    if line == 1 and last.startswith(_BOM):
        last = last[len(_BOM) :]
    if last.strip(_BLANK):
        yield line, last


def _line_text(raw: bytes) -> Any:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return RecordError(
            "invalid-utf8", f"not UTF-8 text (byte {error.start + 1} of the line is {raw[error.start]:#04x})"
        )


class _ArrayScanner:
    """Where each element of a JSON array ends, across chunk boundaries, in one pass."""

    def __init__(self, line: int, loads: Callable[[Any], Any]) -> None:
        self.loads = loads
        self.line = line  # the line where the current element's text begins
        self.parts: list[str] = []
        self.depth = 0
        self.in_string = False
        self.escaped = False
        self.closed = False
        self.count = 0
        self.trailing = ""

    def feed(self, chunk: str) -> Iterator[tuple[int, Any]]:
        pos, size = 0, len(chunk)
        if self.closed:
            self.trailing = (self.trailing + chunk.strip(_TEXT_BLANK))[:40]
            return
        start = 0
        while pos < size:
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                    pos += 1
                    continue
                match = _IN_STRING.search(chunk, pos)
                if match is None:
                    break
                pos = match.end()
                if match.group() == "\\":
                    self.escaped = True
                else:
                    self.in_string = False
                continue
            match = _STRUCTURE.search(chunk, pos)
            if match is None:
                break
            char, pos = match.group(), match.end()
            if char == '"':
                self.in_string = True
            elif char in "{[":
                self.depth += 1
            elif char == "}" or (char == "]" and self.depth > 0):
                self.depth = max(0, self.depth - 1)
            elif self.depth == 0:  # "," or the closing "]"
                self.parts.append(chunk[start : match.start()])
                start = pos
                yield from self._element(final=char == "]")
                if char == "]":
                    self.closed = True
                    self.trailing = chunk[pos:].strip(_TEXT_BLANK)[:40]
                    return
        self.parts.append(chunk[start:])

    def _element(self, final: bool) -> Iterator[tuple[int, Any]]:
        text = "".join(self.parts)
        self.parts = []
        body = text.lstrip(_TEXT_BLANK)
        line = self.line + text[: len(text) - len(body)].count("\n")
        self.line += text.count("\n")
        if not body.strip(_TEXT_BLANK):
            if final:
                return  # "[]", or a trailing comma, which we forgive
            yield line, RecordError("invalid-json", "empty element in the JSON array")
            self.count += 1
            return
        self.count += 1
        if _ESCAPED_BYTE.search(body):
            yield line, RecordError("invalid-utf8", "not UTF-8 text")
        else:
            yield line, parse(body, self.loads)

    def finish(self) -> Iterator[tuple[int, Any]]:
        if self.closed:
            if self.trailing:
                yield self.line, RecordError("invalid-json", f"data after the JSON array: {self.trailing!r}")
            return
        text = "".join(self.parts)
        body = text.lstrip(_TEXT_BLANK)
        line = self.line + text[: len(text) - len(body)].count("\n")
        message = "unexpected end of input inside the JSON array"
        yield (line, RecordError("invalid-json", message + (" (this element is cut short)" if body else "")))


def _array(stream: IO[bytes], rest: bytes, line: int, loads: Callable[[Any], Any]) -> Iterator[tuple[int, Any]]:
    """The elements of a top-level JSON array, streamed; ``rest`` is what follows the ``[`` on its line."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    scanner = _ArrayScanner(line, loads)
    chunk = rest
    while chunk:
        yield from scanner.feed(decoder.decode(chunk))
        chunk = stream.read(CHUNK)
    yield from scanner.feed(decoder.decode(b"", final=True))
    yield from scanner.finish()
