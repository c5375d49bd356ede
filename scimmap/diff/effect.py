"""The effect of a mapping change on one source object, decided by the provisioning engine's own
per-object decision (:mod:`scimmap.provision.decide`), never by a second set of rules.

The object is first taken through OLD as an initial cycle would (no link, nothing in the target): when OLD
creates it, what OLD's POST sends is what the target holds.  Saving NEW starts a new initial cycle, so the
object is then planned under NEW with that link and decided against that stored body:

- not provisioned under OLD, created under NEW: ``create`` (it enters the scope);
- provisioned under OLD: NEW's decision — ``update`` (the PATCH's attributes, old and new), ``disable``
  (left the scope, through the IsSoftDeleted mapping), ``delete`` (left the scope, the table has no
  IsSoftDeleted mapping), or a skip (``unchanged``);
- neither provisions it: ``unchanged``.

``action="create"`` compares what a create sends instead (apply-on-create rows and defaults count): an
object both tables create is ``update`` when the POST bodies differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from attrs import frozen

from scimmap.mapping.model import table_actions
from scimmap.provision.decide import decide_object, facts, plan_object
from scimmap.provision.log import as_text, scrub
from scimmap.provision.settings import Settings
from scimmap.provision.state import Link
from scimmap.scim.compare import differences

Outcome = Literal["create", "update", "disable", "delete", "unchanged"]
OUTCOMES: tuple[Outcome, ...] = ("create", "update", "disable", "delete", "unchanged")
LINKED_ID = "scimmap-diff"
"""The target id the simulated provisioned object gets; it never reaches the report."""


@frozen
class ObjectChange:
    """One source object's outcome; ``attributes`` maps a target to ``(old, new)`` as log text."""

    object: str
    display: str | None
    kind: str
    action: Outcome
    reason: str = ""
    attributes: tuple[tuple[str, Any, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"object": self.object}
        data["displayName" if self.kind == "Group" else "userName"] = self.display
        data["action"] = self.action
        if self.reason:
            data["reason"] = self.reason
        data["attributes"] = {target: {"old": old, "new": new} for target, old, new in self.attributes}
        return data


def _settings(table: Any) -> Settings:
    return Settings(actions=frozenset(table_actions(table)), full=True)


def object_change(
    old: Any, new: Any, source: Mapping[str, Any], *, action: str = "update", now: Any = None
) -> ObjectChange:
    """What saving NEW over OLD does to ``source`` (a Graph or Entra-shaped object).  Redact()-ed values
    are replaced by ``[Redact]`` before they leave this function."""
    old_settings, new_settings = _settings(old), _settings(new)
    first = plan_object(old, source, link=None, settings=old_settings, now=now)
    created = decide_object(old, first, None, settings=old_settings)
    new_facts = facts(new)
    if created.action != "create" or first.evaluation is None or first.evaluation.resource is None:
        plan = plan_object(new, source, link=None, settings=new_settings, now=now)
        decision = decide_object(new, plan, None, settings=new_settings)
        display = plan.evaluation.display if plan.evaluation else None
        if decision.action == "create":
            secrets = plan.evaluation.secrets if plan.evaluation else ()
            return _change(plan.source_id, display, new_facts.kind, "create", "", decision.modified, secrets)
        return ObjectChange(plan.source_id, display, new_facts.kind, "unchanged", decision.reason)
    stored = {**first.evaluation.resource, "id": LINKED_ID}
    secrets = first.evaluation.secrets
    if action == "create":
        both = _create_bodies(new, source, first.evaluation, stored, new_settings, now)
        if both is not None:
            return both
    link = Link(LINKED_ID, first.fingerprint, dict(source))
    plan = plan_object(new, source, link=link, settings=new_settings, now=now)
    decision = decide_object(new, plan, stored, settings=new_settings)
    display = first.evaluation.display
    secrets = (*secrets, *(plan.evaluation.secrets if plan.evaluation else ()))
    outcome: Outcome = decision.action if decision.action in ("update", "disable", "delete") else "unchanged"
    modified = decision.modified if outcome != "unchanged" else ()
    return _change(first.source_id, display, new_facts.kind, outcome, decision.reason, modified, secrets)


def _create_bodies(
    new: Any, source: Mapping[str, Any], was: Any, stored: dict[str, Any], settings: Settings, now: Any
) -> ObjectChange | None:
    """Under ``action="create"``: NEW's POST body against OLD's, for an object both would create (None
    when NEW would not create it: then it leaves, and the update comparison says how)."""
    plan = plan_object(new, source, link=None, settings=settings, now=now)
    decision = decide_object(new, plan, None, settings=settings)
    kind = facts(new).kind
    if decision.action != "create" or plan.evaluation is None or plan.evaluation.resource is None:
        return None
    changed = differences(plan.evaluation.resource, stored, facts(new).paths, kind)
    modified = tuple((str(d.path), as_text(d.old), as_text(d.new)) for d in changed)
    outcome: Outcome = "update" if modified else "unchanged"
    return _change(plan.source_id, was.display, kind, outcome, "", modified, (*was.secrets, *plan.evaluation.secrets))


def _change(
    object_id: str,
    display: str | None,
    kind: str,
    outcome: Outcome,
    reason: str,
    modified: tuple[tuple[str, Any, Any], ...],
    secrets: tuple[str, ...],
) -> ObjectChange:
    attributes = tuple((str(path), scrub(old, secrets), scrub(new, secrets)) for path, old, new in modified)
    return ObjectChange(object_id, scrub(display, secrets), kind, outcome, reason, attributes)


__all__ = ["OUTCOMES", "ObjectChange", "Outcome", "object_change"]
