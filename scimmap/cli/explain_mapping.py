"""``scimmap explain --mapping FILE --input FILE``: why each target got (or did not get) its value.

The SCIM body alone cannot answer "why is title missing?": a null source, IgnoreFlowIfNullOrEmpty, an
on-create-only mapping and a None mapping all look the same there.  This reports, per target, the mapping
kind, the value, whether the default applied, and the reason it was skipped, all taken from the one
evaluation that also produced the body (``MappingTable.explain``), so a ``Guid()`` or ``Now()`` shown for a
target is the one in the body.
"""

from __future__ import annotations

import json
from typing import Any

REASONS = {
    "null": "no value (null), and no default applies",
    "IgnoreFlowIfNullOrEmpty": "IgnoreFlowIfNullOrEmpty dropped it (the value was null or empty)",
    "IgnoreObjectFlow": "IgnoreObjectFlow: the whole object is skipped",
    "on-create": "the mapping applies on create only",
}


def _reason(code: str) -> str:
    return REASONS.get(code, code)


def _scope_failures(table: Any, source: dict[str, Any]) -> list[str]:
    """One line per scoping filter: the clause that failed and the value it saw (the view apply uses)."""
    from scimmap.language.source import source_view
    from scimmap.mapping.scoping import describe_clause, failed_clauses

    lines = []
    for number, group, clause, value in failed_clauses(table.scope, source_view(source)):
        label = f"scoping filter {number}" + (f" ({group.name})" if group.name else "")
        seen = "null (the attribute is absent)" if value is None else json.dumps(value, ensure_ascii=False)
        lines.append(f"    {label}: {describe_clause(clause)} does not hold; {clause.attribute} is {seen}")
    return lines


def explain_table(table: Any, source: dict[str, Any], *, action: str = "create", now: Any = None,
                  label: str = "", parameters: dict[str, Any] | None = None) -> str:
    from scimmap.language.trace import show

    result, records = table.explain(source, action=action, now=now, parameters=parameters)
    lines = [f"Mapping table {getattr(table, 'name', None) or label or ''} ({getattr(table, 'object', 'User')}), "
             f"action {action}:".replace("  ", " ")]
    if not result.in_scope:
        lines.append("  out of scope: the scoping filters exclude this object (nothing is sent)")
        lines.extend(_scope_failures(table, source))
    for index, mapping in enumerate(table.mappings):
        source_text = mapping.expression_text
        heading = f"{mapping.target}  <-  {mapping.kind}" + (f" {source_text}" if source_text else "")
        lines.append("  " + heading)
        details: list[str] = []
        if mapping.match:
            details.append(f"matching precedence {mapping.match}")
        if index >= len(records):
            details.append("not evaluated: IgnoreObjectFlow skipped the object")
        elif records[index].reason is not None:
            details.append("skipped: " + _reason(records[index].reason))
        elif records[index].default_applied:
            details.append(f"value: {show(records[index].value)}  (default applied: the source value was null)")
        else:
            details.append(f"value: {show(records[index].value)}")
        lines.extend("      " + d for d in details)
    if result.match_filters:
        lines.append("")
        lines.append("Match filters (tried in order): " + "; ".join(result.match_filters))
    if result.object_skipped:
        lines.append("")
        lines.append("The object is skipped (IgnoreObjectFlow): nothing is sent.")
    elif result.resource is not None:
        lines.append("")
        lines.append("SCIM body:")
        lines.append(json.dumps(result.resource, indent=2, ensure_ascii=False))
    if result.unresolved:
        lines.append("Unresolved references: " + ", ".join(result.unresolved))
    return "\n".join(lines)
