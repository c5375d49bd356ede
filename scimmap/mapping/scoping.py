"""Scoping filters (docs/mappings.md): is a source object in scope of a mapping table?

Groups are OR-ed, the clauses of a group AND-ed; no groups means everything is in scope.  A null or
empty attribute makes every clause false except ``IS NULL`` (Microsoft: "Scoping filters will return
'false' if the value is null / empty").  Operator names match case-insensitively, with ``_`` and space
equivalent (``Greater_Than_OR_EQUALS`` = ``GREATER THAN OR EQUALS``).

Choices where the docs are silent (docs/mappings.md lists them):
- REGEX MATCH is .NET ``Regex.IsMatch``: a match anywhere in the value, case-sensitive; anchor with
  ``^...$`` for a whole-value match.  An invalid pattern is an ``invalid-mapping`` error.
- EQUALS / NOT EQUALS with several values: equals any / equals none of them.
- ENDS_WITH and Includes are case-sensitive (.NET ``EndsWith``/``Contains`` ordinal).
- Greater_Than(_OR_EQUALS) is false unless both sides are integers.
- ``&`` is true when the attribute's value occurs inside the clause value ("the evaluated attribute
  exists in the input string value"); ``!&`` is its negation (false for null, like every clause).
- a multi-valued attribute satisfies a clause when every value does ("multivaluedComparisonType: All").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from scimmap.errors import Diagnostic, MappingError
from scimmap.language.values import ValueFailure, parse_integer
from scimmap.mapping.model import ScopeClause, ScopeGroup

OPERATORS = (
    "EQUALS",
    "NOT EQUALS",
    "IS TRUE",
    "IS FALSE",
    "IS NULL",
    "IS NOT NULL",
    "REGEX MATCH",
    "NOT REGEX MATCH",
    "GREATER THAN",
    "GREATER THAN OR EQUALS",
    "INCLUDES",
    "ENDS WITH",
    "&",
    "!&",
)
UNARY = ("IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL")


def fold_operator(name: str) -> str:
    """``Greater_Than`` -> ``GREATER THAN``: the portal and Graph spell operators differently.

    The one folding rule: ``scimmap check`` (which reports an unknown operator) and the evaluator (which
    runs a known one) must accept exactly the same spellings, so both call this."""
    return " ".join(str(name).replace("_", " ").upper().split())


def normalize_operator(name: str) -> str | None:
    """The canonical operator name (``NOT EQUALS``) for any accepted spelling, or None."""
    folded = fold_operator(name)
    return folded if folded in OPERATORS else None


def _regex_matches(pattern: str, text: str) -> bool:
    try:
        from scimmap.dotnet.regex import matches
    except ImportError:  # pragma: no cover - the .NET regex layer is part of the package
        import regex

        try:
            return regex.search(pattern, text, timeout=1.0) is not None
        except (regex.error, TimeoutError) as error:
            raise ValueFailure(str(error)) from None
    return matches(pattern, text)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _holds_one(operator: str, value: str, operands: Sequence[str]) -> bool:
    if operator == "EQUALS":
        return any(value == o for o in operands)
    if operator == "NOT EQUALS":
        return all(value != o for o in operands)
    if operator == "IS TRUE":
        return value.strip().lower() == "true"
    if operator == "IS FALSE":
        return value.strip().lower() == "false"
    if operator == "IS NOT NULL":
        return True
    if operator == "IS NULL":
        return False
    if operator == "REGEX MATCH":
        return any(_regex_matches(o, value) for o in operands)
    if operator == "NOT REGEX MATCH":
        return not any(_regex_matches(o, value) for o in operands)
    if operator in ("GREATER THAN", "GREATER THAN OR EQUALS"):
        number = parse_integer(value)
        limits = [parse_integer(o) for o in operands]
        if number is None or not limits or any(limit is None for limit in limits):
            return False
        if operator == "GREATER THAN":
            return all(number > limit for limit in limits)  # type: ignore[operator]
        return all(number >= limit for limit in limits)  # type: ignore[operator]
    if operator == "INCLUDES":
        return any(o in value for o in operands)
    if operator == "ENDS WITH":
        return any(value.endswith(o) for o in operands)
    if operator == "&":
        return any(value in o for o in operands)
    if operator == "!&":
        return all(value not in o for o in operands)
    return False  # pragma: no cover - normalize_operator guards


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _lookup(source: Mapping[str, Any], name: str) -> Any:
    if name in source:
        return source[name]
    folded = name.lower()
    for key, value in source.items():
        if key.lower() == folded:
            return value
    return None


def clause_holds(clause: ScopeClause, source: Mapping[str, Any]) -> bool:
    """One clause against a (prepared) source object."""
    operator = normalize_operator(clause.operator)
    if operator is None:
        raise MappingError(
            Diagnostic(
                "invalid-mapping",
                f"unknown scoping operator {clause.operator!r}",
                origin=clause.origins.get("operator"),
                hint="use one of: " + ", ".join(OPERATORS),
            )
        )
    value = _lookup(source, clause.attribute)
    if _empty(value):
        return operator == "IS NULL"
    items = value if isinstance(value, list) else [value]
    items = [item for item in items if not _empty(item)]
    if not items:
        return operator == "IS NULL"
    try:
        return all(_holds_one(operator, _text(item), clause.values) for item in items)
    except ValueFailure as error:
        raise MappingError(
            Diagnostic(
                "invalid-mapping",
                f"scoping clause on {clause.attribute!r}: {error}",
                origin=clause.origins.get("values") or clause.origins.get("operator"),
            )
        ) from None


def group_holds(group: ScopeGroup, source: Mapping[str, Any]) -> bool:
    return all(clause_holds(clause, source) for clause in group.clauses)


def in_scope(groups: Sequence[ScopeGroup], source: Mapping[str, Any]) -> bool:
    """OR over the groups; an empty scope admits every object."""
    if not groups:
        return True
    return any(group_holds(group, source) for group in groups)


def failed_clauses(
    groups: Sequence[ScopeGroup], source: Mapping[str, Any]
) -> list[tuple[int, ScopeGroup, ScopeClause, Any]]:
    """Why an object is out of scope: for each scoping filter (1-based), its first clause that does not
    hold and the attribute value that clause saw.  Empty when the object is in scope."""
    if in_scope(groups, source):
        return []
    failures = []
    for number, group in enumerate(groups, 1):
        for clause in group.clauses:
            if not clause_holds(clause, source):
                failures.append((number, group, clause, _lookup(source, clause.attribute)))
                break
    return failures


def describe_clause(clause: ScopeClause) -> str:
    """``userPrincipalName ENDS WITH "@contoso.com"``, as the portal shows a clause."""
    operator = normalize_operator(clause.operator) or clause.operator
    if operator in UNARY:
        return f"{clause.attribute} {operator}"
    values = " or ".join(f'"{value}"' for value in clause.values) or "(no value)"
    return f"{clause.attribute} {operator} {values}"


ScopePredicate = Callable[[Mapping[str, Any]], bool]
