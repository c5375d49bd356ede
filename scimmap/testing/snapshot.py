"""``scimmap test --update``: write actual outcomes into the case files, touching nothing else.

The file is edited as text at the positions recorded when it was read, never re-dumped, so comments, key
order, quoting and layout of everything else stay as they were.  A case gets its outcome written when it
expects nothing yet or expects something else than it produced: ``expect`` for a value, ``expect_skip``
for a skipped attribute, ``ExpectedResult`` in an HRProvisioningTests file.  Errors are never written:
a broken expression stays a failing case.  For a whole-object case that expects only some keys (say
``match``), only those keys are rewritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from attrs import frozen

from scimmap.mapping.yamlwrite import yaml_scalar
from scimmap.testing import compare
from scimmap.testing.cases import HR, OBJECT, Case
from scimmap.testing.hrsuite import EXPECTED
from scimmap.testing.runner import FAILED, NEW, CaseResult
from scimmap.testing.yamldata import Data, Document, encode, value_span


@frozen
class Edit:
    start: int
    end: int
    text: str


def outcome_entry(case: Case, result: CaseResult) -> tuple[str, Any] | None:
    """The key and value ``--update`` writes for this result, or None when nothing is to be written."""
    outcome = result.outcome
    if result.status not in (FAILED, NEW) or outcome is None or outcome.kind == "error":
        return None
    if case.kind == HR:
        actual = compare.graph_result(outcome.value if outcome.kind == "value" else None)
        return EXPECTED, actual[0] if len(actual) == 1 else (actual or None)
    if outcome.kind == "skip":
        return "expect_skip", outcome.value
    if case.kind == OBJECT:
        return "expect", {key: value for key, value in outcome.value.items() if value is not None}
    return "expect", outcome.value


def case_edits(case: Case, result: CaseResult) -> list[Edit]:
    entry = outcome_entry(case, result)
    document, data = case.document, case.data
    if entry is None or document is None or data is None or not data.is_mapping:
        return []
    key, value = entry
    expected = case.expected
    if (
        case.kind == OBJECT
        and expected is not None
        and expected.key == "expect"
        and isinstance(expected.value, dict)
        and expected.data is not None
        and expected.data.is_mapping
    ):
        # Only the keys the case chose to pin, each in place.
        edits = []
        for name, (_, sub) in expected.data.fields.items():
            actual = result.outcome.value.get(name) if result.outcome is not None else None
            if not compare.same(sub.value, actual):
                edits.append(_replace_value(document, expected.data, name, actual))
        return edits
    present = (
        expected.key if expected is not None else (EXPECTED if case.kind == HR and EXPECTED in data.fields else None)
    )
    if present is not None and present in data.fields:
        return [_replace_pair(document, data, present, key, value)]
    return [_insert_pair(document, data, key, value)]


def apply_edits(document: Document, edits: Iterable[Edit]) -> str:
    text = document.text
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def write_updates(results: Iterable[CaseResult], paths: dict[str, Path]) -> list[str]:
    """Edit every file whose cases need it; returns the names of the cases written."""
    by_file: dict[str, tuple[Document, list[Edit], list[str]]] = {}
    for result in results:
        case = result.case
        edits = case_edits(case, result)
        if not edits or case.document is None:
            continue
        entry = by_file.setdefault(case.file, (case.document, [], []))
        entry[1].extend(edits)
        entry[2].append(case.id)
    written: list[str] = []
    for file, (document, edits, names) in by_file.items():
        path = paths.get(file, Path(file))
        _write_atomically(path, encode(document, apply_edits(document, edits)))
        written.extend(names)
    return written


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        try:
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        except OSError:  # pragma: no cover - the mode is a courtesy
            pass
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------------------------------------ editing


def _replace_value(document: Document, mapping: Data, key: str, value: Any) -> Edit:
    return _replace_pair(document, mapping, key, key, value)


def _replace_pair(document: Document, mapping: Data, old_key: str, new_key: str, value: Any) -> Edit:
    key_node, data = mapping.fields[old_key]
    start, end = value_span(document, data)
    column = int(key_node.start_mark.column)
    if old_key == new_key and _inline(data) and not (isinstance(value, (dict, list)) and value):
        # Scalar for scalar: only the value's own characters change (spacing after the colon is kept).
        return Edit(start, end, _pair(document, mapping, new_key, value, column).split(": ", 1)[1])
    return Edit(int(key_node.start_mark.index), end, _pair(document, mapping, new_key, value, column))


def _inline(data: Data) -> bool:
    return isinstance(data.node, yaml.ScalarNode) or bool(data.node.flow_style)


def _insert_pair(document: Document, mapping: Data, key: str, value: Any) -> Edit:
    entries = list(mapping.fields.values())
    column = int(entries[0][0].start_mark.column) if entries else int(mapping.node.start_mark.column) + 2
    last_end = (
        max(value_span(document, data)[1] for _, data in entries) if entries else int(mapping.node.start_mark.index)
    )
    newline = document.newline
    pair = _pair(document, mapping, key, value, column)
    if mapping.node.flow_style:
        if _multiline(mapping):
            return Edit(last_end, last_end, "," + newline + " " * column + pair)
        return Edit(last_end, last_end, ", " + pair)
    line_end = document.text.find("\n", last_end)
    if line_end < 0:
        line_end = len(document.text)
    elif line_end > 0 and document.text[line_end - 1] == "\r":
        line_end -= 1
    return Edit(line_end, line_end, newline + " " * column + pair)


def _multiline(mapping: Data) -> bool:
    node = mapping.node
    return bool(node.start_mark.line != node.end_mark.line)


def _pair(document: Document, mapping: Data, key: str, value: Any, column: int) -> str:
    newline = document.newline
    if mapping.node.flow_style:
        quoted_key = json.dumps(key)
        if _multiline(mapping) and isinstance(value, (dict, list)) and value:
            body = json.dumps(value, ensure_ascii=False, indent=2)
            return f"{quoted_key}: " + body.replace("\n", newline + " " * column)
        return f"{quoted_key}: {json.dumps(value, ensure_ascii=False)}"
    if isinstance(value, (dict, list)) and value:
        dumped = yaml.safe_dump(value, default_flow_style=False, sort_keys=False, allow_unicode=True, width=10**9)
        indent = " " * (column + 2)
        lines = [indent + line if line else line for line in dumped.rstrip("\n").split("\n")]
        return f"{key}:" + newline + newline.join(lines)
    return f"{key}: {_yaml_scalar(value)}"


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return yaml_scalar(str(value))


__all__ = ["Edit", "apply_edits", "case_edits", "outcome_entry", "write_updates"]
