"""The value model (docs/expressions.md "Values"): what a value looks like when it meets a function.

Values inside the evaluator are ``None`` (null: the attribute is absent), ``str``, ``int``, ``bool``,
``list[str]`` (multi-valued) and ``datetime`` (always timezone-aware UTC).  Entra is a .NET service that
passes strings around, so every conversion here follows what .NET would print or parse: booleans become
"True"/"False", DateTimes become ``M/d/yyyy h:mm:ss tt``.  Functions raise :class:`ValueFailure` with a
plain sentence; the evaluator turns it into an ``evaluation`` diagnostic with the failing call's span.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Union

from scimmap.errors import ValueFailure as ValueFailure  # re-exported: the functions raise it from here

Value = Union[None, str, int, bool, "list[Any]", datetime]


class _Sentinel:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:
        return self._name

    def __bool__(self) -> bool:
        return False


SKIP = _Sentinel("SKIP")
"""IgnoreFlowIfNullOrEmpty / IgnoreAttributeFlow: drop this target attribute from the flow."""

SKIP_OBJECT = _Sentinel("SKIP_OBJECT")
"""IgnoreObjectFlow: skip the whole object."""

OMITTED = _Sentinel("OMITTED")
"""An argument slot left empty (``f(a, , b)``); not the same as a null value or ``""``."""

SENTINELS = (SKIP, SKIP_OBJECT)

FLOW_IDENTIFIERS = {"IgnoreAttributeFlow": SKIP, "IgnoreObjectFlow": SKIP_OBJECT}
"""The bare identifiers of the language and the sentinel each one stands for (the checker, the compiler,
the mapping engine and editor completion all read this one table)."""


def is_sentinel(value: object) -> bool:
    return type(value) is _Sentinel


def render_datetime(value: datetime) -> str:
    """Entra's rendering of a DateTime: en-US general pattern ``M/d/yyyy h:mm:ss tt`` in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    hour12 = value.hour % 12 or 12
    meridiem = "AM" if value.hour < 12 else "PM"
    return f"{value.month}/{value.day}/{value.year} {hour12}:{value.minute:02d}:{value.second:02d} {meridiem}"


def single(value: Value, what: str = "this function") -> Value:
    """Collapse a multi-valued value for a single-valued parameter: one value passes, more is an error."""
    if type(value) is list:
        if not value:
            return None
        if len(value) == 1:
            first: Value = value[0]
            return first
        raise ValueFailure(f"{what} expects a single value but got {len(value)} values")
    return value


def to_text(value: Value, what: str = "this function") -> str | None:
    """String form of a value as .NET would print it; null stays null."""
    kind = type(value)
    if kind is str or value is None:
        return value  # type: ignore[return-value]
    if kind is bool:
        return "True" if value else "False"
    if kind is int:
        return str(value)
    if kind is datetime:
        return render_datetime(value)  # type: ignore[arg-type]
    if kind is list:
        return to_text(single(value, what), what)
    raise ValueFailure(f"{what} cannot use a value of type {kind.__name__}")


def text_or_empty(value: Value, what: str = "this function") -> str:
    """String form where null reads as ``""`` (Switch keys, Left, Word...)."""
    text = to_text(value, what)
    return "" if text is None else text


_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*\Z")  # ASCII digits only, as .NET Int64.Parse
_HEX = re.compile(r"\s*&[Hh]([0-9A-Fa-f]+)\s*\Z")


def parse_integer(text: str) -> int | None:
    """An integer written as text ("12", " -3 ", "&HFF"), or None when it is not one."""
    try:
        if _INTEGER.match(text):
            return int(text)
        match = _HEX.match(text)
        if match:
            return int(match.group(1), 16)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits): not a usable number
        return None
    return None


_NUMBER = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]+)?\s*\Z")


def parse_number(text: str) -> int | Decimal | None:
    """A whole or decimal number written as text ("12", "42568.75", "&HFF"), exact; None when it is not one.

    Decimals are read exactly (no binary floating point), so "0.1" = 0.10 and 1.5 < 1.50001 hold.  One
    pattern decides both forms, so text that is no number at all costs what it cost before decimals.
    """
    match = _NUMBER.match(text)
    if match is None:
        return parse_integer(text) if "&" in text else None
    if match.group(1) is None:
        return parse_integer(text)
    return Decimal(text.strip())


