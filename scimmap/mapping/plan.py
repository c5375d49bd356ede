"""A mapping table compiled once into an immutable plan: every per-mapping decision taken up front.

Per mapping (a :class:`Step`): how its value is produced (attribute read, constant, compiled expression),
whether it can skip the object, the type it is converted to, its default, whether it applies on update,
its match-filter prefix, whether it is a reference (linked by the follow-up PATCH) or a role function,
and the slot of the body it fills.  Per table (a :class:`Layout`): the body's shape in its final key
order, where each slot sits, which members every element carries.

Two back-ends run a plan and must give the same answer: :mod:`scimmap.mapping.interpreter` (the readable
reference, which also records what each step produced) and :mod:`scimmap.mapping.codegen` (the same plan
printed as one Python function).  Everything that could make them differ is decided here, statically:

- several mappings to one slot: the last one (in table order) with a value wins;
- all mappings to ``X[type eq "T"]`` (equal element members, compared as SCIM compares them) fill one
  element; elements and whole-attribute values appear in the order of the first mapping writing them;
- a whole multi-valued complex attribute (``emails`` <- ``mail``) sends each value as ``{"value": v}``
  and composes with filtered elements of the same attribute;
- one attribute written whole by one mapping and in parts by another is a ``conflicting-targets`` error.

Building is linear in the number of mappings: each step is placed through dictionaries keyed by the
case-folded path, and identical expression texts are compiled once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs
from attrs import define, field, frozen

from scimmap.errors import Diagnostic, MappingError, ScimmapError, Span
from scimmap.functions.catalog import Catalog, Lookup, RoleShape
from scimmap.language.check import MAX_LENGTH
from scimmap.language.expression import Expression, compile_expression
from scimmap.language.nodes import Attribute, Constant, Node, walk
from scimmap.language.printer import quote
from scimmap.language.syntax import MAX_PARSE_LENGTH
from scimmap.mapping.model import Mapping, ScopeGroup
from scimmap.mapping.specials import ROLE_TYPE, constant_switch, role_shape, skips_object
from scimmap.scim.paths import TargetPath, parse_target
from scimmap.scim.resource import (
    attribute_key,
    body_order,
    container_key,
    element_error,
    element_members,
    is_element_path,
    member_order,
    schemas_for,
    sub_key,
)
from scimmap.scim.schemas import SchemaAttribute, attribute, object_kind, top_attribute

Conversion = Literal["value", "elements", "roles", "reference", "dropped"]
"""How a step's value reaches the request: ``value`` converted to the slot's schema type; ``elements`` a
whole multi-valued complex attribute (each value an element); ``roles`` role objects; ``reference`` an id
resolved into the follow-up PATCH; ``dropped`` computed (for match filters) but never sent (``schemas``,
``meta`` itself, ``meta.resourceType``)."""


@frozen
class Step:
    """One mapping with every decision taken."""

    index: int
    mapping: Mapping = field(repr=False)
    target: str
    path: TargetPath
    read: str | None
    """The attribute a direct mapping (or an expression that is a bare ``[attribute]``) copies."""
    constant: str | None
    """A constant mapping's text (``read`` and ``expression`` are None)."""
    expression: Expression | None = field(repr=False)
    attributes: tuple[str, ...]
    """Every attribute the step reads, in first-use order."""
    skips_object: bool
    leaf: SchemaAttribute | None = field(repr=False)
    conversion: Conversion
    default: str | None
    on_create: bool
    match: int
    match_prefix: str
    reference: Literal["manager", "members"] | None
    role: RoleShape | None
    slot: int | None
    element_error: Diagnostic | None = field(repr=False)
    """Set when the target's filter cannot describe an element: placing any value raises it."""
    lookup: Lookup | None = field(default=None, repr=False)
    """The expression is a Switch of constants: its results can be converted once, at compile time."""

    @property
    def text_target(self) -> bool:
        """Is the value sent as text, unchanged when it already is text (most mappings)?"""
        leaf = self.leaf
        return self.conversion == "value" and (leaf is None or (leaf.type == "string" and not leaf.multi_valued))

    def active(self, action: str) -> bool:
        """Does the step run for ``action``?  On-create mappings do not run on update."""
        return not (self.on_create and action == "update")


