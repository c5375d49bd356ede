"""The PatchOp Entra sends when a source object changes (``MappingTable.patch``).

Both versions are evaluated as updates by the interpreter (no defaults, no on-create mappings) and
compared per mapping after type conversion.  Only changed attributes are sent; a value that became null is
not cleared (Entra cannot clear target values of outbound apps); references and roles have their own
rules (members added and removed, the manager replaced, roles added or asserted).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from scimmap.errors import ScimmapError
from scimmap.language.expression import NO_OPTIONS, EvaluationOptions
from scimmap.language.source import source_object
from scimmap.mapping.interpreter import NOT_RUN, Evaluation, Resolver, evaluate, read_source, resolve_ids
from scimmap.mapping.plan import Plan, Step, located
from scimmap.mapping.specials import ROLE_TYPE
from scimmap.scim.patch import Change, compliant, member_changes, patch_body
from scimmap.scim.resource import convert


def _evaluated(plan: Plan, source: Any, options: EvaluationOptions) -> Evaluation:
    return evaluate(plan, read_source(plan, source_object(source), "update"), "update", options)


def _values(evaluation: Evaluation) -> dict[int, Any]:
    if evaluation.object_skipped:
        return {}
    return {i: v for i, v in enumerate(evaluation.values) if v is not None and v is not NOT_RUN}


def patch(
    plan: Plan,
    old_source: Any,
    new_source: Any,
    resolve: Resolver = None,
    flags: Sequence[str] = (),
    options: EvaluationOptions = NO_OPTIONS,
) -> dict[str, Any] | None:
    """The PatchOp body for ``old_source`` becoming ``new_source`` (None: nothing changed)."""
    flags = tuple(flags)
    old = _values(_evaluated(plan, old_source, options))
    new_evaluation = _evaluated(plan, new_source, options)
    if new_evaluation.object_skipped:
        return None
    new = _values(new_evaluation)
    changes: list[Change] = []
    for index, value in new.items():
        step = plan.steps[index]
        before = old.get(index)
        if step.reference is not None:
            changes.extend(_reference_change(step, before, value, resolve, flags))
        elif step.role is not None:
            change = _role_change(step, before, value, flags)
            if change is not None:
                changes.append(change)
        else:
            change = _value_change(step, before, value)
            if change is not None:
                changes.append(change)
    for index, before in old.items():  # members removed entirely (new value null) still leave the group
        step = plan.steps[index]
        if step.reference == "members" and index not in new:
            changes.extend(member_changes((), resolve_ids(before, resolve, []), flags))
    return patch_body(changes, flags)


def _value_change(step: Step, before: Any, value: Any) -> Change | None:
    try:
        after = convert(value, step.leaf, step.target)
        previous = convert(before, step.leaf, step.target)
    except ScimmapError as error:
        raise located(error, step.mapping, "target") from None
    if after == previous:
        return None
    single = step.path.filter is None and not isinstance(after, list)
    return Change("add" if previous is None else "replace", str(step.path), after, merge=single)


def _reference_change(step: Step, before: Any, value: Any, resolve: Resolver, flags: Sequence[str]) -> list[Change]:
    new_ids = resolve_ids(value, resolve, [])
    old_ids = resolve_ids(before, resolve, []) if before is not None else []
    if step.reference == "manager":
        if new_ids and new_ids != old_ids:
            return [Change("add" if not old_ids else "replace", str(step.path), new_ids[0])]
        return []
    old_set, new_set = set(old_ids), set(new_ids)
    added = [m for m in new_ids if m not in old_set]
    removed = [m for m in old_ids if m not in new_set]
    return member_changes(added, removed, flags)


def _role_change(step: Step, before: Any, value: Any, flags: Sequence[str]) -> Change | None:
    shape = step.role
    assert shape is not None
    old_roles = before if isinstance(before, list) else [] if before is None else [before]
    roles = value if isinstance(value, list) else [value]
    if old_roles == roles:
        return None
    if shape.asserted:
        objects = [{"primary": False, "type": ROLE_TYPE, "display": r, "value": r} for r in roles]
        return Change("replace", step.path.attribute, objects)
    known = set(old_roles)
    added = [r for r in roles if r not in known]
    if not added:
        return None
    if compliant(flags):
        objects = [{"primary": not shape.whole, "type": ROLE_TYPE, "value": r} for r in added]
        if shape.label == "displayName":
            objects = [{**o, "displayName": o["value"]} for o in objects]
    else:
        # The documented quirk: each role object JSON-serialised into a string.
        objects = [{"value": json.dumps({"value": r, "displayName": r}, separators=(",", ":"))} for r in added]
    return Change("add", "roles", objects)
