"""Checked nodes to fast Python: generated source, compiled once with ``compile()``.

Each expression becomes one Python function ``(src, ctx) -> value``.  Attributes are dictionary reads,
constants are folded (converted to the parameter's type at compile time, whole pure calls evaluated),
built-ins are called directly with no per-call dispatch, and lazy parameters (IIF and Switch branches)
become lambdas so untaken branches never run.  Deep trees are cut into helper functions so Python's own
parser limits never matter.

The same generator, with ``trace=True``, wraps every node in a recorder: that is the step-by-step trace
and, after a failure, the way the failing call's span is found.  There is no second interpreter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from attrs import define, field, frozen

from scimmap.dotnet.limits import check_length
from scimmap.functions.catalog import CONVERTERS, Catalog, FunctionSpec, Param
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
from scimmap.language.values import (
    FLOW_IDENTIFIERS,
    OMITTED,
    SENTINELS,
    SKIP,
    SKIP_OBJECT,
    ValueFailure,
    compare,
    text_or_empty,
    to_text,
)

TEXT_OR_NULL = frozenset({str, type(None)})
"""The types a source attribute usually holds; generated code tests for them to take its fast paths."""
_NESTING_BUDGET = 24  # bracket levels per generated function; Python's parser allows 200


@frozen
class Context:
    """Per-evaluation inputs that are not source attributes.  Frozen: calls in the same second with no
    options share one (see ``EvaluationOptions.context``)."""

    now: datetime
    exists: Callable[[str], bool] | None = None
    rng: Any = None
    parameters: dict[str, Any] = field(factory=dict)
    tracer: Any = None
    dialect: str = "provisioning"


@define
class TraceStep:
    """One evaluated node: its value, and how deep it sits (for indentation)."""

    node: Node
    value: Any
    depth: int


class Tracer:
    """Records node values in evaluation order; on failure, the innermost node still on the stack failed."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self.steps: list[TraceStep] = []
        self.stack: list[int] = []

    def __call__(self, index: int, thunk: Callable[[], Any]) -> Any:
        self.stack.append(index)
        value = thunk()
        self.stack.pop()
        self.steps.append(TraceStep(self.nodes[index], value, len(self.stack)))
        return value

    @property
    def failing_node(self) -> Node | None:
        return self.nodes[self.stack[-1]] if self.stack else None


def _concat(parts: tuple[Any, ...]) -> Any:
    for part in parts:
        if part in SENTINELS:
            return part
    texts = [to_text(p, "&") or "" for p in parts]
    check_length(sum(map(len, texts)), "the result of &")
    return "".join(texts)


def _limited(text: str) -> str:
    """The inline Join's result, held to the text limit (it joins attributes and constants only, so it is
    never longer than its inputs together: checked after building, at no amplification)."""
    check_length(len(text), "Join's result")
    return text


def _guarded(
    call: Callable[..., Any], binder: Callable[[tuple[Any, ...]], tuple[Any, ...]], raw: tuple[Any, ...]
) -> Any:
    """Slow path for calls whose arguments may carry a flow sentinel: the sentinel wins."""
    for value in raw:
        if value is SKIP or value is SKIP_OBJECT:
            return value
        if type(value) is list:
            for item in value:
                if item is SKIP or item is SKIP_OBJECT:
                    return item
    return call(*binder(raw))


def may_skip(node: Node, catalog: Catalog | None = None) -> bool:
    """Can this sub-expression produce SKIP / SKIP_OBJECT?  A call can when its function declares
    ``may_skip`` (resolved in ``catalog``, the built-ins by default) or any argument can."""
    if isinstance(node, Identifier):
        return node.name in FLOW_IDENTIFIERS
    if isinstance(node, Call):
        if catalog is None:
            from scimmap.functions import BUILTINS

            catalog = BUILTINS
        if catalog.declares(node.name, "may_skip"):
            return True
        return any(a is not None and may_skip(a, catalog) for a in node.args)
    return False


class NamespaceBuilder:
    """Names for the objects generated source refers to (functions, converters, non-literal constants).

    Shared by the expression compiler and the generated table functions (mapping/codegen.py); one name per object.
    """

    namespace: dict[str, Any]
    _names: dict[int, str]

    def bind(self, value: Any, prefix: str = "_k") -> str:
        key = id(value)
        if key in self._names and self.namespace.get(self._names[key]) is value:
            return self._names[key]
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        self._names[key] = name
        return name

    def literal(self, value: Any) -> str:
        if value is None or type(value) in (str, int, bool):
            return repr(value)
        return self.bind(value)