@frozen
class Slot:
    """One place in the body: the last of its writers (table order) that placed a value fills it.

    When none did: ``implied`` if one of the ``implied_by`` steps placed a value (Entra's role ``type`` on
    a SingleAppRoleAssignment element), else ``fallback`` (a member the element's filter fixes, such as
    ``"type": "work"``, which a mapping to that member overrides).
    """

    id: int
    writers: tuple[int, ...]
    implied: Any = None
    implied_by: tuple[int, ...] = ()
    fallback: Any = None


@frozen
class SlotPart:
    slot: int


@frozen
class FixedPart:
    value: Any


@frozen
class ObjectPart:
    """An object whose members are in body order.

    It is sent when one of the ``when`` slots has a value (the slots mappings write, at any depth
    inside), or always (``meta``); members whose slot has no value are left out.
    """

    members: tuple[tuple[str, Part], ...]
    when: tuple[int, ...] = ()
    always: bool = False


@frozen
class SpreadPart:
    """A slot whose value is a list of elements, spliced into the enclosing list."""

    slot: int


@frozen
class ListPart:
    """A multi-valued attribute: elements and spliced lists in the order of their first writer."""

    items: tuple[ObjectPart | SpreadPart, ...]


Part = SlotPart | FixedPart | ObjectPart | SpreadPart | ListPart


@frozen
class Layout:
    """The body: ``schemas`` first, then ``members`` in Entra's key order."""

    schemas: tuple[str, ...]
    members: tuple[tuple[str, Part], ...]


@frozen
class Plan:
    """Everything a back-end needs to run a table, decided once."""

    kind: str
    steps: tuple[Step, ...]
    slots: tuple[Slot, ...]
    layout: Layout
    scope: tuple[ScopeGroup, ...]
    match_order: tuple[int, ...]
    """Indexes of the steps with a matching precedence, in the order their filters are tried."""
    name: str = ""

    def attributes(self, action: str) -> tuple[str, ...]:
        """The attributes read for ``action``, each once, in first-use order (update skips on-create steps)."""
        seen: dict[str, None] = {}
        for step in self.steps:
            if step.active(action):
                seen.update(dict.fromkeys(step.attributes))
        return tuple(seen)

    @property
    def needs_context(self) -> bool:
        """Does any step evaluate an expression (which may call Now(), Guid(), SelectUniqueValue)?"""
        return any(step.expression is not None for step in self.steps)


# ------------------------------------------------------------------------------------------- errors


def located(error: ScimmapError, mapping: Mapping, key: str) -> ScimmapError:
    """The error with the mapping's file position (when it came from a file) on every diagnostic."""
    origin = mapping.origins.get(key) or mapping.origins.get("target")
    if origin is None or not error.diagnostics:
        return error
    diagnostics = [d if d.origin is not None else attrs.evolve(d, origin=origin) for d in error.diagnostics]
    return type(error)(diagnostics)


# ------------------------------------------------------------------------------------------- building


def build_plan(
    object_name: str,
    target_object: str | None,
    mappings: tuple[Mapping, ...],
    scope: tuple[ScopeGroup, ...],
    *,
    name: str = "",
    catalog: Catalog | None = None,
) -> Plan:
    """Compile a table; raises the first ParseError/CheckError/MappingError, located in its file."""
    from scimmap.functions import BUILTINS

    builder = _Builder(object_kind(target_object or object_name), catalog or BUILTINS)
    steps = tuple(builder.step(index, mapping) for index, mapping in enumerate(mappings))
    layout = builder.layout()
    matches = sorted((step.match, step.index) for step in steps if step.match > 0)
    return Plan(builder.kind, steps, tuple(builder.slots), layout, tuple(scope), tuple(i for _, i in matches), name)


@frozen
class _Facts:
    attributes: tuple[str, ...]
    skips_object: bool
    role: RoleShape | None
    lookup: Lookup | None


@define
class _Entry:
    """What the body holds under one key while the plan is being built."""

    key: str
    form: Literal["value", "object", "list", "meta"]
    slot: int | None = None
    members: dict[str, _Entry] = field(factory=dict)  # object / meta: folded key -> entry
    items: dict[Any, _Item] = field(factory=dict)  # list: element identity -> item


