"""Unfinished expression text, as an editor or the REPL has it while someone types.

Completion and signature help need to know where the cursor sits (inside a string, inside ``[...]``, or in
code) and which call and argument it is in, long before the text parses.  The REPL and the language
server both ask these questions of the text before the cursor.
"""

from __future__ import annotations

import re

_NAME_BEFORE_PAREN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\Z")


def scan(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Where the end of ``text`` sits: ``"code"``, ``"string"`` or ``"attribute"``, and the open calls.

    Each open call is ``(name, argument index)``; a bare ``(`` records an empty name.
    """
    calls: list[tuple[str, int]] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == '"':
            index += 1
            while index < length and text[index] != '"':
                index += 2 if text[index] == "\\" else 1
            if index >= length:
                return "string", calls
        elif char == "[":
            end = text.find("]", index)
            if end < 0:
                return "attribute", calls
            index = end
        elif char == "(":
            match = _NAME_BEFORE_PAREN.search(text, 0, index)
            calls.append((match.group(1) if match else "", 0))
        elif char == ")":
            if calls:
                calls.pop()
        elif char == "," and calls:
            name, argument = calls[-1]
            calls[-1] = (name, argument + 1)
        index += 1
    return "code", calls


def current_call(text: str) -> tuple[str, int] | None:
    """The innermost named call the cursor is inside, and which argument it is on."""
    _, calls = scan(text)
    for name, argument in reversed(calls):
        if name:
            return name, argument
    return None