def to_int(value: Value, what: str = "this function") -> int | None:
    """Integer form: numbers pass, numeric strings parse ("1" and 1 are the same constant); null stays null."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if value is None:
        return None
    if kind is bool:
        return 1 if value else 0
    if kind is list:
        return to_int(single(value, what), what)
    if kind is str:
        number = parse_integer(value)  # type: ignore[arg-type]
        if number is None:
            raise ValueFailure(f"{what} expects a whole number, got {value!r}")
        return number
    raise ValueFailure(f"{what} expects a whole number, got {to_text(value)!r}")


def to_list(value: Value) -> list[Any]:
    """Multi-valued form: null is no values, a single value is one value."""
    if value is None:
        return []
    if type(value) is list:
        return value
    return [value]


def to_bool(value: Value, what: str = "condition") -> bool:
    """Truth of a condition: booleans, "True"/"False" in any case (.NET bool.Parse), non-zero numbers
    (whole or decimal, like VB ``CBool``).

    Null and ``""`` are false (Microsoft says the condition check "fails"; see docs/expressions.md).
    """
    kind = type(value)
    if kind is bool:
        return value  # type: ignore[return-value]
    if value is None:
        return False
    if kind is int:
        return value != 0
    if kind is list:
        return to_bool(single(value, what), what)
    if kind is str:
        folded = value.strip().lower()  # type: ignore[union-attr]
        if folded == "true":
            return True
        if folded in ("false", ""):
            return False
        number = parse_number(value)  # type: ignore[arg-type]
        if number is not None:
            return number != 0
    raise ValueFailure(f"{what} must be True or False, got {to_text(value)!r}")


def output(value: Value) -> Value:
    """What ``evaluate`` hands back: DateTimes rendered, list items as text, everything else as is."""
    kind = type(value)
    if kind is datetime:
        return render_datetime(value)  # type: ignore[arg-type]
    if kind is list:
        return [item if type(item) is str else to_text(item) for item in value]  # type: ignore[union-attr]
    return value


def compare(operator: str, left: Value, right: Value) -> bool:
    """``= <> < <= > >=``: numerically (exactly) when both sides are numbers, otherwise as ordinal strings.

    Null compares as ``""`` (as Switch treats it), so ``IIF([x]="", ...)`` works; ``scimmap check`` warns
    about IIF on possibly-null attributes because Microsoft documents it as unreliable.
    """
    left = single(left, "a comparison")
    right = single(right, "a comparison")
    if type(left) is datetime and type(right) is datetime:
        a: Any = left
        b: Any = right
    else:
        a = _comparable_number(left)
        b = _comparable_number(right)
        if a is None or b is None:
            a = text_or_empty(left)
            b = text_or_empty(right)
    if operator == "=":
        return bool(a == b)
    if operator == "<>":
        return bool(a != b)
    if operator == "<":
        return bool(a < b)
    if operator == "<=":
        return bool(a <= b)
    if operator == ">":
        return bool(a > b)
    if operator == ">=":
        return bool(a >= b)
    raise ValueFailure(f"unknown comparison operator {operator!r}")


def _comparable_number(value: Value) -> int | Decimal | None:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is str:
        return parse_number(value)  # type: ignore[arg-type]
    return None


def normalize_source_value(value: Any) -> Value:
    """How a source attribute value is seen by expressions: JSON booleans as "True"/"False".

    A multi-valued attribute is one flat list: nested arrays (which Entra attributes cannot hold) are
    flattened, iteratively, so hostile nesting depth cannot overflow the stack.
    """
    kind = type(value)
    if kind is list or kind is tuple:
        flat: list[Any] = []
        pending: list[Any] = [iter(value)]
        while pending:
            item = next(pending[-1], _END)
            if item is _END:
                pending.pop()
            elif type(item) is list or type(item) is tuple:
                pending.append(iter(item))
            else:
                flat.append(_normalize_scalar(item))
        return flat
    return _normalize_scalar(value)


_END = object()

_MAX_SOURCE_INT = 10**4300
"""Source integers must be printable: Python refuses str() of more than 4,300 digits (ValueError deep
inside a function, issue 11), so a longer one is refused where the source is read (a ScimmapError)."""


def _normalize_scalar(value: Any) -> Value:
    kind = type(value)
    if kind is str or value is None:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "True" if value else "False"
    if kind is int:
        if not -_MAX_SOURCE_INT < value < _MAX_SOURCE_INT:
            raise ValueError("an integer with more than 4,300 digits")
        return value  # type: ignore[no-any-return]
    if kind is datetime:
        return value  # type: ignore[no-any-return]
    if kind is float and value.is_integer():
        return int(value)
    return str(value)
