"""Running one case: its actual outcome, the verdict against what it expects, and what to show on failure.

A case's outcome is a value, a skip (with the reason Entra drops the attribute or the object) or an error
(diagnostics).  The verdict is ``passed``, ``failed``, ``error`` (the case could not produce the outcome it
expects: a broken expression, a missing mapping, a structural problem of the case) or ``new`` (the case
expects nothing yet; it fails instead when the ``CI`` environment variable is set, so a forgotten snapshot
never passes in CI).  A failing case carries a diff of expected against actual and the trace of the
expression it ran, rendered by :mod:`scimmap.language.trace` from the evaluator's own traced build.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import Any

from attrs import define, field

from scimmap.errors import Diagnostic, MappingError, Origin, ScimmapError
from scimmap.language.values import SKIP, SKIP_OBJECT
from scimmap.testing import compare
from scimmap.testing.cases import EXPRESSION, HR, OBJECT, ROW, Case

PASSED, FAILED, ERROR, NEW = "passed", "failed", "error", "new"


def ci_enabled(environ: dict[str, str] | None = None) -> bool:
    """``CI`` set to anything but empty, 0, false or no (CI services set it to "true")."""
    value = (environ if environ is not None else os.environ).get("CI", "")
    return value.strip().lower() not in ("", "0", "false", "no")


@define
class Outcome:
    """What a case produced: ``kind`` is value, skip or error."""

    kind: str
    value: Any = None
    diagnostics: list[Diagnostic] = field(factory=list)

    @property
    def code(self) -> str | None:
        return self.diagnostics[0].code if self.diagnostics else None


@define(eq=False)
class CaseResult:
    case: Case
    status: str
    message: str = ""
    details: list[str] = field(factory=list)
    trace: str | None = None
    outcome: Outcome | None = None
    notes: list[str] = field(factory=list)
    seconds: float = 0.0

    @property
    def diagnostics(self) -> list[Diagnostic]:
        problems = list(self.case.problems)
        if self.outcome is not None and self.outcome.kind == "error":
            problems.extend(self.outcome.diagnostics)
        return problems


class Runner:
    """Runs cases, loading each mapping table once per run."""

    def __init__(self, *, ci: bool | None = None) -> None:
        self.ci = ci_enabled() if ci is None else ci
        self.tables: dict[str, Any] = {}

    def run(self, case: Case) -> CaseResult:
        started = time.perf_counter()
        try:
            result = self._run(case)
        except Exception as error:
            diagnostic = Diagnostic("internal-error", f"scimmap could not run this case: {error!r}")
            result = CaseResult(
                case, ERROR, f"internal-error: {error!r}", outcome=Outcome("error", diagnostics=[diagnostic])
            )
        result.seconds = time.perf_counter() - started
        return result

    def _run(self, case: Case) -> CaseResult:
        if case.problems:
            first = case.problems[0]
            return CaseResult(case, ERROR, f"{first.code}: {first.message}")
        tracer: Callable[[], str | None] = lambda: None
        try:
            if case.kind in (EXPRESSION, HR):
                outcome, tracer = self._expression(case)
            elif case.kind == ROW:
                outcome, tracer = self._row(case)
            else:
                outcome = Outcome("value", self._object(case))
        except ScimmapError as error:
            outcome = Outcome("error", diagnostics=_located(error.diagnostics, None))
        result = self._verdict(case, outcome)
        if result.status in (FAILED, ERROR):
            try:
                result.trace = tracer()
            except ScimmapError:
                result.trace = None
        return result

    # -- outcomes ---------------------------------------------------------------------------------------

    def _expression(self, case: Case) -> tuple[Outcome, Callable[[], str | None]]:
        import scimmap

        text = case.expression or ""
        source = case.source
        if case.kind == HR:
            from scimmap.language.source import prepare_source

            source = prepare_source(source)  # exactly the InputAttributes, as parseExpression sees them
        try:
            expression = scimmap.compile(text, dialect=case.dialect)
        except ScimmapError as error:
            return Outcome("error", diagnostics=_located(error.diagnostics, case.expression_origin)), lambda: None

        def options() -> dict[str, Any]:
            rng = random.Random(case.seed) if case.seed is not None else None
            return {"now": case.now, "exists": _exists(case), "rng": rng, "parameters": case.parameters or None}

        def trace() -> str:
            from scimmap.language.trace import render_trace

            steps, _, error = expression.trace(source, **options())
            return render_trace(expression, steps, error)

        try:
            value = expression.evaluate(source, **options())
        except ScimmapError as error:
            return Outcome("error", diagnostics=_located(error.diagnostics, case.expression_origin)), trace
        if value is SKIP:
            return Outcome("skip", "IgnoreFlowIfNullOrEmpty"), trace
        if value is SKIP_OBJECT:
            return Outcome("skip", "IgnoreObjectFlow"), trace
        return Outcome("value", value), trace

    def _row(self, case: Case) -> tuple[Outcome, Callable[[], str | None]]:
        from scimmap.scim.paths import parse_target

        table = self.table(case)
        mapping = _find_mapping(table, case.target or "")
        trace = _row_tracer(mapping, case)
        try:
            result = table.apply(
                case.source,
                action=case.action,
                resolve=case.resolve,
                now=case.now,
                exists=_exists(case),
                flags=case.flags,
            )
        except ScimmapError as error:
            return Outcome("error", diagnostics=list(error.diagnostics)), trace
        if not result.in_scope:
            return Outcome("skip", "out-of-scope"), trace
        if result.object_skipped:
            return Outcome("skip", "IgnoreObjectFlow"), trace
        reason = next((why for target, why in result.skipped if target == mapping.target), None)
        if reason == "null":
            return Outcome("value", None), trace
        if reason is not None:
            return Outcome("skip", reason), trace
        path = parse_target(mapping.target)
        value = path.read(result.resource or {})
        if value is None and result.followup:
            # References (manager, members) are linked by the follow-up PATCH, not sent in the POST body.
            value = next(
                (
                    op.get("value")
                    for op in result.followup.get("Operations", [])
                    if str(op.get("path", "")).lower() == str(path).lower()
                ),
                None,
            )
        return Outcome("value", value), trace

    def _object(self, case: Case) -> dict[str, Any]:
        from scimmap.testing.objects import object_outcome

        return object_outcome(self.table(case), case)

    def table(self, case: Case) -> Any:
        key = case.table or ""
        if key not in self.tables:
            import scimmap

            try:
                self.tables[key] = (
                    scimmap.preset(key[len("preset:") :]) if key.startswith("preset:") else scimmap.load_mapping(key)
                )
            except ScimmapError as error:
                self.tables[key] = error
        table = self.tables[key]
        if isinstance(table, ScimmapError):
            raise table
        return table

    # -- verdict ----------------------------------------------------------------------------------------

    def _verdict(self, case: Case, outcome: Outcome) -> CaseResult:
        expected = case.expected
        if expected is None:
            return self._unexpected(case, outcome)
        if case.kind == HR:
            return _hr_verdict(case, outcome)
        if expected.key == "expect_error":
            if outcome.kind == "error" and outcome.code == expected.value:
                return CaseResult(case, PASSED, outcome=outcome)
            got = f"error {outcome.code}" if outcome.kind == "error" else _describe(outcome)
            return CaseResult(
                case,
                FAILED,
                f"expected error {expected.value}, got {got}",
                compare.diff(f"error {expected.value}", got),
                outcome=outcome,
            )
        if outcome.kind == "error":
            first = outcome.diagnostics[0]
            return CaseResult(case, ERROR, f"{first.code}: {first.message}", outcome=outcome)
        if expected.key == "expect_skip":
            if outcome.kind == "skip" and outcome.value == expected.value:
                return CaseResult(case, PASSED, outcome=outcome)
            return CaseResult(
                case,
                FAILED,
                f"expected the attribute to be skipped ({expected.value}), got {_describe(outcome)}",
                compare.diff(f"skipped: {expected.value}", _shown(outcome)),
                outcome=outcome,
            )
        if outcome.kind == "skip":
            return CaseResult(
                case,
                FAILED,
                f"expected {compare.show(expected.value)}, got {_describe(outcome)}",
                compare.diff(expected.value, _shown(outcome)),
                outcome=outcome,
            )
        if case.kind == OBJECT and isinstance(expected.value, dict):
            wanted = expected.value
            actual = {key: outcome.value.get(key) for key in wanted}
            if compare.same(wanted, actual):
                return CaseResult(case, PASSED, outcome=outcome)
            keys = [key for key in wanted if not compare.same(wanted[key], actual[key])]
            return CaseResult(
                case,
                FAILED,
                f"the {', '.join(keys)} differ{'s' if len(keys) == 1 else ''}",
                compare.diff(wanted, actual),
                outcome=outcome,
            )
        if compare.same(expected.value, outcome.value):
            return CaseResult(case, PASSED, outcome=outcome)
        return CaseResult(
            case,
            FAILED,
            f"expected {compare.show(expected.value)}, got {compare.show(outcome.value)}",
            compare.diff(expected.value, outcome.value),
            outcome=outcome,
        )

    def _unexpected(self, case: Case, outcome: Outcome) -> CaseResult:
        if outcome.kind == "error":
            first = outcome.diagnostics[0]
            return CaseResult(case, ERROR, f"{first.code}: {first.message}", outcome=outcome)
        shown = _describe(outcome)
        if self.ci:
            return CaseResult(
                case,
                FAILED,
                f"no expected value, and CI is set: got {shown}",
                ["record it with `scimmap test --update` and commit the case file"],
                outcome=outcome,
            )
        return CaseResult(case, NEW, f"no expected value yet: got {shown}", outcome=outcome)


def _hr_verdict(case: Case, outcome: Outcome) -> CaseResult:
    expected = case.expected
    assert expected is not None
    if outcome.kind == "error":
        first = outcome.diagnostics[0]
        return CaseResult(case, ERROR, f"{first.code}: {first.message}", outcome=outcome)
    actual = compare.graph_result(outcome.value)
    ok, note = compare.pester_equal(expected.value, actual)
    shown = actual[0] if len(actual) == 1 else (actual or None)
    notes = [note] if note else []
    if ok:
        return CaseResult(case, PASSED, outcome=outcome, notes=notes)
    return CaseResult(
        case,
        FAILED,
        f"expected {compare.show(expected.value)}, got {compare.show(shown)}",
        compare.diff(expected.value, shown),
        outcome=outcome,
        notes=notes,
    )


def _describe(outcome: Outcome) -> str:
    if outcome.kind == "skip":
        return f"skipped ({outcome.value})"
    if outcome.kind == "error":
        return f"error {outcome.code}"
    return compare.show(outcome.value)


def _shown(outcome: Outcome) -> Any:
    return f"skipped: {outcome.value}" if outcome.kind == "skip" else outcome.value


def _located(diagnostics: list[Diagnostic], origin: Origin | None) -> list[Diagnostic]:
    if origin is None:
        return list(diagnostics)
    return [d if d.origin is not None else d.with_origin(origin) for d in diagnostics]


def _exists(case: Case) -> Callable[[str], bool] | None:
    if case.exists is None:
        return None
    taken = frozenset(case.exists)
    return lambda value: value in taken


def _find_mapping(table: Any, target: str) -> Any:
    from scimmap.scim.paths import parse_target

    wanted = str(parse_target(target)).lower()
    for mapping in table.mappings:
        try:
            if str(parse_target(mapping.target)).lower() == wanted:
                return mapping
        except ScimmapError:
            continue
    import difflib

    targets = [m.target for m in table.mappings]
    close = difflib.get_close_matches(target, targets, n=1, cutoff=0.6)
    label = getattr(table, "file", None) or getattr(table, "name", None) or "the mapping table"
    raise MappingError(
        Diagnostic(
            "invalid-case",
            f"{label} has no mapping for target {target!r}",
            hint=f"did you mean {close[0]!r}?" if close else "targets: " + ", ".join(targets),
        )
    )


def _row_tracer(mapping: Any, case: Case) -> Callable[[], str | None]:
    def trace() -> str | None:
        import scimmap
        from scimmap.language.source import entra_source
        from scimmap.language.trace import render_trace

        text = mapping.expression_text
        if text is None or (case.action == "update" and mapping.apply == "on-create"):
            return None
        expression = scimmap.compile(text)
        steps, _, error = expression.trace(entra_source(case.source), now=case.now, exists=_exists(case))
        return render_trace(expression, steps, error)

    return trace


__all__ = ["ERROR", "FAILED", "NEW", "PASSED", "CaseResult", "Outcome", "Runner", "ci_enabled"]
