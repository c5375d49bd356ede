"""Control flow and tests: IIF, Switch, CBool, BitAnd, IsNull, IgnoreFlowIfNullOrEmpty and the like.

IIF and Switch are lazy: Microsoft's own examples (``IIF(IsPresent([x]), [x], Error("..."))``, the
SuccessFactors 9999-date guard) only work when the branch not taken is never evaluated.  The Boolean
functions return Python ``bool`` so they render as "True"/"False" wherever text is expected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scimmap.functions.catalog import (
    Catalog,
    Caution,
    Example,
    Finding,
    FunctionSpec,
    Lookup,
    Param,
    builtin,
    graph_only,
)
from scimmap.language.values import (
    OMITTED,
    SKIP,
    ValueFailure,
    is_sentinel,
    single,
    text_or_empty,
    to_bool,
    to_text,
)

Thunk = Callable[[], Any]

_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


def _even_arguments(count: int) -> str | None:
    if count % 2:
        return f"Switch needs an even number of arguments (source, default, then key/value pairs), got {count}"
    return None


def _switch_table(spec: FunctionSpec, node: Any, catalog: Catalog) -> Lookup | None:
    """The lookup table of a ``Switch`` call whose keys are all constants, else None.

    Same result as :func:`switch` (source text with null as "", case-sensitive keys, the first duplicate
    key wins, an empty value slot is null); the compiler keeps the same source conversion, so a bad source
    fails with the same message.  A source that may carry a flow sentinel keeps the generic call.
    """
    from scimmap.language.compiler import may_skip
    from scimmap.language.nodes import Constant

    if len(node.args) < 4 or len(node.args) % 2:
        return None
    source, default, *pairs = node.args
    if source is None or may_skip(source, catalog):
        return None
    keys = pairs[0::2]
    if any(not isinstance(k, Constant) for k in keys):
        return None
    table: dict[str, int] = {}
    for index, key in enumerate(keys):
        table.setdefault(key.value, index)
    return Lookup(source, table, tuple(pairs[1::2]), default)


@builtin(
    "Switch",
    [
        Param("source", type="any", summary='compared with each key as a string; null compares as ""'),
        Param("defaultValue", type="any", required=False, lazy=True, summary="returned when no key matches"),
        Param("key", type="any", repeating=True, lazy=True, graph_key="switchValue"),
        Param(
            "value",
            type="any",
            required=False,
            repeating=True,
            lazy=True,
            graph_key="switchValue",
            summary="an empty slot (a trailing comma) gives null",
        ),
    ],
    min_args=4,
    arity_check=_even_arguments,
    specializer=_switch_table,
    examples=[
        Example('Switch([IsSoftDeleted], , "False", "True", "True", "False")', "True", {"IsSoftDeleted": "False"}),
        Example('Switch([country], [country], "", "Other")', "Other", {"country": None}),
        Example('Switch([statusFlag], "Default Value", "true", "1", "", "0")', "0", {"statusFlag": ""}),
    ],
    notes=[
        'Keys compare case-sensitively with the source\'s text; a null source matches the "" key.',
        "With the default omitted and no key matching, the result is null (nothing is provisioned).",
        "When a key appears twice, the first one wins.",
        'An empty value slot (`Switch([a], , "0", "True", "1",)`) gives null for that key.',
        'Microsoft\'s caution: do not use IsPresent, IsNull or IsNullOrEmpty as the source (their "True"/'
        '"False" is compared case-sensitively as text); switch on the attribute itself with an empty-string '
        'key, as in `Switch([country], [country], "", "Other")`. `scimmap check` warns about a null test '
        "as the source (switch-on-null-test).",
        "Microsoft reports a service issue: with Entra ID as the source, a Switch with a default value can set "
        "the target to null on an update that does not change the Switch's source. Its workarounds are nested "
        "IIF, or IgnoreFlowIfNullOrEmpty(Switch(...)) when the default is an attribute. scimmap evaluates the "
        "expression as written and does not reproduce the issue.",
    ],
)
def switch(source: Any, default: Thunk | None, pairs: list[Thunk]) -> Any:
    """Returns the value of the first key equal to source (case-sensitive), else the default.

    Keys are evaluated left to right and only the chosen value (or the default) is evaluated, so a
    failing expression in a branch that is not selected never fails the mapping.
    """
    wanted = text_or_empty(source, "Switch")
    for index in range(0, len(pairs) - 1, 2):
        if text_or_empty(_run(pairs[index]), "Switch key") == wanted:
            return _run(pairs[index + 1])
    return _run(default)


def _run(thunk: Thunk | None) -> Any:
    """Evaluate a lazy argument; an empty slot (None, or OMITTED on the sentinel-guarded path) is null."""
    if thunk is None or not callable(thunk):
        return None
    value = thunk()
    return None if value is OMITTED else value


def _flow_wrapper_in_condition(call: Any, dialect: str) -> list[Finding]:
    """IgnoreFlowIfNullOrEmpty anywhere in IIF's condition: Microsoft lists it as unsupported."""
    from scimmap.language.nodes import Call, walk

    if not call.args or call.args[0] is None:
        return []
    for inner in walk(call.args[0]):
        if isinstance(inner, Call) and inner.name.lower() == "ignoreflowifnullorempty":
            return [
                Finding(
                    "IgnoreFlowIfNullOrEmpty in IIF's condition is unsupported: it is a flow-control wrapper, "
                    "not a Boolean test",
                    inner.span,
                    "wrap the whole IIF instead: IgnoreFlowIfNullOrEmpty(IIF(...)), e.g. "
                    'IgnoreFlowIfNullOrEmpty(IIF([country] = "USA", [region], ""))',
                )
            ]
    return []


