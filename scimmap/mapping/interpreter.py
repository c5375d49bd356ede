"""The reference back-end: runs a plan step by step, and can record what each step produced.

This is the readable statement of what ``MappingTable.apply`` does; the generated back-end
(:mod:`scimmap.mapping.codegen`) must give the same result for every object, and the test suite runs every
case against both.  One object goes through four phases, in this order (so both back-ends fail on the same
problem first):

1. read: every attribute the active steps use, once, in first-use order, through
   :func:`scimmap.language.source.read_attribute` (a value expressions cannot read fails here);
2. scope: the scoping filters;
3. evaluate, per step in table order: the value (attribute, constant or expression), IgnoreObjectFlow
   (stops here: nothing else is computed or resolved), IgnoreFlowIfNullOrEmpty, the default on create,
   null;
4. place, per step with a value: the match filter, the conversion to the target's type and the slot;
   then, for objects in scope, the references through ``resolve`` and the body from the layout.

``record`` (a list) receives one :class:`StepRecord` per step: what ``scimmap explain --mapping`` prints,
from the same single evaluation as the body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Mapping as TypingMapping
from typing import Any

from attrs import define

from scimmap.errors import MappingError, ScimmapError
from scimmap.language.expression import NO_OPTIONS, EvaluationOptions
from scimmap.language.source import MISSING, SourceView, read_attribute, source_object
from scimmap.language.values import SKIP, SKIP_OBJECT, output
from scimmap.mapping.plan import FixedPart, ListPart, ObjectPart, Part, Plan, SlotPart, SpreadPart, Step, located
from scimmap.mapping.result import MappingResult
from scimmap.mapping.scoping import in_scope
from scimmap.mapping.specials import ROLE_TYPE, role_objects
from scimmap.scim.patch import PATCH_SCHEMA, Change, compliant, member_changes, op_name, patch_body
from scimmap.scim.paths import filter_literal
from scimmap.scim.resource import convert, wrap_elements

Resolver = Callable[[str], "str | None"] | TypingMapping[str, str] | None

RUNS = 0
"""Objects this back-end has mapped in this process: the test suite's proof that it really ran."""

NOT_RUN = object()
"""A step that does not run for this action (on-create on update)."""


@define
class StepRecord:
    """One step of one object: the value after the default (None: nothing), why it was dropped, and
    what was placed in the body (after type conversion)."""

    step: Step
    value: Any = None
    reason: str | None = None
    default_applied: bool = False
    placed: Any = None


@define
class Evaluation:
    """Phase 3 of one object: each step's value (None: nothing sent; NOT_RUN), and what was dropped."""

    values: list[Any]
    skipped: list[tuple[str, str]]
    object_skipped: bool = False


def read_source(plan: Plan, obj: dict[str, Any], action: str) -> dict[str, Any]:
    """Phase 1: every attribute the active steps read, as expressions see it (absent: None)."""
    values = {}
    for name in plan.attributes(action):
        value = read_attribute(obj, name)
        values[name] = None if value is MISSING else value
    return values


def evaluate(
    plan: Plan, src: dict[str, Any], action: str, options: EvaluationOptions, record: list[StepRecord] | None = None
) -> Evaluation:
    """Phase 3: every step's value in table order, stopping at IgnoreObjectFlow."""
    ctx = options.context() if plan.needs_context else None
    outcome = Evaluation([], [])
    for step in plan.steps:
        entry = StepRecord(step)
        if record is not None:
            record.append(entry)
        if not step.active(action):
            outcome.values.append(NOT_RUN)
            outcome.skipped.append((step.target, "on-create"))
            entry.reason = "on-create"
            continue
        value: Any = None
        if step.read is not None:
            value = src[step.read]
        elif step.expression is not None:
            try:
                value = step.expression.evaluate_prepared(src, ctx)  # type: ignore[arg-type]
            except ScimmapError as error:
                raise located(error, step.mapping, "source") from None
        elif step.constant is not None:
            value = step.constant
        if value is SKIP_OBJECT:
            outcome.object_skipped = True
            outcome.skipped.append((step.target, "IgnoreObjectFlow"))
            entry.reason = "IgnoreObjectFlow"
            return outcome
        if value is SKIP:
            outcome.values.append(None)
            outcome.skipped.append((step.target, "IgnoreFlowIfNullOrEmpty"))
            entry.reason = "IgnoreFlowIfNullOrEmpty"
            continue
        value = output(value)
        if value is None and action == "create" and step.default is not None:
            value = step.default
            entry.default_applied = True
        if value is None or nothing(value):
            outcome.values.append(None)
            outcome.skipped.append((step.target, "null"))
            entry.reason = "null"
            continue
        outcome.values.append(value)
        entry.value = value
    return outcome


