"""Tables back to the mapping-file format: readable YAML that reads back to an equal table.

The reader (files.py) keeps positions for diagnostics; the writer only has to be faithful and pleasant to
read.  Each mapping's keys are written by their declarations (:data:`~scimmap.mapping.model.FILE_KEYS`),
scalars by the quoting rules of :mod:`scimmap.mapping.yamltext`.
"""

from __future__ import annotations

from typing import Any

from scimmap.mapping.filekeys import write_entry
from scimmap.mapping.model import FILE_KEYS, OBJECT_ACTIONS, table_actions
from scimmap.mapping.yamltext import flow_scalar as _flow_scalar
from scimmap.mapping.yamltext import scalar as _scalar


def dump_yaml(table: Any) -> str:
    """The mapping-file form of a table: readable, comment-friendly, and read back to an equal table."""
    lines: list[str] = []
    lines.append(f"object: {_scalar(str(table.object))}")
    if getattr(table, "name", None):
        lines.append(f"name: {_scalar(table.name)}")
    if getattr(table, "target_object", None):
        lines.append(f"target_object: {_scalar(table.target_object)}")
    actions = table_actions(table)
    if actions != OBJECT_ACTIONS:
        lines.append("actions: [" + ", ".join(actions) + "]")
    lines.append("mappings:" if table.mappings else "mappings: []")
    for mapping in table.mappings:
        for index, line in enumerate(write_entry(mapping, FILE_KEYS)):
            lines.append(("  - " if index == 0 else "    ") + line if line else "")
    if table.scope:
        lines.append("scope:")
        for group in table.scope:
            if group.name:
                lines.append(f"  - name: {_scalar(group.name)}")
                lines.append("    clauses:")
                pad = "      - "
            else:
                pad = "  - - "
            first = True
            for clause in group.clauses:
                prefix = pad if (first or group.name) else "    - "
                if group.name:
                    prefix = "      - "
                first = False
                parts = [f"attribute: {_flow_scalar(clause.attribute)}", f"operator: {_flow_scalar(clause.operator)}"]
                if len(clause.values) == 1:
                    parts.append(f"value: {_flow_scalar(clause.values[0])}")
                elif clause.values:
                    parts.append("values: [" + ", ".join(_flow_scalar(v) for v in clause.values) + "]")
                lines.append(prefix + "{" + ", ".join(parts) + "}")
            if not group.clauses:
                lines.append(pad.rstrip() + " []" if not group.name else "      []")
    return "\n".join(lines) + "\n"


def yaml_scalar(value: str) -> str:
    """One string as YAML text that reads back as the same string (plain where that is safe)."""
    return _scalar(value)
