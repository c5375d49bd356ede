"""SCIM target attribute paths: parse, print canonically, match value filters.

A mapping's target is a SCIM 2.0 PATH (RFC 7644 §3.5.2) such as ``emails[type eq "work"].value`` or
``urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager``.  The path is parsed once into
frozen records so that resource assembly, PATCH paths and match filters all print the same canonical
text: ``str(parse_target(text))`` is canonical, and parsing it again gives an equal path.

Canonical text: one space around operators, operators and keywords lower-case, string values
JSON-escaped with double quotes, numbers as written, parentheses only where the tree needs them
(``and`` binds tighter than ``or``; chains lean left), attribute names and URNs as written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from attrs import field, frozen

from scimmap.errors import Diagnostic, ParseError, Span

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

OPERATORS = ("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le")


@frozen
class AttrRef:
    """An attribute inside a filter: ``[URN:]name[.sub]``."""

    urn: str | None
    name: str
    sub: str | None = None

    def __str__(self) -> str:
        text = f"{self.urn}:{self.name}" if self.urn else self.name
        return f"{text}.{self.sub}" if self.sub else text


@frozen
class Compare:
    """``attr op value``; ``value`` is the JSON value (str, int, float, bool, None), ``raw`` its canonical text."""

    attr: AttrRef
    op: str
    value: Any
    raw: str

    def __str__(self) -> str:
        return f"{self.attr} {self.op} {self.raw}"


@frozen
class Present:
    """``attr pr``: the attribute has a non-empty value."""

    attr: AttrRef

    def __str__(self) -> str:
        return f"{self.attr} pr"


@frozen
class And:
    left: Filter
    right: Filter

    def __str__(self) -> str:
        left = f"({self.left})" if isinstance(self.left, Or) else str(self.left)
        right = f"({self.right})" if isinstance(self.right, (Or, And)) else str(self.right)
        return f"{left} and {right}"


@frozen
class Or:
    left: Filter
    right: Filter

    def __str__(self) -> str:
        right = f"({self.right})" if isinstance(self.right, Or) else str(self.right)
        return f"{self.left} or {right}"


@frozen
class Not:
    inner: Filter

    def __str__(self) -> str:
        return f"not ({self.inner})"


@frozen
class ValuePath:
    """``attr[filter]`` nested inside a filter (``emails[type eq "work" and value co "@"]``)."""

    attr: AttrRef
    filter: Filter

    def __str__(self) -> str:
        return f"{self.attr}[{self.filter}]"


Filter = Compare | Present | And | Or | Not | ValuePath


@frozen
class TargetPath:
    """A parsed target: ``[urn:]attribute[filter].sub``.  Equality ignores the original spelling."""

    attribute: str
    urn: str | None = None
    filter: Filter | None = None
    sub: str | None = None
    text: str = field(default="", eq=False, repr=False)

    def __str__(self) -> str:
        out = f"{self.urn}:{self.attribute}" if self.urn else self.attribute
        if self.filter is not None:
            out += f"[{self.filter}]"
        if self.sub:
            out += f".{self.sub}"
        return out

    @property
    def canonical(self) -> str:
        return str(self)

    @property
    def is_extension(self) -> bool:
        """True for any schema URN other than the core User/Group schemas."""
        return self.urn is not None and self.urn.lower() not in (CORE_USER.lower(), CORE_GROUP.lower())

    @property
    def is_enterprise(self) -> bool:
        return self.urn is not None and self.urn.lower() == ENTERPRISE_USER.lower()

    @property
    def is_filtered(self) -> bool:
        return self.filter is not None

    @property
    def base(self) -> TargetPath:
        """The path without its sub-attribute: the multi-valued element ``emails[type eq "work"]``."""
        return TargetPath(self.attribute, self.urn, self.filter, None, "")

    def element_values(self) -> dict[str, Any] | None:
        """The sub-attribute values an element selected by the filter must carry, or None if ambiguous.

        Only ``eq`` comparisons joined by ``and`` say what a new element looks like
        (``type eq "work"`` -> ``{"type": "work"}``); ``or``, ``not``, ``co``... select but cannot build.
        """
        if self.filter is None:
            return {}
        values: dict[str, Any] = {}
        pending: list[Filter] = [self.filter]
        while pending:
            node = pending.pop()
            if isinstance(node, And):
                pending.extend((node.right, node.left))
            elif isinstance(node, Compare) and node.op == "eq" and node.attr.urn is None and node.attr.sub is None:
                values[node.attr.name] = node.value
            else:
                return None
        return values

    def matches(self, element: Any) -> bool:
        """Whether a multi-valued element satisfies this path's filter (no filter: every element)."""
        return self.filter is None or filter_matches(self.filter, element)

    def assign(self, resource: dict[str, Any], value: Any, object: str = "User") -> dict[str, Any]:
        """Put ``value`` at this path in a resource body with Entra's rules (see scim/resource.py)."""
        from scimmap.scim.resource import assign

        assign(resource, self, value, object)
        return resource

    def read(self, resource: dict[str, Any]) -> Any:
        """The value at this path in a resource body, or None."""
        from scimmap.scim.resource import read

        return read(resource, self)


