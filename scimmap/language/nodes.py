"""The expression tree: small frozen attrs classes.

Spans and the way a literal was written are ``eq=False`` so that trees compare by structure: ``1`` and
``"1"`` are the same Constant (Graph stores both as the string "1"), and re-parsing printed text gives an
equal tree whatever whitespace it had.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from attrs import field, frozen

from scimmap.errors import Span

LiteralForm = Literal["string", "integer", "decimal", "hex"]
ComparisonOperator = Literal["=", "<>", "<", "<=", ">", ">="]


def _no_span() -> Span:
    return Span(0, 0)


@frozen
class Attribute:
    """``[name]``: a source attribute; absent attributes read as null."""

    name: str
    span: Span = field(factory=_no_span, eq=False, repr=False)


@frozen
class Constant:
    """A literal. ``value`` is always the text Entra sees; ``form`` remembers how it was written."""

    value: str
    form: LiteralForm = field(default="string", eq=False)
    span: Span = field(factory=_no_span, eq=False, repr=False)


@frozen
class Identifier:
    """A bare word argument such as ``vbTextCompare``, ``UTF8`` or ``IgnoreAttributeFlow``."""

    name: str
    span: Span = field(factory=_no_span, eq=False, repr=False)


@frozen
class Parameter:
    """A cloud-sync ``%Name%`` token whose value the caller supplies."""

    name: str
    span: Span = field(factory=_no_span, eq=False, repr=False)


def _slots(items: Iterable[Node | None]) -> tuple[Node | None, ...]:
    return tuple(items)


def _parts(items: Iterable[Node]) -> tuple[Node, ...]:
    return tuple(items)


def _significant_slots(args: tuple[Node | None, ...]) -> tuple[Node | None, ...]:
    """Trailing omitted slots change nothing (``f(a, )`` is ``f(a)``; Graph JSON drops them)."""
    end = len(args)
    while end and args[end - 1] is None:
        end -= 1
    return args[:end]


@frozen
class Call:
    """``Name(arg, , arg)``: ``None`` in ``args`` is an omitted slot, which differs from ``""``."""

    name: str
    args: tuple[Node | None, ...] = field(converter=_slots, default=(), eq=_significant_slots)
    span: Span = field(factory=_no_span, eq=False, repr=False)
    name_span: Span = field(factory=_no_span, eq=False, repr=False)


@frozen
class Comparison:
    """``left op right``; allowed wherever an argument is (IIF conditions, CBool)."""

    operator: ComparisonOperator
    left: Node
    right: Node
    span: Span = field(factory=_no_span, eq=False, repr=False)


@frozen
class Concat:
    """Cloud-sync ``a & b & c`` string concatenation."""

    parts: tuple[Node, ...] = field(converter=_parts)
    span: Span = field(factory=_no_span, eq=False, repr=False)


Node = Attribute | Constant | Identifier | Parameter | Call | Comparison | Concat
NODE_TYPES = (Attribute, Constant, Identifier, Parameter, Call, Comparison, Concat)


def children(node: Node) -> tuple[Node, ...]:
    """Direct sub-nodes, omitted slots left out."""
    if isinstance(node, Call):
        return tuple(a for a in node.args if a is not None)
    if isinstance(node, Comparison):
        return (node.left, node.right)
    if isinstance(node, Concat):
        return node.parts
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Pre-order traversal without recursion, so very deep trees cannot overflow the stack."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def depth(node: Node) -> int:
    """Nesting depth, computed iteratively."""
    best = 0
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, level = stack.pop()
        best = max(best, level)
        stack.extend((child, level + 1) for child in children(current))
    return best
