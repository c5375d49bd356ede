"""Mapping tables: a source object through attribute mappings into the SCIM requests Entra sends.

A :class:`MappingTable` is immutable data (``attrs.evolve`` makes a changed copy).  On first use it is
compiled into a :class:`~scimmap.mapping.plan.Plan` (so loading a file with a broken expression can still
be checked), and the plan is run by one of two back-ends that give the same answers: the generated table
function (:mod:`scimmap.mapping.codegen`) when it supports the table, the interpreter
(:mod:`scimmap.mapping.interpreter`) otherwise.  The rules they follow (defaults on create only, on-create
mappings skipped on update, IgnoreFlowIfNullOrEmpty and IgnoreObjectFlow, null never sent, references in
the follow-up PATCH, match filters in precedence order) are stated in :mod:`scimmap.mapping.interpreter`.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Mapping as TypingMapping
from datetime import datetime
from types import MethodType
from typing import Any

from attrs import field, frozen

from scimmap.errors import Diagnostic, MappingError, Origin
from scimmap.language.expression import NO_OPTIONS, EvaluationOptions, options_of
from scimmap.mapping import codegen, interpreter
from scimmap.mapping.interpreter import Resolver, StepRecord
from scimmap.mapping.model import Mapping, ScopeClause, ScopeGroup
from scimmap.mapping.plan import Plan, build_plan
from scimmap.mapping.result import MappingResult
from scimmap.mapping.update import patch as patch_request
from scimmap.scim.schemas import object_kind

__all__ = ["Mapping", "MappingResult", "MappingTable", "ScopeClause", "ScopeGroup"]

Runner = Callable[[Any, Any, EvaluationOptions, Sequence[str]], MappingResult]
"""``(source, resolve, options, flags) -> MappingResult``: what both back-ends provide per action."""

ACTIONS = ("create", "update")

ENGINES = ("auto", "interpreter", "generated")

ENGINE = "auto"
"""Which back-end ``apply`` uses: ``auto`` (generated when supported), ``interpreter`` or ``generated``
(an error for a table the generator declines).  Change it with :func:`set_engine`."""


def _mappings(items: Iterable[Mapping]) -> tuple[Mapping, ...]:
    return tuple(items)


def _groups(items: Iterable[ScopeGroup]) -> tuple[ScopeGroup, ...]:
    return tuple(items)


def _dict(value: dict[str, Any] | None) -> dict[str, Any]:
    return dict(value or {})


class _Compiled:
    """A table's compiled forms, built on first use; never compared, pickled or copied by ``evolve``."""

    __slots__ = ("plan", "runners")

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.runners: dict[tuple[str, str], Runner] = {}


_ENTRIES: weakref.WeakValueDictionary[int, MappingTable] = weakref.WeakValueDictionary()
"""The tables whose ``apply`` is their entry function (see :meth:`MappingTable._install_entry`)."""


def set_engine(name: str) -> str:
    """Make ``apply`` use back-end ``name`` from now on (the test suite runs every case on each one);
    returns the previous one.  Entry functions hold the runner of the engine they were made for, so they
    are removed and remade on the next call."""
    global ENGINE
    if name not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
    previous, ENGINE = ENGINE, name
    for table in list(_ENTRIES.values()):
        table.__dict__.pop("apply", None)
    _ENTRIES.clear()
    return previous