# ---------------------------------------------------------------------------------------------------
# Parsing


def parse_target(text: str) -> TargetPath:
    """Parse a SCIM target path; raises ParseError (code ``invalid-target``) with a span in ``text``."""
    if isinstance(text, TargetPath):
        return text
    if not isinstance(text, str):
        raise ParseError(Diagnostic("invalid-target", f"a target path must be text, not {type(text).__name__}"))
    if not text.strip():
        raise ParseError(Diagnostic("invalid-target", "empty target path", Span(0, len(text)), text))
    simple = _SIMPLE_TARGET.match(text)
    if simple is not None:  # no filter, no whitespace: what the grammar gives, without the parser
        urn, name, sub = simple.groups()
        return TargetPath(attribute=name, urn=urn, sub=sub, text=text)
    from scimmap.language.syntax import parse_target_tree

    try:
        tree = parse_target_tree(text)
    except ParseError as error:
        first = error.diagnostics[0]
        message = first.message.replace("end of expression", "end of the target path")
        raise ParseError(Diagnostic("invalid-target", message, first.span, text, first.hint)) from None
    target = tree.children[0]
    urn, name, value_filter, sub = target.children
    return TargetPath(
        attribute=str(name),
        urn=_urn(urn),
        filter=_filter(value_filter.children[0], text) if value_filter is not None else None,
        sub=str(sub.children[0]) if sub is not None else None,
        text=text,
    )


_NAME = r"[A-Za-z_$][A-Za-z0-9_$-]*"
_SIMPLE_TARGET = re.compile(rf"(?:((?i:urn:)[^\s\[\]\"()]*):)?({_NAME})(?:\.({_NAME}))?\Z")
"""A target without a filter (``userName``, ``name.givenName``, a URN-prefixed attribute): the grammar's
URN, NAME and sub_attr terminals (grammar/target.lark), matched without running the parser."""


def _urn(token: Any) -> str | None:
    return None if token is None else str(token)[:-1]


def _attr_ref(tree: Any) -> AttrRef:
    urn, name, sub = tree.children
    return AttrRef(_urn(urn), str(name), str(sub.children[0]) if sub is not None else None)


def _filter(root: Any, text: str) -> Filter:
    """Build filter records bottom-up without recursion (deep nesting must not blow the stack)."""
    results: dict[int, Filter] = {}
    heights: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        kind = node.data
        if kind in ("compare", "present"):
            attr = _attr_ref(node.children[0])
            if kind == "present":
                results[id(node)] = Present(attr)
            else:
                operator = str(node.children[1]).lower()
                value, raw = _comp_value(node.children[2], text)
                results[id(node)] = Compare(attr, operator, value, raw)
            continue
        kids = [c for c in node.children if hasattr(c, "data") and c.data != "attr_ref"]
        if not expanded:
            stack.append((node, True))
            stack.extend((kid, False) for kid in kids)
            continue
        built = [results.pop(id(kid)) for kid in kids]
        height = 1 + max((heights.pop(id(kid), 0) for kid in kids), default=0)
        if height > MAX_FILTER_DEPTH:
            # Filter records are compared, hashed and matched recursively: bound the nesting here, once.
            raise ParseError(
                Diagnostic(
                    "invalid-target",
                    f"the filter nests more than {MAX_FILTER_DEPTH} and/or/not deep",
                    None,
                    text[:200],
                    'Entra targets filter on one or two attributes, e.g. [type eq "work"]',
                )
            )
        heights[id(node)] = height
        if kind == "and_":
            results[id(node)] = And(built[0], built[1])
        elif kind == "or_":
            results[id(node)] = Or(built[0], built[1])
        elif kind == "not_":
            results[id(node)] = Not(built[0])
        elif kind == "value_path":
            results[id(node)] = ValuePath(_attr_ref(node.children[0]), built[0])
        else:  # pragma: no cover - grammar and builder out of sync
            raise ParseError(Diagnostic("invalid-target", f"unexpected construct {kind}", None, text))
    return results[id(root)]


