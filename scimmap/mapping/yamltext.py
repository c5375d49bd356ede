"""YAML scalar text that reads back as exactly the string written: the writer's quoting rules.

Kept apart from :mod:`scimmap.mapping.yamlwrite` because the mapping-file keys (:mod:`scimmap.mapping.filekeys`)
write their own values with these rules, and the writer in turn loops over those keys.  Multi-line values
become ``|-`` block scalars and a value is written plain wherever YAML reads it back as the same string.
"""

from __future__ import annotations

import re

RAW_UNSAFE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
"""Characters YAML cannot hold raw (C0 but tab and LF, DEL, C1, FFFE/FFFF) or reads as a line break
(CR, NEL, U+2028, U+2029): written raw, ``check`` refused the file or the value came back changed."""


def keyed(key: str, value: str) -> list[str]:
    """``key: value`` as lines: a ``|-`` block for multi-line text, quoted where YAML would misread it.

    Continuation lines are indented two spaces past the key's own indentation; empty lines stay empty.
    """
    if RAW_UNSAFE.search(value):
        return [f"{key}: {double_quoted(value)}"]
    if "\n" in value and value == value.rstrip("\n") and not value.startswith((" ", "\t")):
        indent = " " * (len(key) - len(key.lstrip()) + 2)
        return [f"{key}: |-"] + [(indent + line) if line else "" for line in value.split("\n")]
    if key.strip() == "expression" or any(c in value for c in '[]"'):
        return [f"{key}: {quoted(value)}"]
    return [f"{key}: {scalar(value)}"]


def scalar(value: str) -> str:
    """Plain when YAML reads it back as the same string; otherwise single-quoted (or double for control chars)."""
    if value and plain_ok(value):
        return value
    return quoted(value)


def flow_scalar(value: str) -> str:
    """A scalar inside a flow collection (``{a: x, b: y}``), where ``,[]{}`` also need quotes."""
    if value and plain_ok(value) and not any(c in value for c in ",[]{}"):
        return value
    return quoted(value)


def quoted(value: str) -> str:
    if "\n" in value or RAW_UNSAFE.search(value):
        return double_quoted(value)
    return "'" + value.replace("'", "''") + "'"


_SHORT_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
    "\x00": "\\0",
}


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar with every unsafe character escaped (``\\x9b``, ``\\L``...), so the text
    is plain printable YAML and reads back as exactly ``value``."""
    parts = ['"']
    for char in value:
        if char in _SHORT_ESCAPES:
            parts.append(_SHORT_ESCAPES[char])
        elif not RAW_UNSAFE.match(char):
            parts.append(char)
        elif ord(char) <= 0xFF:
            parts.append(f"\\x{ord(char):02x}")
        else:
            parts.append(f"\\u{ord(char):04x}")
    parts.append('"')
    return "".join(parts)


def plain_ok(value: str) -> bool:
    """Whether ``value`` written plain reads back as the same string."""
    import yaml  # only writing needs it; the model that declares keys imports this module

    if RAW_UNSAFE.search(value):
        return False
    if value != value.strip() or "\n" in value or ": " in value or " #" in value or value.endswith(":"):
        return False
    if value[:1] in "!&*[]{}|>'\"%@`#,?-:" and value not in ("-",):
        return False
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, str) and loaded == value