FLOW_WRAPPER_CONDITION = Caution(
    "ignore-flow-condition",
    "IgnoreFlowIfNullOrEmpty in the condition is unsupported (Microsoft's IIF known limitations); `scimmap check` "
    "warns and suggests the supported form, IgnoreFlowIfNullOrEmpty(IIF(...)).",
    _flow_wrapper_in_condition,
)


@builtin(
    "IIF",
    [
        Param("condition", type="any", summary='a comparison, a Boolean function or "True"/"False"'),
        Param("valueIfTrue", type="any", lazy=True),
        Param("valueIfFalse", type="any", lazy=True),
    ],
    examples=[
        Example('IIF([country]="USA", [country], [department])', "USA", {"country": "USA", "department": "HR"}),
        Example(
            'IIF([country]="USA", IIF([state]="CA", "True", "False"), "False")',
            "True",
            {"country": "USA", "state": "CA"},
            note="AND: nest along the true branch",
        ),
    ],
    notes=[
        "There are no AND/OR operators: nest IIF along valueIfTrue for AND, along valueIfFalse for OR.",
        'A null or "" condition selects valueIfFalse (Microsoft only says the check "fails").',
        'A condition that is not a Boolean ("yes") is an evaluation error.',
    ],
    cautions=[FLOW_WRAPPER_CONDITION],
)
def iif(condition: Any, if_true: Thunk, if_false: Thunk) -> Any:
    """Evaluates the condition, then exactly one of the two branches.

    Laziness is what makes ``IIF(IsPresent([x]), [x], Error("x is required"))`` work.
    """
    return _run(if_true) if to_bool(condition, "IIF condition") else _run(if_false)


@builtin(
    "CBool",
    [Param("expression", type="any", summary="usually a comparison such as [a] = [b]")],
    returns="boolean",
    examples=[
        Example("CBool([attribute1] = [attribute2])", True, {"attribute1": "Sales", "attribute2": "Sales"}),
        Example("CBool(0)", False),
    ],
    notes=['Text follows .NET bool.Parse ("true" in any case) or reads as a number; null and "" are False.'],
)
def cbool(expression: Any) -> bool:
    """True when the expression is True or a non-zero number, else False (VB ``CBool``)."""
    return to_bool(expression, "CBool")


def _int64(value: int | None, what: str) -> int | None:
    if value is not None and not _INT64_MIN <= value <= _INT64_MAX:
        raise ValueFailure(f"{what} is outside the 64-bit integer range: {value}")
    return value


@builtin(
    "BitAnd",
    [Param("value1", type="integer"), Param("value2", type="integer")],
    returns="integer",
    examples=[Example("BitAnd(&HF, &HF7)", 7), Example("BitAnd(12, 10)", 8)],
    notes=[
        'Numeric text from attributes ("514") is accepted; other text is an evaluation error.',
        "A null operand gives null; negative numbers use 64-bit two's complement as .NET does.",
    ],
)
def bit_and(value1: int | None, value2: int | None) -> int | None:
    """Bitwise AND of two 64-bit integers, e.g. to test userAccountControl flags."""
    first = _int64(value1, "BitAnd(value1)")
    second = _int64(value2, "BitAnd(value2)")
    if first is None or second is None:
        return None
    return first & second


def _one(value: Any) -> tuple[bool, Any]:
    """``(is_multi, value)``: a multi-valued value of one item reads as that item."""
    if type(value) is list:
        if len(value) == 1:
            return False, value[0]
        return True, value
    return False, value


def _is_null(value: Any) -> bool:
    multi, item = _one(value)
    if multi:
        return not item
    return item is None


