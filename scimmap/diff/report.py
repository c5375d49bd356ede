"""``scimmap diff`` output: text for a terminal, markdown for a pull-request comment (JSON is
:meth:`TableDiff.to_json`).  Values arrive already scrubbed of Redact()-ed secrets."""

from __future__ import annotations

from typing import Any

from scimmap.diff import NEW_CYCLE_NOTE, TableDiff
from scimmap.diff.effect import OUTCOMES

MAX_CHANGES = 50
"""Objects listed in text and markdown (all are in the JSON and in the counts)."""


def _value(value: Any) -> str:
    return "(none)" if value is None else repr(value) if not isinstance(value, str) else f'"{value}"'


def _mapping_lines(diff: TableDiff) -> list[str]:
    lines: list[str] = []
    for change in diff.mappings:
        sign = {"added": "+", "removed": "-", "changed": "~"}[change.change]
        lines.append(f"{sign} {change.target} ({change.change})")
        for name, old, new in change.fields:
            lines.append(f"    {name}: {_value(old)} -> {_value(new)}")
    if diff.scope is not None:
        lines.append(f"~ scoping filters: {diff.scope['old']} -> {diff.scope['new']}")
    if diff.actions is not None:
        lines.append(f"~ object actions: {', '.join(diff.actions['old'])} -> {', '.join(diff.actions['new'])}")
    return lines


def _counts(diff: TableDiff) -> str:
    return ", ".join(f"{diff.counts[name]} {name}" for name in OUTCOMES)


def render_text(diff: TableDiff) -> str:
    """Plain lines: the change, the note, the counts, then each changed object."""
    lines = _mapping_lines(diff) or ["no change to the mappings, scoping filters or object actions"]
    if diff.differs:
        lines.append(f"note: {NEW_CYCLE_NOTE}")
    lines.append(f"objects: {_counts(diff)}")
    for change in diff.changes[:MAX_CHANGES]:
        lines.append(
            f"{change.action} {change.display or change.object}" + (f" ({change.reason})" if change.reason else "")
        )
        for target, old, new in change.attributes:
            lines.append(f"    {target}: {_value(old)} -> {_value(new)}")
    if len(diff.changes) > MAX_CHANGES:
        lines.append(f"... and {len(diff.changes) - MAX_CHANGES} more (--format json lists all)")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    return _value(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(diff: TableDiff) -> str:
    """A pull-request comment: a heading, the change as a list, a counts table, the changed objects."""
    out = ["### scimmap diff", ""]
    lines = _mapping_lines(diff)
    out += (
        [f"- `{line.strip()}`" for line in lines]
        if lines
        else ["No change to the mappings, scoping filters or object actions."]
    )
    if diff.differs:
        out += ["", f"> **Note:** {NEW_CYCLE_NOTE}."]
    out += [
        "",
        "| " + " | ".join(OUTCOMES) + " |",
        "|" + "---|" * len(OUTCOMES),
        "| " + " | ".join(str(diff.counts[name]) for name in OUTCOMES) + " |",
    ]
    if diff.changes:
        out += ["", "| object | action | attribute | old | new |", "|---|---|---|---|---|"]
        for change in diff.changes[:MAX_CHANGES]:
            name = _cell(change.display or change.object).strip('"')
            rows = change.attributes or (("", None, None),)
            for target, old, new in rows:
                out.append(f"| {name} | {change.action} | {target} | {_cell(old)} | {_cell(new)} |")
        if len(diff.changes) > MAX_CHANGES:
            out.append(f"\n… and {len(diff.changes) - MAX_CHANGES} more objects (`--format json` lists all).")
    return "\n".join(out)


__all__ = ["render_markdown", "render_text"]
