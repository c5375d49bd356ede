"""Static checks of a parsed expression against a catalog: everything Entra would reject before running.

Returns every problem at once (``scimmap check`` shows them all); ``compile`` raises on the errors and
keeps the warnings.  Function-specific rules live in the catalog declarations (``Param.check``,
``FunctionSpec.arity_check``, ``FunctionSpec.cautions``), not here.
"""

from __future__ import annotations

from scimmap.dotnet.regex import MAX_WEIGHT_PER_EXPRESSION
from scimmap.errors import Diagnostic, Span
from scimmap.functions.catalog import Catalog, FunctionSpec
from scimmap.language.nodes import (
    Attribute,
    Call,
    Comparison,
    Concat,
    Constant,
    Identifier,
    Node,
    Parameter,
    children,
    walk,
)
from scimmap.language.values import FLOW_IDENTIFIERS, ValueFailure

MAX_LENGTH = 10_000
"""Entra's documented limit on an expression's length (the function reference and its known issues)."""


def length_diagnostic(text: str) -> Diagnostic:
    """The ``too-long`` error, pointing at everything past Entra's limit."""
    return Diagnostic(
        "too-long",
        f"expression is {len(text):,} characters long; Entra accepts at most {MAX_LENGTH:,}",
        Span(MAX_LENGTH, len(text)),
        text,
        "move parts of the logic into separate mappings",
    )


def check_node(
    node: Node, text: str, catalog: Catalog, dialect: str, *, compile_costly: bool = True
) -> list[Diagnostic]:
    """All diagnostics for ``node`` (parsed from ``text``), errors and warnings, in text order.

    ``compile_costly=False`` skips the checks that compile costly constants (regex patterns): a mapping
    file over its regex budget is reported without compiling any of its patterns.
    """
    found: list[Diagnostic] = []

    def report(code: str, message: str, span: Span, hint: str | None = None, severity: str = "error") -> None:
        found.append(Diagnostic(code, message, span, text, hint, severity))  # type: ignore[arg-type]

    if len(text) > MAX_LENGTH:
        found.append(length_diagnostic(text))

    # Weighed first: over the budget, no pattern is compiled (Param.check compiles), only reported.
    budget = over_budget(costly_constants(node, catalog, dialect), MAX_WEIGHT_PER_EXPRESSION)
    if budget is not None:
        constant, total = budget
        found.append(budget_diagnostic(constant, total, MAX_WEIGHT_PER_EXPRESSION, "expression", text))
    compile_costly = compile_costly and budget is None

    # (node, is_top_level, parent call name, parameter type expected here)
    stack: list[tuple[Node, bool]] = [(node, True)]
    while stack:
        current, top = stack.pop()
        if isinstance(current, Call):
            _check_call(current, top, catalog, dialect, report, compile_costly)
        elif isinstance(current, Identifier) and current.name not in FLOW_IDENTIFIERS:
            report(
                "invalid-argument",
                f"'{current.name}' is not a value here",
                current.span,
                f'write it as a string: "{current.name}"',
            )
        elif isinstance(current, Concat) and dialect != "cloud-sync":
            report(
                "syntax",
                "the & operator is only available in the cloud-sync dialect",
                current.span,
                'use Join("", a, b) in app provisioning',
            )
        elif isinstance(current, Parameter) and dialect != "cloud-sync":
            report("syntax", f"%{current.name}% parameters are only available in the cloud-sync dialect", current.span)
        for child in reversed(_checked_children(current, catalog, dialect)):
            stack.append((child, False))
    found.sort(key=lambda d: d.span.start if d.span else 0)
    return found


def costly_constants(node: Node, catalog: Catalog, dialect: str) -> list[tuple[Constant, int]]:
    """Each constant argument whose parameter declares a compile ``cost`` (regex patterns), with that cost."""
    found: list[tuple[Constant, int]] = []
    for current in walk(node):
        if not isinstance(current, Call):
            continue
        spec = catalog.get(current.name, dialect)
        if spec is None or spec.arity_problem(len(current.args)) is not None:
            continue
        for index, arg in enumerate(spec.expand(current.args)):
            param = spec.param_at(index)
            if param.cost is not None and isinstance(arg, Constant):
                found.append((arg, param.cost(arg.value)))
    return found


def over_budget(costs: list[tuple[Constant, int]], limit: int) -> tuple[Constant, int] | None:
    """The constant whose cost takes the distinct constants' total past ``limit``, and the whole total.

    ``costs`` in text order; distinct by text: one pattern written twice is compiled (and cached) once.
    The total is kept as it grows: summing the distinct costs again for each new one was quadratic (a file
    of 24,000 small patterns loaded in 5.1 s instead of 3.9 s).
    """
    seen: set[str] = set()
    total = 0
    crossing: Constant | None = None
    for constant, cost in costs:
        if constant.value in seen:
            continue
        seen.add(constant.value)
        total += cost
        if crossing is None and total > limit:
            crossing = constant
    return None if crossing is None else (crossing, total)