def nothing(value: Any) -> bool:
    """A multi-valued value without a single non-null item is null: nothing is sent for it."""
    return value.__class__ is list and all(item is None for item in value)


def typed_value(step: Step, value: Any) -> Any:
    """A step's value in the form its slot holds (None: nothing placed)."""
    if step.conversion == "roles":
        return role_objects(step.role, value)  # type: ignore[arg-type]
    try:
        if step.conversion == "elements":
            items = convert(value if isinstance(value, list) else [value], step.leaf, step.target)
            if not items:
                return None
            elements = wrap_elements(items)
            if step.role is not None:
                elements = [{"type": ROLE_TYPE, **element} for element in elements]
            return elements
        typed = convert(value, step.leaf, step.target)
    except ScimmapError as error:
        raise located(error, step.mapping, "target") from None
    if typed is None:
        return None
    if step.element_error is not None:
        raise located(MappingError(step.element_error), step.mapping, "target")
    return typed


def match_filter(step: Step, value: Any) -> str | None:
    """``<target> eq <literal>`` for a matching step's value (None for a multi-valued one)."""
    if isinstance(value, list):
        return None
    try:
        return step.match_prefix + filter_literal(convert(value, step.leaf, step.target))
    except ScimmapError as error:
        raise located(error, step.mapping, "target") from None


def resolve_ids(value: Any, resolve: Resolver, unresolved: list[str]) -> list[str]:
    """Target ids for a reference value's source ids; those ``resolve`` cannot map go to ``unresolved``."""
    ids = value if isinstance(value, list) else [value]
    targets: list[str] = []
    lookup = resolve if callable(resolve) else None if resolve is None else resolve.get
    for source_id in ids:
        if source_id is None or source_id == "":
            continue
        if source_id.__class__ is not str:
            source_id = str(source_id)
        target = None if lookup is None else lookup(source_id)
        if target is None:
            unresolved.append(source_id)
        else:
            targets.append(target if target.__class__ is str else str(target))
    return targets


def resolve_text_ids(ids: list[str], resolve: dict[str, Any], unresolved: list[str]) -> list[str]:
    """:func:`resolve_ids` for a list of non-empty text ids and a dict: the same result, looked up in C
    (a group's members, thousands of them)."""
    found = list(map(resolve.get, ids))
    if None in found:
        unresolved.extend([source_id for source_id, target in zip(ids, found) if target is None])
        found = [target for target in found if target is not None]
    return list(map(str, found))


def link_members(
    value: list[Any], resolve: dict[str, Any], flags: Sequence[str]
) -> tuple[dict[str, Any] | None, list[str]] | None:
    """A group's raw members (``[{"id": ...}]`` or ids) linked through a dict ``resolve`` in one pass: the
    follow-up PATCH adding the members found (None when none is) and the ids ``resolve`` lacks, in member
    order.  None when an item is not a non-empty id (the general reader decides).  The same PATCH as
    ``patch_body(reference_changes(step, resolve_ids(...)))``, for groups of thousands of members; a dict
    lookup has no side effects, so linking when the attribute is read changes nothing the interpreter's
    order could show."""
    members: list[dict[str, str | None]] = []
    missing: list[str] = []
    add = members.append
    referenced = not compliant(flags)  # the legacy dialect sends "$ref": null with each member
    try:
        for item in value:
            if item.__class__ is dict:
                item = item["id"]  # no id: not a member id (KeyError below)
            if item.__class__ is not str or not item:
                return None
            target = resolve.get(item)
            if target is None:
                missing.append(item)
                continue
            if target.__class__ is not str:
                target = str(target)
            add({"$ref": None, "value": target} if referenced else {"value": target})
    except KeyError:
        return None
    if not members:
        return None, missing
    operation = {"op": op_name("add", flags), "path": "members", "value": members}
    return {"schemas": [PATCH_SCHEMA], "Operations": [operation]}, missing


