"""Every static problem of a mapping table, found before Entra finds it (``scimmap check``).

The portal accepts many tables that then fail, or silently send nothing, during a provisioning cycle:
a misspelt source attribute is just null, two mappings to one target fight, SelectUniqueValue on a
matching attribute is rejected at run time.  Each check returns diagnostics positioned in the mapping
file (through the origins :mod:`scimmap.mapping.files` recorded); none of them raises.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scimmap.errors import Diagnostic, Origin, ParseError, ScimmapError, Span
from scimmap.language.nodes import Attribute, Call, Comparison, Constant, Node, walk
from scimmap.mapping import attributes as entra
from scimmap.mapping.model import Mapping, ScopeClause
from scimmap.mapping.scoping import OPERATORS, UNARY, fold_operator

MAX_LENGTH = 10_000

UNARY_OPERATORS = UNARY
BINARY_OPERATORS = tuple(operator for operator in OPERATORS if operator not in UNARY)
"""Scoping operators (docs/mapping-files.md): Graph's eight plus the portal's newer ones, normalised to
upper case with spaces (the portal writes ``Greater_Than``, Graph ``NOT EQUALS``)."""
BOOLEAN_OPERATORS = ("IS TRUE", "IS FALSE")
INTEGER_OPERATORS = ("GREATER THAN", "GREATER THAN OR EQUALS")
REGEX_OPERATORS = ("REGEX MATCH", "NOT REGEX MATCH")
NULL_TESTS = ("IsPresent", "IsNull", "IsNullOrEmpty", "IsNotNull")


def check_table(table: Any) -> list[Diagnostic]:
    """All problems of the table, errors and warnings, in file order."""
    checker = _Checker(table)
    budget = regex_budget_problems(table, checker)
    checker.compile_costly = not budget
    checker.run()
    return sorted(checker.found + budget, key=_order)


def check_read(table: Any, found: list[Diagnostic], file: str) -> list[Diagnostic]:
    """What ``scimmap check`` reports for one file: the reader's problems plus the table's, in file order.

    ``table`` and ``found`` are what :func:`scimmap.mapping.files.read_mapping_text` returned, so a caller
    that also needs the table (the language server) reads the text once.
    """
    diagnostics = list(found)
    if table is not None:
        try:
            diagnostics += check_table(table)
        except Exception as error:
            diagnostics.append(
                Diagnostic("internal-error", f"scimmap could not check this file: {error!r}", origin=Origin(file))
            )
    return sorted(diagnostics, key=_order)


def check_text(text: str, file: str = "<string>") -> list[Diagnostic]:
    """Every problem of mapping-file text (YAML, JSON or Graph JSON), positioned in ``file``."""
    from scimmap.mapping.files import read_mapping_text

    table, found = read_mapping_text(text, file)
    return check_read(table, found, file)


def check_path(path: str) -> list[Diagnostic]:
    """Every problem of the mapping file at ``path`` (size limit and decoding problems included)."""
    from pathlib import Path

    from scimmap.mapping.files import read_mapping

    table, found = read_mapping(Path(path), file=path)
    return check_read(table, found, path)


def compile_problems(table: Any) -> list[Diagnostic]:
    """Every error that stops the table from compiling, positioned: what ``MappingTable.compiled()`` would
    raise one at a time (a target that does not parse, an expression that does not compile), all at once,
    so a broken file is reported whole when it is loaded."""
    from scimmap.scim.paths import parse_target

    checker = _Checker(table)
    budget = regex_budget_problems(table, checker)  # first: over it, no pattern is compiled
    found: list[Diagnostic] = []
    for mapping in tuple(getattr(table, "mappings", ()) or ()):
        try:
            parse_target(mapping.target)
        except ScimmapError as error:
            found.extend(_positioned(d, mapping.target, checker.origin(mapping, "target")) for d in error.diagnostics)
        text = mapping.expression_text
        if text is None or mapping.kind == "constant":  # a constant is quoted into a valid string
            continue
        origin = checker.origin(mapping, "source")
        for diagnostic in checker.expression_problems(text, compile_costly=not budget):
            if diagnostic.severity != "error":
                continue
            if mapping.kind == "direct":  # checked as [name]; the file holds name
                diagnostic = _unbracketed(diagnostic, mapping.source or "")
            found.append(diagnostic.with_origin(origin))
    return sorted(found + budget, key=_order)


def regex_budget_problems(table: Any, checker: _Checker) -> list[Diagnostic]:
    """``regex-too-large`` when the distinct constant patterns of all the file's expressions together weigh
    more than ``MAX_WEIGHT_PER_FILE`` (each expression is also held to its own, smaller budget).

    Weighed without compiling anything: 230 patterns of ``[abX]{99999}`` took 18.8 s and 5.9 GB to compile.
    """
    from scimmap.dotnet.regex import MAX_WEIGHT_PER_FILE
    from scimmap.functions import BUILTINS
    from scimmap.language.check import budget_diagnostic, costly_constants, over_budget

    costs: list[tuple[Constant, int]] = []
    where: dict[int, tuple[str, Origin]] = {}
    for mapping in tuple(getattr(table, "mappings", ()) or ()):
        text = mapping.expression_text
        if text is None or mapping.kind != "expression":
            continue
        try:
            node = checker.parse(text)
        except ScimmapError:
            continue  # reported by the expression's own check
        for constant, cost in costly_constants(node, BUILTINS, "provisioning"):
            costs.append((constant, cost))
            where[id(constant)] = (text, checker.origin(mapping, "source"))
    crossing = over_budget(costs, MAX_WEIGHT_PER_FILE)
    if crossing is None:
        return []
    constant, total = crossing
    text, origin = where[id(constant)]
    return [budget_diagnostic(constant, total, MAX_WEIGHT_PER_FILE, "mapping file", text).with_origin(origin)]


def _unbracketed(diagnostic: Diagnostic, name: str) -> Diagnostic:
    span = diagnostic.span or Span(0, len(name) + 2)
    start = min(max(0, span.start - 1), len(name))
    end = min(max(start, span.end - 1), len(name))
    return Diagnostic(diagnostic.code, diagnostic.message, Span(start, end), name, diagnostic.hint, diagnostic.severity)


def _order(diagnostic: Diagnostic) -> tuple[int, int]:
    try:
        return diagnostic.line, diagnostic.column
    except Exception:
        return 0, 0


class _Checker:
    def __init__(self, table: Any) -> None:
        self.table = table
        self.file = getattr(table, "file", None) or "<mapping>"
        self.object = str(getattr(table, "object", "User") or "User")
        self.origins: dict[str, Origin] = dict(getattr(table, "origins", None) or {})
        self.found: list[Diagnostic] = []
        self.compile_costly = True  # False when the file is over its regex budget: weigh, do not compile
        target_object = getattr(table, "target_object", None)
        self.scim = self.object in ("User", "Group") and (
            not target_object or str(target_object).lower().startswith("urn:ietf:params:scim:")
        )
        self._parsed: dict[str, Node | ParseError] = {}

    # -- helpers -----------------------------------------------------------------------------------

    def parse(self, text: str) -> Node:
        """``text`` parsed once per check; raises its ParseError again each time it is asked for.

        The budget, the expression's own checks, the body's shape and the deprovisioning rules all read each
        expression, and the parser's cache stops at Entra's 10,000 characters: a longer expression was
        parsed twice by ``load_mapping`` and six times by ``scimmap check``.
        """
        found = self._parsed.get(text)
        if found is None:
            from scimmap.language.syntax import parse_expression

            try:
                found = parse_expression(text)
            except ParseError as error:
                found = error
            self._parsed[text] = found
        if isinstance(found, ParseError):
            raise found.with_traceback(None)
        return found

    def expression_problems(self, text: str, *, compile_costly: bool) -> list[Diagnostic]:
        """What :func:`~scimmap.language.expression.check_expression` returns for ``text``, from its one
        parse: the syntax error, or every check's findings."""
        from scimmap.functions import BUILTINS
        from scimmap.language.check import check_node

        try:
            node = self.parse(text)
        except ParseError as error:
            return list(error.diagnostics)
        return check_node(node, text, BUILTINS, "provisioning", compile_costly=compile_costly)

    @property
    def noun(self) -> str:
        """ "user" or "group": what Entra reads attributes of (an invalid `object:` was reported already)."""
        return "group" if self.object.lower() == "group" else "user"

    def table_anchor(self) -> tuple[str, Origin] | None:
        """The text and position table-wide problems point at: the key that holds the mappings as the file
        spells it (``mappings`` or Graph's ``attributeMappings``), else the table with no snippet.  None when
        the file has no such key at all: the reader reported that already, and more would only pile on."""
        for key in ("mappings", "attributeMappings"):
            if key in self.origins:
                return key, self.origins[key]
        if "table" in self.origins and self.origins.get("no-mappings") is not None:
            return None
        return "", self.origins.get("table") or Origin(self.file)

    def origin(self, owner: Any, key: str, fallback: str = "mapping") -> Origin:
        origins = getattr(owner, "origins", None) or {}
        found = origins.get(key) or origins.get(fallback)
        if found is None:
            anchor = self.table_anchor()
            found = anchor[1] if anchor else self.origins["table"]
        return found

    def add(
        self,
        code: str,
        message: str,
        text: str,
        origin: Origin,
        hint: str | None = None,
        severity: str = "error",
        span: Span | None = None,
    ) -> None:
        if span is None and text and "\n" not in text:
            span = Span(0, len(text))
        self.found.append(Diagnostic(code, message, span, text if span else "", hint, severity, origin))  # type: ignore[arg-type]

    # -- run ---------------------------------------------------------------------------------------

    def run(self) -> None:
        # An `object:` other than User or Group is the file reader's to report (once); Graph tables of other
        # apps (Salesforce's UserRole...) legitimately have other objects.
        mappings: tuple[Mapping, ...] = tuple(getattr(self.table, "mappings", ()) or ())
        for mapping in mappings:
            self.check_mapping(mapping)
        self.check_targets(mappings)
        self.check_shapes(mappings)
        self.check_matching(mappings)
        self.check_deprovisioning()
        for group in getattr(self.table, "scope", ()) or ():
            for clause in group.clauses:
                self.check_clause(clause)

    # -- one mapping -------------------------------------------------------------------------------

    def check_mapping(self, mapping: Mapping) -> None:
        if self.scim:
            self.check_target(mapping)
        if mapping.kind == "direct" and mapping.source is not None:
            self.check_source_name(mapping.source, self.origin(mapping, "source"), None, mapping.source)
        elif mapping.kind == "expression" and mapping.source is not None:
            self.check_expression(mapping)
        elif mapping.kind == "constant" and mapping.source is not None and len(mapping.source) > MAX_LENGTH:
            self.add(
                "too-long",
                f"constant is {len(mapping.source):,} characters long; Entra accepts at most {MAX_LENGTH:,}",
                "",
                self.origin(mapping, "source"),
            )

    def check_target(self, mapping: Mapping) -> None:
        from scimmap.scim import schemas
        from scimmap.scim.paths import parse_target

        origin = self.origin(mapping, "target")
        try:
            path = parse_target(mapping.target)
        except ScimmapError as error:
            for diagnostic in error.diagnostics:
                self.found.append(_positioned(diagnostic, mapping.target, origin))
            return
        try:
            known = schemas.attribute(path, self.object)
        except ScimmapError:
            known = None
        if known is None:
            suggestion = _safe(lambda: schemas.suggest(mapping.target, self.object))
            urn_hint = "custom attributes go in an extension: urn:ietf:params:scim:schemas:extension:<name>:2.0:User:<attribute>"
            self.add(
                "invalid-target",
                f"'{mapping.target}' is not an attribute of the SCIM {self.object} schema",
                mapping.target,
                origin,
                f"did you mean '{suggestion}'?" if suggestion else urn_hint,
            )

    def check_expression(self, mapping: Mapping) -> None:
        text = mapping.source or ""
        origin = self.origin(mapping, "source")
        diagnostics = self.expression_problems(text, compile_costly=self.compile_costly)
        for diagnostic in diagnostics:
            self.found.append(diagnostic.with_origin(origin))
        if len(text) > MAX_LENGTH and not any(d.code == "too-long" for d in diagnostics):
            self.add(
                "too-long",
                f"expression is {len(text):,} characters long; Entra accepts at most {MAX_LENGTH:,}",
                text,
                origin,
                "move parts of the logic into separate mappings",
                span=Span(MAX_LENGTH, len(text)),
            )
        try:
            node = self.parse(text)
        except ScimmapError:
            return
        for current in walk(node):
            if isinstance(current, Attribute):
                self.check_source_name(current.name, origin, current.span, text)
        self.check_traps(node, text, origin)
        self.check_create_only(mapping, node, text, origin)

    def check_source_name(self, name: str, origin: Origin, span: Span | None, text: str) -> None:
        if entra.is_extension(name):
            return
        known = entra.source_attribute(name, self.object)
        if known is not None and known.name == name:
            return
        suggestion = entra.suggest(name, self.object)
        if known is not None:
            message = f"source attribute '{name}' is spelt '{known.name}' in Entra"
            hint = f"write '{known.name}': attribute names are matched case-sensitively for directory extensions and may be elsewhere"
        else:
            message = f"'{name}' is not an Entra {self.noun} attribute scimmap knows"
            hint = (
                f"did you mean '{suggestion}'?"
                if suggestion
                else "directory extensions are written extension_<appId>_<name>; see `scimmap docs attributes`"
            )
        self.add("unknown-attribute", message, text, origin, hint, "warning", span)

    def check_traps(self, node: Node, text: str, origin: Origin) -> None:
        """The two documented null traps, each reported only in the form Microsoft's reference describes,
        with a rewrite that is itself free of warnings (docs/errors.md explains the choice)."""
        for current in walk(node):
            if not isinstance(current, Call) or not current.args or current.args[0] is None:
                continue
            name = current.name.lower()
            first = current.args[0]
            if name == "iif":
                test = _empty_string_test(first, self.object)
                if test is not None:
                    comparison, attribute = test
                    self.add(
                        "iif-null-attribute",
                        f'IIF tests [{attribute.name}] against "", but Microsoft documents that IIF\'s condition check '
                        "fails when the attribute is null or empty",
                        text,
                        origin,
                        "test emptiness with Switch, as Microsoft recommends: "
                        + _iif_as_switch(current, comparison, attribute),
                        "warning",
                        comparison.span,
                    )
            elif name == "switch" and isinstance(first, Call) and first.name.lower() in (t.lower() for t in NULL_TESTS):
                self.add(
                    "switch-on-null-test",
                    f"Switch on {first.name}(...): Microsoft's Switch reference says not to use IsPresent, IsNull or "
                    "IsNullOrEmpty as its source",
                    text,
                    origin,
                    "Switch on the attribute itself with an empty-string key: " + _switch_on_attribute(current, first),
                    "warning",
                    first.span,
                )

    def check_create_only(self, mapping: Mapping, node: Node, text: str, origin: Origin) -> None:
        """A function declared ``create_only`` (SelectUniqueValue) is a whole expression that applies on
        create and never matches."""
        from scimmap.functions import BUILTINS

        spec = BUILTINS.get(node.name) if isinstance(node, Call) else None
        if spec is None or not spec.create_only:
            return
        assert isinstance(node, Call)
        if mapping.match:
            self.add(
                "unique-value-matching",
                f"{spec.name} cannot be used on a matching attribute",
                text,
                origin,
                "remove `match` from this mapping and match on another attribute",
                span=node.name_span,
            )
        if mapping.apply != "on-create":
            self.add(
                "unique-value-apply",
                f"{spec.name} must only apply during object creation",
                text,
                origin,
                "add `apply: on-create` to this mapping",
                span=node.name_span,
            )

    # -- whole table -------------------------------------------------------------------------------

    def check_shapes(self, mappings: tuple[Mapping, ...]) -> None:
        """An attribute written whole and in parts: the table would not compile (conflicting-targets)."""
        from scimmap.mapping.plan import shape_problems

        target_object = getattr(self.table, "target_object", None)
        self.found.extend(shape_problems(self.object, target_object, mappings, parse=self.parse))

    def check_targets(self, mappings: Iterable[Mapping]) -> None:
        from scimmap.scim.paths import parse_target

        seen: dict[str, Mapping] = {}
        for mapping in mappings:
            try:
                key = str(parse_target(mapping.target)).lower()
            except ScimmapError:
                key = mapping.target.strip().lower()
            except Exception:
                key = mapping.target.strip().lower()
            if key in seen:
                first = seen[key]
                line = self.origin(first, "target").locate(0, 0)[0]
                self.add(
                    "conflicting-targets",
                    f"'{mapping.target}' is already mapped (line {line})",
                    mapping.target,
                    self.origin(mapping, "target"),
                    "each target attribute takes one mapping: remove one, or combine them with an expression",
                )
            else:
                seen[key] = mapping
        anchor = self.table_anchor()
        if self.scim and self.object == "User" and "username" not in seen and anchor is not None:
            self.add(
                "missing-user-name",
                "no mapping for userName: SCIM requires it and Entra matches users on it",
                *anchor,
                "add `- target: userName` with `source: userPrincipalName` and `match: 1`",
            )

    def check_matching(self, mappings: tuple[Mapping, ...]) -> None:
        matching = [m for m in mappings if m.match]
        anchor = self.table_anchor()
        if not matching and self.scim and mappings and anchor is not None:
            self.add(
                "no-matching-attribute",
                "no mapping is used for matching: Entra needs at least one to find existing objects",
                *anchor,
                "add `match: 1` to the userName mapping"
                if self.object == "User"
                else "add `match: 1` to the displayName mapping",
            )
        by_precedence: dict[int, Mapping] = {}
        for mapping in matching:
            if mapping.match < 0:
                continue
            if mapping.match in by_precedence:
                first = by_precedence[mapping.match]
                self.add(
                    "duplicate-precedence",
                    f"matching precedence {mapping.match} is also used by '{first.target}'",
                    str(mapping.match),
                    self.origin(mapping, "match"),
                    "give each matching attribute its own precedence (1, 2, ...)",
                )
            else:
                by_precedence[mapping.match] = mapping

    def check_deprovisioning(self) -> None:
        from scimmap.mapping.deprovision import check_deprovisioning

        table_origin = (
            self.origins.get("actions")
            or self.origins.get("mappings")
            or self.origins.get("table")
            or Origin(self.file)
        )
        self.found.extend(
            check_deprovisioning(
                self.table, self.origin, table_origin, scim_user=self.scim and self.object == "User", parse=self.parse
            )
        )

    # -- scoping filters ---------------------------------------------------------------------------

    def check_clause(self, clause: ScopeClause) -> None:
        operator = fold_operator(clause.operator)
        operator_origin = self.origin(clause, "operator", "clause")
        if operator not in UNARY_OPERATORS + BINARY_OPERATORS:
            import difflib

            close = difflib.get_close_matches(operator, list(UNARY_OPERATORS + BINARY_OPERATORS), n=1, cutoff=0.5)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "operators: " + ", ".join(UNARY_OPERATORS + BINARY_OPERATORS)
            )
            if operator in ("IS MEMBER OF", "ISMEMBEROF"):
                hint = "Entra scoping filters cannot test group membership; assign the group to the app instead"
            self.add(
                "invalid-scope", f"unknown scoping operator '{clause.operator}'", clause.operator, operator_origin, hint
            )
            return
        value_origin = self.origin(clause, "value", "clause")
        if operator in UNARY_OPERATORS and clause.values:
            self.add("invalid-scope", f"{operator} takes no value", clause.values[0], value_origin, "remove `value`")
        if operator in BINARY_OPERATORS and not clause.values:
            self.add(
                "invalid-scope",
                f"{operator} needs a value to compare with",
                clause.operator,
                operator_origin,
                "add `value: ...`",
            )
        attribute_origin = self.origin(clause, "attribute", "clause")
        known = entra.source_attribute(clause.attribute, self.object)
        if known is None and not entra.is_extension(clause.attribute):
            self.check_source_name(clause.attribute, attribute_origin, None, clause.attribute)
        if known is not None:
            if not known.scoping or known.multivalued or known.type == "DateTime":
                why = (
                    "multi-valued" if known.multivalued else ("a date" if known.type == "DateTime" else "not supported")
                )
                self.add(
                    "invalid-scope",
                    f"'{known.name}' cannot be used in a scoping filter ({why})",
                    clause.attribute,
                    attribute_origin,
                    "Entra does not support multi-valued, reference, date attributes or userType in scoping filters",
                )
            elif known.type == "Boolean" and operator not in BOOLEAN_OPERATORS + ("IS NULL", "IS NOT NULL"):
                self.add(
                    "invalid-scope",
                    f"'{known.name}' is a Boolean attribute: {operator} only supports strings and integers",
                    clause.operator,
                    operator_origin,
                    "use IS TRUE or IS FALSE",
                )
            elif known.type != "Boolean" and operator in BOOLEAN_OPERATORS:
                self.add(
                    "invalid-scope",
                    f"{operator} applies to Boolean attributes; '{known.name}' is a {known.type.lower()}",
                    clause.operator,
                    operator_origin,
                    'use EQUALS with a value, e.g. value: "True"',
                )
        if operator in INTEGER_OPERATORS:
            for value in clause.values:
                if not _is_integer(value):
                    self.add(
                        "invalid-scope", f"{operator} compares integers; {value!r} is not one", value, value_origin
                    )
        if operator in REGEX_OPERATORS:
            for value in clause.values:
                problem = _regex_problem(value)
                if problem:
                    self.add("invalid-scope", f"invalid regular expression: {problem}", value, value_origin)


