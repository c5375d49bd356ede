"""Teams' case files (``*.cases.yaml`` / ``*.cases.json``) as :class:`Case` objects, each with its position.

A case file is a mapping with ``cases:`` (a list) and optional defaults for every case (``mapping`` or
``preset``, ``source``, ``now``, ``exists``, ``seed``, ``dialect``, ``parameters``, ``flags``, ``resolve``,
``settings``).  A case is one of three granularities, told apart by its keys:

- ``expression``: an expression and source attributes; expects a value, a skip or a diagnostic code;
- ``target`` without ``expression``: one row of a mapping table (the file's or the case's ``mapping``);
- neither: a whole object through the table, for an ``action`` (create, update, or a deprovisioning event).

Problems in the file become diagnostics on the case they belong to (or on the file), so one bad case never
hides the others.  docs/testing.md describes the format for users.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from attrs import define, field

from scimmap.errors import Diagnostic, Origin, Span
from scimmap.functions.catalog import DIALECTS, Dialect
from scimmap.testing.yamldata import Data, Document, load_document

CASE_SUFFIXES = (".cases.yaml", ".cases.yml", ".cases.json")

SHARED_KEYS = (
    "mapping",
    "preset",
    "source",
    "now",
    "exists",
    "seed",
    "dialect",
    "parameters",
    "flags",
    "resolve",
    "settings",
)
FILE_KEYS = ("cases", *SHARED_KEYS, "$schema")
OUTCOME_KEYS = ("expect", "expect_error", "expect_skip")
CASE_KEYS = ("description", "target", "expression", "action", "old_source", *SHARED_KEYS, *OUTCOME_KEYS)

ACTIONS = ("create", "update")
EVENTS = ("disable", "soft-delete", "unassign", "leave-scope", "hard-delete")
"""Deprovisioning events of a whole object; deciding their request is the provisioning cycle's job."""
SKIP_REASONS = ("IgnoreFlowIfNullOrEmpty", "IgnoreObjectFlow", "on-create", "out-of-scope")
OBJECT_EXPECT_KEYS = ("request", "body", "match", "followup", "reason")
SETTINGS_KEYS = ("skip_out_of_scope_deletions",)

EXPRESSION, ROW, OBJECT, HR = "expression", "mapping", "object", "hr"


@define(eq=False)
class Expectation:
    """What a case expects: ``key`` names the outcome (``expect``, ``expect_error``, ``expect_skip``)."""

    key: str
    value: Any
    data: Data | None = None


@define(eq=False)
class Case:
    """One case ready to run: everything it needs, where it was written, and what is wrong with it."""

    kind: str
    file: str
    line: int
    column: int = 1
    name: str = ""
    target: str | None = None
    description: str | None = None
    expression: str | None = None
    expression_origin: Origin | None = None
    action: str = "create"
    table: str | None = None  # a mapping file path or "preset:NAME"
    source: dict[str, Any] = field(factory=dict)
    old_source: dict[str, Any] | None = None
    now: datetime | None = None
    exists: tuple[str, ...] | None = None
    seed: int | None = None
    dialect: Dialect = "provisioning"
    parameters: dict[str, Any] = field(factory=dict)
    flags: tuple[str, ...] = ()
    resolve: dict[str, str] | None = None
    settings: dict[str, Any] = field(factory=dict)
    expected: Expectation | None = None
    problems: list[Diagnostic] = field(factory=list)
    document: Document | None = None
    data: Data | None = None
    suite: str | None = None

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


def is_case_file(path: Path) -> bool:
    return path.name.lower().endswith(CASE_SUFFIXES)


def read_case_file(path: Path, file: str | None = None) -> tuple[list[Case], list[Diagnostic]]:
    """The cases of one file and the problems that concern the whole file."""
    name = file or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [Diagnostic("invalid-case", f"cannot read {name}: {error.strerror}", origin=Origin(name))]
    return parse_case_file(raw, name, path.parent)


