"""Control flow and tests: IIF, Switch ... (entra-semantics.md §4).  IIF and Switch are lazy (§3.6)."""

from __future__ import annotations

from typing import Any, Callable

from scimmap.functions.catalog import Example, Param, builtin
from scimmap.language.values import text_or_empty, to_bool

Thunk = Callable[[], Any]


def _even_arguments(count: int) -> str | None:
    if count % 2:
        return f"Switch needs an even number of arguments (source, default, then key/value pairs), got {count}"
    return None


@builtin(
    "Switch",
    [
        Param("source", type="any", summary="compared with each key as a string; null compares as \"\""),
        Param("defaultValue", type="any", required=False, lazy=True, summary="returned when no key matches"),
        Param("key", type="any", repeating=True, lazy=True, graph_key="switchValue"),
        Param("value", type="any", repeating=True, lazy=True, graph_key="switchValue"),
    ],
    min_args=4,
    arity_check=_even_arguments,
    examples=[Example('Switch([IsSoftDeleted], , "False", "True", "True", "False")', "True", {"IsSoftDeleted": "False"})],
)
def switch(source: Any, default: Thunk | None, pairs: list[Thunk]) -> Any:
    """Returns the value of the first key equal to source (case-sensitive), else the default.

    Keys are evaluated left to right and only the chosen value (or the default) is evaluated.
    An omitted default with no match gives null.
    """
    wanted = text_or_empty(source, "Switch")
    for index in range(0, len(pairs) - 1, 2):
        if text_or_empty(pairs[index](), "Switch") == wanted:
            return pairs[index + 1]()
    return default() if default is not None else None


@builtin(
    "IIF",
    [
        Param("condition", type="any", summary="a comparison, a Boolean function or \"True\"/\"False\""),
        Param("valueIfTrue", type="any", lazy=True),
        Param("valueIfFalse", type="any", lazy=True),
    ],
    examples=[Example('IIF([country]="USA", [country], [department])', "USA", {"country": "USA", "department": "HR"})],
)
def iif(condition: Any, if_true: Thunk, if_false: Thunk) -> Any:
    """Evaluates the condition, then exactly one of the two branches."""
    return if_true() if to_bool(condition, "IIF condition") else if_false()
