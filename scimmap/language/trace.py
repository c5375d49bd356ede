"""A step-by-step trace of one evaluation, rendered for people.

The steps come from the compiled evaluator's traced build (``Expression.trace``), never from a second
interpreter, so the trace cannot disagree with ``evaluate``.  This module only lays them out: every
sub-expression on one line in evaluation order, indented by nesting, with its value as Entra renders it.
Nodes the evaluator never reached (the branches IIF and Switch did not take, or everything after a failure)
are listed as well and marked, because "why was this not used?" is the usual question.  Constants handed to
typed parameters are converted once at compile time and so leave no step; they are shown as constants.

Nodes are matched to steps by identity (``is``), never by equality: ``IIF([a]="x", "x", "y")`` holds two
equal ``"x"`` constants, and only one of them may be reported as evaluated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import define, field

from scimmap.functions.catalog import Catalog
from scimmap.language.nodes import Call, Comparison, Concat, Constant, Node
from scimmap.language.printer import format_node
from scimmap.language.values import SKIP, SKIP_OBJECT, output

REDACTED = "[Redact]"
TEXT_WIDTH = 56
"""Sub-expression text longer than this is shortened: its own children are listed on the lines above."""

_COLORS = {
    "dim": "\x1b[2m",
    "yellow": "\x1b[33m",
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "bold": "\x1b[1m",
    "reset": "\x1b[0m",
}


@define
class _Slot:
    """One occurrence of a node in the tree (the same node object may occur twice in a hand-built tree)."""

    node: Node
    parent: int | None
    slot: int  # argument position inside the parent
    depth: int
    children: list[int] = field(factory=list)
    traced: bool = False
    value: Any = None
    emitted: bool = False


def _positions(root: Node) -> list[_Slot]:
    """Pre-order list of node occurrences with parent links, built without recursion."""
    slots: list[_Slot] = [_Slot(root, None, 0, 0)]
    stack = [0]
    while stack:
        index = stack.pop()
        node = slots[index].node
        kids: list[tuple[int, Node]] = []
        if isinstance(node, Call):
            kids = [(i, a) for i, a in enumerate(node.args) if a is not None]
        elif isinstance(node, Comparison):
            kids = [(0, node.left), (1, node.right)]
        elif isinstance(node, Concat):
            kids = list(enumerate(node.parts))
        for slot, kid in kids:
            slots.append(_Slot(kid, index, slot, slots[index].depth + 1))
            slots[index].children.append(len(slots) - 1)
        stack.extend(reversed(slots[index].children))
    return slots


def _attach_steps(slots: list[_Slot], steps: Iterable[Any]) -> list[int]:
    """Mark traced occurrences; returns their positions in evaluation order."""
    by_identity: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        by_identity.setdefault(id(slot.node), []).append(index)
    order: list[int] = []
    for step in steps:
        candidates = by_identity.get(id(step.node), [])
        # A step belongs to the first occurrence not yet traced whose children have all been seen.
        chosen = next((i for i in candidates if not slots[i].traced), None)
        if chosen is None:
            continue
        slots[chosen].traced = True
        slots[chosen].value = step.value
        order.append(chosen)
    return order


def _failing_position(slots: list[_Slot], error: Any) -> int | None:
    """The innermost unfinished node whose span is the one the error points at."""
    diagnostic = getattr(error, "diagnostics", None)
    span = diagnostic[0].span if diagnostic else None
    if span is None:
        return None
    best = None
    for index, slot in enumerate(slots):
        if not slot.traced and getattr(slot.node, "span", None) == span:
            best = index  # pre-order: later matches are deeper
    return best


def _redacted_positions(slots: list[_Slot], catalog: Catalog, dialect: str | None) -> set[int]:
    """Calls of secret functions (Redact), everything inside them, and everything that contains them.

    Containing nodes are hidden too: ``Join(",", Redact([pw]))`` would otherwise print the secret one line
    later.  Entra's logs likewise show the whole flowed value as "[Redact]".
    """
    hidden: set[int] = set()
    for index, slot in enumerate(slots):
        if isinstance(slot.node, Call) and catalog.declares(slot.node.name, "secret", dialect):
            stack = [index]
            while stack:
                current = stack.pop()
                hidden.add(current)
                stack.extend(slots[current].children)
            parent = slot.parent
            while parent is not None:
                hidden.add(parent)
                parent = slots[parent].parent
    return hidden


def _builtins() -> Catalog:
    from scimmap.functions import BUILTINS

    return BUILTINS


def show(value: Any) -> str:
    """A value as Entra renders it, quoted so that "" and null and "True" and True stay distinguishable."""
    if value is SKIP:
        return "(not flowed: IgnoreFlowIfNullOrEmpty / IgnoreAttributeFlow)"
    if value is SKIP_OBJECT:
        return "(object skipped: IgnoreObjectFlow)"
    value = output(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(show(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _show_literal(node: Constant) -> str:
    """A constant as written: numbers unquoted (a decimal keeps its digits), text quoted."""
    if node.form == "string":
        return show(node.value)
    if node.form == "decimal":
        return node.value
    return show(int(node.value))


def _empty(value: Any) -> str | None:
    """Why a value deserves a flag: null and "" are where most surprises come from."""
    if value is None:
        return "null flows here"
    if value == "" and isinstance(value, str):
        return "empty string flows here"
    if isinstance(value, list) and not value:
        return "no values flow here"
    return None


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


@define
class _Line:
    depth: int
    text: str
    value: str
    flag: str | None
    tone: str  # "value", "constant", "skipped", "failed", "unfinished"


def render_trace(expression: Any, steps: Sequence[Any], error: Any = None, color: bool = False) -> str:
    """The trace of one evaluation: one line per sub-expression, in evaluation order, then the result."""
    slots = _positions(expression.node)
    order = _attach_steps(slots, steps)
    failing = _failing_position(slots, error) if error is not None else None
    started: set[int] = {i for i, s in enumerate(slots) if s.traced}
    position = failing
    while position is not None:
        started.add(position)
        position = slots[position].parent
    spec_of: dict[int, Any] = {}
    catalog = getattr(expression, "catalog", None)
    dialect = getattr(expression, "dialect", None)
    hidden = _redacted_positions(slots, catalog if catalog is not None else _builtins(), dialect)

    def spec(index: int) -> Any:
        node = slots[index].node
        if index not in spec_of:
            spec_of[index] = catalog.get(node.name, dialect) if catalog is not None and isinstance(node, Call) else None
        return spec_of[index]

    def folded(index: int) -> bool:
        """A constant converted at compile time for a typed, eager parameter: evaluated, but not traced."""
        slot = slots[index]
        if slot.traced or not isinstance(slot.node, Constant) or slot.parent not in started:
            return False
        if not isinstance(slots[slot.parent].node, Call):
            return False
        function = spec(slot.parent)
        if function is None:
            return True
        try:
            return not function.param_at(slot.slot).lazy
        except IndexError:
            return True

    lines: list[_Line] = []

    def text_of(index: int) -> str:
        return format_node(slots[index].node)

    def emit(index: int, kind: str, message: str = "") -> None:
        slot = slots[index]
        slot.emitted = True
        secret = index in hidden
        if kind == "value":
            value = REDACTED if secret else show(slot.value)
            sentinel = slot.value is SKIP or slot.value is SKIP_OBJECT
            flag = None if secret or sentinel else _empty(output(slot.value))
            lines.append(_Line(slot.depth, text_of(index), value, flag, "value"))
        elif kind == "constant":
            node = slot.node
            value = REDACTED if secret else _show_literal(node)  # type: ignore[arg-type]
            lines.append(_Line(slot.depth, text_of(index), value, None if secret else _empty(node.value), "constant"))  # type: ignore[union-attr]
        elif kind == "skipped":
            stack = [index]
            while stack:  # the whole untaken subtree is one line
                current = stack.pop()
                slots[current].emitted = True
                stack.extend(slots[current].children)
            lines.append(_Line(slot.depth, text_of(index), "not evaluated", None, "skipped"))
        elif kind == "failed":
            lines.append(_Line(slot.depth, text_of(index), "failed: " + message, None, "failed"))
        else:
            lines.append(_Line(slot.depth, text_of(index), "not finished", None, "unfinished"))

    def emit_children(index: int, before_slot: int | None = None) -> None:
        """Children still unreported: constants first met here, untaken branches."""
        for child in slots[index].children:
            slot = slots[child]
            if slot.emitted or (before_slot is not None and slot.slot >= before_slot):
                continue
            if folded(child):
                emit(child, "constant")
            elif before_slot is None and not slot.traced:
                if child in started:
                    finish(child)
                else:
                    emit(child, "skipped")

    def finish(index: int) -> None:
        """A started node that never produced a value: the failing call or one of its callers."""
        emit_children(index)
        if index == failing:
            message = error.diagnostics[0].message if getattr(error, "diagnostics", None) else str(error)
            emit(index, "failed", message)
        else:
            emit(index, "unfinished")

    for index in order:
        chain = []  # constants met before this node, outermost first, keep source order
        child, parent = index, slots[index].parent
        while parent is not None:
            chain.append((parent, slots[child].slot))
            child, parent = parent, slots[parent].parent
        for ancestor, before in reversed(chain):
            emit_children(ancestor, before_slot=before)
        emit_children(index)
        emit(index, "value")
    root = 0
    if not slots[root].emitted:
        if root in started:
            finish(root)
        else:
            emit(root, "skipped")

    return _layout(expression, lines, slots, order, error, hidden, color)


def _layout(
    expression: Any,
    lines: list[_Line],
    slots: list[_Slot],
    order: list[int],
    error: Any,
    hidden: set[int],
    color: bool,
) -> str:
    paint = _COLORS if color else {key: "" for key in _COLORS}
    reset = paint["reset"]
    texts = ["  " * line.depth + _shorten(line.text, TEXT_WIDTH) for line in lines]
    width = max((len(t) for t in texts), default=0)
    number = 0
    heading = " ".join(str(getattr(expression, "text", "") or format_node(expression.node)).split())
    out = [f"{paint['bold']}Trace of{reset} {heading}"]
    for text, line in zip(texts, lines):
        if line.tone in ("value", "failed", "unfinished"):
            number += 1
            label = f"{number:>3}"
        else:
            label = "  -"
        value = line.value
        text = text.ljust(width)  # before colouring: escape codes have no width on screen
        if line.tone == "skipped":
            value = f"{paint['dim']}{value}{reset}"
            text = f"{paint['dim']}{text}{reset}"
        elif line.tone == "failed":
            value = f"{paint['red']}{value}{reset}"
        elif line.tone == "unfinished":
            value = f"{paint['dim']}{value}{reset}"
        elif line.tone == "constant":
            value = f"{value}  {paint['dim']}(constant){reset}"
        if line.flag:
            value = f"{value}  {paint['yellow']}<- {line.flag}{reset}"
        out.append(
            f"{label}  {text}  = {value}" if line.tone in ("value", "constant") else f"{label}  {text}  : {value}"
        )
    root = slots[0]
    if error is None and root.traced:
        result = REDACTED if 0 in hidden else show(root.value)
        out.append(f"{paint['bold']}Result:{reset} {paint['green']}{result}{reset}")
    elif error is not None:
        message = error.diagnostics[0].message if getattr(error, "diagnostics", None) else str(error)
        out.append(f"{paint['bold']}Failed:{reset} {paint['red']}{message}{reset}")
    return "\n".join(out)