def _empty_string_test(condition: Node, object_name: str) -> tuple[Comparison, Attribute] | None:
    """``[x] = ""`` or ``[x] <> ""`` (either side, anywhere in IIF's condition) on an attribute that may be
    null: the emptiness test Microsoft's IIF reference says fails.  Comparisons with other values
    (``[country] = "USA"``, its own example) and the null-test functions (IsNullOrEmpty, IsPresent, which
    exist to take a null and which other Microsoft pages use inside IIF) are not this trap."""
    for inner in walk(condition):
        if not isinstance(inner, Comparison) or inner.operator not in ("=", "<>"):
            continue
        for side, other in ((inner.left, inner.right), (inner.right, inner.left)):
            if isinstance(other, Constant) and other.value == "" and other.form == "string":
                attribute = next((a for a in walk(side) if isinstance(a, Attribute)), None)
                if attribute is not None and not _always_present(attribute.name, object_name):
                    return inner, attribute
    return None


def _iif_as_switch(call: Call, comparison: Comparison, attribute: Attribute) -> str:
    """``IIF([c] = "", a, b)`` as ``Switch([c], b, "", a)`` (``<>`` swaps the branches); a null source
    compares as "" in Switch, which is what the IIF meant."""
    from scimmap.language.printer import format_node

    args = tuple(call.args) + (None,) * (3 - len(call.args))
    if_empty, if_present = (args[1], args[2]) if comparison.operator == "=" else (args[2], args[1])
    plain = comparison.left == attribute or comparison.right == attribute
    if not plain:  # the attribute is transformed before the test: only the shape can be suggested
        if_empty, if_present = Constant("<value when empty>"), Constant("<value otherwise>")
    return format_node(Call("Switch", (attribute, if_present, Constant(""), if_empty)))