def parse_case_file(raw: bytes | str, file: str, folder: Path) -> tuple[list[Case], list[Diagnostic]]:
    document, problems = load_document(raw, file)
    if document is None:
        return [], problems
    root = document.root
    if root is None or not root.is_mapping:
        problems.append(
            _problem(
                document,
                root,
                "a case file is a mapping with a `cases:` list",
                "start the file with `cases:` and one `- expression: ...` per case",
            )
        )
        return [], problems
    problems.extend(_unknown_keys(document, root, FILE_KEYS, "the case file"))
    defaults = _Fields(document, root, problems)
    shared = defaults.shared(folder)
    cases_data = root.get("cases")
    if cases_data is None or not isinstance(cases_data.value, list):
        problems.append(
            _problem(
                document,
                cases_data or root,
                "the case file has no `cases:` list",
                "add `cases:` with one `- description: ...` entry per case",
            )
        )
        return [], problems
    cases = [_case(document, item, shared, folder) for item in cases_data.items]
    _unique_names(cases)
    return cases, problems


# ------------------------------------------------------------------------------------------------ one case


def _case(document: Document, data: Data, shared: dict[str, Any], folder: Path) -> Case:
    case = Case(EXPRESSION, document.file, data.line, data.column, document=document, data=data)
    if not data.is_mapping:
        case.problems.append(_problem(document, data, "each case is a mapping (`- description: ...`)"))
        case.name = f"case at line {data.line}"
        return case
    problems = case.problems
    problems.extend(_unknown_keys(document, data, CASE_KEYS, "a case"))
    fields = _Fields(document, data, problems)
    own = fields.shared(folder)
    case.description = fields.text("description")
    case.target = fields.text("target")
    expression = data.get("expression")
    if expression is not None:
        text = fields.text("expression")
        if text is not None:
            case.expression = text
            case.expression_origin = document.origin(expression)
    case.kind = EXPRESSION if expression is not None else ROW if case.target is not None else OBJECT
    merged = {**shared, **own}
    merged["source"] = {**shared.get("source", {}), **own.get("source", {})}
    case.source = merged["source"]
    case.table = merged.get("table")
    case.now = merged.get("now")
    case.exists = merged.get("exists")
    case.seed = merged.get("seed")
    case.dialect = merged.get("dialect", "provisioning")
    case.parameters = merged.get("parameters", {})
    case.flags = merged.get("flags", ())
    case.resolve = merged.get("resolve")
    case.settings = merged.get("settings", {})
    action = fields.text("action")
    if action is not None:
        if action not in ACTIONS + EVENTS:
            close = difflib.get_close_matches(action, list(ACTIONS + EVENTS), n=1, cutoff=0.6)
            problems.append(
                _problem(
                    document,
                    data.get("action"),
                    f"unknown action {action!r}",
                    f"did you mean '{close[0]}'?" if close else "actions: " + ", ".join(ACTIONS + EVENTS),
                )
            )
        else:
            case.action = action
    if data.get("old_source") is not None:
        # Only what was different before: the rest of the old object is the case's source.
        case.old_source = {**case.source, **fields.attributes("old_source")}
    case.expected = _expectation(document, data, case, problems)
    _consistency(document, data, case, own)
    case.name = _name(case)
    return case


def _expectation(document: Document, data: Data, case: Case, problems: list[Diagnostic]) -> Expectation | None:
    given = [key for key in OUTCOME_KEYS if key in data.fields]
    if not given:
        return None
    if len(given) > 1:
        problems.append(
            _problem(
                document,
                _key_data(data, given[1]),
                f"a case expects one outcome; this one has {' and '.join(given)}",
                "keep one of expect, expect_error and expect_skip",
            )
        )
    key = given[0]
    value_data = data.get(key)
    assert value_data is not None
    value = value_data.value
    if key == "expect_error" and not isinstance(value, str):
        problems.append(
            _problem(document, value_data, "expect_error is a diagnostic code such as syntax or evaluation")
        )
    if key == "expect_skip" and value not in SKIP_REASONS:
        close = difflib.get_close_matches(str(value), list(SKIP_REASONS), n=1, cutoff=0.6)
        problems.append(
            _problem(
                document,
                value_data,
                f"expect_skip must be one of {', '.join(SKIP_REASONS)}, not {value!r}",
                f"did you mean '{close[0]}'?" if close else "null values are written `expect: null`",
            )
        )
    if key == "expect" and case.kind == OBJECT:
        if not isinstance(value, dict):
            problems.append(
                _problem(
                    document,
                    value_data,
                    "a whole-object case expects a mapping of request, body, match, followup and reason",
                    "write `expect: {request: none}` for no request",
                )
            )
        else:
            problems.extend(_unknown_keys(document, value_data, OBJECT_EXPECT_KEYS, "an object's expect"))
    return Expectation(key, value, value_data)


