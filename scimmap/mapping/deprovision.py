"""Deprovisioning traps: mapping tables that Entra accepts but that never disable or delete a leaver.

The failure people report most is silent: a user is unassigned, leaves a scoping filter or is disabled in
Entra, and stays active in the app.  Entra drives that disable through one source attribute,
``IsSoftDeleted``, which is "True" when the user is unassigned, fails a scoping filter, is soft-deleted or
has ``accountEnabled`` false (Microsoft's customize-application-attributes.md, "What you should know";
how-provisioning-works.md, "Deprovisioning").  Three ways to lose it are checked here:

- ``active-without-soft-delete``: ``active`` reads something other than IsSoftDeleted, typically
  ``accountEnabled``, which stays "True" when a user is unassigned or scoped out;
- ``soft-delete-switch-key``: a Switch on IsSoftDeleted with a key that can never match ("false" for
  "False": Switch compares case-sensitively, functions-for-customizing-application-data.md, Switch);
- ``no-deprovisioning``: a user table with neither an IsSoftDeleted mapping nor the delete action (or with
  the IsSoftDeleted mapping but updates switched off, which is how the disable is sent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from scimmap.errors import Diagnostic, Origin, ScimmapError, Span
from scimmap.language.nodes import Attribute, Call, Constant, Node, walk
from scimmap.mapping.model import Mapping, table_actions

SOFT_DELETED = "IsSoftDeleted"
SOFT_DELETED_VALUES = ("True", "False")
"""The only values Entra gives IsSoftDeleted (booleans reach expressions as "True"/"False")."""

DEFAULT_ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'
"""Entra's default ``active`` mapping for SCIM apps."""

Locate = Callable[[Any, str], Origin]
Parse = Callable[[str], Node]


def check_deprovisioning(
    table: Any, locate: Locate, table_origin: Origin, *, scim_user: bool, parse: Parse | None = None
) -> list[Diagnostic]:
    """Every deprovisioning trap of ``table``.

    ``locate(owner, key)`` gives the file position of a mapping's ``target``/``source`` (or of a table-level
    key such as ``actions``); ``scim_user`` says whether this is a User table of a SCIM app, the only kind
    whose ``active`` attribute and disable semantics are known; ``parse`` is the caller's expression parser
    when it already parsed them (``scimmap check`` does, once per text).
    """
    if parse is None:
        from scimmap.language.syntax import parse_expression

        parse = parse_expression
    mappings: tuple[Mapping, ...] = tuple(getattr(table, "mappings", ()) or ())
    found: list[Diagnostic] = []
    for mapping in mappings:
        node = _node(mapping, parse)
        if node is not None:
            found.extend(_switch_keys(node, mapping.source or "", locate(mapping, "source")))
    if scim_user:
        for mapping in mappings:
            if _is_active(mapping.target) and not _reads_soft_deleted(mapping, parse):
                found.append(_active_problem(mapping, locate(mapping, "source")))
        found.extend(_missing_deprovisioning(table, mappings, table_origin, parse))
    return found


def _node(mapping: Mapping, parse: Parse) -> Node | None:
    if mapping.kind != "expression" or not mapping.source:
        return None
    try:
        return parse(mapping.source)
    except ScimmapError:
        return None  # the syntax error is reported by the expression checks


def _is_soft_deleted(node: Node | None) -> bool:
    return isinstance(node, Attribute) and node.name.lower() == SOFT_DELETED.lower()


def _reads_soft_deleted(mapping: Mapping, parse: Parse) -> bool:
    if mapping.kind == "direct":
        return (mapping.source or "").strip().lower() == SOFT_DELETED.lower()
    node = _node(mapping, parse)
    return node is not None and any(_is_soft_deleted(inner) for inner in walk(node))


def _is_active(target: str) -> bool:
    from scimmap.scim.paths import parse_target

    try:
        path = parse_target(target)
    except ScimmapError:
        return False
    core = path.urn is None or not path.is_extension
    return core and path.attribute.lower() == "active" and path.filter is None and path.sub is None


def _active_problem(mapping: Mapping, origin: Origin) -> Diagnostic:
    text = mapping.source or ""
    if mapping.kind == "direct":
        what = f"from [{text}]"
        why = (
            "accountEnabled stays true when a user is unassigned or leaves a scoping filter"
            if text.lower() == "accountenabled"
            else f"[{text}] does not change when a user is unassigned or leaves a scoping filter"
        )
    elif mapping.kind == "constant":
        what, why = f"to the constant {text!r}", "a constant never changes when a user leaves"
    elif mapping.kind == "none":
        what, why = "with no source", "only the default is sent, on create"
    else:
        what, why = "by an expression that does not read [IsSoftDeleted]", "it cannot see unassignment or scoping"
    return Diagnostic(
        "active-without-soft-delete",
        f"active is mapped {what}, not from IsSoftDeleted: {why}, so Entra never sends active false for them",
        Span(0, len(text)) if text and "\n" not in text else None,
        text if text and "\n" not in text else "",
        f"map active with Entra's default: {DEFAULT_ACTIVE}",
        "warning",
        origin,
    )


def _switch_keys(node: Node, text: str, origin: Origin) -> Iterable[Diagnostic]:
    """Keys of a Switch on [IsSoftDeleted] that are neither "True" nor "False"."""
    for call in walk(node):
        if not isinstance(call, Call) or call.name.lower() != "switch" or not call.args:
            continue
        if not _is_soft_deleted(call.args[0]):
            continue
        for key in call.args[2::2]:
            if not isinstance(key, Constant) or key.value in SOFT_DELETED_VALUES:
                continue
            if key.value.lower() in (value.lower() for value in SOFT_DELETED_VALUES):
                message = (
                    f'Switch key "{key.value}" never matches: Entra sets IsSoftDeleted to "True" or "False" '
                    "and Switch compares case-sensitively"
                )
                hint = f'write "{key.value.capitalize()}"'
            else:
                message = f'Switch key "{key.value}" never matches: IsSoftDeleted is only ever "True" or "False"'
                hint = 'use the keys "False" (assigned, in scope, enabled) and "True" (a leaver)'
            yield Diagnostic("soft-delete-switch-key", message, key.span, text, hint, "error", origin)


def _missing_deprovisioning(
    table: Any, mappings: tuple[Mapping, ...], origin: Origin, parse: Parse
) -> list[Diagnostic]:
    actions = table_actions(table)
    soft = any(_reads_soft_deleted(mapping, parse) for mapping in mappings)
    if not soft and "delete" not in actions:
        message = (
            "no mapping reads IsSoftDeleted and the delete action is off: Entra neither disables nor deletes "
            "users who are unassigned, scoped out or deleted"
        )
        hint = f"map active from IsSoftDeleted ({DEFAULT_ACTIVE}) or add delete to `actions`"
    elif soft and "update" not in actions:
        message = (
            "the update action is off, and Entra sends the disable (active false from IsSoftDeleted) as an "
            "update: unassigned and scoped-out users stay active"
        )
        hint = "add update to `actions`"
    else:
        return []
    return [Diagnostic("no-deprovisioning", message, None, "", hint, "warning", origin)]


__all__ = ["DEFAULT_ACTIVE", "SOFT_DELETED", "check_deprovisioning"]
