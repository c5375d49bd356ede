"""What a person types and sees: source objects from a JSON file plus ``--set`` overrides, instants,
and values printed the way ``scimmap eval`` and the REPL show them.

Shared by the command line and the interactive REPL (which must not import the command line).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from scimmap.errors import Diagnostic, MappingError


def load_source(path: str | None, assignments: list[str] | None) -> dict[str, Any]:
    """A source object from a JSON file plus ``--set name=value`` overrides (``name=`` sets ""; ``name`` alone
    removes the attribute, i.e. makes it null)."""
    source: dict[str, Any] = {}
    if path:
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
            loaded = json.loads(text)
        except OSError as error:
            raise MappingError(Diagnostic("invalid-input", f"cannot read {path}: {error.strerror}")) from None
        except UnicodeDecodeError:
            raise MappingError(Diagnostic("invalid-input", f"{path} is not UTF-8 text")) from None
        except RecursionError:
            raise MappingError(Diagnostic("invalid-input", f"{path} nests too deeply")) from None
        except json.JSONDecodeError as error:
            raise MappingError(
                Diagnostic("invalid-input", f"{path} is not JSON: {error.msg} at line {error.lineno} column {error.colno}")
            ) from None
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


def parse_now(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise MappingError(Diagnostic("invalid-input", f"--now needs an ISO-8601 instant, got {text!r}")) from None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


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
