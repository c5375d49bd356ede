"""Tables back to the mapping-file format: readable YAML that reads back to an equal table.

The reader (files.py) keeps positions for diagnostics; the writer only has to be faithful and pleasant to
read: multi-line values become ``|-`` block scalars and a value is written plain wherever YAML reads it
back as the same string.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from scimmap.mapping.model import GRAPH_FLOW_TYPES, OBJECT_ACTIONS, table_actions


def dump_yaml(table: Any) -> str:
    """The mapping-file form of a table: readable, comment-friendly, and read back to an equal table."""
    lines: list[str] = []
    lines.append(f"object: {_scalar(str(table.object))}")
    if getattr(table, "name", None):
        lines.append(f"name: {_scalar(table.name)}")
    if getattr(table, "target_object", None):
        lines.append(f"target_object: {_scalar(table.target_object)}")
    actions = table_actions(table)
    if actions != OBJECT_ACTIONS:
        lines.append("actions: [" + ", ".join(actions) + "]")
    lines.append("mappings:" if table.mappings else "mappings: []")
    for mapping in table.mappings:
        lines.append(f"  - target: {_scalar(mapping.target)}")
        if mapping.kind == "direct" and mapping.source is not None:
            lines.append(f"    source: {_scalar(mapping.source)}")
        elif mapping.kind == "constant" and mapping.source is not None:
            lines.append(f"    constant: {_scalar(mapping.source)}")
        elif mapping.kind == "expression" and mapping.source is not None:
            lines.extend(_keyed("    expression", mapping.source))
        if mapping.default is not None:
            lines.extend(_keyed("    default", mapping.default))
        if mapping.match:
            lines.append(f"    match: {int(mapping.match)}")
        if mapping.flow_type and mapping.flow_type not in GRAPH_FLOW_TYPES.values():
            lines.append(f"    apply: {mapping.flow_type}")
        elif mapping.apply != "always":
            lines.append(f"    apply: {mapping.apply}")
        if mapping.flow_behavior and mapping.flow_behavior != "FlowWhenChanged":
            lines.append(f"    flow_behavior: {mapping.flow_behavior}")
    if table.scope:
        lines.append("scope:")
        for group in table.scope:
            if group.name:
                lines.append(f"  - name: {_scalar(group.name)}")
                lines.append("    clauses:")
                pad = "      - "
            else:
                pad = "  - - "
            first = True
            for clause in group.clauses:
                prefix = pad if (first or group.name) else "    - "
                if group.name:
                    prefix = "      - "
                first = False
                parts = [f"attribute: {_flow_scalar(clause.attribute)}", f"operator: {_flow_scalar(clause.operator)}"]
                if len(clause.values) == 1:
                    parts.append(f"value: {_flow_scalar(clause.values[0])}")
                elif clause.values:
                    parts.append("values: [" + ", ".join(_flow_scalar(v) for v in clause.values) + "]")
                lines.append(prefix + "{" + ", ".join(parts) + "}")
            if not group.clauses:
                lines.append(pad.rstrip() + " []" if not group.name else "      []")
    return "\n".join(lines) + "\n"


_RAW_UNSAFE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")
"""Characters YAML cannot hold raw (C0 but tab and LF, DEL, C1, FFFE/FFFF) or reads as a line break
(CR, NEL, U+2028, U+2029): written raw, ``check`` refused the file or the value came back changed."""


def _keyed(key: str, value: str) -> list[str]:
    if _RAW_UNSAFE.search(value):
        return [f"{key}: {_double_quoted(value)}"]
    if "\n" in value and value == value.rstrip("\n") and not value.startswith((" ", "\t")):
        indent = " " * (len(key) - len(key.lstrip()) + 2)
        return [f"{key}: |-"] + [(indent + line) if line else "" for line in value.split("\n")]
    if key.strip() == "expression" or any(c in value for c in '[]"'):
        return [f"{key}: {_quoted(value)}"]
    return [f"{key}: {_scalar(value)}"]


def yaml_scalar(value: str) -> str:
    """One string as YAML text that reads back as the same string (plain where that is safe)."""
    return _scalar(value)


def _scalar(value: str) -> str:
    """Plain when YAML reads it back as the same string; otherwise single-quoted (or double for control chars)."""
    if value and _plain_ok(value):
        return value
    return _quoted(value)


def _flow_scalar(value: str) -> str:
    if value and _plain_ok(value) and not any(c in value for c in ",[]{}"):
        return value
    return _quoted(value)


def _quoted(value: str) -> str:
    if "\n" in value or _RAW_UNSAFE.search(value):
        return _double_quoted(value)
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


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar with every unsafe character escaped (``\\x9b``, ``\\L``...), so the text
    is plain printable YAML and reads back as exactly ``value``."""
    parts = ['"']
    for char in value:
        if char in _SHORT_ESCAPES:
            parts.append(_SHORT_ESCAPES[char])
        elif not _RAW_UNSAFE.match(char):
            parts.append(char)
        elif ord(char) <= 0xFF:
            parts.append(f"\\x{ord(char):02x}")
        else:
            parts.append(f"\\u{ord(char):04x}")
    parts.append('"')
    return "".join(parts)


def _plain_ok(value: str) -> bool:
    if _RAW_UNSAFE.search(value):
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