@define
class _Item:
    """One element of a list (or the whole attribute's values), in the order it was first written."""

    spread: int | None = None  # slot of a whole-attribute value
    members: dict[str, _Entry] = field(factory=dict)  # folded member key -> value entry


class _Builder:
    def __init__(self, kind: str, catalog: Catalog) -> None:
        self.kind = kind
        self.catalog = catalog
        self.slots: list[Slot] = []
        self._writers: list[list[int]] = []
        self._implied: dict[int, list[int]] = {}
        self._fallback: dict[int, Any] = {}
        self.containers: dict[str | None, tuple[str, dict[str, _Entry]]] = {None: ("", {})}
        self._expressions: dict[str, Expression] = {}
        self._analysed: dict[str, _Facts] = {}

    # -- one mapping ------------------------------------------------------------------------------------
    def step(self, index: int, mapping: Mapping) -> Step:
        try:
            path = parse_target(mapping.target)
        except ScimmapError as error:
            raise located(error, mapping, "target") from None
        read, constant, expression = self._source(mapping)
        facts = self._facts(expression) if expression is not None else None
        role = facts.role if facts is not None else None
        top = top_attribute(path, self.kind)
        leaf = attribute(path, self.kind)
        reference = _reference(path, top, self.kind)
        conversion = _conversion(path, top, reference, role)
        attributes: tuple[str, ...] = ()
        if read is not None:
            attributes = (read,)
        elif facts is not None:
            attributes = facts.attributes
        unbuildable: Diagnostic | None = None
        slot = None
        if conversion != "reference":
            try:
                slot, unbuildable, dropped = self._place(index, mapping, path, top, leaf, conversion, role)
            except ScimmapError as problem:
                raise located(problem, mapping, "target") from None
            if dropped:
                conversion = "dropped"
        return Step(
            index=index,
            mapping=mapping,
            target=mapping.target,
            path=path,
            read=read,
            constant=constant,
            expression=expression,
            attributes=attributes,
            skips_object=facts is not None and facts.skips_object,
            leaf=leaf,
            conversion=conversion,
            default=mapping.default,
            on_create=mapping.apply == "on-create",
            match=mapping.match if mapping.match > 0 else 0,
            match_prefix=f"{path} eq ",
            reference=reference,
            role=role,
            slot=slot,
            element_error=unbuildable,
            lookup=facts.lookup if facts is not None else None,
        )

    def _facts(self, expression: Expression) -> _Facts:
        """What the plan needs to know about an expression, worked out once per expression text."""
        facts = self._analysed.get(expression.text)
        if facts is None:
            node = expression.node
            facts = self._analysed[expression.text] = _Facts(
                attributes=tuple(dict.fromkeys(n.name for n in walk(node) if isinstance(n, Attribute))),
                skips_object=skips_object(node),
                role=role_shape(node, self.catalog, "provisioning"),
                lookup=constant_switch(node, self.catalog, "provisioning"),
            )
        return facts

    def _source(self, mapping: Mapping) -> tuple[str | None, str | None, Expression | None]:
        """(attribute read, constant text, compiled expression): exactly one is set, or none for a None mapping."""
        text = mapping.expression_text
        if text is None:
            return None, None, None
        # The common cases need no compiler: a bracketed name parses to that name, a quoted text to that text.
        plain = len(text) <= min(MAX_LENGTH, MAX_PARSE_LENGTH) and "\x00" not in text
        if mapping.kind == "direct" and plain and mapping.source and "]" not in mapping.source:
            return mapping.source, None, None
        if mapping.kind == "constant" and plain and mapping.source is not None and quote(mapping.source) == text:
            return None, mapping.source, None
        expression = self._expressions.get(text)
        if expression is None:
            try:
                expression = compile_expression(text, catalog=self.catalog)
            except ScimmapError as error:
                raise located(error, mapping, "source") from None
            self._expressions[text] = expression
        node: Node = expression.node
        if isinstance(node, Attribute):
            return node.name, None, None
        if isinstance(node, Constant):
            return None, node.value, None
        return None, None, expression

    # -- the body's shape -------------------------------------------------------------------------------
    def _slot(self, *writers: int) -> int:
        self._writers.append(list(writers))
        return len(self._writers) - 1

    def _place(
        self,
        index: int,
        mapping: Mapping,
        path: TargetPath,
        top: SchemaAttribute | None,
        leaf: SchemaAttribute | None,
        conversion: Conversion,
        role: RoleShape | None,
    ) -> tuple[int | None, Diagnostic | None, bool]:
        """Put the step in the layout: (slot, error raised when a value arrives, dropped)."""
        urn = container_key(path)
        _spelled, entries = self.containers.setdefault(None if urn is None else urn.lower(), (urn or "", {}))
        name = attribute_key(path, top)
        folded = name.lower()
        if urn is None and name == "schemas":
            return None, None, True
        entry = entries.get(folded)
        if urn is None and folded == "meta":
            if entry is None:
                entry = entries[folded] = _Entry(name, "meta")
            if path.filter is not None or not path.sub or sub_key(path, leaf).lower() == "resourcetype":
                return None, None, True
            return self._member(entry.members, sub_key(path, leaf), index), None, False
        element = conversion in ("elements", "roles") or is_element_path(path, top)
        form: Literal["list", "object", "value"] = "list" if element else "object" if path.sub else "value"
        if entry is None:
            entry = entries[folded] = _Entry(name, form)
        elif entry.form != form:
            raise _conflict(mapping, name)
        if form == "value":
            if entry.slot is None:
                entry.slot = self._slot(index)
            else:
                self._writers[entry.slot].append(index)
            return entry.slot, None, False
        if form == "object":
            return self._member(entry.members, sub_key(path, leaf), index), None, False
        if conversion in ("elements", "roles"):
            item = entry.items.get(_WHOLE)
            if item is None:
                item = entry.items[_WHOLE] = _Item(spread=self._slot(index))
            else:
                self._writers[item.spread].append(index)  # type: ignore[index]
            return item.spread, None, False
        members = element_members(path, top)
        if members is None:
            # Entra cannot build this element; like any value, a null one sends nothing and fails nothing.
            return None, element_error(path, top).diagnostics[0], False
        identity = frozenset((k.lower(), v.lower() if isinstance(v, str) else v) for k, v in members.items())
        item = entry.items.get(identity)
        if item is None:
            item = entry.items[identity] = _Item()
            for key, value in members.items():  # the filter's members: sent unless a mapping writes them
                fixed = item.members[key.lower()] = _Entry(key, "value", slot=self._slot())
                self._fallback[fixed.slot] = value  # type: ignore[index]
        slot = self._member(item.members, sub_key(path, leaf), index)
        if role is not None:
            type_entry = item.members.get("type")
            if type_entry is None:
                type_entry = item.members["type"] = _Entry("type", "value", slot=self._slot())
            if type_entry.slot not in self._fallback:
                self._implied.setdefault(type_entry.slot, []).append(index)  # type: ignore[arg-type]
        return slot, None, False

    def _member(self, members: dict[str, _Entry], key: str, index: int) -> int:
        entry = members.get(key.lower())
        if entry is None:
            entry = members[key.lower()] = _Entry(key, "value", slot=self._slot(index))
        else:
            self._writers[entry.slot].append(index)  # type: ignore[index]
        return entry.slot  # type: ignore[return-value]

    def layout(self) -> Layout:
        self.slots = [
            Slot(
                i,
                tuple(writers),
                ROLE_TYPE if i in self._implied else None,
                tuple(self._implied.get(i, ())),
                self._fallback.get(i),
            )
            for i, writers in enumerate(self._writers)
        ]
        top: dict[str, Part] = {}
        for urn, (spelled, entries) in self.containers.items():
            if urn is None:
                for entry in entries.values():
                    top[entry.key] = self._part(entry)
            elif entries:
                top[spelled] = self._object({e.key: self._part(e) for e in entries.values()})
        meta = top.pop("meta", None)
        members = dict(meta.members) if isinstance(meta, ObjectPart) else {}
        top["meta"] = ObjectPart(_ordered({"resourceType": FixedPart(self.kind), **members}), always=True)
        return Layout(tuple(schemas_for(self.kind)), tuple((key, top[key]) for key in body_order(top)))

    def _part(self, entry: _Entry) -> Part:
        if entry.form == "value":
            return SlotPart(entry.slot)  # type: ignore[arg-type]
        if entry.form in ("object", "meta"):
            return self._object({e.key: SlotPart(e.slot) for e in entry.members.values()})  # type: ignore[arg-type]
        items: list[ObjectPart | SpreadPart] = []
        for item in entry.items.values():
            if item.spread is not None:
                items.append(SpreadPart(item.spread))
            else:
                items.append(self._object({e.key: SlotPart(e.slot) for e in item.members.values()}))  # type: ignore[arg-type]
        return ListPart(tuple(items))

    def _object(self, members: dict[str, Part]) -> ObjectPart:
        """An object sent when any slot a mapping writes inside it has a value."""
        when = [s for part in members.values() for s in _written(part, self._writers)]
        return ObjectPart(_ordered(members), tuple(dict.fromkeys(when)))


