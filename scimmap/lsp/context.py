"""Where a cursor stands in a mapping file that may not parse: which key's value, and the value typed so far.

While someone types, the buffer is rarely valid YAML (an open quote, a half-written key), so completion
cannot wait for the reader.  This module reads only the lines around the cursor: the key on the cursor's
line (``expression: 'Join("", [gi``), the header of the block scalar the cursor is in (``expression: |``),
or the list the cursor is adding a key to.  It undoes quoting (``''``, ``\\"``) so that the value text
is what the expression scanner expects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Literal

from attrs import frozen

Section = Literal["root", "mapping", "clause", "scope", "other"]

_KEY_LINE = re.compile(
    r"""^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<quote>["']?)(?P<key>[A-Za-z_$][\w$.-]*)(?P=quote)[ ]*:(?:[ ]+|$)(?P<value>.*)$"""
)
_BLOCK_HEADER = re.compile(r"^[|>][-+0-9]*[ ]*(?:#.*)?$")
_FLOW_KEY = re.compile(r"""(?:^|[{,])[ ]*(?P<key>[A-Za-z_$][\w$-]*)[ ]*:[ ]*(?P<value>[^,{}]*)$""")
_ITEMS = re.compile(r"[ ]*(?:-[ ]+)*")
_FLOW_KEY_START = re.compile(r"[{,][ ]*(?P<word>[A-Za-z_$][\w$-]*|)$")
_JSON_VALUE = re.compile(r'"(?P<key>[\w$.-]+)"\s*:\s*"(?P<value>(?:[^"\\]|\\.)*)$')
_WORD = re.compile(r"[A-Za-z_$][\w$-]*\Z")
_SECTIONS: dict[str, Section] = {"mappings": "mapping", "clauses": "clause", "scope": "scope"}


@frozen
class Cursor:
    """What is being typed at the cursor.

    ``key`` is the key whose value holds the cursor, or None at a position where a key is typed
    (``section`` then says which keys belong there).  ``value`` is the value's text before the cursor,
    unquoted; ``typed`` is how many characters of the cursor's line that text covers, so a completion can
    replace them.  ``style`` is the scalar's quoting (``'``, ``"``, ``|``, ``>`` or ``""`` for plain).
    """

    key: str | None
    value: str = ""
    typed: int = 0
    style: str = ""
    section: Section = "other"
    siblings: tuple[str, ...] = ()


NOWHERE = Cursor(None)


def cursor_at(lines: Sequence[str], line: int, column: int) -> Cursor:
    """The cursor at 0-based ``line`` and code-point ``column`` of ``lines`` (the document split at ``\\n``)."""
    if not 0 <= line < len(lines):
        return NOWHERE
    before = lines[line][:column]
    if _is_json(lines):
        return _json_cursor(before)
    match = _KEY_LINE.match(before)
    if match:
        return _value_cursor(match.group("key"), match.group("value"))
    items = _ITEMS.match(before)
    if items and before[items.end() :].startswith("{"):
        return _flow_cursor(lines, line, before[items.end() :], items.end())
    block = _enclosing_scalar(lines, line, before)
    if block is not None:
        return block
    stripped = before.lstrip(" ")
    word = stripped
    while word.startswith("-"):
        word = word[1:].lstrip(" ")
    if word and not _WORD.match(word):
        return NOWHERE
    key_column = len(before) - len(word)
    section, siblings = _section(lines, line, key_column)
    return Cursor(None, word, len(word), section=section, siblings=siblings)


def _is_json(lines: Sequence[str]) -> bool:
    for text in lines:
        stripped = text.strip().lstrip("\ufeff")
        if stripped:
            return stripped.startswith("{")
    return False


def _json_cursor(before: str) -> Cursor:
    match = _JSON_VALUE.search(before)
    if not match:
        return NOWHERE
    raw = match.group("value")
    return Cursor(match.group("key"), _unescape_double(raw), len(raw), '"')


def _flow_cursor(lines: Sequence[str], line: int, flow: str, column: int) -> Cursor:
    """Inside ``{attribute: department, operator: EQUALS}``: a key's value, or a key being typed."""
    inner = _FLOW_KEY.search(flow)
    if inner is not None:
        return _value_cursor(inner.group("key"), inner.group("value"))
    typing = _FLOW_KEY_START.search(flow)
    if typing is None:
        return NOWHERE
    word = typing.group("word")
    section, _ = _section(lines, line, column)
    present = tuple(re.findall(r"([A-Za-z_$][\w$-]*)[ ]*:", flow))
    return Cursor(None, word, len(word), section=section, siblings=present)