def _consistency(document: Document, data: Data, case: Case, own: dict[str, Any]) -> None:
    problems = case.problems
    if case.kind == EXPRESSION:
        if "table" in own:
            key = "mapping" if "mapping" in data.fields else "preset"
            problems.append(
                _problem(
                    document,
                    data.get(key),
                    "an expression case does not use a mapping table",
                    "remove it, or remove `expression` to test the table's row for `target`",
                )
            )
        if "action" in data.fields:
            problems.append(
                _problem(
                    document,
                    data.get("action"),
                    "an expression case has no action",
                    "actions belong to mapping-row and whole-object cases",
                )
            )
    else:
        if case.table is None:
            problems.append(
                _problem(
                    document,
                    data,
                    f"this {'mapping-row' if case.kind == ROW else 'whole-object'} case has no mapping table",
                    "add `mapping: path/to/mapping.yaml` (or `preset: entra-user`) to the case or the file",
                )
            )
        if "seed" in data.fields:  # a file-wide seed is for the file's expression cases
            where = data.get("seed") or data
            problems.append(
                _problem(
                    document,
                    where,
                    "seeds apply to expression cases only: MappingTable.apply takes no random source",
                    "test Guid() and RandomString() with an expression case",
                )
            )
    if case.kind == ROW and case.action not in ACTIONS:
        problems.append(
            _problem(
                document,
                data.get("action"),
                f"a mapping-row case is a create or an update, not {case.action}",
                "deprovisioning events are whole-object cases (leave out `target`)",
            )
        )
    if case.kind == OBJECT and case.expected is not None and case.expected.key == "expect_skip":
        problems.append(
            _problem(
                document,
                case.expected.data,
                "a whole-object case expects a request, not a skip",
                "write `expect: {request: none}`",
            )
        )
    if case.old_source is not None and not (case.kind == OBJECT and case.action in ("update",) + EVENTS):
        problems.append(
            _problem(document, data.get("old_source"), "old_source belongs to whole-object update and event cases")
        )
    if case.kind == OBJECT and case.action == "update" and case.old_source is None and not problems:
        problems.append(
            _problem(document, data, "an update case needs `old_source`: the object as Entra last exported it")
        )


def _name(case: Case) -> str:
    if case.kind in (EXPRESSION, ROW):
        label = case.target or ""
        if case.description:
            label = f"{label}: {case.description}" if label else case.description
        if not label:
            text = " ".join((case.expression or "").split())
            label = text if len(text) <= 60 else text[:57] + "..."
        if case.kind == ROW and case.action != "create":
            label += f" ({case.action})"
        return label or f"case at line {case.line}"
    return case.description or f"{case.action} at line {case.line}"


def _unique_names(cases: list[Case]) -> None:
    """Names identify cases (``-k``, JUnit, pytest node ids): a repeated one gets its line."""
    seen: dict[str, int] = {}
    for case in cases:
        seen[case.name] = seen.get(case.name, 0) + 1
    for case in cases:
        if seen[case.name] > 1:
            case.name = f"{case.name} [line {case.line}]"


# ------------------------------------------------------------------------------------------------ fields