def _written(part: Part, writers: list[list[int]]) -> list[int]:
    """The slots inside ``part`` that mappings write (not the ones only a filter or a role fills)."""
    if isinstance(part, (SlotPart, SpreadPart)):
        return [part.slot] if writers[part.slot] else []
    if isinstance(part, ObjectPart):
        return list(part.when)
    if isinstance(part, ListPart):
        return [s for item in part.items for s in _written(item, writers)]
    return []


_WHOLE = object()
"""The identity of a whole-attribute value among the elements of a list."""


def _ordered(members: dict[str, Part]) -> tuple[tuple[str, Part], ...]:
    return tuple((key, members[key]) for key in sorted(members, key=member_order))


def _conversion(
    path: TargetPath, top: SchemaAttribute | None, reference: str | None, role: RoleShape | None
) -> Conversion:
    if reference is not None:
        return "reference"
    if role is not None and role.whole:
        return "roles"
    if top is not None and top.multi_valued and top.type == "complex" and path.filter is None and not path.sub:
        return "elements"
    return "value"


def shape_problems(
    object_name: str,
    target_object: str | None,
    mappings: tuple[Mapping, ...],
    catalog: Catalog | None = None,
    *,
    parse: Callable[[str], Node] | None = None,
) -> list[Diagnostic]:
    """Every ``conflicting-targets`` problem of the body's shape, without compiling expressions, so
    ``scimmap check`` reports what compiling the table would refuse (targets and expressions that do not
    parse are left to their own checks).  ``parse`` is the caller's parser when it already parsed the
    expressions (``scimmap check`` does, once per text)."""
    from scimmap.functions import BUILTINS
    from scimmap.language.syntax import parse_expression

    parse = parse or parse_expression
    builder = _Builder(object_kind(target_object or object_name), catalog or BUILTINS)
    problems: list[Diagnostic] = []
    for index, mapping in enumerate(mappings):
        try:
            path = parse_target(mapping.target)
            text = mapping.expression_text if mapping.kind == "expression" else None
            role = role_shape(parse(text), builder.catalog, "provisioning") if text else None
        except ScimmapError:
            continue
        top = top_attribute(path, builder.kind)
        reference = _reference(path, top, builder.kind)
        if reference is not None:
            continue
        try:
            builder._place(
                index, mapping, path, top, attribute(path, builder.kind), _conversion(path, top, None, role), role
            )
        except MappingError as error:
            problems.extend(located(error, mapping, "target").diagnostics)
    return problems


def _reference(path: TargetPath, top: SchemaAttribute | None, kind: str) -> Literal["manager", "members"] | None:
    """Reference attributes are linked after the create, by the follow-up PATCH, never sent in the POST."""
    if top is None or path.filter is not None or path.sub not in (None, "value"):
        return None
    if path.is_enterprise and top.name == "manager":
        return "manager"
    if kind == "Group" and path.urn is None and top.name == "members":
        return "members"
    return None


def _conflict(mapping: Mapping, name: str) -> MappingError:
    return MappingError(
        Diagnostic(
            "conflicting-targets",
            f"'{mapping.target}' writes {name} in a different shape than an earlier mapping "
            "(a whole value, members of an object, or elements of a list)",
            Span(0, len(mapping.target)),
            mapping.target,
            hint=f"map either {name} itself or its parts, not both",
        )
    )
