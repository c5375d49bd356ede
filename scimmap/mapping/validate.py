"""Every static problem of a mapping table, found before Entra finds it (``scimmap check``).

The portal accepts many tables that then fail, or silently send nothing, during a provisioning cycle:
a misspelt source attribute is just null, two mappings to one target fight, SelectUniqueValue on a
matching attribute is rejected at run time.  Each check returns diagnostics positioned in the mapping
file (through the origins :mod:`scimmap.mapping.files` recorded); none of them raises.
"""

from __future__ import annotations

from typing import Any, Iterable

from scimmap.errors import Diagnostic, Origin, ScimmapError, Span
from scimmap.language.nodes import Attribute, Call, Node, walk
from scimmap.mapping import attributes as entra
from scimmap.mapping.model import Mapping, ScopeClause
from scimmap.mapping.scoping import OPERATORS, UNARY

MAX_LENGTH = 10_000

UNARY_OPERATORS = UNARY
BINARY_OPERATORS = tuple(operator for operator in OPERATORS if operator not in UNARY)
"""Scoping operators (graph-schema.md §7): Graph's eight plus the portal's newer ones, normalised to
upper case with spaces (the portal writes ``Greater_Than``, Graph ``NOT EQUALS``)."""
BOOLEAN_OPERATORS = ("IS TRUE", "IS FALSE")
INTEGER_OPERATORS = ("GREATER THAN", "GREATER THAN OR EQUALS")
REGEX_OPERATORS = ("REGEX MATCH", "NOT REGEX MATCH")
NULL_TESTS = ("IsPresent", "IsNull", "IsNullOrEmpty", "IsNotNull")


def normalize_operator(operator: str) -> str:
    """``Greater_Than`` -> ``GREATER THAN``: the portal and Graph spell operators differently."""
    return " ".join(operator.replace("_", " ").upper().split())


def check_table(table: Any) -> list[Diagnostic]:
    """All problems of the table, errors and warnings, in file order."""
    checker = _Checker(table)
    checker.run()
    return sorted(checker.found, key=_order)


def _order(diagnostic: Diagnostic) -> tuple[int, int]:
    try:
        return diagnostic.line, diagnostic.column
    except Exception:  # noqa: BLE001 - ordering must never fail
        return 0, 0