def _is_null_or_empty(value: Any) -> bool:
    multi, item = _one(value)
    if multi:
        return not item
    return item is None or item == ""


@builtin(
    "IsNull",
    [Param("Expression", type="any")],
    returns="boolean",
    examples=[Example("IsNull([displayName])", True, {"displayName": None}), Example('IsNull("")', False)],
    notes=["A multi-valued attribute with no values counts as null."],
)
def is_null(expression: Any) -> bool:
    """True only when the value is absent; ``""`` is a value."""
    return _is_null(expression)


@builtin(
    "IsNothing",
    [Param("source", type="any")],
    returns="boolean",
    examples=[Example("IsNothing([manager])", True, {"manager": None})],
    notes=['Treated as IsNull (VB\'s IsNothing tests for a missing reference, not for "").'],
    cautions=[graph_only("IsNothing", "IsNull", "the documented test for a missing value")],
)
def is_nothing(source: Any) -> bool:
    """Graph's name for IsNull."""
    return _is_null(source)


@builtin(
    "IsNullOrEmpty",
    [Param("Expression", type="any")],
    returns="boolean",
    examples=[Example('IsNullOrEmpty("")', True), Example('IsNullOrEmpty(" ")', False)],
    notes=["A single space is not empty."],
)
def is_null_or_empty(expression: Any) -> bool:
    """True when the value is absent or ``""``."""
    return _is_null_or_empty(expression)


@builtin(
    "IsPresent",
    [Param("Expression", type="any")],
    returns="boolean",
    examples=[
        Example("IsPresent([directManager])", True, {"directManager": "Ada Lovelace"}),
        Example('IsPresent(" ")', True),
    ],
    notes=[
        'The inverse of IsNullOrEmpty, so " " is present.',
        "Not as the source of Switch (Microsoft's caution, see Switch); to fall back when an attribute is empty, "
        'write `Switch([country], [country], "", "Other")`.',
    ],
)
def is_present(expression: Any) -> bool:
    """True when the value is neither absent nor ``""``."""
    return not _is_null_or_empty(expression)


@builtin(
    "IsString",
    [Param("Expression", type="any")],
    returns="boolean",
    examples=[Example('IsString("abc")', True), Example("IsString([x])", False, {"x": None})],
    notes=[
        'True when CStr would succeed: text ("" included), numbers, Booleans, dates, or one value of a '
        "multi-valued attribute; False for null and for several values.",
    ],
)
def is_string(expression: Any) -> bool:
    """Whether the value can be turned into a single string (the cloud-sync reference ties it to CStr)."""
    multi, item = _one(expression)
    if multi or item is None or is_sentinel(item):
        return False
    try:
        return to_text(item, "IsString") is not None
    except ValueFailure:
        return False


@builtin(
    "Not",
    [Param("source", type="any", summary='a Boolean string, "True" or "False"')],
    returns="boolean",
    examples=[Example("Not([IsSoftDeleted])", True, {"IsSoftDeleted": "False"}), Example('Not("True")', False)],
    notes=[
        '"True" is recognised in any case and with surrounding spaces (.NET bool.Parse; Graph test objects '
        'send "true"); every other value, null included, gives True, as Microsoft\'s description says.',
    ],
)
def not_(source: Any) -> bool:
    """False when source is True, otherwise True."""
    value = single(source, "Not")
    if type(value) is bool:
        return not value
    if type(value) is str:
        return value.strip().lower() != "true"
    return True


@builtin(
    "IgnoreFlowIfNullOrEmpty",
    [Param("expression", type="any")],
    returns="any",
    may_skip=True,
    examples=[
        Example("IgnoreFlowIfNullOrEmpty([department])", "HR", {"department": "HR"}),
        Example('IgnoreFlowIfNullOrEmpty(" ")', " "),
        Example(
            'IgnoreFlowIfNullOrEmpty(IIF([country] = "USA", [region], ""))',
            "West",
            {"country": "USA", "region": "West"},
            note="the supported way to combine it with IIF",
        ),
    ],
    notes=[
        'A null or "" value drops the target attribute from this flow: nothing is sent and the target '
        'keeps its value. " " is not empty.',
        "Nested inside another function, the drop wins: the whole mapping is skipped.",
        "It is a flow-control wrapper, not a Boolean: as IIF's condition it is unsupported (see IIF); wrap the "
        "whole IIF instead.",
    ],
)
def ignore_flow_if_null_or_empty(expression: Any) -> Any:
    """Passes the value through, or drops the attribute when there is nothing to send."""
    if _is_null_or_empty(expression):
        return SKIP
    return expression
