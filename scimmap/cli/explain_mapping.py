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


def explain_table(
    table: Any,
    source: dict[str, Any],
    *,
    action: str = "create",
    now: Any = None,
    label: str = "",
    parameters: dict[str, Any] | None = None,
) -> str:
    from scimmap.language.trace import show
    from scimmap.lsp.sample import REDACTED, uses_redact
    from scimmap.provision.log import scrub

    result, records = table.explain(source, action=action, now=now, parameters=parameters)
    # Values of Redact()-ing mappings are secrets: shown as [Redact] here and blanked wherever they
    # reappear (the SCIM body, match filters), as Entra's provisioning logs do.
    secret = [
        m.kind == "expression" and bool(m.expression_text) and uses_redact(m.expression_text) for m in table.mappings
    ]
    hidden = {
        text
        for index, record in enumerate(records)
        if index < len(secret) and secret[index]
        for text in _texts(record.value)
    }

    def shown(index: int, value: Any) -> str:
        return REDACTED if secret[index] else show(value)

    lines = [
        f"Mapping table {getattr(table, 'name', None) or label or ''} ({getattr(table, 'object', 'User')}), "
        f"action {action}:".replace("  ", " ")
    ]
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
            details.append(f"value: {shown(index, records[index].value)}  (default applied: the source value was null)")
        else:
            details.append(f"value: {shown(index, records[index].value)}")
        lines.extend("      " + d for d in details)
    if result.match_filters:
        lines.append("")
        lines.append("Match filters (tried in order): " + "; ".join(scrub(list(result.match_filters), hidden)))
    if result.object_skipped:
        lines.append("")
        lines.append("The object is skipped (IgnoreObjectFlow): nothing is sent.")
    elif result.resource is not None:
        lines.append("")
        lines.append("SCIM body:")
        lines.append(json.dumps(scrub(result.resource, hidden), indent=2, ensure_ascii=False))
    if result.unresolved:
        lines.append("Unresolved references: " + ", ".join(result.unresolved))
    return "\n".join(lines)


def _texts(value: Any) -> list[str]:
    """The texts a value shows as, one per element of a multi-valued result (what scrubbing must find)."""
    items = value if isinstance(value, list) else [value]
    return [text for text in (_text(item) for item in items) if text]


def _text(item: Any) -> str | None:
    if item is None or isinstance(item, (dict, list)):
        return None
    if isinstance(item, bool):
        return "True" if item else "False"
    return str(item)
