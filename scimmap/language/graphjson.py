"""Expressions to and from Graph's ``attributeMappingSource`` JSON (docs/mapping-files.md "Graph JSON").

Graph keys function arguments by the engine's parameter names, not by position, and drops omitted
slots; the catalog's ``Param.key`` is the only place those names live, so both directions read it.
Forms Graph has no node type for get a reversible encoding: bare words (``vbTextCompare``) are Constants
with an *unquoted* expression, comparisons are Functions named by their operator with keys left/right,
and cloud-sync ``&`` is a Function named ``&`` with a repeated ``source`` key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from scimmap.errors import Diagnostic, ParseError
from scimmap.language.nodes import (
    Attribute,
    Call,
    Comparison,
    Concat,
    Constant,
    Identifier,
    Node,
    Parameter,
)
from scimmap.language.printer import _operand, quote

COMPARISON_OPERATORS = ("=", "<>", "<", "<=", ">", ">=")

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]+")
_HEX = re.compile(r"&[Hh]([0-9A-Fa-f]+)")
_PARAMETER = re.compile(r"%([^%]+)%")


def _catalog() -> Any:
    from scimmap.functions import BUILTINS

    return BUILTINS


def _error(message: str, hint: str | None = None) -> ParseError:
    return ParseError(Diagnostic("invalid-graph", message, hint=hint))


# ------------------------------------------------------------------------------------------------ to Graph


def to_graph(text_or_node: str | Node, *, catalog: Any = None) -> dict[str, Any]:
    """Graph's JSON for an expression (text is parsed first)."""
    from scimmap.language.expression import to_node

    node, _ = to_node(text_or_node)
    try:
        return _to_graph(node, catalog or _catalog())[0]
    except RecursionError:
        raise _error("expression nests too deeply for Graph JSON") from None


def graph_text(node: Node, *, catalog: Any = None) -> str:
    """The ``expression`` text Graph stores for a node (canonical; Replace padded to all its slots)."""
    return _to_graph(node, catalog or _catalog())[1]


def _leaf(node_type: str, name: str, expression: str) -> dict[str, Any]:
    return {"expression": expression, "name": name, "parameters": [], "type": node_type}


def _to_graph(node: Node, catalog: Any) -> tuple[dict[str, Any], str]:
    if isinstance(node, Attribute):
        text = f"[{node.name}]"
        return _leaf("Attribute", node.name, text), text
    if isinstance(node, Constant):
        # Graph quotes every constant, numbers included: Mid([x], 1, 8) stores Constant nodes named "1" and "8".
        shown = node.value if node.form in ("integer", "decimal") else None
        return _leaf("Constant", node.value, quote(node.value)), shown or _constant_text(node)
    if isinstance(node, Identifier):
        return _leaf("Constant", node.name, node.name), node.name
    if isinstance(node, Parameter):
        text = f"%{node.name}%"
        return _leaf("Constant", text, text), text
    if isinstance(node, Comparison):
        left, left_text = _to_graph(node.left, catalog)
        right, right_text = _to_graph(node.right, catalog)
        text = f"{_operand(node.left, left_text, Comparison)} {node.operator} {_operand(node.right, right_text, Comparison)}"
        return _function(node.operator, text, [("left", left), ("right", right)]), text
    if isinstance(node, Concat):
        parts = [_to_graph(part, catalog) for part in node.parts]
        text = " & ".join(_operand(p, t, Concat) for p, (_, t) in zip(node.parts, parts))
        return _function("&", text, [("source", graph) for graph, _ in parts]), text
    if isinstance(node, Call):
        spec = catalog.get(node.name)
        # Each argument is converted exactly once: converting it again for its text doubled the work at
        # every nesting level (24 nested ToLower took 36 s).  ``expand`` only inserts None slots, so the
        # written arguments appear in the expanded slots in order.
        converted = [None if arg is None else _to_graph(arg, catalog) for arg in node.args]
        texts = ["" if pair is None else pair[1] for pair in converted]
        slots = spec.expand(tuple(range(len(node.args)))) if spec is not None else tuple(range(len(node.args)))
        parameters: list[tuple[str, dict[str, Any]]] = []
        for index, position in enumerate(slots):
            pair = None if position is None else converted[position]
            if pair is not None:
                parameters.append((_key(spec, index), pair[0]))
        if spec is not None and spec.graph_all_slots:
            texts.extend([""] * (len(spec.params) - len(texts)))
        text = f"{node.name}({', '.join(texts)})"
        return _function(node.name, text, parameters), text
    raise _error(f"not an expression node: {type(node).__name__}")


