"""``docs/functions.md``, ``docs/attributes.md`` and ``docs/errors.md`` generated from the catalog, the Entra
attribute list and the code registry, and the key table of ``docs/mapping-files.md`` from the mapping-file key
declarations, so the references can never drift from the code."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scimmap.functions.catalog import Catalog, FunctionSpec

if TYPE_CHECKING:
    from scimmap.codes import Code

HEADER = """# Functions

Generated from the function catalog by `scimmap docs functions`; do not edit by hand (a test fails when this
file is stale).  Behaviour follows Microsoft's function reference for app provisioning (the version dated
2026-04-10) and the cloud-sync expression reference; where Microsoft is silent the choice is stated under
"Notes" and pinned by a case in `tests/cases/functions/`.  Forms the reference warns against that Entra may
still run compile, and `scimmap check` warns about them (listed under "Warnings").

Types: *string* values are converted as .NET prints them (booleans "True"/"False", DateTimes
`M/d/yyyy h:mm:ss tt` UTC); *integer* parameters accept numbers written with or without quotes; *any* takes the
value unchanged; *multi* is a multi-valued attribute.
"""


def _dialects(spec: FunctionSpec) -> str:
    if spec.dialects == frozenset({"cloud-sync"}):
        return "cloud sync only"
    if spec.dialects == frozenset({"provisioning"}):
        return "app provisioning only"
    return "app provisioning and cloud sync"


def _value(value: object) -> str:
    if value is Ellipsis:  # output that varies (Guid, RandomString, DefaultDomain): the example shows a call
        return "(varies)"
    return json.dumps(value, ensure_ascii=False)


def render_function(spec: FunctionSpec) -> str:
    lines = [f"## {spec.name}", "", f"`{spec.signature()}` → {spec.returns} ({_dialects(spec)})", ""]
    if spec.doc:
        lines += [spec.doc, ""]
    if spec.params:
        lines += ["| parameter | type | required | notes |", "|---|---|---|---|"]
        for param in spec.params:
            notes = []
            if param.repeating:
                notes.append("repeats")
            if param.lazy:
                notes.append("evaluated only when needed")
            if param.literal:
                notes.append("must be a literal")
            if param.choices:
                notes.append("one of " + ", ".join(f"`{c}`" for c in param.choices))
            if param.graph_key and param.graph_key != param.name:
                notes.append(f"Graph key `{param.graph_key}`")
            if param.summary:
                notes.append(param.summary)
            required = "yes" if param.required else "no"
            lines.append(f"| {param.name} | {param.type} | {required} | {'; '.join(notes).replace('|', '&#124;')} |")
        lines.append("")
    if spec.top_level_only:
        lines += ["Must be the whole expression (never nested).", ""]
    if spec.notes:
        lines += ["Notes:", ""] + [f"- {note}" for note in spec.notes] + [""]
    if spec.cautions:
        lines += ["Warnings (`scimmap check`):", ""]
        lines += [f"- `{caution.code}`: {caution.summary}" for caution in spec.cautions] + [""]
    if spec.examples:
        lines += ["Examples:", ""]
        for example in spec.examples:
            context = [f"`{_value(dict(example.input))}`"] if example.input else []
            if example.parameters:
                context.append(f"parameters `{_value(dict(example.parameters))}`")
            given = f" with {' and '.join(context)}" if context else ""
            note = f" ({example.note})" if example.note else ""
            shown = _value(example.result)
            result = shown if example.result is Ellipsis else f"`{shown}`"
            lines.append(f"- `{example.expression}`{given} → {result}{note}")
        lines.append("")
    return "\n".join(lines)


def render_functions(catalog: Catalog) -> str:
    specs = list(catalog)
    index = ", ".join(f"[{s.name}](#{s.name.lower()})" for s in specs)
    body = "\n".join(render_function(spec) for spec in specs)
    return f"{HEADER}\n{len(specs)} functions: {index}\n\n{body}".rstrip() + "\n"


ATTRIBUTES_HEADER = """# Entra source attributes

