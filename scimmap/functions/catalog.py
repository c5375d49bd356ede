"""One declaration per function: parameters, types, Graph keys, docs and implementation in one place.

The checker, the compiler's argument binding, the generated ``docs/functions.md``, REPL completion and the
Graph JSON converter all read a :class:`FunctionSpec`; nothing else knows a function's shape.  Users extend
the catalog by combining catalogs (``BUILTINS | Catalog([...])``), never by subclassing.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, NamedTuple

import attrs
from attrs import field, frozen

from scimmap.errors import Span
from scimmap.language.values import OMITTED, ValueFailure, is_sentinel, to_int, to_list, to_text
from scimmap.prose import plain

ParamType = Literal["any", "string", "integer", "boolean", "datetime", "multi", "enum"]
Dialect = Literal["provisioning", "cloud-sync"]
DIALECTS: tuple[Dialect, ...] = ("provisioning", "cloud-sync")


def _datetime_converter(value: Any, what: str) -> Any:
    # Imported lazily: the .NET date module is large and most expressions never touch dates.
    from scimmap.functions.dates import to_datetime

    return to_datetime(value, what)


def _bool_converter(value: Any, what: str) -> Any:
    from scimmap.language.values import to_bool

    return to_bool(value, what)


CONVERTERS: dict[str, Callable[[Any, str], Any] | None] = {
    "any": None,
    "string": to_text,
    "integer": to_int,
    "boolean": _bool_converter,
    "datetime": _datetime_converter,
    "multi": lambda value, what: to_list(value),
    "enum": None,
}


def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _string_set(items: Iterable[str]) -> frozenset[str]:
    return frozenset(items)


def _params(items: Iterable[Param]) -> tuple[Param, ...]:
    return tuple(items)


def _examples(items: Iterable[Example]) -> tuple[Example, ...]:
    return tuple(items)


def _cautions(items: Iterable[Caution]) -> tuple[Caution, ...]:
    return tuple(items)


@frozen
class Param:
    """One parameter as Microsoft's reference names it.

    ``literal``: the argument must be written as a constant (or a bare word from ``choices``).
    ``check``: validates a constant argument at compile time (regex, date format); returns an error text.
    ``cost``: the compile cost of a constant argument, held to a per-expression and per-file budget.
    ``lazy``: the implementation receives a zero-argument callable and decides whether to evaluate it.
    ``default``: what the implementation receives for an omitted slot (``OMITTED`` to tell "not supplied"
    apart from null).
    """

    name: str
    type: ParamType = "string"
    required: bool = True
    repeating: bool = False
    literal: bool = False
    lazy: bool = False
    choices: tuple[str, ...] = field(default=(), converter=_strings)
    graph_key: str | None = None
    default: Any = None
    check: Callable[[str], str | None] | None = field(default=None, eq=False)
    summary: str = ""
    cost: Callable[[str], int] | None = field(default=None, eq=False)
    """What compiling a constant argument costs (a regex's weight); the checker sums the distinct constants
    per expression and per mapping file against a budget, before anything is compiled."""

    @property
    def key(self) -> str:
        """The Graph ``parameters[].key`` for this parameter."""
        return self.graph_key or self.name

    def convert(self, value: Any, function: str) -> Any:
        """Coerce an evaluated argument to this parameter's type."""
        converter = CONVERTERS[self.type]
        if converter is None or is_sentinel(value):
            return value
        return converter(value, f"{function}({self.name})")


@frozen
class Example:
    """A documented call and what it gives; the docs test evaluates every one (``...`` when it varies)."""

    expression: str
    result: Any
    input: Mapping[str, Any] = field(factory=dict)
    note: str = ""
    parameters: Mapping[str, Any] = field(factory=dict)
    """Evaluation parameters the example needs, such as the tenant's DefaultDomain."""


class Finding(NamedTuple):
    """Where a :class:`Caution` applies in one call: the message, the text it points at and the better form."""

    message: str
    span: Span
    hint: str


@frozen
class Caution:
    """A form Microsoft's reference warns against that Entra may still run: ``check`` warns, evaluation runs.

    Rejecting such a form would reject mappings that work in the portal (vendor guides are full of them);
    accepting it silently would hide what the reference says.  So the form compiles, and ``scimmap check``
    reports ``code`` as a warning with the documented form as the hint.  ``find`` looks at one call of the
    function (its node and the dialect) and returns where the caution applies; ``summary`` is the sentence
    the generated function reference shows.
    """

    code: str
    summary: str
    find: Callable[[Any, str], Iterable[Finding]] = field(eq=False, repr=False)


def graph_only(name: str, documented: str, why: str) -> Caution:
    """The caution for a function only Graph's function list has; ``documented`` takes the same arguments.

    Vendor setup guides copy such names from Graph's list; the hint rewrites the call with the documented
    function, so the fix can be pasted.
    """

    def find(call: Any, dialect: str) -> Iterable[Finding]:
        from scimmap.language.nodes import Call
        from scimmap.language.printer import format_node

        rewritten = format_node(Call(documented, call.args))
        return [
            Finding(
                f"{name} is in Graph's function list but not in Microsoft's function reference",
                call.name_span,
                f"write {rewritten}: {why}",
            )
        ]

    return Caution(
        "graph-only-function",
        f"Only Graph's function list has {name}; Microsoft's function reference does not document it, so "
        f"`scimmap check` warns and suggests {documented} with the same arguments ({why}).",
        find,
    )


@frozen
class RoleShape:
    """How a role function's value reaches the target, for the mapping engine (POST body and PATCH).

    ``whole``: the roles replace the whole attribute as role objects (POST), else the value fills one
    element like any other value and the element gets Entra's role ``type``.  ``label``: the member that
    repeats the role name in a role object.  ``asserted``: PATCH replaces the target's roles with exactly
    these, else it only adds the new ones.
    """

    whole: bool
    label: str | None = None
    asserted: bool = False


@frozen
class Lookup:
    """A call that is a lookup table: ``source``'s text (null as "") picks one of ``values`` by ``keys``.

    ``keys`` maps key text to the index of its value slot (the first duplicate wins); no match gives
    ``default``.  A function's ``specializer`` returns one for calls whose keys are all constants, so the
    compiler emits one dict lookup and the mapping engine can convert each constant result once.
    """

    source: Any
    keys: dict[str, int]
    values: tuple[Any, ...]
    default: Any


@frozen
class FunctionSpec:
    """A built-in: everything the checker, compiler, docs, REPL and Graph converter need."""

    name: str
    params: tuple[Param, ...] = field(converter=_params)
    impl: Callable[..., Any] = field(eq=False, repr=False)
    returns: str = "string"
    summary: str = ""
    doc: str = ""
    examples: tuple[Example, ...] = field(default=(), converter=_examples)
    dialects: frozenset[str] = field(default=frozenset(DIALECTS), converter=_string_set)
    context: bool = False
    pure: bool = True
    top_level_only: bool = False
    min_args: int | None = None
    arity_check: Callable[[int], str | None] | None = field(default=None, eq=False)
    notes: tuple[str, ...] = field(default=(), converter=_strings)
    short_form: tuple[str, ...] = field(default=(), converter=_strings)
    """Optional parameters absent from the written form when fewer arguments are given: FormatDateTime with
    three arguments is (source, inputFormat, outputFormat), with four it has dateTimeStyles second."""
    cautions: tuple[Caution, ...] = field(default=(), converter=_cautions)
    """Documented traps in how the function is called; ``check`` reports each as a warning."""
    reads: tuple[str, ...] = field(default=(), converter=_strings)
    """Evaluation parameters the function reads (DefaultDomain reads ``DefaultDomain``): values that are not
    in the source object, which the caller supplies (``parameters=``, ``--param``)."""
    secret: bool = False
    """What the call produces is a secret (Redact): traces, error messages, samples and reports show
    ``[Redact]`` for it, for everything inside the call and for everything that contains it."""
    may_skip: bool = False
    """The call can return a flow sentinel by itself (IgnoreFlowIfNullOrEmpty gives SKIP), so a call that
    takes its value must let the sentinel through and the mapping engine must test for it."""
    graph_all_slots: bool = False
    """Graph's stored ``expression`` text writes every declared slot, empty ones as ``""`` (Replace)."""
    role_shape: RoleShape | None = None
    """A role function: how its value shapes the request when it is a mapping's whole expression."""
    specializer: Callable[[FunctionSpec, Any, Catalog], Lookup | None] | None = field(default=None, eq=False)
    """Given a call (and the catalog it resolves in), a :class:`Lookup` when the call is a constant-keyed
    lookup table (Switch), else None; the compiler and the mapping engine use it instead of the generic call."""
    separator_join: bool = False
    """The first argument is a separator and the result is the other arguments' non-empty texts joined by
    it (Join): with a constant separator and text-or-null parts the compiler inlines the join."""
    create_only: bool = False
    """Its mapping must apply on create only and must not be a matching attribute (SelectUniqueValue, as
    Microsoft's reference says): ``check`` reports a mapping that breaks either rule."""

    def expand(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """Slots as written, padded with omitted slots for short-form parameters, aligned with ``params``."""
        missing = len(self.params) - len(args)
        if not self.short_form or missing <= 0 or any(p.repeating for p in self.params):
            return tuple(args)
        if missing > len(self.short_form):  # too few arguments even for the short form: arity reports it
            return tuple(args)
        dropped = [i for i, p in enumerate(self.params) if p.name in self.short_form][:missing]
        expanded: list[Any] = []
        written = iter(args)
        for index in range(len(args) + len(dropped)):
            expanded.append(None if index in dropped else next(written))
        return tuple(expanded)

    def contract(self, slots: list[Any]) -> list[Any]:
        """Inverse of :meth:`expand` for Graph JSON, where omitted parameters are simply absent."""
        if not self.short_form:
            return slots
        kept = [s for s, p in zip(slots, self.params) if not (p.name in self.short_form and s is None)]
        return kept + slots[len(self.params) :]

    @property
    def minimum(self) -> int:
        if self.min_args is not None:
            return self.min_args
        count = 0
        for param in self.params:
            if param.required:
                count += 1
        return count

    @property
    def maximum(self) -> int | None:
        if any(p.repeating for p in self.params):
            return None
        return len(self.params)

    def param_at(self, index: int) -> Param:
        """The parameter a positional slot binds to (repeating parameters absorb the tail)."""
        if index < len(self.params):
            return self.params[index]
        repeating = [p for p in self.params if p.repeating]
        if repeating:
            # The repeating group is the trailing run of repeating parameters; cycle through it.
            first = self.params.index(repeating[0])
            group = self.params[first:]
            return group[(index - first) % len(group)]
        raise IndexError(index)

    def parameter_labels(self) -> list[str]:
        """Each parameter as the signature prints it (``[defaultValue]`` optional, ``key1`` repeating).

        Editors highlight the argument being typed inside :meth:`signature`, so they need the same labels.
        """
        return [
            f"{param.name}1" if param.repeating else param.name if param.required else f"[{param.name}]"
            for param in self.params
        ]

    def signature(self) -> str:
        """``Switch(source, [defaultValue], key1, value1, ...)``: the form Microsoft's reference prints."""
        parts = self.parameter_labels()
        if any(p.repeating for p in self.params):
            parts.append("...")
        return f"{self.name}({', '.join(parts)})"

    def arity_problem(self, count: int) -> str | None:
        """Why ``count`` slots is wrong for this function, or None when it is fine."""
        if count < self.minimum:
            return f"{self.name} needs at least {self.minimum} argument{'s' if self.minimum != 1 else ''}, got {count}"
        if self.maximum is not None and count > self.maximum:
            return f"{self.name} takes at most {self.maximum} argument{'s' if self.maximum != 1 else ''}, got {count}"
        if self.arity_check is not None:
            return self.arity_check(count)
        return None


class Catalog:
    """An immutable set of functions looked up by name (exactly, then case-insensitively)."""

    def __init__(self, functions: Iterable[FunctionSpec] = ()) -> None:
        self._by_name: dict[str, FunctionSpec] = {}
        for spec in functions:
            self._by_name[spec.name] = spec
        self._by_folded = {name.lower(): spec for name, spec in self._by_name.items()}

    def __or__(self, other: Catalog) -> Catalog:
        return Catalog([*self, *other])

    def __iter__(self) -> Iterator[FunctionSpec]:
        return iter(sorted(self._by_name.values(), key=lambda s: s.name.lower()))

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._by_name

    def get(self, name: str, dialect: str | None = None) -> FunctionSpec | None:
        """Exact name first; a differently-cased name also resolves (the checker warns about it)."""
        spec = self._by_name.get(name) or self._by_folded.get(name.lower())
        if spec is not None and dialect is not None and dialect not in spec.dialects:
            return None
        return spec

    def declares(self, name: str, flag: str, dialect: str | None = None) -> bool:
        """Does the function called ``name`` (resolved as :meth:`get` does) declare ``flag`` (``"secret"``,
        ``"may_skip"``...)?  Unknown names declare nothing."""
        spec = self.get(name, dialect)
        return spec is not None and bool(getattr(spec, flag))

    def names(self, dialect: str | None = None) -> list[str]:
        return [s.name for s in self if dialect is None or dialect in s.dialects]

    def suggest(self, name: str, dialect: str | None = None) -> str | None:
        """The closest known name, for did-you-mean hints."""
        names = self.names(dialect)
        folded = {n.lower(): n for n in names}
        matches = difflib.get_close_matches(name.lower(), list(folded), n=1, cutoff=0.6)
        return folded[matches[0]] if matches else None


_REGISTRY: list[FunctionSpec] = []


def builtin(
    name: str,
    params: Sequence[Param] = (),
    *,
    returns: str = "string",
    summary: str = "",
    examples: Sequence[Example] = (),
    dialects: Iterable[str] = DIALECTS,
    context: bool = False,
    pure: bool = True,
    top_level_only: bool = False,
    min_args: int | None = None,
    arity_check: Callable[[int], str | None] | None = None,
    notes: Sequence[str] = (),
    short_form: Sequence[str] = (),
    cautions: Sequence[Caution] = (),
    reads: Sequence[str] = (),
    secret: bool = False,
    may_skip: bool = False,
    graph_all_slots: bool = False,
    role_shape: RoleShape | None = None,
    specializer: Callable[[FunctionSpec, Any, Catalog], Lookup | None] | None = None,
    separator_join: bool = False,
    create_only: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a built-in. The decorated function's docstring becomes its documentation.

    The implementation receives one Python argument per declared parameter (a repeating parameter
    receives a list), already converted to the parameter's type; ``context=True`` adds the evaluation
    context first.  It raises :class:`ValueFailure` for bad input values.
    """

    def register(impl: Callable[..., Any]) -> Callable[..., Any]:
        # Every text people read goes through plain() here, once: --help, catalog, REPL menu and docs show it.
        doc = plain(inspect.cleandoc(impl.__doc__ or ""))
        first = plain(summary) or (doc.split("\n\n")[0].replace("\n", " ") if doc else "")
        _REGISTRY.append(
            FunctionSpec(
                name=name,
                params=tuple(attrs.evolve(p, summary=plain(p.summary)) for p in params),
                impl=impl,
                returns=returns,
                summary=first,
                doc=doc,
                examples=tuple(examples),
                dialects=frozenset(dialects),
                context=context,
                pure=pure,
                top_level_only=top_level_only,
                min_args=min_args,
                arity_check=arity_check,
                notes=tuple(plain(note) for note in notes),
                short_form=tuple(short_form),
                cautions=tuple(cautions),
                reads=tuple(reads),
                secret=secret,
                may_skip=may_skip,
                graph_all_slots=graph_all_slots,
                role_shape=role_shape,
                specializer=specializer,
                separator_join=separator_join,
                create_only=create_only,
            )
        )
        return impl

    return register


def registered() -> list[FunctionSpec]:
    return list(_REGISTRY)


__all__ = [
    "OMITTED",
    "Catalog",
    "Caution",
    "Example",
    "Finding",
    "FunctionSpec",
    "Lookup",
    "Param",
    "RoleShape",
    "ValueFailure",
    "builtin",
    "graph_only",
]