def _value_cursor(key: str, raw: str) -> Cursor:
    if raw.startswith("{"):
        inner = _FLOW_KEY.search(raw)
        if inner is None:
            return NOWHERE
        return _value_cursor(inner.group("key"), inner.group("value"))
    if _BLOCK_HEADER.match(raw) or raw.startswith("#"):
        return NOWHERE
    if raw.startswith("'"):
        return Cursor(key, raw[1:].replace("''", "'"), len(raw) - 1, "'")
    if raw.startswith('"'):
        return Cursor(key, _unescape_double(raw[1:]), len(raw) - 1, '"')
    return Cursor(key, raw, len(raw), "")


def _unescape_double(raw: str) -> str:
    """A double-quoted YAML or JSON string's text so far (an escape cut off by the cursor is dropped)."""
    text = raw[:-1] if raw.endswith("\\") and not raw.endswith("\\\\") else raw
    try:
        value = json.loads(f'"{text}"')
    except ValueError:
        return text.replace('\\"', '"').replace("\\\\", "\\")
    return value if isinstance(value, str) else text


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _enclosing_scalar(lines: Sequence[str], line: int, before: str) -> Cursor | None:
    """The block scalar (``|``, ``>``) or multi-line quoted scalar whose continuation line the cursor is on."""
    lowest = _indent(lines[line]) if lines[line].strip() else len(before)
    for index in range(line - 1, -1, -1):
        text = lines[index]
        if not text.strip():
            continue
        match = _KEY_LINE.match(text)
        if match is None:
            lowest = min(lowest, _indent(text))
            continue
        if _indent(text) + len(match.group("dashes")) >= lowest:
            return None
        raw = match.group("value")
        body = [lines[k] for k in range(index + 1, line)] + [before]
        if _BLOCK_HEADER.match(raw):
            content = [t for t in body if t.strip()]
            depth = min((_indent(t) for t in content), default=0)
            value = "\n".join(t[depth:] for t in body)
            return Cursor(match.group("key"), value, max(0, len(before) - depth), raw[0])
        if raw[:1] in ("'", '"') and not _closed(raw):
            quote = raw[0]
            joined = " ".join([raw[1:].rstrip(" "), *(t.strip(" ") for t in body[:-1]), before.lstrip(" ")])
            value = joined.replace("''", "'") if quote == "'" else _unescape_double(joined)
            return Cursor(match.group("key"), value, len(before.lstrip(" ")), quote)
        return None
    return None


def _closed(raw: str) -> bool:
    """Does a quoted scalar that starts ``raw`` end on the same line?"""
    quote, body = raw[0], raw[1:]
    if quote == "'":
        return bool(re.match(r"(?:[^']|'')*'(?!')", body))
    return bool(re.match(r'(?:[^"\\]|\\.)*"', body))


def _section(lines: Sequence[str], line: int, column: int) -> tuple[Section, tuple[str, ...]]:
    """Which keys belong at ``column`` of ``line``, and the keys its entry already has.

    The entry is the block of keys starting at ``column``: the root mapping, or one list item
    (``- target: ...`` and the keys under it).  Its container's key (``mappings``, ``clauses``...)
    decides the section.
    """
    siblings: list[str] = []
    current = lines[line]
    starts_item = current.lstrip(" ").startswith("-")
    container = _indent(current) if starts_item else None
    first = line
    if container is None:
        for index in range(line - 1, -1, -1):
            text = lines[index]
            if not text.strip() or text.lstrip(" ").startswith("#"):
                continue
            match = _KEY_LINE.match(text)
            key_column = _indent(text) + (len(match.group("dashes")) if match else 0)
            if _indent(text) > column or (match is None and _indent(text) >= column):
                continue
            if match is not None and key_column == column:
                siblings.append(match.group("key"))
                if match.group("dashes"):
                    container, first = _indent(text), index
                    break
                continue
            if match is not None and key_column < column:
                siblings.extend(_following_siblings(lines, line, column))
                return _SECTIONS.get(match.group("key"), "other"), tuple(siblings)
            return "other", tuple(siblings)
        else:
            siblings.extend(_following_siblings(lines, line, column))
            return ("root" if column == 0 else "other"), tuple(siblings)
    if not starts_item:
        siblings.extend(_following_siblings(lines, line, column))
    for index in range(first - 1, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip(" ").startswith("#"):
            continue
        if _indent(text) > container or (_indent(text) == container and text.lstrip(" ").startswith("-")):
            continue
        match = _KEY_LINE.match(text)
        if match is not None and not match.group("dashes") and not match.group("value").strip():
            return _SECTIONS.get(match.group("key"), "other"), tuple(siblings)
        return "other", tuple(siblings)
    return "other", tuple(siblings)


def _following_siblings(lines: Sequence[str], line: int, column: int) -> list[str]:
    found = []
    for text in lines[line + 1 :]:
        if not text.strip() or text.lstrip(" ").startswith("#"):
            continue
        if _indent(text) < column or (_indent(text) == column and text.lstrip(" ").startswith("-")):
            break
        match = _KEY_LINE.match(text)
        if match is not None and _indent(text) == column:
            found.append(match.group("key"))
    return found
