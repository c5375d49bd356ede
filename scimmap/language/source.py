"""What the provisioning engine shows expressions of a directory object, declared once as data.

It lives in the language layer because expression evaluation applies it too (``Expression.evaluate``,
``scimmap.evaluate``, the REPL) and must not import the mapping layer: one view everywhere.

Microsoft Graph returns ``{"id": ..., "accountEnabled": true, "userPrincipalName": "a_b.com#EXT#@t..."}``;
mappings see ``objectId``, ``IsSoftDeleted`` "False", booleans as "True"/"False" and a B2B guest's UPN as
``a@b.com`` (the raw value in ``originalUserPrincipalName``).  The rules below are the only statement of
that behaviour.  Three readers use them:

- :func:`entra_source` builds the whole view (``scimmap.entra_source``; idempotent, so callers may pass
  either shape);
- :func:`read_attribute` computes one attribute of that view without building the rest, which is what
  the mapping interpreter does for each attribute a table reads;
- the generated table code (``scimmap.mapping.codegen``) inlines the common cases of the same rules and
  calls :func:`read_attribute` for everything else.

``read_attribute(obj, name) == prepare_source(entra_source(obj)).get(name, MISSING)`` for every object and
name; a property test holds the three to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal

from attrs import frozen

from scimmap.errors import Diagnostic, EvaluationError
from scimmap.language.values import normalize_source_value

_B2B_UPN = re.compile(r"\A(?P<alias>.*)_(?P<domain>[^_@#]+)#EXT#@(?P<tenant>.+)\Z", re.IGNORECASE | re.DOTALL)


class _Missing:
    """An attribute the view does not have (not the same as a null value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __reduce__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

DerivationRule = Literal["copy", "copy-text", "first", "soft-deleted", "guest-original"]


@frozen
class Derived:
    """An attribute the engine shows when the object does not carry it, computed from others.

    ``rule`` says how: ``copy`` takes the input's value (null included) when the input is present,
    ``copy-text`` only when it is text, ``first`` the first item of a non-empty list, ``soft-deleted``
    Entra's IsSoftDeleted, ``guest-original`` a B2B guest's raw UPN.
    """

    name: str
    rule: DerivationRule
    inputs: tuple[str, ...]


DERIVED: tuple[Derived, ...] = (
    Derived("objectId", "copy-text", ("id",)),
    Derived("IsSoftDeleted", "soft-deleted", ("deletedDateTime", "accountEnabled")),
    # Graph property names -> the directory attribute names mappings use (the AD-style schema names).
    Derived("mobile", "copy", ("mobilePhone",)),
    Derived("physicalDeliveryOfficeName", "copy", ("officeLocation",)),
    Derived("facsimileTelephoneNumber", "copy", ("faxNumber",)),
    Derived("telephoneNumber", "first", ("businessPhones",)),
    Derived("originalUserPrincipalName", "guest-original", ("userPrincipalName",)),
)
"""In the order :func:`entra_source` appends them.  No rule reads another rule's output."""

DERIVED_BY_NAME: dict[str, Derived] = {rule.name: rule for rule in DERIVED}

GUEST_UPN = "userPrincipalName"
"""The attribute whose B2B guest form ``alias_theirdomain#EXT#@tenant`` is shown as ``alias@theirdomain``."""

REFERENCES = ("manager",)
"""Attributes whose object value (``{"id": ...}``) is shown as the referenced object's id."""

FLATTENED = ("onPremisesExtensionAttributes", "employeeOrgData")
"""Graph complex properties whose members are attributes to the engine."""

QUALIFIED = ("employeeOrgData",)
"""Flattened properties whose members keep the property name: the portal's source attribute list names
them ``employeeOrgData.division`` and ``employeeOrgData.costCenter``, while the members of
``onPremisesExtensionAttributes`` are plain ``extensionAttribute1`` ... ``extensionAttribute15``."""

GRAPH_ALIASES: dict[str, str] = {rule.inputs[0]: rule.name for rule in DERIVED if rule.rule == "copy"}
"""Graph property -> directory attribute name (``mobilePhone`` -> ``mobile``), from :data:`DERIVED`."""

assert not {i for rule in DERIVED for i in rule.inputs} & (set(DERIVED_BY_NAME) - {GUEST_UPN})


def b2b_alias(upn: str) -> str | None:
    """``alias_theirdomain#EXT#@tenant`` -> ``alias@theirdomain``; None for a member's UPN."""
    match = _B2B_UPN.match(upn)
    if match is None:
        return None
    return f"{match.group('alias')}@{match.group('domain')}"


def guest_view(upn: str) -> str:
    """A UPN as mappings see it: a guest's as ``alias@theirdomain``, any other unchanged."""
    return b2b_alias(upn) or upn


def reference_id(value: Any) -> Any:
    """The id of a referenced object (``{"id": ...}``, ``{"objectId": ...}``, ``{"value": ...}``) or the value."""
    if type(value) is str:
        return value
    if type(value) is dict or isinstance(value, Mapping):
        return value.get("id") or value.get("objectId") or value.get("value")
    return value


def reference_list(value: list[Any]) -> list[str] | Any:
    """A list of references (``[{"id": ...}]`` or ids) as ``read_attribute`` gives it, fast, when every item
    is a non-empty id or an object with one; MISSING for anything else (the general reader decides)."""
    ids = []
    for item in value:
        if item.__class__ is dict:
            item = item.get("id")
        if item.__class__ is not str or not item:
            return MISSING
        ids.append(item)
    return ids


def _text(value: Any) -> Any:
    if value is True or value is False:
        return "True" if value else "False"
    return value


def source_object(obj: Any) -> dict[str, Any]:
    """The object as a plain dict (None is an empty object); anything but a mapping is an error."""
    if obj.__class__ is dict:
        return obj
    if obj is None:
        return {}
    if not isinstance(obj, Mapping):
        raise EvaluationError(
            Diagnostic("evaluation", f"a source object must be a JSON object, not {type(obj).__name__}")
        )
    return dict(obj)


# ------------------------------------------------------------------------------------------- one key


def shown(key: str, value: Any) -> Any:
    """A top-level value as the view holds it before derivations, or MISSING when the view drops it."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is bool:
        return "True" if value else "False"
    if kind is list or kind is tuple:
        return _values(value)
    if kind is dict or isinstance(value, Mapping):
        return value if key in REFERENCES else MISSING  # flattened containers and other objects are dropped
    if isinstance(value, (list, tuple)):
        return _values(value)
    return _text(value)


def _values(items: Any) -> list[Any]:
    """A multi-valued attribute: references (``{"id": ...}``) as their ids, booleans as text, no nulls."""
    values = []
    for item in items:
        if type(item) is not str:
            item = _text(reference_id(item))
            if item is None:
                continue
        values.append(item)
    return values


def _flattened_member(obj: dict[str, Any], key: str) -> Any:
    """``key`` from the first flattened container (in the object's order) that has it, or MISSING.

    A qualified container's members are found only under their qualified name
    (``employeeOrgData.division``), the others' only under their own (``extensionAttribute1``).
    """
    container_name, dot, member = key.partition(".")
    if dot and container_name in QUALIFIED:
        container = obj.get(container_name)
        if isinstance(container, Mapping) and member in container and not member.startswith("@odata."):
            return shown(member, container[member])
        return MISSING
    holders = [name for name in FLATTENED if name in obj and name not in QUALIFIED]
    if not holders:
        return MISSING
    if len(holders) > 1:
        holders = [name for name in obj if name in holders]
    for name in holders:
        container = obj[name]
        if isinstance(container, Mapping) and key in container:
            value = shown(key, container[key])
            if value is not MISSING:
                return value
    return MISSING


def base_value(obj: dict[str, Any], key: str) -> Any:
    """``key`` in the view before derived attributes are added (MISSING when absent)."""
    if key.startswith("@odata."):
        return MISSING  # Graph annotations, at the top level and inside flattened containers alike
    value = shown(key, obj[key]) if key in obj else MISSING
    if value is MISSING:
        value = _flattened_member(obj, key)
    if value is not MISSING and key in REFERENCES:
        value = _text(reference_id(value))
    return value


def derive(rule: Derived, get: Callable[[str], Any]) -> Any:
    """The derived attribute's value from the inputs ``get`` returns (MISSING: the rule gives nothing)."""
    if rule.rule == "copy":
        return get(rule.inputs[0])
    if rule.rule == "copy-text":
        value = get(rule.inputs[0])
        return value if isinstance(value, str) else MISSING
    if rule.rule == "first":
        value = get(rule.inputs[0])
        return value[0] if isinstance(value, list) and value else MISSING
    if rule.rule == "soft-deleted":
        deleted, enabled = (get(name) for name in rule.inputs)
        if deleted is not MISSING and deleted:
            return "True"
        if enabled is MISSING or enabled is None:
            return "False"
        return "False" if isinstance(enabled, str) and enabled.lower() == "true" else "True"
    if rule.rule == "guest-original":
        value = get(rule.inputs[0])
        return value if isinstance(value, str) and b2b_alias(value) is not None else MISSING
    raise AssertionError(rule.rule)  # pragma: no cover - DerivationRule lists every rule


def raw_attribute(obj: dict[str, Any], name: str) -> Any:
    """``entra_source(obj).get(name, MISSING)`` without building the view."""
    value = base_value(obj, name)
    if value is MISSING:
        rule = DERIVED_BY_NAME.get(name)
        if rule is None:
            return MISSING
        value = derive(rule, lambda key: base_value(obj, key))
        if value is not MISSING:
            value = shown(name, value)  # as entra_source shows a derived value
    if name == GUEST_UPN and isinstance(value, str):
        value = guest_view(value)
    return value


def read_attribute(obj: dict[str, Any], name: str) -> Any:
    """``prepare_source(entra_source(obj)).get(name, MISSING)``: one attribute as expressions see it."""
    value = raw_attribute(obj, name)
    if value is MISSING:
        return MISSING
    return prepare_value(name, value)


# ------------------------------------------------------------------------------------------- whole view


def prepare_source(source: Any) -> dict[str, Any]:
    """What expressions see of a source object: JSON booleans as "True"/"False", tuples as lists."""
    if source is None:
        return {}
    if type(source) is not dict and not isinstance(source, Mapping):
        raise EvaluationError(
            Diagnostic("evaluation", f"the source object must be a mapping of attributes, not {type(source).__name__}")
        )
    prepared = {}
    for key, value in source.items():
        prepared[key] = value if type(value) is str or value is None else prepare_value(key, value)
    return prepared


def prepare_value(key: Any, value: Any) -> Any:
    """One attribute's value as expressions see it (what :func:`prepare_source` does to each value)."""
    if type(value) is str or value is None:
        return value
    try:
        return normalize_source_value(value)
    except (RecursionError, ValueError) as error:  # str() of a hostile object: nested dicts, huge ints
        raise EvaluationError(
            Diagnostic(
                "evaluation", f"attribute {key!r} holds a value expressions cannot read ({type(error).__name__})"
            )
        ) from None


def source_view(source: Any) -> dict[str, Any]:
    """The source as an expression reads it: Entra's view of a Graph object, then :func:`prepare_source`.

    The view is idempotent, so an Entra-shaped dict reads the same as before, and a Graph object exported
    as is (``id``, ``accountEnabled``, nested ``onPremisesExtensionAttributes``...) reads as it does in
    ``MappingTable.apply`` and ``scimmap map``: one view everywhere.
    """
    if source is None:
        return {}
    if type(source) is not dict and not isinstance(source, Mapping):
        return prepare_source(source)  # raises the evaluation error for a non-mapping
    return prepare_source(entra_source(source))


def entra_source(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The Entra-shaped view of a Graph user or group (or of an already Entra-shaped dict). Idempotent."""
    if type(obj) is not dict and not isinstance(obj, Mapping):
        raise EvaluationError(
            Diagnostic("evaluation", f"a source object must be a JSON object, not {type(obj).__name__}")
        )
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if type(key) is not str and not isinstance(key, str):
            continue
        if key.startswith("@odata."):
            continue
        if key in FLATTENED and isinstance(value, Mapping):
            prefix = f"{key}." if key in QUALIFIED else ""
            for name, inner in value.items():  # members are attributes like the top-level ones
                if (
                    isinstance(name, str)
                    and not name.startswith("@odata.")
                    and (member := shown(prefix + name, inner)) is not MISSING  # as the second pass sees it
                ):
                    out.setdefault(prefix + name, member)
            continue
        value = shown(key, value)
        if value is not MISSING:
            out[key] = value
    for key in REFERENCES:
        if key in out:
            out[key] = _text(reference_id(out[key]))
    for rule in DERIVED:
        if rule.name not in out:
            value = derive(rule, lambda key: out.get(key, MISSING))
            if value is not MISSING:  # shown as a value of its own would be, so a second pass keeps it
                value = shown(rule.name, value)
            if value is not MISSING:
                out[rule.name] = value
    upn = out.get(GUEST_UPN)
    if isinstance(upn, str):
        out[GUEST_UPN] = guest_view(upn)
    return out


class SourceView(Mapping[str, Any]):
    """The view of one object, computed per attribute on demand.

    Scoping clauses look attributes up by name (and fall back to a case-insensitive scan); building the
    whole view for that would cost every attribute's normalisation, so it is built only when iterated.
    """

    def __init__(self, obj: dict[str, Any]) -> None:
        self._obj = obj
        self._values: dict[str, Any] = {}
        self._whole: dict[str, Any] | None = None

    def _read(self, key: str) -> Any:
        if key not in self._values:
            self._values[key] = read_attribute(self._obj, key) if isinstance(key, str) else MISSING
        return self._values[key]

    def __getitem__(self, key: str) -> Any:
        value = self._read(key)
        if value is MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._read(key) is not MISSING

    def _view(self) -> dict[str, Any]:
        if self._whole is None:
            self._whole = prepare_source(entra_source(self._obj))
        return self._whole

    def __iter__(self) -> Iterator[str]:
        return iter(self._view())

    def items(self) -> Any:
        return self._view().items()

    def __len__(self) -> int:
        return len(self._view())