@frozen(slots=False)  # a __dict__ for the entry function that stands in for ``apply`` (see _install_entry)
class MappingTable:
    """One object mapping: attribute mappings, scoping filters and the SCIM object they produce."""

    object: str = "User"
    mappings: tuple[Mapping, ...] = field(default=(), converter=_mappings)
    scope: tuple[ScopeGroup, ...] = field(default=(), converter=_groups)
    name: str | None = field(default=None, kw_only=True)
    target_object: str | None = field(default=None, kw_only=True)
    extra: dict[str, Any] = field(factory=dict, converter=_dict, eq=False, repr=False, kw_only=True)
    file: str | None = field(default=None, eq=False, repr=False, kw_only=True)
    origins: dict[str, Origin] = field(factory=dict, converter=_dict, eq=False, repr=False, kw_only=True)
    _compiled: _Compiled = field(factory=_Compiled, init=False, eq=False, repr=False, hash=False)

    # ------------------------------------------------------------------------------ plumbing

    def __repr__(self) -> str:
        label = f" {self.name!r}" if self.name else ""
        return f"<MappingTable{label} {self.object} with {len(self.mappings)} mappings>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Compiled code does not pickle; the data does, and rebuilding is cheap (multiprocessing --jobs).
        state = {
            "object": self.object,
            "mappings": self.mappings,
            "scope": self.scope,
            "name": self.name,
            "target_object": self.target_object,
            "extra": self.extra,
            "file": self.file,
            "origins": self.origins,
        }
        return (_restore, (state,))

    @property
    def kind(self) -> str:
        """``User`` or ``Group``: the SCIM resource the table produces."""
        return object_kind(self.target_object or self.object)

    def to_yaml(self) -> str:
        from scimmap.mapping.yamlwrite import dump_yaml

        return dump_yaml(self)

    def to_graph(self) -> dict[str, Any]:
        from scimmap.mapping.graphwrite import table_to_graph

        return table_to_graph(self)

    def check(self) -> list[Diagnostic]:
        from scimmap.mapping.validate import check_table

        return check_table(self)

    # ------------------------------------------------------------------------------ compiling

    def compiled(self) -> Plan:
        """The table's plan, built once (raises the first ParseError/CheckError/MappingError, located)."""
        if self._compiled.plan is None:
            self._compiled.plan = build_plan(
                self.object, self.target_object, self.mappings, self.scope, name=self.name or self.object
            )
        return self._compiled.plan

    def _runner(self, action: str, engine: str | None = None) -> Runner:
        engine = engine or ENGINE
        key = (action, engine)
        runner = self._compiled.runners.get(key)
        if runner is None:
            if action not in ACTIONS:
                raise MappingError(
                    Diagnostic("invalid-argument", f"action must be 'create' or 'update', not {action!r}")
                )
            plan = self.compiled()
            runner = codegen.generate(plan, action) if engine != "interpreter" else None
            if runner is None:
                if engine == "generated":
                    raise MappingError(
                        Diagnostic(
                            "invalid-argument",
                            f"the generated back-end does not support this table: {codegen.unsupported(plan)}",
                        )
                    )
                runner = _interpreted(plan, action)
            self._compiled.runners[key] = runner
        return runner

    # ------------------------------------------------------------------------------ evaluation

    def apply(
        self,
        source: Any,
        *,
        action: str = "create",
        resolve: Resolver = None,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        flags: Sequence[str] = (),
        rng: Any = None,
        parameters: TypingMapping[str, Any] | None = None,
    ) -> MappingResult:
        """The request Entra sends for ``source``: POST body, match filters, scope, follow-up PATCH."""
        runner = self._runner(action)
        if action == "create" and "apply" not in self.__dict__:
            self._install_entry(runner)
        if now is None and exists is None and rng is None and not parameters:
            return runner(source, resolve, NO_OPTIONS, flags)
        return runner(source, resolve, _options(now, exists, rng, parameters), flags)

    def _install_entry(self, runner: Runner) -> None:
        """Make ``self.apply`` a function that calls ``runner`` for the common call (a create with at most
        ``resolve``) and this method for any other.

        Why: for a small table the method's own call (seven keyword-only defaults, four tests, two
        lookups) costs a sixth of the whole mapping.  The entry takes one keyword default and a ``**``
        that stays empty.  It shows this method's signature and documentation; ``set_engine`` removes it.
        """
        full: Callable[..., MappingResult] = MethodType(MappingTable.apply, self)

        def apply(source: Any, *, resolve: Resolver = None, **more: Any) -> MappingResult:
            if more:
                return full(source, resolve=resolve, **more)
            return runner(source, resolve, NO_OPTIONS, ())

        apply.__doc__ = MappingTable.apply.__doc__
        apply.__signature__ = _APPLY_SIGNATURE  # type: ignore[attr-defined]
        object.__setattr__(self, "apply", apply)
        _ENTRIES[id(self)] = self

    def explain(
        self,
        source: Any,
        *,
        action: str = "create",
        resolve: Resolver = None,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        flags: Sequence[str] = (),
        rng: Any = None,
        parameters: TypingMapping[str, Any] | None = None,
    ) -> tuple[MappingResult, list[StepRecord]]:
        """``apply`` by the interpreter, with what each mapping produced: one evaluation, so a Guid() or
        Now() in the records is the one in the body."""
        self._runner(action, "interpreter")
        record: list[StepRecord] = []
        options = _options(now, exists, rng, parameters)
        result = interpreter.run(self.compiled(), action, source, resolve, options, flags, record)
        return result, record

    # ------------------------------------------------------------------------------ updates

    def patch(
        self,
        old_source: Any,
        new_source: Any,
        resolve: Resolver = None,
        flags: Sequence[str] = (),
        *,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        rng: Any = None,
        parameters: TypingMapping[str, Any] | None = None,
    ) -> dict[str, Any] | None:
        """The PatchOp body Entra sends when ``old_source`` became ``new_source`` (None: nothing changed).

        Only changed attributes are sent; defaults and on-create mappings do not apply; a value that
        became null is not cleared (Entra cannot clear target values of outbound apps).
        """
        return patch_request(
            self.compiled(), old_source, new_source, resolve, flags, _options(now, exists, rng, parameters)
        )


_APPLY_SIGNATURE = inspect.signature(MappingTable.apply).replace(
    parameters=list(inspect.signature(MappingTable.apply).parameters.values())[1:]
)


def _options(now: Any, exists: Any, rng: Any, parameters: Any) -> EvaluationOptions:
    """The evaluation options of one call; a ``now`` that is not a datetime is the caller's error."""
    if now is not None and not isinstance(now, datetime):
        raise MappingError(Diagnostic("invalid-argument", f"now must be a datetime, not {type(now).__name__}"))
    return options_of(now, exists, rng, parameters)


def _interpreted(plan: Plan, action: str) -> Runner:
    def run(source: Any, resolve: Any, options: EvaluationOptions, flags: Sequence[str]) -> MappingResult:
        return interpreter.run(plan, action, source, resolve, options, flags)

    return run


def _restore(state: dict[str, Any]) -> MappingTable:
    return MappingTable(**state)