def _constant_text(node: Constant) -> str:
    from scimmap.language.printer import format_node

    return format_node(node)


def _key(spec: Any, index: int) -> str:
    if spec is None:
        return f"arg{index + 1}"
    try:
        return str(spec.param_at(index).key)
    except IndexError:
        return f"arg{index + 1}"


def _function(name: str, text: str, parameters: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        "expression": text,
        "name": name,
        "parameters": [{"key": key, "value": value} for key, value in parameters],
        "type": "Function",
    }


# ---------------------------------------------------------------------------------------------- from Graph


def from_graph(obj: Mapping[str, Any] | str, *, catalog: Any = None) -> Node:
    """Node tree from Graph JSON (a dict, its JSON text, or a parseExpression response)."""
    if isinstance(obj, (str, bytes)):
        try:
            obj = json.loads(obj)
        except ValueError as error:
            raise _error(f"not JSON: {error}") from None
        except RecursionError:
            raise _error("Graph JSON nests too deeply") from None
    if isinstance(obj, Mapping) and "parsedExpression" in obj and "type" not in obj:
        obj = obj["parsedExpression"]
    if not isinstance(obj, Mapping):
        raise _error("an attributeMappingSource must be a JSON object")
    try:
        return _from_graph(obj, catalog or _catalog())
    except RecursionError:
        raise _error("Graph JSON nests too deeply") from None


def _from_graph(obj: Mapping[str, Any], catalog: Any) -> Node:
    node_type = str(obj.get("type") or "Attribute").lower()
    name = obj.get("name")
    expression = obj.get("expression")
    if node_type == "attribute":
        if isinstance(name, str) and name:
            return Attribute(name)
        if isinstance(expression, str) and expression.startswith("[") and expression.endswith("]"):
            return Attribute(expression[1:-1])
        raise _error("an Attribute source needs a name")
    if node_type == "constant":
        return _constant(name, expression)
    if node_type != "function":
        raise _error(f"unknown attributeMappingSource type {obj.get('type')!r}", "use Attribute, Constant or Function")
    if not isinstance(name, str) or not name:
        return _reparse(expression, "a Function source needs a name")
    parameters = _parameters(obj)
    if name in COMPARISON_OPERATORS:
        sides = {key.lower(): value for key, value in parameters}
        if "left" not in sides or "right" not in sides:
            return _reparse(expression, f"comparison {name} needs left and right parameters")
        return Comparison(name, _from_graph(sides["left"], catalog), _from_graph(sides["right"], catalog))  # type: ignore[arg-type]
    if name == "&":
        if len(parameters) < 2:  # the language has no empty or one-part &: it would compile to broken code
            return _reparse(expression, "cloud-sync & needs at least two source parameters")
        return Concat(tuple(_from_graph(value, catalog) for _, value in parameters))
    spec = catalog.get(name)
    if spec is None:
        return _reparse(expression, f"unknown function {name!r} and no expression text to read")
    slots = _slots(spec, parameters)
    if slots is None:
        return _reparse(expression, f"parameters of {name} do not match its declaration")
    if spec.short_form:
        # Graph cannot tell FormatDateTime(a, , b, c) from FormatDateTime(a, b, c); the text can.
        written = _written_form(expression, spec)
        slots = slots if written == "long" else spec.contract(slots)
    if any(p.repeating for p in spec.params):
        slots = _written_gaps(expression, name, slots)
    args = tuple(None if value is None else _from_graph(value, catalog) for value in slots)
    return Call(name, args)


_GAP = re.compile(r",\s*[,)]")
"""An omitted slot in expression text (``Switch([x], "d", "a", , "b", "B")``)."""


def _written_gaps(expression: Any, name: str, slots: list[Any]) -> list[Any]:
    """Repeated parameters carry no position in Graph JSON, so an omitted ``value`` slot of Switch would
    shift every later pair; the node's own text still shows the gap, so put the omitted slots back."""
    if not isinstance(expression, str) or not _GAP.search(expression):
        return slots
    try:
        from scimmap.language.syntax import parse_expression

        written = parse_expression(expression)
    except Exception:
        return slots
    given = [slot for slot in slots if slot is not None]
    if not isinstance(written, Call) or written.name.lower() != name.lower():
        return slots
    if sum(arg is not None for arg in written.args) != len(given):
        return slots
    values = iter(given)
    return [None if arg is None else next(values) for arg in written.args]