class _Generator(NamespaceBuilder):
    attribute: Callable[[str], str] | None = None  # set for inlining: attribute name -> Python code
    text_attributes = False  # set when the host knows every attribute is text or null

    def __init__(self, catalog: Catalog, dialect: str, trace: bool) -> None:
        self.catalog = catalog
        self.dialect = dialect
        self.trace = trace
        self.namespace: dict[str, Any] = {
            "_compare": compare,
            "_concat": _concat,
            "_guarded": _guarded,
            "_limited": _limited,
            "_SKIP": SKIP,
            "_SKIP_OBJECT": SKIP_OBJECT,
            "_OMITTED": OMITTED,
        }
        self.helpers: list[str] = []
        self.nodes: list[Node] = []
        self._names: dict[int, str] = {}
        self.switches = 0

    # -- code generation ----------------------------------------------------------------------------
    def emit(self, node: Node, level: int) -> str:
        if level > _NESTING_BUDGET:
            return self.helper(node)
        code = self._emit(node, level)
        if self.trace:
            index = len(self.nodes)
            self.nodes.append(node)
            # Numbering after the children keeps indices unique; the tracer only needs a lookup.
            return f"ctx.tracer({index}, lambda: {code})"
        return code

    def helper(self, node: Node) -> str:
        name = f"_h{len(self.helpers)}"
        self.helpers.append("")  # reserve the slot before recursing so nested helpers number uniquely
        slot = len(self.helpers) - 1
        body = self.emit(node, 0)
        self.helpers[slot] = f"def {name}(src, ctx):\n    return {body}\n"
        return f"{name}(src, ctx)"

    def _emit(self, node: Node, level: int) -> str:
        if isinstance(node, Attribute):
            if self.attribute is not None:
                return self.attribute(node.name)
            return f"src.get({node.name!r})"
        if isinstance(node, Constant):
            return repr(node.value)
        if isinstance(node, Identifier):
            if node.name in FLOW_IDENTIFIERS:
                return "_SKIP" if node.name == "IgnoreAttributeFlow" else "_SKIP_OBJECT"
            return repr(node.name)
        if isinstance(node, Parameter):
            return f"ctx.parameters.get({node.name!r})"
        if isinstance(node, Comparison):
            left = self.emit(node.left, level + 1)
            right = self.emit(node.right, level + 1)
            return f"_compare({node.operator!r}, {left}, {right})"
        if isinstance(node, Concat):
            parts = ", ".join(self.emit(p, level + 1) for p in node.parts)
            return f"_concat(({parts},))"
        if isinstance(node, Call):
            return self._call(node, level)
        raise TypeError(f"not a node: {node!r}")  # pragma: no cover

    def _call(self, node: Call, level: int) -> str:
        spec = self.catalog.get(node.name, self.dialect)
        if spec is None:  # the checker reports this; compile() never gets here
            raise ValueFailure(f"no function named {node.name!r}")
        folded = self._fold(spec, node)
        if folded is not None:
            return folded
        table = self._switch_table(spec, node, level)
        if table is not None:
            return table
        generic = self._generic_call(spec, node, level)
        joined = self._join_text(spec, node, level, generic)
        return generic if joined is None else joined

    def _generic_call(self, spec: FunctionSpec, node: Call, level: int) -> str:
        fn = self.bind(spec.impl, "_f")
        slots = list(spec.expand(node.args))
        fixed = [p for p in spec.params if not p.repeating]
        guarded = any(
            a is not None and may_skip(a, self.catalog) and not spec.param_at(i).lazy for i, a in enumerate(slots)
        )
        if guarded:
            return self._guarded_call(spec, node, fn, level)
        codes: list[str] = ["ctx"] if spec.context else []
        for index, param in enumerate(fixed):
            slot = slots[index] if index < len(slots) else None
            codes.append(self._argument(spec, param, slot, level))
        if len(fixed) < len(spec.params):
            tail = [self._argument(spec, spec.param_at(i), slots[i], level) for i in range(len(fixed), len(slots))]
            codes.append(f"[{', '.join(tail)}]")
        return f"{fn}({', '.join(codes)})"

    def _argument(self, spec: FunctionSpec, param: Param, slot: Node | None, level: int) -> str:
        if slot is None:
            return self.literal(param.default)
        if isinstance(slot, Constant) and param.type not in ("any", "enum"):
            try:
                return self.literal(param.convert(slot.value, spec.name))
            except ValueFailure:
                pass  # keep the runtime conversion so the error is reported with its span
        code = self.emit(slot, level + (2 if param.lazy else 1))
        converter = CONVERTERS[param.type]
        if converter is not None:
            if param.lazy:
                # A lazy branch may yield a flow sentinel, which Param.convert lets through.
                code = f"{self.bind(param.convert, '_cv')}({code}, {spec.name!r})"
            else:
                # Eager arguments cannot carry sentinels here (those calls take the guarded path),
                # so the plain converter is called directly: one call fewer per argument.
                code = f"{self.bind(converter, '_cv')}({code}, {f'{spec.name}({param.name})'!r})"
        return f"lambda: {code}" if param.lazy else code

    def _guarded_call(self, spec: FunctionSpec, node: Call, fn: str, level: int) -> str:
        """Evaluate the raw arguments, let a sentinel through, else convert and call."""
        slots = list(spec.expand(node.args))
        raw = []
        for index, slot in enumerate(slots):
            param = spec.param_at(index)
            if slot is None:
                raw.append(self.literal(OMITTED))
            elif param.lazy:
                raw.append(f"lambda: {self.emit(slot, level + 2)}")
            else:
                raw.append(self.emit(slot, level + 1))
        binder = self.bind(_binder(spec), "_b")
        call = f"lambda *a: {fn}(ctx, *a)" if spec.context else fn
        return f"_guarded({call}, {binder}, ({', '.join(raw)},))"

    def _join_text(self, spec: FunctionSpec, node: Call, level: int, generic: str) -> str | None:
        """``Join(" ", [a], [b])`` without a call when every part is text or null: null and "" are skipped
        either way, so the result is Join's; any other part (a list, a number) takes the catalog's Join,
        which also reports what it cannot join.  A host that knows its attributes are text or null
        (``text_attributes``) gets no test at all."""
        if self.trace or not spec.separator_join or len(node.args) < 2 or not isinstance(node.args[0], Constant):
            return None
        parts = [p for p in node.args[1:] if p is not None and not (isinstance(p, Constant) and p.value == "")]
        if any(not isinstance(p, (Attribute, Constant)) for p in parts):
            return None
        separator = node.args[0].value
        codes = [self.emit(p, level + 1) for p in parts]
        reads = [code for part, code in zip(parts, codes) if isinstance(part, Attribute)]
        if not reads:
            return None
        if len(codes) == 1:
            joined = f"({codes[0]} or '')"
        elif len(codes) == 2:
            first, second = codes
            joined = f"(({first} + {separator!r} + {second} if {second} else {first}) if {first} else ({second} or ''))"
        else:
            joined = f"{separator!r}.join(filter(None, ({', '.join(codes)},)))"
        joined = f"_limited({joined})"
        if self.text_attributes:
            return joined
        guard = " and ".join(f"({code}.__class__ is str or {code} is None)" for code in dict.fromkeys(reads))
        return f"({joined} if {guard} else {generic})"

    def _switch_table(self, spec: FunctionSpec, node: Call, level: int) -> str | None:
        """``Switch(x, d, "k1", v1, ...)`` with constant keys: one dict lookup instead of a thunk per key.

        Constant values: the lookup gives the value.  Computed values: the lookup gives the index of the
        chosen value and a conditional expression evaluates that one value only, so nothing is allocated
        per call.  The trace keeps the generic call so every key shows up.
        """
        if self.trace:
            return None
        lookup = spec.specializer(spec, node, self.catalog) if spec.specializer is not None else None
        if lookup is None:
            return None
        convert = self.bind(text_or_empty, "_cv")
        code = self.emit(lookup.source, level + 1)
        key = f"{convert}({code}, {spec.name!r})"
        if isinstance(lookup.source, Attribute):  # text as it is, without a call: the usual case
            key = f"({code} if {code}.__class__ is str else {key})"
        branches = (*lookup.values, lookup.default)
        if self.text_attributes and isinstance(lookup.source, Attribute):
            key = code  # text or null: the table has a None entry for the "" key
        if all(b is None or isinstance(b, Constant) for b in branches):
            table: dict[str | None, Any] = {k: _constant_value(lookup.values[i]) for k, i in lookup.keys.items()}
            if "" in table:
                table[None] = table[""]
            return f"{self.bind(table, '_t')}.get({key}, {_constant_value(lookup.default)!r})"
        self.switches += 1
        index = f"_sw{self.switches}"  # a local the generated code binds with :=
        chosen = self._select(index, branches, 0, len(branches), level)
        keys: dict[Any, int] = dict(lookup.keys)
        if "" in keys:
            keys[None] = keys[""]
        return (
            f"({chosen} if ({index} := {self.bind(keys, '_t')}.get({key}, {len(branches) - 1})) is not None else None)"
        )

    def _select(self, index: str, branches: tuple[Node | None, ...], low: int, high: int, level: int) -> str:
        """A balanced conditional expression that evaluates only ``branches[index]``."""
        if high - low == 1:
            branch = branches[low]
            return "None" if branch is None else self.emit(branch, level + 2)
        middle = (low + high) // 2
        left = self._select(index, branches, low, middle, level)
        right = self._select(index, branches, middle, high, level)
        return f"({left} if {index} < {middle} else {right})"

    def _fold(self, spec: FunctionSpec, node: Call) -> str | None:
        """Evaluate a pure call of constants at compile time."""
        if self.trace or not spec.pure or spec.context:
            return None
        if any(a is not None and not isinstance(a, Constant) for a in node.args):
            return None
        if any(p.lazy for p in spec.params):
            return None
        binder = _binder(spec)
        raw = tuple(OMITTED if a is None else a.value for a in spec.expand(node.args))
        try:
            value = spec.impl(*binder(raw))
        except Exception:
            return None
        if isinstance(value, list) or value in SENTINELS:
            return None
        return self.literal(value)

    def source(self, root: Node) -> str:
        body = self.emit(root, 0)
        helpers = "".join(self.helpers)
        return f"{helpers}def _expression(src, ctx):\n    return {body}\n"


