"""What a person types and sees: source objects from a JSON file plus ``--set`` overrides, instants,
evaluation parameters (``--param``), and values printed the way ``scimmap eval`` and the REPL show them.

Shared by the command line and the interactive REPL (which must not import the command line).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from scimmap.errors import Diagnostic, MappingError
from scimmap.reading import read_text


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (SCIM has no NaN or Infinity)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


_STRICT = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
"""One decoder for every call: ``json.loads`` with hooks builds a new decoder (and scanner) per call, which
cost ``scimmap map`` about as much as the parse itself."""


def strict_decoder() -> json.JSONDecoder:
    """The one strict decoder (``decode`` it yourself to skip :func:`strict_json`'s checks on a hot path)."""
    return _STRICT


def strict_json(text: str) -> Any:
    """JSON as SCIM can carry it: no NaN, no Infinity, no number that overflows a float (``1e400``), so
    ``"nan"`` or ``"inf"`` can never reach a body.  Raises ValueError (JSONDecodeError is one)."""
    if not isinstance(text, str) or text.startswith("\ufeff"):  # bytes, or json.loads's own BOM message
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    return _STRICT.decode(text)


def load_source(path: str | None, assignments: list[str] | None) -> dict[str, Any]:
    """A source object from a JSON file plus ``--set name=value`` overrides (``name=`` sets ""; ``name`` alone
    removes the attribute, i.e. makes it null)."""
    source: dict[str, Any] = {}
    if path:
        try:
            loaded = strict_json(read_text(path, what="source object"))
        except RecursionError:
            raise MappingError(Diagnostic("invalid-input", f"{path} nests too deeply")) from None
        except json.JSONDecodeError as error:
            several = error.msg == "Extra data"  # one JSON value per line: JSON Lines, as `scimmap map` reads
            raise MappingError(
                Diagnostic(
                    "invalid-input",
                    f"{path} is not JSON: {error.msg} at line {error.lineno} column {error.colno}",
                    hint="this looks like JSON Lines: --input takes one object (e.g. the first line, "
                    f"`head -1 {path} > user.json`); `scimmap map` reads JSON Lines"
                    if several
                    else None,
                )
            ) from None
        except ValueError as error:  # a 5,000-digit integer, NaN, Infinity, 1e400
            raise MappingError(Diagnostic("invalid-input", f"{path} is not JSON: {str(error)[:200]}")) from None
        if not isinstance(loaded, dict):
            raise MappingError(Diagnostic("invalid-input", f"{path} must hold one JSON object of attributes"))
        source.update(loaded)
    for assignment in assignments or []:
        name, equals, value = assignment.partition("=")
        if not name:
            raise MappingError(Diagnostic("invalid-input", f"--set needs name=value, got {assignment!r}"))
        if not equals:
            source.pop(name, None)
        else:
            source[name] = parse_set_value(value)
    return source


def load_first_object(path: str) -> tuple[dict[str, Any], int]:
    """A source object from a JSON file, or the first record of a JSON Lines file (``users.jsonl``), and
    how many records the file holds: the REPL works on one object and says which one it took."""
    try:
        return load_source(path, None), 1
    except MappingError as error:
        if "Extra data" not in error.diagnostic.message:
            raise
    text = read_text(path, what="source file")
    records = [line for line in text.split("\n") if line.strip(" \t\r")]  # JSON Lines split on \n only
    try:
        first = strict_json(records[0])
    except (ValueError, RecursionError):
        raise MappingError(
            Diagnostic("invalid-input", f"{path} is neither one JSON object nor JSON Lines (line 1 is not JSON)")
        ) from None
    if not isinstance(first, dict):
        raise MappingError(Diagnostic("invalid-input", f"the first record of {path} is not a JSON object"))
    return first, len(records)


def parse_set_value(text: str) -> Any:
    """``["a","b"]`` is multi-valued, ``"quoted"`` is the text inside the quotes, anything else is text.

    Shared by ``--set`` on the command line and ``:set`` in the REPL.
    """
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return text
        return value if isinstance(value, str) else text
    if text.startswith("[") and text.endswith("]"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(value, list):
            return [v if isinstance(v, str) else json.dumps(v) for v in value]
    return text


def parse_parameters(assignments: list[str] | None) -> dict[str, str]:
    """``--param NAME=VALUE`` (repeatable) as the evaluation parameters: ``%NAME%`` tokens of cloud sync
    and functions such as DefaultDomain() read them.  Values are text, as typed."""
    parameters: dict[str, str] = {}
    for assignment in assignments or []:
        name, equals, value = assignment.partition("=")
        name = name.strip().strip("%")
        if not name or not equals:
            raise MappingError(
                Diagnostic(
                    "invalid-input",
                    f"--param needs NAME=VALUE, got {assignment!r}",
                    hint="e.g. --param DefaultDomain=contoso.com or --param DomainFQDN=contoso.com",
                )
            )
        parameters[name] = value
    return parameters


PARAM_HINT = "set it with --param {name}=VALUE"
"""How the command line tells a user to supply a parameter (``Expression.unset_parameters(how=...)``)."""


def parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MappingError(Diagnostic("invalid-input", f"--now needs an ISO-8601 instant, got {text!r}")) from None
    value = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:  # Now() works in UTC: 9999-12-31T23:59:59-01:00 is past the last instant a DateTime holds
        return value.astimezone(timezone.utc)
    except OverflowError:
        raise MappingError(
            Diagnostic(
                "invalid-input",
                f"--now {text!r} is outside the range a DateTime holds in UTC (0001-01-01 to 9999-12-31)",
            )
        ) from None


def show_value(value: Any, as_json: bool) -> str:
    """Plain output prints strings bare and lists one value per line; ``--json`` prints JSON.

    Null, ``""`` and an empty list get a note instead, because printed bare they would all look like
    nothing, and telling them apart is the usual reason to evaluate an expression (``""`` is sent, null
    is not).  Scripts that need the raw value use ``--json``.
    """
    from scimmap.language.values import SKIP, SKIP_OBJECT

    if value is SKIP:
        return json.dumps({"skip": "attribute"}) if as_json else "(attribute not flowed: IgnoreFlowIfNullOrEmpty)"
    if value is SKIP_OBJECT:
        return json.dumps({"skip": "object"}) if as_json else "(object skipped: IgnoreObjectFlow)"
    if as_json:
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "(null: nothing is provisioned)"
    if value == "" and isinstance(value, str):
        return '""  (empty string)'
    if isinstance(value, list) and not value:
        return "(no values)"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def table_parameter_warnings(table: Any, parameters: Mapping[str, Any], how: str = PARAM_HINT) -> list[Diagnostic]:
    """``unset-parameter`` warnings for every mapping of ``table`` that reads a parameter not supplied,
    each at the mapping's file position."""
    found = []
    for item in table.compiled().steps:
        if item.expression is None:
            continue
        origin = item.mapping.origins.get("source")
        for warning in item.expression.unset_parameters(parameters, how=how):
            found.append(
                warning.with_origin(origin) if origin is not None and item.mapping.kind == "expression" else warning
            )
    return found
