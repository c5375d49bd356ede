"""The compiled :class:`Expression`: evaluate, trace, pickle.

Evaluation runs the generated fast function.  When it fails, the same expression is run once more through
the traced build of the same generator to find the innermost failing call, so the diagnostic's caret sits
under the function that failed without slowing down the successful path.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from attrs import frozen

from scimmap.dotnet.limits import TextTooLong
from scimmap.errors import CheckError, Diagnostic, EvaluationError, ParseError, ScimmapError, Span
from scimmap.functions.catalog import Catalog
from scimmap.language.check import MAX_LENGTH, check_node, length_diagnostic
from scimmap.language.compiler import Context, Tracer, TraceStep, generate
from scimmap.language.nodes import Node
from scimmap.language.printer import format_node
from scimmap.language.source import source_view
from scimmap.language.syntax import parse_expression
from scimmap.language.values import SKIP, SKIP_OBJECT, output

Source = Mapping[str, Any]


def _builtins() -> Catalog:
    from scimmap.functions import BUILTINS

    return BUILTINS


def to_node(text_or_node: str | Node, dialect: str = "provisioning") -> tuple[Node, str]:
    """Accept either form everywhere the API takes an expression."""
    if isinstance(text_or_node, str):
        return parse_expression(text_or_node, dialect), text_or_node
    from scimmap.language.nodes import NODE_TYPES

    if isinstance(text_or_node, NODE_TYPES):
        # Hand-built trees skip the parser's depth limit; the compiler recurses, so enforce it here.
        from scimmap.language.nodes import depth
        from scimmap.language.syntax import MAX_DEPTH

        if depth(text_or_node) > MAX_DEPTH + 1:
            raise ParseError(Diagnostic("too-deep", f"expression nests deeper than {MAX_DEPTH} levels"))
        return text_or_node, format_node(text_or_node)
    raise ParseError(Diagnostic("syntax", f"expected expression text or a node, not {type(text_or_node).__name__}"))


class Expression:
    """A parsed, checked and compiled expression; evaluate it against many source objects."""

    def __init__(self, node: Node, text: str, catalog: Catalog, dialect: str, warnings: list[Diagnostic]) -> None:
        self.node = node
        self.text = text
        self.catalog = catalog
        self.dialect = dialect
        self.warnings = warnings
        self._function, _ = generate(node, catalog, dialect)
        self._traced: tuple[Callable[..., Any], list[Node]] | None = None

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from text: generated code is not picklable, and rebuilding is cheap.
        catalog = None if self.catalog is _builtins() else self.catalog
        return (_rebuild, (self.text, catalog, self.dialect))

    def parameter_uses(self) -> list[tuple[str, Node]]:
        """Every evaluation parameter the expression reads, with the node that reads it: cloud-sync
        ``%Name%`` tokens and functions that read one (``DefaultDomain()``), in text order."""
        from scimmap.language.nodes import Call, Parameter, walk

        uses: list[tuple[str, Node]] = []
        for node in walk(self.node):
            if isinstance(node, Parameter):
                uses.append((node.name, node))
            elif isinstance(node, Call):
                spec = self.catalog.get(node.name, self.dialect)
                uses.extend((name, node) for name in (spec.reads if spec is not None else ()))
        return sorted(uses, key=lambda use: getattr(use[1], "span", Span(0, 0)).start)

    def unset_parameters(
        self, supplied: Mapping[str, Any] | None = None, *, how: str = "set the evaluation parameter {name}"
    ) -> list[Diagnostic]:
        """An ``unset-parameter`` warning for each parameter the expression reads that ``supplied`` lacks.

        Evaluation cannot warn (it returns a value), so callers ask before evaluating; ``how`` is the hint,
        worded for where the user sets parameters (``--param {name}=...`` on the command line).
        """
        from scimmap.language.nodes import Parameter

        supplied = supplied or {}
        found = []
        for name, node in self.parameter_uses():
            if supplied.get(name) not in (None, ""):
                continue
            if isinstance(node, Parameter):
                message = f"%{name}% has no value, so it reads as null"
            else:
                message = f"{getattr(node, 'name', name)}() reads the evaluation parameter {name}, which is not set"
            span = getattr(node, "span", None)
            found.append(Diagnostic("unset-parameter", message, span, self.text, how.format(name=name), "warning"))
        return found

    @property
    def python_source(self) -> str:
        """The generated Python, for the curious and for `scimmap explain --python`."""
        return str(getattr(self._function, "__scimmap_source__", ""))

    def context(
        self,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        rng: Any = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Context:
        return Context(
            now=_aware(now),
            exists=exists,
            rng=rng,
            parameters=dict(parameters or {}),
            dialect=self.dialect,
        )

    def evaluate_prepared(self, source: dict[str, Any], ctx: Context) -> Any:
        """Evaluate against an already prepared source; returns internal values (sentinels included)."""
        try:
            return self._function(source, ctx)
        except ScimmapError as error:
            raise self._locate(source, ctx, error) from None
        except Exception as error:
            raise self._locate(source, ctx, error) from None

    def evaluate(
        self,
        source: Source | None = None,
        *,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        rng: Any = None,
        parameters: Mapping[str, Any] | None = None,
        options: EvaluationOptions | None = None,
    ) -> Any:
        """The value Entra would produce: None, str, int, bool, list[str], SKIP or SKIP_OBJECT.

        ``source`` may be Entra-shaped or a Graph object as Microsoft Graph returns it (see
        :func:`source_view`).  ``options`` gives ``now``/``exists``/``rng``/``parameters`` as one value;
        a keyword given as well takes precedence.
        """
        if options is not None:
            now = options.now if now is None else now
            exists = options.exists if exists is None else exists
            rng = options.rng if rng is None else rng
            parameters = options.parameters if parameters is None else parameters
        value = self.evaluate_prepared(source_view(source), self.context(now, exists, rng, parameters))
        if value is SKIP or value is SKIP_OBJECT:
            return value
        return output(value)

    def trace(
        self,
        source: Source | None = None,
        *,
        now: datetime | None = None,
        exists: Callable[[str], bool] | None = None,
        rng: Any = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> tuple[list[TraceStep], Any, EvaluationError | None]:
        """Every evaluated node in evaluation order, the result, and the failure if there was one."""
        function, nodes = self._traced_function()
        plain = self.context(now, exists, rng, parameters)
        tracer = Tracer(nodes)
        ctx = Context(plain.now, plain.exists, plain.rng, plain.parameters, tracer, plain.dialect)
        try:
            value = function(source_view(source), ctx)
        except Exception as error:
            return tracer.steps, None, self._error_at(tracer, error)
        return tracer.steps, (value if value in (SKIP, SKIP_OBJECT) else output(value)), None

    def _traced_function(self) -> tuple[Callable[..., Any], list[Node]]:
        if self._traced is None:
            self._traced = generate(self.node, self.catalog, self.dialect, trace=True)
        return self._traced

    def _locate(self, source: dict[str, Any], ctx: Context, error: Exception) -> EvaluationError:
        function, nodes = self._traced_function()
        tracer = Tracer(nodes)
        traced_ctx = Context(ctx.now, ctx.exists, ctx.rng, ctx.parameters, tracer, ctx.dialect)
        try:
            function(source, traced_ctx)
        except Exception as again:
            return self._error_at(tracer, again)
        return self._error_at(tracer, error)  # pragma: no cover - non-deterministic failure

    def _error_at(self, tracer: Tracer, error: Exception) -> EvaluationError:
        node = tracer.failing_node
        span = getattr(node, "span", None) or Span(0, len(self.text))
        if _touches_secret(self.node, node, self.catalog, self.dialect):
            return EvaluationError(_secret_failure(error, node, span, self.text))
        if isinstance(error, ScimmapError) and error.diagnostics:
            first = error.diagnostics[0]
            if first.span is None or not first.source:
                return EvaluationError(Diagnostic(first.code, first.message, span, self.text, first.hint))
            return EvaluationError(Diagnostic(first.code, first.message, first.span, self.text, first.hint))
        message = str(error) or type(error).__name__
        if not _is_expected(error):
            message = f"{getattr(node, 'name', 'evaluation')} failed: {message}"
        return EvaluationError(
            Diagnostic("text-too-long" if isinstance(error, TextTooLong) else "evaluation", message, span, self.text)
        )


REDACTED = "[Redact]"


def secret_calls(root: Node, catalog: Catalog, dialect: str | None = None) -> list[Node]:
    """The calls in ``root`` of functions declared ``secret`` (Redact): what they produce, and everything
    that contains them, is a secret wherever scimmap shows a value."""
    from scimmap.language.nodes import Call, walk

    return [n for n in walk(root) if isinstance(n, Call) and catalog.declares(n.name, "secret", dialect)]


def _touches_secret(root: Node, failing: Node | None, catalog: Catalog, dialect: str) -> bool:
    """Could the failure's message hold anything derived from a Redact()-ed value (a ``secret`` function's)?

    The language has no variables: a value only flows from a node to the node that contains it.  So a
    failure can see a secret exactly when the failing node is a Redact call, sits inside one, or contains
    one.  Such a message is never shown, whatever form the secret took on the way (a number after
    conversion, a quoted fragment, a decoded prefix): scrubbing known texts cannot catch derived forms,
    so the message is replaced, not filtered.  An unknown failing node counts as touching the secret.
    """
    from scimmap.language.nodes import walk

    redacts = secret_calls(root, catalog, dialect)
    if not redacts:
        return False
    if failing is None:
        return True
    inside = any(failing is inner for call in redacts for inner in walk(call))
    return inside or any(inner is call for inner in walk(failing) for call in redacts)


def _secret_failure(error: Exception, node: Node | None, span: Span, text: str) -> Diagnostic:
    """The diagnostic for a failure that touched a Redact()-ed value: its code and where, never its words."""
    code = error.diagnostics[0].code if isinstance(error, ScimmapError) and error.diagnostics else "evaluation"
    name = getattr(node, "name", None) or "the expression"
    return Diagnostic(
        code,
        f"{name} failed on a value that went through Redact() ({REDACTED}); the details are hidden because "
        "they could show the secret",
        span,
        text,
        "evaluate the expression without Redact() against test data to see the full message",
    )


def _is_expected(error: Exception) -> bool:
    from scimmap.language.values import ValueFailure

    return isinstance(error, ValueFailure)


@frozen
class EvaluationOptions:
    """What an evaluation reads besides the source object, as one value.

    ``now`` is the instant Now() returns (the real UTC time when None), ``exists`` tells
    SelectUniqueValue whether a candidate is taken in the target, ``rng`` is the random source of
    Guid()/RandomString() (the operating system's when None), ``parameters`` holds values that are not
    source attributes (``DefaultDomain``, cloud sync's ``%Name%`` tokens).  Expressions, mapping tables and
    their updates take the same four, so they are carried together rather than threaded one by one.
    """

    now: datetime | None = None
    exists: Callable[[str], bool] | None = None
    rng: Any = None
    parameters: Mapping[str, Any] | None = None

    def context(self, dialect: str = "provisioning") -> Context:
        if self.now is None and self.exists is None and self.rng is None and not self.parameters:
            return _real_time_context(dialect)
        return Context(
            now=_aware(self.now),
            exists=self.exists,
            rng=self.rng,
            parameters=dict(self.parameters or {}),
            dialect=dialect,
        )


NO_OPTIONS = EvaluationOptions()
"""The options of a call that set none: the real time, no uniqueness oracle, system randomness."""


def options_of(
    now: datetime | None = None,
    exists: Callable[[str], bool] | None = None,
    rng: Any = None,
    parameters: Mapping[str, Any] | None = None,
) -> EvaluationOptions:
    """The options for keyword arguments as the public API takes them (the shared instance when none is set)."""
    if now is None and exists is None and rng is None and not parameters:
        return NO_OPTIONS
    return EvaluationOptions(now, exists, rng, parameters)


_REAL_TIME: dict[str, tuple[int, Context]] = {}
"""Per dialect, the context of calls that set no option, and the second of the real time it holds."""


def _real_time_context(dialect: str) -> Context:
    """The context of a call that sets no option: the real UTC time, to the second (as ``_aware``).

    Why shared: building one (reading the clock into a datetime, an attrs instance, a dict) cost about
    2 µs, more than a whole small mapping table; within one second every such call's context is equal.
    """
    second = int(time.time())
    cached = _REAL_TIME.get(dialect)
    if cached is not None and cached[0] == second:
        return cached[1]
    ctx = Context(now=datetime.fromtimestamp(second, timezone.utc), dialect=dialect)
    _REAL_TIME[dialect] = (second, ctx)
    return ctx


def _aware(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    if now.tzinfo is None:
        return now.replace(tzinfo=timezone.utc)
    try:
        return now.astimezone(timezone.utc)
    except OverflowError:  # 9999-12-31T23:59:59-01:00 has no UTC form
        raise EvaluationError(
            Diagnostic(
                "invalid-input",
                f"now={now.isoformat()} is outside the range a DateTime holds in UTC (0001-01-01 to 9999-12-31)",
            )
        ) from None


def _rebuild(text: str, catalog: Catalog | None, dialect: str) -> Expression:
    return compile_expression(text, catalog=catalog, dialect=dialect)


def check_expression(
    text_or_node: str | Node,
    *,
    catalog: Catalog | None = None,
    dialect: str = "provisioning",
    compile_costly: bool = True,
) -> list[Diagnostic]:
    """Every problem, errors and warnings; a syntax error is returned, not raised.

    ``compile_costly=False``: regex patterns are weighed but not compiled (a file over its regex budget).
    """
    dialect = _dialect(dialect)
    try:
        node, text = to_node(text_or_node, dialect)
    except ParseError as error:
        return list(error.diagnostics)
    return check_node(node, text, catalog or _builtins(), dialect, compile_costly=compile_costly)


def compile_expression(
    text_or_node: str | Node, *, catalog: Catalog | None = None, dialect: str = "provisioning"
) -> Expression:
    """Parse, check and compile; raises ParseError or CheckError with every error found."""
    dialect = _dialect(dialect)
    catalog = catalog or _builtins()
    if isinstance(text_or_node, str) and len(text_or_node) > MAX_LENGTH:
        # Decided before parsing: a hostile megabyte must cost nothing (check() still parses and lists all).
        raise CheckError(length_diagnostic(text_or_node))
    node, text = to_node(text_or_node, dialect)
    diagnostics = check_node(node, text, catalog, dialect)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise CheckError(errors)
    return Expression(node, text, catalog, dialect, [d for d in diagnostics if d.severity != "error"])


def _dialect(dialect: str) -> str:
    if dialect not in ("provisioning", "cloud-sync"):
        raise CheckError(
            Diagnostic("invalid-argument", f"unknown dialect {dialect!r}", hint="use 'provisioning' or 'cloud-sync'")
        )
    return dialect