def _switch_on_attribute(call: Call, test: Call) -> str:
    """``Switch(IsPresent([x]), d, "True", v)`` as ``Switch([x], v, "", d)``, when the test is on one attribute
    and the keys are "True"/"False"; otherwise the shape with placeholders."""
    from scimmap.language.printer import format_node

    inner = test.args[0] if len(test.args) == 1 else None
    keys = call.args[2::2]
    values = call.args[3::2]
    default = call.args[1] if len(call.args) > 1 else None
    outcome: dict[str, Node | None] = {"True": default, "False": default}
    usable = isinstance(inner, Attribute) and test.name.lower() in ("ispresent", "isnullorempty")
    for key, value in zip(keys, values):
        if not (isinstance(key, Constant) and key.value in outcome):
            usable = False
            break
        outcome[key.value] = value
    if usable:
        present, empty = (outcome["True"], outcome["False"])
        if test.name.lower() == "isnullorempty":
            present, empty = empty, present
        return format_node(Call("Switch", (inner, present, Constant(""), empty)))
    target = inner if isinstance(inner, Attribute) else Attribute("attribute")
    return format_node(
        Call("Switch", (target, Constant("<value when present>"), Constant(""), Constant("<value when empty>")))
    )


def _always_present(name: str, object_name: str) -> bool:
    known = entra.source_attribute(name, object_name)
    return known is not None and known.always


def _is_integer(text: str) -> bool:
    stripped = text.strip()
    return stripped.lstrip("-").isdigit()


def _regex_problem(pattern: str) -> str | None:
    """Scoping filters run through the .NET regex layer, so they are checked (and size-limited) by it."""
    from scimmap.dotnet.regex import validate_pattern

    problem = validate_pattern(pattern)
    return None if problem is None else problem.removeprefix("invalid regular expression: ")


def _positioned(diagnostic: Diagnostic, text: str, origin: Origin) -> Diagnostic:
    if not diagnostic.source:
        diagnostic = Diagnostic(
            diagnostic.code, diagnostic.message, Span(0, len(text)), text, diagnostic.hint, diagnostic.severity
        )
    return diagnostic.with_origin(origin)


def _safe(function: Any) -> Any:
    try:
        return function()
    except Exception:
        return None


__all__ = [
    "BINARY_OPERATORS",
    "UNARY_OPERATORS",
    "check_path",
    "check_read",
    "check_table",
    "check_text",
    "compile_problems",
]