class _Checker:
    def __init__(self, table: Any) -> None:
        self.table = table
        self.file = getattr(table, "file", None) or "<mapping>"
        self.object = str(getattr(table, "object", "User") or "User")
        self.origins: dict[str, Origin] = dict(getattr(table, "origins", None) or {})
        self.found: list[Diagnostic] = []
        target_object = getattr(table, "target_object", None)
        self.scim = self.object in ("User", "Group") and (
            not target_object or str(target_object).lower().startswith("urn:ietf:params:scim:")
        )

    # -- helpers -----------------------------------------------------------------------------------

    def origin(self, owner: Any, key: str, fallback: str = "mapping") -> Origin:
        origins = getattr(owner, "origins", None) or {}
        found = origins.get(key) or origins.get(fallback)
        if found is None:
            found = self.origins.get("mappings") or self.origins.get("table") or Origin(self.file)
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
        mappings: tuple[Mapping, ...] = tuple(getattr(self.table, "mappings", ()) or ())
        if self.object not in ("User", "Group") and self.object:
            # Graph tables of other apps (Salesforce's UserRole...) have other objects; files may not.
            if getattr(self.table, "origins", None):
                self.add("invalid-mapping", f"object must be User or Group, not {self.object!r}", self.object,
                         self.origins.get("object") or Origin(self.file))
        for mapping in mappings:
            self.check_mapping(mapping)
        self.check_targets(mappings)
        self.check_shapes(mappings)
        self.check_matching(mappings)
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
            self.add("too-long", f"constant is {len(mapping.source):,} characters long; Entra accepts at most {MAX_LENGTH:,}",
                     "", self.origin(mapping, "source"))

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
        import scimmap

        text = mapping.source or ""
        origin = self.origin(mapping, "source")
        diagnostics = scimmap.check(text)
        for diagnostic in diagnostics:
            self.found.append(diagnostic.with_origin(origin))
        if len(text) > MAX_LENGTH and not any(d.code == "too-long" for d in diagnostics):
            self.add("too-long", f"expression is {len(text):,} characters long; Entra accepts at most {MAX_LENGTH:,}",
                     text, origin, "move parts of the logic into separate mappings", span=Span(MAX_LENGTH, len(text)))
        try:
            node = scimmap.parse(text)
        except ScimmapError:
            return
        for current in walk(node):
            if isinstance(current, Attribute):
                self.check_source_name(current.name, origin, current.span, text)
        self.check_traps(node, text, origin)
        self.check_unique_value(mapping, node, text, origin)

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
            message = f"'{name}' is not an Entra {self.object.lower()} attribute scimmap knows"
            hint = (
                f"did you mean '{suggestion}'?"
                if suggestion
                else "directory extensions are written extension_<appId>_<name>; see `scimmap docs attributes`"
            )
        self.add("unknown-attribute", message, text, origin, hint, "warning", span)

    def check_traps(self, node: Node, text: str, origin: Origin) -> None:
        for current in walk(node):
            if not isinstance(current, Call) or not current.args or current.args[0] is None:
                continue
            name = current.name.lower()
            first = current.args[0]
            if name == "iif":
                for inner in walk(first):
                    if isinstance(inner, Attribute) and not _always_present(inner.name, self.object):
                        self.add(
                            "iif-null-attribute",
                            f"IIF's condition reads [{inner.name}], which may be null; Microsoft documents that the "
                            "condition check then fails",
                            text,
                            origin,
                            f'test it with Switch instead, e.g. Switch([{inner.name}], [{inner.name}], "", "<value when empty>")',
                            "warning",
                            inner.span,
                        )
                        break
            elif name == "switch" and isinstance(first, Call) and first.name.lower() in (t.lower() for t in NULL_TESTS):
                self.add(
                    "switch-on-null-test",
                    f"Switch on {first.name}(...): Microsoft's Switch reference says not to use IsPresent, IsNull or "
                    "IsNullOrEmpty as its source",
                    text,
                    origin,
                    "use IIF(" + first.name + "(...), valueIfTrue, valueIfFalse), or Switch on the attribute itself",
                    "warning",
                    first.span,
                )

    def check_unique_value(self, mapping: Mapping, node: Node, text: str, origin: Origin) -> None:
        if not isinstance(node, Call) or node.name.lower() != "selectuniquevalue":
            return
        if mapping.match:
            self.add(
                "unique-value-matching",
                "SelectUniqueValue cannot be used on a matching attribute",
                text,
                origin,
                "remove `match` from this mapping and match on another attribute",
                span=node.name_span,
            )
        if mapping.apply != "on-create":
            self.add(
                "unique-value-apply",
                "SelectUniqueValue must only apply during object creation",
                text,
                origin,
                "add `apply: on-create` to this mapping",
                span=node.name_span,
            )

    # -- whole table -------------------------------------------------------------------------------

    def check_shapes(self, mappings: tuple[Mapping, ...]) -> None:
        """An attribute written whole and in parts: the table would not compile (conflicting-targets)."""
        from scimmap.mapping.plan import shape_problems

        self.found.extend(shape_problems(self.object, getattr(self.table, "target_object", None), mappings))

    def check_targets(self, mappings: Iterable[Mapping]) -> None:
        from scimmap.scim.paths import parse_target

        seen: dict[str, Mapping] = {}
        for mapping in mappings:
            try:
                key = str(parse_target(mapping.target)).lower()
            except ScimmapError:
                key = mapping.target.strip().lower()
            except Exception:  # noqa: BLE001 - an unparseable target is reported by check_target
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
        if self.scim and self.object == "User" and "username" not in seen:
            self.add(
                "missing-user-name",
                "no mapping for userName: SCIM requires it and Entra matches users on it",
                "mappings",
                self.origins.get("mappings") or self.origins.get("table") or Origin(self.file),
                "add `- target: userName` with `source: userPrincipalName` and `match: 1`",
            )

    def check_matching(self, mappings: tuple[Mapping, ...]) -> None:
        matching = [m for m in mappings if m.match]
        if not matching and self.scim and mappings:
            self.add(
                "no-matching-attribute",
                "no mapping is used for matching: Entra needs at least one to find existing objects",
                "mappings",
                self.origins.get("mappings") or self.origins.get("table") or Origin(self.file),
                "add `match: 1` to the userName mapping" if self.object == "User" else "add `match: 1` to the displayName mapping",
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

    # -- scoping filters ---------------------------------------------------------------------------

    def check_clause(self, clause: ScopeClause) -> None:
        operator = normalize_operator(clause.operator)
        operator_origin = self.origin(clause, "operator", "clause")
        if operator not in UNARY_OPERATORS + BINARY_OPERATORS:
            import difflib

            close = difflib.get_close_matches(operator, list(UNARY_OPERATORS + BINARY_OPERATORS), n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else "operators: " + ", ".join(UNARY_OPERATORS + BINARY_OPERATORS)
            if operator in ("IS MEMBER OF", "ISMEMBEROF"):
                hint = "Entra scoping filters cannot test group membership; assign the group to the app instead"
            self.add("invalid-scope", f"unknown scoping operator '{clause.operator}'", clause.operator, operator_origin, hint)
            return
        value_origin = self.origin(clause, "value", "clause")
        if operator in UNARY_OPERATORS and clause.values:
            self.add("invalid-scope", f"{operator} takes no value", clause.values[0], value_origin, "remove `value`")
        if operator in BINARY_OPERATORS and not clause.values:
            self.add("invalid-scope", f"{operator} needs a value to compare with", clause.operator, operator_origin, "add `value: ...`")
        attribute_origin = self.origin(clause, "attribute", "clause")
        known = entra.source_attribute(clause.attribute, self.object)
        if known is None and not entra.is_extension(clause.attribute):
            self.check_source_name(clause.attribute, attribute_origin, None, clause.attribute)
        if known is not None:
            if not known.scoping or known.multivalued or known.type == "DateTime":
                why = "multi-valued" if known.multivalued else ("a date" if known.type == "DateTime" else "not supported")
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
                    self.add("invalid-scope", f"{operator} compares integers; {value!r} is not one", value, value_origin)
        if operator in REGEX_OPERATORS:
            for value in clause.values:
                problem = _regex_problem(value)
                if problem:
                    self.add("invalid-scope", f"invalid regular expression: {problem}", value, value_origin)


def _always_present(name: str, object_name: str) -> bool:
    known = entra.source_attribute(name, object_name)
    return known is not None and known.always


def _is_integer(text: str) -> bool:
    stripped = text.strip()
    return stripped.lstrip("-").isdigit()


def _regex_problem(pattern: str) -> str | None:
    import regex

    try:
        regex.compile(pattern)
    except regex.error as error:
        return str(error)
    except Exception as error:  # noqa: BLE001 - any compile failure is a problem to report
        return str(error)
    return None


def _positioned(diagnostic: Diagnostic, text: str, origin: Origin) -> Diagnostic:
    if not diagnostic.source:
        diagnostic = Diagnostic(diagnostic.code, diagnostic.message, Span(0, len(text)), text, diagnostic.hint, diagnostic.severity)
    return diagnostic.with_origin(origin)


def _safe(function: Any) -> Any:
    try:
        return function()
    except Exception:  # noqa: BLE001 - suggestions are optional
        return None


__all__ = ["check_table", "normalize_operator", "UNARY_OPERATORS", "BINARY_OPERATORS"]