def _parameters(obj: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    raw = obj.get("parameters") or []
    if not isinstance(raw, list):
        raise _error("parameters must be a list of {key, value}")
    found = []
    for item in raw:
        if not isinstance(item, Mapping) or not isinstance(item.get("value"), Mapping):
            raise _error("each parameter must be {key, value: attributeMappingSource}")
        found.append((str(item.get("key") or ""), item["value"]))
    return found


def _slots(spec: Any, parameters: list[tuple[str, Mapping[str, Any]]]) -> list[Mapping[str, Any] | None] | None:
    """Positional slots from keyed parameters: fixed keys by declaration, repeated keys in order."""
    params = list(spec.params)
    first_repeating = next((i for i, p in enumerate(params) if p.repeating), len(params))
    fixed = {p.key.lower(): i for i, p in enumerate(params[:first_repeating])}
    repeating_keys = {p.key.lower() for p in params[first_repeating:]}
    slots: list[Mapping[str, Any] | None] = [None] * first_repeating
    tail: list[Mapping[str, Any]] = []
    for key, value in parameters:
        folded = key.lower()
        if folded in fixed and slots[fixed[folded]] is None:
            slots[fixed[folded]] = value
        elif folded in repeating_keys:
            tail.append(value)
        else:
            match = re.fullmatch(r"arg([0-9]+)", folded)
            if not match:
                return None
            position = _position(spec, match.group(1), len(parameters), key)
            while len(slots) <= position:
                slots.append(None)
            slots[position] = value
    if tail:
        if len(slots) > first_repeating:
            return None
        slots.extend(tail)
    while slots and slots[-1] is None:
        slots.pop()
    return slots


def _position(spec: Any, digits: str, given: int, key: str) -> int:
    """The slot an ``argN`` key names, bounded before any list grows to it.

    A real slot lies within the declared parameters plus the parameters actually given (extra arguments
    keep their place so the arity check can report them); ``arg100000000`` would otherwise allocate a
    hundred million slots.
    """
    limit = len(spec.params) + given
    if len(digits) > len(str(limit)) or not 1 <= int(digits) <= limit:
        raise _error(
            f"parameter key {key[:40]!r} of {spec.name} names a slot beyond its {limit} possible arguments",
            "Graph keys arguments by parameter name; argN counts from arg1",
        )
    return int(digits) - 1


def _constant(name: Any, expression: Any) -> Node:
    text = expression if isinstance(expression, str) else None
    if text is not None and not text.startswith('"'):
        stripped = text.strip()
        if _PARAMETER.fullmatch(stripped):
            return Parameter(stripped[1:-1])
        if _INTEGER.fullmatch(stripped) or _DECIMAL.fullmatch(stripped) or _HEX.fullmatch(stripped):
            from scimmap.language.syntax import parse_expression

            # The parser's own normalisation of a number literal: it keeps huge integers as text (int()
            # refuses more than 4,300 digits) and refuses hex numbers over 64 bits with a diagnostic.
            return parse_expression(stripped)
        if _IDENTIFIER.fullmatch(stripped):
            return Identifier(stripped)
    if name is not None:
        return Constant(str(name))
    if text is not None and len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        from scimmap.language.syntax import unescape_string

        return Constant(unescape_string(text))
    if text is None:
        raise _error("a Constant source needs a name")
    return Constant(text)


def _written_form(expression: Any, spec: Any) -> str:
    """ "long" when the node's own text writes every parameter slot, else "short"."""
    if isinstance(expression, str):
        try:
            from scimmap.language.syntax import parse_expression

            written = parse_expression(expression)
        except Exception:
            return "short"
        if isinstance(written, Call) and len(written.args) >= len(spec.params):
            return "long"
    return "short"


def _reparse(expression: Any, problem: str) -> Node:
    if isinstance(expression, str) and expression.strip():
        from scimmap.language.syntax import parse_expression

        return parse_expression(expression)
    raise _error(problem)