def reference_changes(step: Step, targets: list[str], flags: Sequence[str]) -> list[Change]:
    """The follow-up PATCH operations that link a reference after the create."""
    if not targets:
        return []
    if step.reference == "manager":
        return [Change("add", str(step.path), targets[0])]
    return member_changes(targets, (), flags)


def slot_values(plan: Plan, typed: list[Any]) -> list[Any]:
    """Each slot's value: its last writer with a value, else what is implied or fixed."""
    values: list[Any] = []
    for slot in plan.slots:
        value = None
        for writer in reversed(slot.writers):
            if typed[writer] is not None:
                value = typed[writer]
                break
        if value is None and any(typed[i] is not None for i in slot.implied_by):
            value = slot.implied
        values.append(slot.fallback if value is None else value)
    return values


def build_body(plan: Plan, slots: list[Any]) -> dict[str, Any]:
    """The POST body from the layout: only parts with a value, in the layout's order."""
    body: dict[str, Any] = {"schemas": list(plan.layout.schemas)}
    for key, part in plan.layout.members:
        value = _realize(part, slots)
        if value is not None:
            body[key] = value
    return body


def _realize(part: Part, slots: list[Any]) -> Any:
    if isinstance(part, SlotPart):
        return slots[part.slot]
    if isinstance(part, ObjectPart):
        if not part.always and all(slots[s] is None for s in part.when):
            return None
        members = {}
        for key, member in part.members:
            value = _realize(member, slots)
            if value is not None:
                members[key] = value
        return members
    if isinstance(part, ListPart):
        items: list[Any] = []
        for item in part.items:
            if isinstance(item, SpreadPart):
                items.extend(slots[item.slot] or ())
            else:
                element = _realize(item, slots)
                if element is not None:
                    items.append(element)
        return items or None
    assert isinstance(part, FixedPart)
    return part.value


def run(
    plan: Plan,
    action: str,
    source: Any,
    resolve: Resolver = None,
    options: EvaluationOptions = NO_OPTIONS,
    flags: Sequence[str] = (),
    record: list[StepRecord] | None = None,
) -> MappingResult:
    """What Entra sends for ``source``: POST body, match filters, scope, follow-up PATCH."""
    global RUNS
    RUNS += 1
    obj = source_object(source)
    src = read_source(plan, obj, action)
    inside = in_scope(plan.scope, SourceView(obj)) if plan.scope else True
    evaluation = evaluate(plan, src, action, options, record)
    if evaluation.object_skipped:
        return MappingResult(in_scope=inside, skipped=evaluation.skipped, object_skipped=True)
    typed: list[Any] = [None] * len(plan.steps)
    matches: dict[int, str | None] = {}
    references: list[tuple[Step, Any]] = []
    for step, value in zip(plan.steps, evaluation.values):
        if value is None or value is NOT_RUN:
            continue
        if step.match:
            matches[step.index] = match_filter(step, value)
        if step.conversion == "reference":
            references.append((step, value))
        elif step.conversion != "dropped":
            typed[step.index] = typed_value(step, value)
            if record is not None:
                record[step.index].placed = typed[step.index]
    result = MappingResult(in_scope=inside, skipped=evaluation.skipped)
    result.match_filters = [text for i in plan.match_order if (text := matches.get(i)) is not None]
    if inside:
        changes: list[Change] = []
        for step, value in references:
            changes.extend(reference_changes(step, resolve_ids(value, resolve, result.unresolved), flags))
        result.resource = build_body(plan, slot_values(plan, typed))
        result.followup = patch_body(changes, flags)
    return result