def budget_diagnostic(constant: Constant, total: int, limit: int, scope: str, text: str) -> Diagnostic:
    """The ``regex-too-large`` error, pointing at the pattern that crosses the budget of its ``scope``."""
    return Diagnostic(
        "regex-too-large",
        f"the regular expressions in this {scope} weigh {total:,} once counted repeats are unrolled; "
        f"the limit is {limit:,}",
        constant.span,
        text,
        "compiling costs memory and time in proportion: write shorter counted repeats (x{n} compiles x n times)",
    )


def _checked_children(node: Node, catalog: Catalog, dialect: str) -> list[Node]:
    """Children to check generically; enum identifiers in enum slots were already checked by the call."""
    if not isinstance(node, Call):
        return list(children(node))
    spec = catalog.get(node.name, dialect)
    kept = []
    # Only a call of valid arity has a short-form layout; the arity error is reported by _check_call.
    valid = spec is not None and spec.arity_problem(len(node.args)) is None
    for index, arg in enumerate(spec.expand(node.args) if valid else node.args):  # type: ignore[union-attr]
        if arg is None:
            continue
        if spec is not None and isinstance(arg, Identifier):
            try:
                param = spec.param_at(index)
            except IndexError:
                param = None
            if param is not None and param.choices:
                continue
        kept.append(arg)
    return kept


def _check_call(node: Call, top: bool, catalog: Catalog, dialect: str, report, compile_costly: bool = True) -> None:  # type: ignore[no-untyped-def]
    spec = catalog.get(node.name, dialect)
    if spec is None:
        other = catalog.get(node.name)
        if other is not None:
            wanted = " or ".join(sorted(d for d in other.dialects))
            report(
                "unknown-function",
                f"{other.name} is not available in the {dialect} dialect",
                node.name_span,
                f"it belongs to the {wanted} dialect",
            )
            return
        suggestion = catalog.suggest(node.name, dialect)
        report(
            "unknown-function",
            f"no function named '{node.name}'",
            node.name_span,
            f"did you mean '{suggestion}'?" if suggestion else "see `scimmap docs functions` for the list",
        )
        return
    if spec.name != node.name:
        report(
            "function-case",
            f"function names are case-sensitive in Microsoft's reference: write '{spec.name}'",
            node.name_span,
            f"'{node.name}' resolves to '{spec.name}'; `scimmap fmt` rewrites it",
            "warning",
        )
    if spec.top_level_only and not top:
        report(
            "invalid-argument",
            f"{spec.name} must be the whole expression, not nested inside another function",
            node.span,
        )
    problem = spec.arity_problem(len(node.args))
    if problem:
        report("invalid-arity", problem, node.span, f"signature: {spec.signature()}")
        return
    for index, arg in enumerate(spec.expand(node.args)):
        param = spec.param_at(index)
        if arg is None:
            if param.required:
                report(
                    "invalid-arity",
                    f"{spec.name} needs a value for '{param.name}' (argument {index + 1})",
                    node.span,  # lark records no position for an empty slot: point at the call
                    f"signature: {spec.signature()}",
                )
            continue
        _check_argument(spec, param, arg, report, compile_costly)
    for caution in spec.cautions:
        for finding in caution.find(node, dialect):
            report(caution.code, finding.message, finding.span, finding.hint, "warning")


def _check_argument(spec: FunctionSpec, param, arg: Node, report, compile_costly: bool = True) -> None:  # type: ignore[no-untyped-def]
    if param.choices:
        words = ", ".join(param.choices)
        if isinstance(arg, Identifier):
            if arg.name.lower() not in {c.lower() for c in param.choices}:
                report(
                    "invalid-argument",
                    f"'{arg.name}' is not a valid {param.name} for {spec.name}",
                    arg.span,
                    f"use one of: {words}",
                )
            return
        if isinstance(arg, Constant) and arg.value.lower() not in {c.lower() for c in param.choices} and param.literal:
            report(
                "invalid-argument",
                f"'{arg.value}' is not a valid {param.name} for {spec.name}",
                arg.span,
                f"use one of: {words}",
            )
            return
    if param.literal and not isinstance(arg, (Constant, Identifier)):
        report(
            "invalid-argument",
            f"{spec.name}'s {param.name} must be written as a literal value",
            arg.span,
        )
        return
    if isinstance(arg, Constant):
        if param.type == "integer":
            try:
                param.convert(arg.value, spec.name)
            except ValueFailure:
                report(
                    "invalid-argument",
                    f"{spec.name}'s {param.name} must be a whole number, not {arg.value!r}",
                    arg.span,
                )
                return
        if param.check is not None and (compile_costly or param.cost is None):
            problem = param.check(arg.value)
            if problem:
                report("invalid-argument", f"{spec.name}'s {param.name}: {problem}", arg.span)
    if isinstance(arg, Attribute) and param.literal:
        report("invalid-argument", f"{spec.name}'s {param.name} must be a literal", arg.span)
    if isinstance(arg, Comparison) and param.type in ("integer", "datetime", "multi"):
        report("invalid-argument", f"{spec.name}'s {param.name} cannot be a comparison", arg.span)