Generated from scimmap's list of Entra ID source attributes by `scimmap docs attributes`; do not edit by hand
(a test fails when this file is stale).  These are the names a mapping reads (`source: mail`, `[mail]` in an
expression) and `scimmap check` knows; a name outside the list gets an `unknown-attribute` warning, because
Entra reads a misspelt attribute as null and silently sends nothing.

Always accepted besides: directory extensions (`extension_<appId>_<name>`), `extensionAttribute1` ...
`extensionAttribute15`, SCIM URNs (API-driven inbound provisioning) and cloud-sync `%Parameter%` tokens.
Objects as Microsoft Graph returns them are read through the same view (`id` is `objectId`, `accountEnabled`
gives `IsSoftDeleted`, `employeeOrgData.division`...): see [mappings.md](mappings.md#source-objects).

Columns: *never null* means Entra always has a value for an assigned object; *scoping* says whether Entra
accepts the attribute in a scoping filter.
"""


def render_attributes() -> str:
    """The attribute reference: one table per object kind, in the list's order."""
    from scimmap.mapping.attributes import attributes

    sections = []
    for kind in ("User", "Group"):
        lines = [
            f"## {kind}",
            "",
            "| attribute | type | multi-valued | never null | scoping | notes |",
            "|---|---|---|---|---|---|",
        ]
        for attribute in attributes(kind):
            yes = {True: "yes", False: ""}
            lines.append(
                f"| `{attribute.name}` | {attribute.type} | {yes[attribute.multivalued]} | {yes[attribute.always]} "
                f"| {'yes' if attribute.scoping else 'no'} | {attribute.note} |"
            )
        sections.append("\n".join(lines))
    return ATTRIBUTES_HEADER + "\n" + "\n\n".join(sections) + "\n"


def render_errors(codes: Sequence[Code]) -> str:
    """docs/errors.md: the header, then each section's heading and intro and its codes, in registry order.

    A warning's heading says so; the rest of each section is the code's ``doc`` exactly as declared.
    """
    from scimmap.codes import HEADER, SECTIONS

    intros = {section.title: section.intro for section in SECTIONS}
    blocks = [HEADER.rstrip("\n")]
    section = None
    for code in codes:
        if code.section != section:
            section = code.section
            blocks.append(f"## {section}")
            intro = intros.get(section, "")
            if intro:
                blocks.append(intro.strip("\n"))
        marker = " *(warning)*" if code.severity == "warning" else ""
        blocks.append(f"## `{code.name}`{marker}")
        blocks.append(code.doc.strip("\n"))
    return "\n\n".join(blocks) + "\n"


MAPPING_KEYS_BEGIN = (
    "<!-- generated by `scimmap docs mapping-keys` from the declarations in scimmap/mapping/model.py: do not edit -->"
)
MAPPING_KEYS_END = "<!-- end of generated mapping keys -->"


def render_mapping_keys() -> str:
    """The mapping keys table of docs/mapping-files.md, between its markers: one row per declared key (a
    one-of key has a row per name), in file order."""
    from scimmap.mapping.model import FILE_KEYS

    lines = [MAPPING_KEYS_BEGIN, "", "| key | meaning | Graph |", "|---|---|---|"]
    lines.extend(f"| {name} | {meaning} | {graph} |" for key in FILE_KEYS for name, meaning, graph in key.doc)
    lines.extend(["", MAPPING_KEYS_END])
    return "\n".join(lines) + "\n"


def splice_mapping_keys(page: str) -> str | None:
    """``page`` with its mapping-keys table (markers included) replaced by :func:`render_mapping_keys`;
    None when the page has no markers."""
    start = page.find(MAPPING_KEYS_BEGIN)
    end = page.find(MAPPING_KEYS_END, start)
    if start < 0 or end < 0:
        return None
    end += len(MAPPING_KEYS_END)
    if page[end : end + 1] == "\n":
        end += 1
    return page[:start] + render_mapping_keys() + page[end:]