def _constant_value(node: Node | None) -> Any:
    return None if node is None else node.value  # type: ignore[union-attr]


def _binder(spec: FunctionSpec) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """Convert raw slot values to the implementation's positional arguments."""
    fixed = [p for p in spec.params if not p.repeating]
    has_tail = len(fixed) < len(spec.params)

    def bind(raw: tuple[Any, ...]) -> tuple[Any, ...]:
        args: list[Any] = []
        for index, param in enumerate(fixed):
            value = raw[index] if index < len(raw) else OMITTED
            if value is OMITTED:
                args.append(param.default)
            elif param.lazy:
                args.append(_lazy_convert(param, value, spec.name))
            else:
                args.append(param.convert(value, spec.name))
        if has_tail:
            tail = []
            for index in range(len(fixed), len(raw)):
                param = spec.param_at(index)
                value = raw[index]
                if param.lazy:
                    tail.append(_lazy_convert(param, value, spec.name))
                else:
                    tail.append(param.convert(None if value is OMITTED else value, spec.name))
            args.append(tail)
        return tuple(args)

    return bind


def _lazy_convert(param: Param, thunk: Any, function: str) -> Callable[[], Any]:
    if not callable(thunk):
        value = thunk
        return lambda: param.convert(value, function)
    return lambda: param.convert(thunk(), function)


