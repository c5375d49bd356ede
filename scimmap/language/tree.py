"""An indented, human-readable view of a node tree, naming each argument by its parameter."""

from __future__ import annotations

from scimmap.functions.catalog import Catalog
from scimmap.language.nodes import Attribute, Call, Comparison, Concat, Constant, Identifier, Node, Parameter
from scimmap.language.printer import format_node


def describe(node: Node) -> str:
    if isinstance(node, Attribute):
        return f"attribute [{node.name}]"
    if isinstance(node, Constant):
        kind = {"integer": "number", "decimal": "number", "hex": "hex number"}.get(node.form, "string")
        return f"{kind} {format_node(node)}"
    if isinstance(node, Identifier):
        return f"word {node.name}"
    if isinstance(node, Parameter):
        return f"parameter %{node.name}%"
    if isinstance(node, Call):
        return f"call {node.name}"
    if isinstance(node, Comparison):
        return f"comparison {node.operator}"
    if isinstance(node, Concat):
        return "concatenation &"
    return repr(node)  # pragma: no cover


def render_tree(node: Node, catalog: Catalog) -> str:
    lines: list[str] = []
    stack: list[tuple[Node | None, int, str]] = [(node, 0, "")]
    while stack:
        current, level, label = stack.pop()
        prefix = "  " * (level + 1) + (f"{label}: " if label else "")
        if current is None:
            lines.append(prefix + "(omitted)")
            continue
        lines.append(prefix + describe(current))
        kids: list[tuple[Node | None, str]] = []
        if isinstance(current, Call):
            spec = catalog.get(current.name)
            slots = spec.expand(current.args) if spec is not None else current.args
            for index, arg in enumerate(slots):
                if arg is None and len(slots) > len(current.args) and spec is not None:
                    if spec.param_at(index).name in spec.short_form:
                        continue
                name = spec.param_at(index).name if spec is not None and _has_param(spec, index) else f"#{index + 1}"
                kids.append((arg, name))
        elif isinstance(current, Comparison):
            kids = [(current.left, "left"), (current.right, "right")]
        elif isinstance(current, Concat):
            kids = [(p, "") for p in current.parts]
        for kid, name in reversed(kids):
            stack.append((kid, level + 1, name))
    return "\n".join(lines)


def _has_param(spec, index: int) -> bool:  # type: ignore[no-untyped-def]
    try:
        spec.param_at(index)
    except IndexError:
        return False
    return True
