"""The sample user (or group) next to a mapping file, and what each mapping makes of it.

Convention (docs/editors.md): for ``mappings/users.yaml`` the sample is ``mappings/users.sample.json``,
else the nearest ``scimmap.sample.json`` in the file's folder or a parent folder inside the workspace.  It
holds one JSON object, Graph-shaped (``"accountEnabled": true``) or as Entra's mappings see it; it is read
the way ``scimmap eval --input`` and ``scimmap map`` read a source object.  The file stays out of the
mapping file because Entra has no such key and ``scimmap check`` would reject one.

Values that went through ``Redact()`` are shown as ``[Redact]``, here as everywhere else in scimmap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from attrs import frozen

from scimmap.errors import ScimmapError
from scimmap.mapping.model import Mapping

SAMPLE_SUFFIX = ".sample.json"
SAMPLE_NAME = "scimmap" + SAMPLE_SUFFIX
REDACTED = "[Redact]"
WIDTH = 60
"""Widest value shown inline; the hover and the tooltip show it whole."""


@frozen
class Sample:
    """A source object read from ``path``, or why it could not be read (``problem``)."""

    path: str
    source: dict[str, Any] | None = None
    problem: str | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name


def is_sample(name: str) -> bool:
    """A sample's file name (or URI): it holds a source object, not mappings."""
    return name.endswith(SAMPLE_SUFFIX)


def sample_path(file: str, roots: Iterable[str] = ()) -> Path | None:
    """The sample for the mapping file ``file``, or None: its own ``<stem>.sample.json`` first."""
    try:
        path = Path(file).resolve()
    except (OSError, ValueError):
        return None
    own = path.with_name(path.stem + SAMPLE_SUFFIX)
    if own.is_file():
        return own
    tops = [Path(root).resolve() for root in roots]
    for folder in path.parents:
        candidate = folder / SAMPLE_NAME
        if candidate.is_file():
            return candidate
        if folder in tops or not any(top in folder.parents or top == folder for top in tops):
            break
    return None


def read_sample(path: Path, text: str | None = None) -> Sample:
    """The sample object; ``text`` is the editor's unsaved buffer when the sample is open."""
    from scimmap.console import load_source

    try:
        if text is None:
            source = load_source(str(path), None)
        else:
            source = json.loads(text)
            if not isinstance(source, dict):
                return Sample(str(path), problem=f"{path.name} must hold one JSON object of attributes")
    except ScimmapError as error:
        return Sample(str(path), problem=error.diagnostic.message)
    except (ValueError, RecursionError) as error:
        return Sample(str(path), problem=f"{path.name} is not JSON: {error}")
    from scimmap.language.source import entra_source

    try:
        return Sample(str(path), entra_source(source))
    except ScimmapError as error:
        return Sample(str(path), problem=error.diagnostic.message)


def uses_redact(text: str) -> bool:
    """Does the expression call a secret function (Redact) anywhere?  Then everything it produces is a secret.

    Unparsable text counts as secret when it mentions any secret function's name: nothing is shown that
    might be one."""
    import scimmap
    from scimmap.functions import BUILTINS
    from scimmap.language.expression import secret_calls

    try:
        node = scimmap.parse(text)
    except ScimmapError:
        folded = text.lower()
        return any(spec.secret and spec.name.lower() in folded for spec in BUILTINS)
    return bool(secret_calls(node, BUILTINS))


def mapping_value(mapping: Mapping, source: dict[str, Any]) -> tuple[Any, str | None]:
    """``(value, error message)`` of one mapping for the sample, redacted values replaced."""
    import scimmap

    text = mapping.expression_text
    if text is None:
        return None, None
    try:
        value = scimmap.compile(text).evaluate(source)
    except ScimmapError as error:
        return None, error.diagnostic.message
    if mapping.kind == "expression" and uses_redact(text):
        return REDACTED, None
    return value, None


def show_value(value: Any, error: str | None, mapping: Mapping) -> str:
    """The text shown for a mapping's value: quoted as the trace shows values, null with its default."""
    from scimmap.language.trace import show

    if error is not None:
        return f"error: {error}"
    if value is REDACTED:
        return str(REDACTED)
    shown = show(value)
    if value is None and mapping.default is not None:
        shown += f" (default {show(mapping.default)} on create)"
    return shown


def shorten(text: str, width: int = WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def resource_body(table: Any, source: dict[str, Any]) -> dict[str, Any]:
    """What ``MappingTable.apply`` makes of the sample (create), with redacted values replaced.

    Every value that a Redact-ing expression produced is blanked wherever it appears in the body and the
    match filters, so neither the body nor a filter built from it shows the secret.
    """
    try:
        result = table.apply(source)
    except ScimmapError as error:
        return {"error": error.diagnostic.message}
    secrets: set[str] = set()
    for mapping in table.mappings:
        if mapping.kind == "expression" and mapping.source and uses_redact(mapping.source):
            try:
                import scimmap

                value = scimmap.compile(mapping.source).evaluate(source)
            except ScimmapError:
                continue
            secrets.update(_texts(value))
    scrub = _scrubber(secrets)
    return {
        "resource": scrub(result.resource),
        "match_filters": [scrub(text) for text in result.match_filters],
        "in_scope": result.in_scope,
        "skipped": [list(item) for item in result.skipped],
    }


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, bool):
            found.append("True" if item else "False")
        elif isinstance(item, (str, int)) and str(item):
            found.append(str(item))
    return found


def _scrubber(secrets: set[str]) -> Callable[[Any], Any]:
    ordered = sorted(secrets, key=len, reverse=True)

    def scrub(value: Any) -> Any:
        if not ordered:
            return value
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, bool):
            return REDACTED if ("True" if value else "False") in secrets else value
        if isinstance(value, int):
            return REDACTED if str(value) in secrets else value
        if isinstance(value, str):
            if value in secrets:
                return REDACTED
            for secret in ordered:
                if len(secret) >= 4:
                    value = value.replace(secret, REDACTED)
            return value
        return value

    return scrub