def inline_code(
    root: Node,
    catalog: Catalog,
    dialect: str,
    bind: Callable[[Any, str], str],
    attribute: Callable[[str], str],
    *,
    text_attributes: bool = False,
) -> tuple[str, dict[str, Any]] | None:
    """Python code for ``root`` to paste into a larger generated function (a generated table function).

    ``bind`` places objects in the host's namespace and returns their names; ``attribute`` gives the code
    that reads an attribute there (usually a local variable); ``text_attributes`` says every attribute is
    text or null there, which spares some tests.  Returns the code and the fixed helper names
    (``_compare``, ``_SKIP``...) the host namespace must also hold, or None when the tree is too deep to
    inline without helper functions, which could not see the host's locals.
    """
    generator = _Generator(catalog, dialect, trace=False)
    generator.attribute = attribute
    generator.text_attributes = text_attributes
    fixed = dict(generator.namespace)
    generator.bind = lambda value, prefix="_k": bind(value, prefix)  # type: ignore[method-assign]
    code = generator.emit(root, 0)
    if generator.helpers:
        return None
    return code, fixed


def generate(
    root: Node, catalog: Catalog, dialect: str, *, trace: bool = False
) -> tuple[Callable[..., Any], list[Node]]:
    """Compile ``root`` to ``(function(src, ctx), nodes)``; ``nodes`` indexes trace steps."""
    generator = _Generator(catalog, dialect, trace)
    text = generator.source(root)
    code = compile(text, "<scimmap expression>", "exec")
    namespace = dict(generator.namespace)
    exec(code, namespace)
    function = namespace["_expression"]
    function.__scimmap_source__ = text
    return function, generator.nodes