def _comp_value(tree: Any, text: str) -> tuple[Any, str]:
    kind = tree.data
    if kind == "true":
        return True, "true"
    if kind == "false":
        return False, "false"
    if kind == "null":
        return None, "null"
    token = tree.children[0]
    if kind == "number":
        return _number(token, text), str(token)
    try:
        value = json.loads(str(token))
    except ValueError:
        start = token.start_pos or 0
        raise ParseError(
            Diagnostic(
                "invalid-target",
                "invalid escape in string",
                Span(start, token.end_pos or start),
                text,
                'strings are JSON strings: escape only \\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t and \\u with four hex digits',
            )
        ) from None
    return value, quote(value)


MAX_FILTER_DEPTH = 64
"""How deep and/or/not may nest in a target's filter (500 ``and`` clauses overflowed the stack in apply)."""

MAX_NUMBER_DIGITS = 30
"""Digits a filter number may have: SCIM values are 64-bit integers or doubles, and int() refuses
literals over 4,300 digits (a 5,000-digit target used to escape as a bare ValueError)."""


def _number(token: Any, text: str) -> int | float:
    raw = str(token)
    digits = sum(c.isdigit() for c in raw.split("e")[0].split("E")[0])
    value: int | float | None = None
    if digits <= MAX_NUMBER_DIGITS and len(raw) <= MAX_NUMBER_DIGITS + 10:
        value = float(raw) if any(c in raw for c in ".eE") else int(raw)
    if value is None or value in (float("inf"), float("-inf")):
        start = token.start_pos or 0
        raise ParseError(
            Diagnostic(
                "invalid-target",
                f"number {raw[:20]}{'...' if len(raw) > 20 else ''} is too large",
                Span(start, token.end_pos or start),
                text,
                f"filter numbers have at most {MAX_NUMBER_DIGITS} digits and must fit a double",
            )
        )
    return value


def quote(value: str) -> str:
    """A SCIM filter string literal (JSON string syntax): ``a"b`` -> ``"a\\"b"``."""
    return json.dumps(value, ensure_ascii=False)


def filter_literal(value: Any) -> str:
    """A compValue for a match filter: strings quoted and escaped, booleans/null as JSON words."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return quote(str(value))


# ---------------------------------------------------------------------------------------------------
# Matching a filter against an element (RFC 7644 §3.4.2.2; strings compare case-insensitively, as the
# core schemas declare caseExact false for type, value, display and primary's siblings)


def _lookup(element: Any, ref: AttrRef) -> Any:
    if not isinstance(element, dict):
        return None
    container: Any = element
    if ref.urn:
        container = _get(element, ref.urn)
    value = _get(container, ref.name)
    if ref.sub is not None:
        if isinstance(value, list):
            return [_get(item, ref.sub) for item in value]
        value = _get(value, ref.sub)
    return value


def _get(container: Any, key: str) -> Any:
    if not isinstance(container, dict):
        return None
    if key in container:
        return container[key]
    folded = key.lower()
    for name, value in container.items():
        if isinstance(name, str) and name.lower() == folded:
            return value
    return None


def _as_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(_compare(op, item, expected) for item in actual)
    if isinstance(actual, bool) or isinstance(expected, bool):
        actual, expected = _as_bool(actual), _as_bool(expected)
        if op == "eq":
            return bool(actual == expected)
        if op == "ne":
            return bool(actual != expected)
        return False
    if expected is None:
        return (actual is None) if op == "eq" else (actual is not None) if op == "ne" else False
    if actual is None:
        return op == "ne"
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        a: Any = actual
        b: Any = expected
    else:
        a = str(actual).lower()
        b = str(expected).lower()
    if op == "eq":
        return bool(a == b)
    if op == "ne":
        return bool(a != b)
    if op == "co":
        return isinstance(a, str) and b in a
    if op == "sw":
        return isinstance(a, str) and a.startswith(b)
    if op == "ew":
        return isinstance(a, str) and a.endswith(b)
    try:
        if op == "gt":
            return bool(a > b)
        if op == "ge":
            return bool(a >= b)
        if op == "lt":
            return bool(a < b)
        if op == "le":
            return bool(a <= b)
    except TypeError:
        return False
    return False


def filter_matches(node: Filter, element: Any) -> bool:
    """Evaluate a filter against one element or resource."""
    if isinstance(node, Compare):
        return _compare(node.op, _lookup(element, node.attr), node.value)
    if isinstance(node, Present):
        value = _lookup(element, node.attr)
        return value not in (None, "", [], {})
    if isinstance(node, And):
        return filter_matches(node.left, element) and filter_matches(node.right, element)
    if isinstance(node, Or):
        return filter_matches(node.left, element) or filter_matches(node.right, element)
    if isinstance(node, Not):
        return not filter_matches(node.inner, element)
    if isinstance(node, ValuePath):
        items = _lookup(element, node.attr)
        items = items if isinstance(items, list) else [items] if items is not None else []
        return any(filter_matches(node.filter, item) for item in items)
    return False  # pragma: no cover
