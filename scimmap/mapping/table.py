"""Mapping tables: a source object through attribute mappings into the SCIM request Entra sends.

A table compiles every mapping's expression once (on first use, so that loading a file with a broken
expression can still be checked) and then evaluates them per object against one prepared source
(entra-semantics.md §5):
- default value if null: on create only, never for ``""``;
- apply on-create mappings are skipped on update;
- IgnoreFlowIfNullOrEmpty (SKIP) drops the target; IgnoreObjectFlow (SKIP_OBJECT) skips the object;
- null values are never sent;
- reference attributes (the enterprise ``manager``, a group's ``members``) are not in the POST body: they
  go into ``followup``, the PATCH Entra sends once the referenced objects exist, with target ids from
  ``resolve``;
- match filters follow matching precedence (lowest first, ties in table order).

The source goes through :func:`scimmap.entra_source` first (idempotent), so Graph JSON works as is.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping as TypingMapping, Sequence

from attrs import define, field

from scimmap.errors import Diagnostic, MappingError, ScimmapError
from scimmap.language.values import SKIP, SKIP_OBJECT, output
from scimmap.mapping.fastpath import fast_apply
from scimmap.mapping.model import Mapping, ScopeClause, ScopeGroup
from scimmap.scim.paths import TargetPath, filter_literal, parse_target

__all__ = ["Mapping", "MappingResult", "MappingTable", "ScopeClause", "ScopeGroup"]

Resolver = Callable[[str], "str | None"] | TypingMapping[str, str] | None

ROLE_TYPE = "WindowsAzureActiveDirectoryRole"
ROLE_FUNCTIONS = ("SingleAppRoleAssignment", "AppRoleAssignmentsComplex", "AssertiveAppRoleAssignmentsComplex")


_UNBUILT = object()


@define
class MappingResult:
    """What Entra does with one source object.

    ``resource`` is the POST body (None when the object is out of scope or IgnoreObjectFlow skipped it),
    ``match_filters`` the SCIM filters tried in matching-precedence order, ``skipped`` the dropped
    targets as ``(target, reason)``, ``unresolved`` the source ids ``resolve`` could not map and
    ``followup`` the PatchOp body that links references after the create (or None).
    """

    resource: dict[str, Any] | None = None
    match_filters: list[str] = field(factory=list)
    in_scope: bool = True
    skipped: list[tuple[str, str]] = field(factory=list)
    unresolved: list[str] = field(factory=list)
    followup: dict[str, Any] | None = None
    object_skipped: bool = False


@define
class _Compiled:
    """A mapping ready to run: parsed target, compiled expression, schema definitions, special role."""

    index: int
    mapping: Mapping
    path: TargetPath
    expression: Any
    definition: Any
    reference: str | None  # "manager" | "members" | None
    role: str | None  # the role function at the top of the expression, if any


@define
class _Flow:
    """The evaluated mappings of one object: (compiled, value) pairs plus what was dropped."""

    values: list[tuple[_Compiled, Any]] = field(factory=list)
    skipped: list[tuple[str, str]] = field(factory=list)
    object_skipped: bool = False


class MappingTable:
    """One object mapping: attribute mappings, scoping filters and the SCIM object they produce."""

    def __init__(
        self,
        object: str = "User",  # noqa: A002 - the documented parameter name
        mappings: Sequence[Mapping] = (),
        scope: Sequence[ScopeGroup] = (),
        *,
        name: str | None = None,
        target_object: str | None = None,
        extra: dict | None = None,
        file: str | None = None,
    ) -> None:
        self.object = object
        self.mappings = tuple(mappings)
        self.scope = tuple(scope)
        self.name = name
        self.target_object = target_object
        self.extra = dict(extra or {})
        self.file = file
        self.origins: dict[str, Any] = {}
        self._compiled: list[_Compiled] | None = None
        self._fast: dict[str, Any] = {}

    # ------------------------------------------------------------------------------ plumbing

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<MappingTable{label} {self.object} with {len(self.mappings)} mappings>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MappingTable):
            return NotImplemented
        return (self.object, self.mappings, self.scope, self.name, self.target_object) == (
            other.object,
            other.mappings,
            other.scope,
            other.name,
            other.target_object,
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        # Compiled code does not pickle; the data does, and rebuilding is cheap (multiprocessing --jobs).
        state = dict(self.__dict__)
        state["_compiled"] = None
        state["_fast"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    @property
    def kind(self) -> str:
        from scimmap.scim.schemas import object_kind

        return object_kind(self.target_object or self.object)

    def to_yaml(self) -> str:
        from scimmap.mapping.yamlwrite import dump_yaml

        return dump_yaml(self)

    def to_graph(self) -> dict[str, Any]:
        from scimmap.mapping.graph import table_to_graph

        return table_to_graph(self)

    def check(self) -> list[Any]:
        from scimmap.mapping.validate import check_table

        return check_table(self)

    # ------------------------------------------------------------------------------ compiling

    def compiled(self) -> list[_Compiled]:
        """Every mapping compiled once per table (raises the first ParseError/CheckError)."""
        if self._compiled is None:
            self._compiled = [self._compile(i, m) for i, m in enumerate(self.mappings)]
        return self._compiled

    def _compile(self, index: int, mapping: Mapping) -> _Compiled:
        from scimmap import compile as compile_expression
        from scimmap.language.nodes import Call
        from scimmap.scim.schemas import attribute, top_attribute

        try:
            path = parse_target(mapping.target)
        except ScimmapError as error:
            raise _located(error, mapping, "target") from None
        text = mapping.expression_text
        expression = None
        role = None
        if text is not None:
            try:
                expression = compile_expression(text)
            except ScimmapError as error:
                raise _located(error, mapping, "source") from None
            node = expression.node
            if isinstance(node, Call):
                role = next((r for r in ROLE_FUNCTIONS if r.lower() == node.name.lower()), None)
        top = top_attribute(path, self.kind)
        reference = None
        if top is not None and path.filter is None and path.sub in (None, "value"):
            if path.is_enterprise and top.name == "manager":
                reference = "manager"
            elif self.kind == "Group" and path.urn is None and top.name == "members":
                reference = "members"
        return _Compiled(index, mapping, path, expression, attribute(path, self.kind), reference, role)

    # ------------------------------------------------------------------------------ evaluation

    @staticmethod
    def _prepare(source: Any) -> dict[str, Any]:
        from scimmap.language.expression import prepare_source
        from scimmap.mapping.source import entra_source

        return prepare_source(entra_source(source if source is not None else {}))

    def _flow(self, source: Any, action: str, now: Any, exists: Any, prepared: Any = None) -> _Flow:
        from scimmap.language.compiler import Context
        from scimmap.language.expression import _aware

        if action not in ("create", "update"):
            raise MappingError(Diagnostic("invalid-argument", f"action must be 'create' or 'update', not {action!r}"))
        if prepared is None:
            prepared = self._prepare(source)
        ctx = Context(now=_aware(now), exists=exists)
        flow = _Flow()
        for item in self.compiled():
            mapping = item.mapping
            if action == "update" and mapping.apply == "on-create":
                flow.skipped.append((mapping.target, "on-create"))
                continue
            value = None
            if item.expression is not None:
                try:
                    value = item.expression.evaluate_prepared(prepared, ctx)
                except ScimmapError as error:
                    raise _located(error, mapping, "source") from None
            if value is SKIP_OBJECT:
                flow.object_skipped = True
                flow.skipped.append((mapping.target, "IgnoreObjectFlow"))
                return flow
            if value is SKIP:
                flow.skipped.append((mapping.target, "IgnoreFlowIfNullOrEmpty"))
                continue
            value = output(value)
            if value is None and action == "create" and mapping.default is not None:
                value = mapping.default
            if value is None or value == []:
                flow.skipped.append((mapping.target, "null"))
                continue
            flow.values.append((item, value))
        return flow

    def apply(
        self,
        source: Any,
        *,
        action: str = "create",
        resolve: Resolver = None,
        now: Any = None,
        exists: Callable[[str], bool] | None = None,
        flags: Sequence[str] = (),
    ) -> MappingResult:
        """The request Entra sends for ``source``: POST body, match filters, scope, follow-up PATCH."""
        if not flags:
            fast = self._fast.get(action, _UNBUILT)
            if fast is _UNBUILT:
                fast = fast_apply(self, action) if action in ("create", "update") else None
            if fast is not None:
                try:
                    return fast(source, resolve, now, exists)
                except Exception:  # noqa: BLE001 - the generic path below reports it identically
                    pass
        from scimmap.mapping.scoping import in_scope
        from scimmap.scim.patch import Change, patch_body
        from scimmap.scim.resource import assign, convert, finish

        result = MappingResult()
        prepared = self._prepare(source)
        result.in_scope = in_scope(self.scope, prepared)
        flow = self._flow(source, action, now, exists, prepared)
        result.skipped = flow.skipped
        if flow.object_skipped:
            result.object_skipped = True
            return result
        resource: dict[str, Any] = {}
        changes: list[Change] = []
        matches: list[tuple[int, int, str]] = []
        for item, value in flow.values:
            mapping = item.mapping
            if mapping.match > 0 and not isinstance(value, list):
                literal = filter_literal(convert(value, item.definition, mapping.target))
                matches.append((mapping.match, item.index, f"{item.path} eq {literal}"))
            if item.reference is not None:
                targets = self._resolve(value, resolve, result.unresolved)
                if item.reference == "manager" and targets:
                    changes.append(Change("add", str(item.path), targets[0]))
                elif item.reference == "members" and targets:
                    from scimmap.scim.patch import member_changes

                    changes.extend(member_changes(targets, (), flags))
                continue
            if item.role is not None and item.role != "SingleAppRoleAssignment":
                self._assign_roles(resource, item, value)
                continue
            try:
                assign(resource, item.path, value, self.kind)
            except ScimmapError as error:
                raise _located(error, mapping, "target") from None
            if item.role == "SingleAppRoleAssignment":
                _role_type(resource, item.path)
        result.match_filters = [text for _, _, text in sorted(matches)]
        if result.in_scope:
            result.resource = finish(resource, self.kind)
            result.followup = patch_body(changes, flags)
        return result

    @staticmethod
    def _resolve(value: Any, resolve: Resolver, unresolved: list[str]) -> list[str]:
        ids = value if isinstance(value, list) else [value]
        targets: list[str] = []
        for source_id in ids:
            if source_id is None or source_id == "":
                continue
            source_id = str(source_id)
            target = None
            if callable(resolve):
                target = resolve(source_id)
            elif resolve is not None:
                target = resolve.get(source_id)
            if target is None:
                unresolved.append(source_id)
            else:
                targets.append(str(target))
        return targets

    def _assign_roles(self, resource: dict[str, Any], item: _Compiled, value: Any) -> None:
        """AppRoleAssignmentsComplex / Assertive...: every role as a role object (scim-payloads.md §2.7)."""
        roles = value if isinstance(value, list) else [value]
        label = "display" if item.role == "AssertiveAppRoleAssignmentsComplex" else "displayName"
        container = resource
        if item.path.is_extension and item.path.urn:
            container = resource.setdefault(item.path.urn, {})
        container[item.path.attribute] = [
            {"primary": False, "type": ROLE_TYPE, label: str(role), "value": str(role)} for role in roles
        ]

    # ------------------------------------------------------------------------------ updates

    def patch(
        self,
        old_source: Any,
        new_source: Any,
        resolve: Resolver = None,
        flags: Sequence[str] = (),
        *,
        now: Any = None,
        exists: Callable[[str], bool] | None = None,
    ) -> dict[str, Any] | None:
        """The PatchOp body Entra sends when ``old_source`` became ``new_source`` (None: nothing changed).

        Only changed attributes are sent; defaults and on-create mappings do not apply; a value that
        became null is not cleared (Entra cannot clear target values of outbound apps).
        """
        from scimmap.scim.patch import Change, member_changes, patch_body
        from scimmap.scim.resource import convert

        flags = tuple(flags)
        old = self._flow(old_source, "update", now, exists)
        new = self._flow(new_source, "update", now, exists)
        if new.object_skipped:
            return None
        old_values = {item.index: value for item, value in old.values} if not old.object_skipped else {}
        changes: list[Change] = []
        for item, value in new.values:
            before = old_values.get(item.index)
            target = str(item.path)
            if item.reference is not None:
                new_ids = self._resolve(value, resolve, [])
                old_ids = self._resolve(before, resolve, []) if before is not None else []
                if item.reference == "manager":
                    if new_ids and new_ids != old_ids:
                        changes.append(Change("add" if not old_ids else "replace", target, new_ids[0]))
                else:
                    added = [m for m in new_ids if m not in old_ids]
                    removed = [m for m in old_ids if m not in new_ids]
                    changes.extend(member_changes(added, removed, flags))
                continue
            if item.role is not None:
                change = self._role_change(item, before, value, flags)
                if change is not None:
                    changes.append(change)
                continue
            after = convert(value, item.definition, item.mapping.target)
            previous = convert(before, item.definition, item.mapping.target)
            if after == previous:
                continue
            single = item.path.filter is None and not isinstance(after, list)
            changes.append(Change("add" if previous is None else "replace", target, after, merge=single))
        # members removed entirely (new value null) still leave the group
        new_indexes = {item.index for item, _ in new.values}
        for item, before in old.values:
            if item.reference == "members" and item.index not in new_indexes:
                changes.extend(member_changes((), self._resolve(before, resolve, []), flags))
        return patch_body(changes, flags)

    def _role_change(self, item: _Compiled, before: Any, value: Any, flags: Sequence[str]) -> Any:
        from scimmap.scim.patch import Change, compliant

        old_roles = before if isinstance(before, list) else [] if before is None else [before]
        roles = value if isinstance(value, list) else [value]
        if old_roles == roles:
            return None
        if item.role == "AssertiveAppRoleAssignmentsComplex":
            objects = [{"primary": False, "type": ROLE_TYPE, "display": r, "value": r} for r in roles]
            return Change("replace", item.path.attribute, objects)
        added = [r for r in roles if r not in old_roles]
        if not added:
            return None
        if compliant(flags):
            objects = [{"primary": item.role == "SingleAppRoleAssignment", "type": ROLE_TYPE, "value": r}
                       for r in added]
            if item.role == "AppRoleAssignmentsComplex":
                objects = [{**o, "displayName": o["value"]} for o in objects]
        else:
            # The documented quirk: each role object JSON-serialised into a string (E-customize).
            objects = [{"value": json.dumps({"value": r, "displayName": r}, separators=(",", ":"))} for r in added]
        return Change("add", "roles", objects)


def _role_type(resource: dict[str, Any], path: TargetPath) -> None:
    """SingleAppRoleAssignment's element carries Entra's role type unless a mapping set one."""
    roles = resource.get(path.attribute)
    if isinstance(roles, list):
        for element in roles:
            if isinstance(element, dict) and path.matches(element):
                element.setdefault("type", ROLE_TYPE)


def _located(error: ScimmapError, mapping: Mapping, key: str) -> ScimmapError:
    """The error re-raised with the mapping's file position (when it came from a file)."""
    origin = mapping.origins.get(key) or mapping.origins.get("target")
    if origin is None or not error.diagnostics:
        return error
    import attrs

    diagnostics = [d if d.origin is not None else attrs.evolve(d, origin=origin) for d in error.diagnostics]
    try:
        return type(error)(diagnostics)
    except Exception:  # noqa: BLE001 - an exception type with another signature: keep the original
        return error
