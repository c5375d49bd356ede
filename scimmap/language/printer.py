"""Nodes to text: the canonical one-line form and an indented layout for deep nesting.

Both forms parse back to an equal tree.  Literals keep the form they were written in (``1`` and
``42568.75`` stay unquoted, ``&HF7`` stays hex) and omitted slots stay empty, so Microsoft's canonical
``Replace([x], "-", , , "_", , )`` prints exactly as the portal shows it.
"""

from __future__ import annotations

import re

from scimmap.language.nodes import (
    Attribute,
    Call,
    Comparison,
    Concat,
    Constant,
    Identifier,
    Node,
    Parameter,
    depth,
)

INDENT = "    "
PRETTY_WIDTH = 80


def quote(value: str) -> str:
    """A string literal for ``value``: only backslash and double quote need escaping."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _constant(node: Constant) -> str:
    # Hand-built nodes may claim a form their value cannot be written in; those print as strings.
    if node.form == "integer" and _INTEGER_TEXT.fullmatch(node.value):
        return node.value
    if node.form == "decimal" and _DECIMAL_TEXT.fullmatch(node.value):
        return node.value
    if node.form == "hex" and node.value.isdigit() and len(node.value) <= 20:
        return f"&H{int(node.value):X}"
    return quote(node.value)


_INTEGER_TEXT = re.compile(r"-?[0-9]+")
_DECIMAL_TEXT = re.compile(r"-?[0-9]+\.[0-9]+")


def format_node(node: Node) -> str:
    """Canonical one-line text: ``, `` between arguments, single spaces around operators."""
    # Iterative post-order so that pathological depth cannot overflow the stack.
    out: dict[int, str] = {}
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, ready = stack.pop()
        if not ready:
            kids = _kids(current)
            if kids:
                stack.append((current, True))
                stack.extend((k, False) for k in kids)
                continue
        out[id(current)] = _render(current, out)
    return out[id(node)]


def _kids(node: Node) -> list[Node]:
    if isinstance(node, Call):
        return [a for a in node.args if a is not None]
    if isinstance(node, Comparison):
        return [node.left, node.right]
    if isinstance(node, Concat):
        return list(node.parts)
    return []


def _operand(node: Node, text: str, inside: type) -> str:
    """Parenthesise where the grammar needs it: a comparison inside a comparison or concatenation."""
    if isinstance(node, Comparison) or (isinstance(node, Concat) and inside is Concat):
        return f"({text})"
    return text


def _render(node: Node, out: dict[int, str]) -> str:
    if isinstance(node, Attribute):
        return f"[{node.name}]"
    if isinstance(node, Constant):
        return _constant(node)
    if isinstance(node, Identifier):
        return node.name
    if isinstance(node, Parameter):
        return f"%{node.name}%"
    if isinstance(node, Call):
        parts = ["" if a is None else out[id(a)] for a in node.args]
        return f"{node.name}({_join_args(parts)})"
    if isinstance(node, Comparison):
        left = _operand(node.left, out[id(node.left)], Comparison)
        right = _operand(node.right, out[id(node.right)], Comparison)
        return f"{left} {node.operator} {right}"
    if isinstance(node, Concat):
        return " & ".join(_operand(p, out[id(p)], Concat) for p in node.parts)
    raise TypeError(f"not a node: {node!r}")  # pragma: no cover


def _join_args(parts: list[str]) -> str:
    """``a, , b`` for omitted slots and ``a, `` for a trailing one, as the Entra portal prints them."""
    return ", ".join(parts)


def format_pretty(node: Node, width: int = PRETTY_WIDTH) -> str:
    """Indented layout: a call whose one-line form is too wide or too deep puts each argument on a line."""
    return _pretty(node, 0, width)


def _pretty(node: Node, level: int, width: int) -> str:
    flat = format_node(node)
    pad = INDENT * level
    if len(pad) + len(flat) <= width and depth(node) <= 3:
        return flat
    if isinstance(node, Call) and node.args:
        lines = [f"{node.name}("]
        for index, arg in enumerate(node.args):
            comma = "," if index < len(node.args) - 1 else ""
            body = "" if arg is None else _pretty(arg, level + 1, width).lstrip()
            lines.append(f"{pad}{INDENT}{body}{comma}".rstrip() if body or comma else "")
        lines.append(f"{pad})")
        return "\n".join(lines)
    if isinstance(node, Comparison):
        left = _operand(node.left, _pretty(node.left, level, width), Comparison)
        right = _operand(node.right, _pretty(node.right, level, width), Comparison)
        return f"{left} {node.operator} {right}"
    if isinstance(node, Concat):
        return " & ".join(_operand(p, _pretty(p, level, width), Concat) for p in node.parts)
    return flat