class _Fields:
    """Typed access to the keys of one mapping, reporting wrong types at their position."""

    def __init__(self, document: Document, data: Data, problems: list[Diagnostic]) -> None:
        self.document = document
        self.data = data
        self.problems = problems

    def fail(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(_problem(self.document, self.data.get(key), message, hint))

    def text(self, key: str) -> str | None:
        value_data = self.data.get(key)
        if value_data is None or value_data.value is None:
            return None
        value = value_data.value
        if isinstance(value, (dict, list)):
            hint = f"quote it: {key}: '...'" if isinstance(value, list) else None
            self.fail(key, f"{key} must be text, not a {'list' if isinstance(value, list) else 'mapping'}", hint)
            return None
        if isinstance(value, bool):
            return "True" if value else "False"
        text = str(value)
        style = getattr(value_data.node, "style", None)
        return text.rstrip("\n") if style in ("|", ">") else text

    def attributes(self, key: str) -> dict[str, Any]:
        value_data = self.data.get(key)
        if value_data is None or value_data.value is None:
            return {}
        if not isinstance(value_data.value, dict):
            self.fail(
                key, f"{key} must be a mapping of attribute names to values", "write `givenName: Ada` lines under it"
            )
            return {}
        return dict(value_data.value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None or value.value is None:
            return ()
        items = value.value if isinstance(value.value, list) else [value.value]
        if any(isinstance(item, (dict, list)) for item in items):
            self.fail(key, f"{key} must be a list of values")
            return ()
        return tuple(_as_text(item) for item in items if item is not None)

    def shared(self, folder: Path) -> dict[str, Any]:
        """The keys a file may set for all its cases and a case may override."""
        out: dict[str, Any] = {}
        fields = self.data.fields
        if "mapping" in fields and "preset" in fields:
            self.fail("preset", "give a mapping file or a preset, not both")
        if "mapping" in fields:
            path = self.text("mapping")
            if path:
                out["table"] = path if path.startswith("preset:") else str((folder / path).resolve())
        elif "preset" in fields:
            name = self.text("preset")
            if name:
                out["table"] = f"preset:{name}"
        if "source" in fields:
            out["source"] = self.attributes("source")
        if "now" in fields:
            out["now"] = self.instant("now")
        if "exists" in fields:
            out["exists"] = self.strings("exists")
        if "seed" in fields:
            seed = self.data.get("seed")
            if seed is not None and (type(seed.value) is not int):
                self.fail("seed", "seed must be a whole number", "write `seed: 1`")
            elif seed is not None:
                out["seed"] = seed.value
        if "dialect" in fields:
            dialect = self.text("dialect")
            if dialect not in DIALECTS:
                self.fail("dialect", f"dialect must be provisioning or cloud-sync, not {dialect!r}")
            else:
                out["dialect"] = dialect
        if "parameters" in fields:
            out["parameters"] = self.attributes("parameters")
        if "flags" in fields:
            out["flags"] = self.strings("flags")
        if "resolve" in fields:
            out["resolve"] = {str(k): _as_text(v) for k, v in self.attributes("resolve").items() if v is not None}
        if "settings" in fields:
            settings = self.attributes("settings")
            unknown = sorted(set(settings) - set(SETTINGS_KEYS))
            if unknown:
                self.fail("settings", f"unknown setting {unknown[0]!r}", "settings: " + ", ".join(SETTINGS_KEYS))
            out["settings"] = settings
        return out

    def instant(self, key: str) -> datetime | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            self.fail(key, f"{key} must be an ISO-8601 instant such as 2025-07-30T09:00:00Z, not {text!r}")
            return None
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _unknown_keys(document: Document, data: Data, allowed: Iterable[str], what: str) -> list[Diagnostic]:
    allowed = tuple(allowed)
    found = []
    for key in data.fields:
        if key in allowed:
            continue
        close = difflib.get_close_matches(key, [k for k in allowed if not k.startswith("$")], n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?"
            if close
            else "allowed keys: " + ", ".join(k for k in allowed if not k.startswith("$"))
        )
        found.append(
            _problem(document, _key_data(data, key), f"unknown key '{key}' in {what}", hint, code="unknown-key")
        )
    return found


def _key_data(data: Data, key: str) -> Data:
    node = data.key_node(key)
    return Data(key, node) if node is not None else data


def _problem(
    document: Document, data: Data | None, message: str, hint: str | None = None, code: str = "invalid-case"
) -> Diagnostic:
    """A diagnostic at ``data``'s first line (the whole line is shown; the caret marks the value)."""
    if data is None:
        return Diagnostic(code, message, hint=hint, origin=Origin(document.file))
    line = data.line
    source = document.index.line_text(line)
    start = min(data.column - 1, len(source))
    node = data.node
    width = (
        node.end_mark.index - node.start_mark.index
        if node.end_mark.line == node.start_mark.line
        else len(source) - start
    )
    span = Span(start, max(start, min(len(source), start + max(1, width))))
    return Diagnostic(code, message, span, source, hint, "error", Origin(document.file, ((line, 1),)))


__all__ = [
    "ACTIONS",
    "CASE_SUFFIXES",
    "EVENTS",
    "OBJECT_EXPECT_KEYS",
    "SKIP_REASONS",
    "Case",
    "Expectation",
    "is_case_file",
    "parse_case_file",
    "read_case_file",
]
