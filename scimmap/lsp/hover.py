"""Hover text (Markdown) for what is under the cursor in a mapping file.

A function shows its catalog entry exactly as ``docs/functions.md`` prints it (signature with parameter
names, summary, notes, examples); an ``[attribute]`` what scimmap knows of it from Entra's attribute list;
a target its SCIM schema definition.  With a sample next to the file, an expression also shows its value.
"""

from __future__ import annotations

import re
from typing import Any

from scimmap.errors import ScimmapError, Span
from scimmap.language.nodes import Attribute, Call, Node, walk
from scimmap.lsp.analysis import Region


def function_markdown(name: str) -> str | None:
    """The function's reference section without its heading, or None for an unknown name."""
    from scimmap.docgen import render_function
    from scimmap.functions import BUILTINS

    spec = BUILTINS.get(name)
    if spec is None:
        return None
    body = render_function(spec).split("\n", 2)[2]
    if spec.name != name:
        body += f"\nWritten `{name}` here; Microsoft's reference writes `{spec.name}`.\n"
    return body


def attribute_markdown(name: str, object_kind: str) -> str:
    from scimmap.mapping import attributes as entra

    known = entra.source_attribute(name, object_kind)
    if known is not None:
        facts = [f"`{known.name}`: Entra {object_kind.lower()} attribute, {known.type}"]
        if known.multivalued:
            facts.append("multi-valued")
        if known.always:
            facts.append(f"never null for an assigned {object_kind.lower()}")
        if not known.scoping:
            facts.append("not allowed in scoping filters")
        text = ", ".join(facts) + "."
        if known.note:
            text += f"\n\n{known.note}"
        if known.name != name:
            text += f"\n\nEntra spells it `{known.name}`."
        return text
    if entra.is_extension(name):
        return f"`{name}`: a tenant-specific attribute (directory extension, extensionAttribute1-15, URN or parameter); scimmap does not check its name."
    suggestion = entra.suggest(name, object_kind)
    text = f"`{name}` is not an Entra {object_kind.lower()} attribute scimmap knows: Entra reads it as null."
    return text + (f" Did you mean `{suggestion}`?" if suggestion else "")


def target_markdown(text: str, object_kind: str) -> str:
    from scimmap.scim import schemas
    from scimmap.scim.paths import parse_target

    try:
        path = parse_target(text)
    except ScimmapError as error:
        return f"`{text}` is not a SCIM attribute path: {error.diagnostic.message}"
    try:
        definition = schemas.attribute(path, object_kind)
    except ScimmapError:
        definition = None
    if definition is None:
        suggestion = schemas.suggest(text, object_kind)
        hint = f" Did you mean `{suggestion}`?" if suggestion else ""
        return f"`{path}` is not an attribute of the SCIM {object_kind} schema.{hint}"
    facts = [f"SCIM {definition.type}"]
    if definition.multi_valued:
        facts.append("multi-valued")
    if definition.required:
        facts.append("required")
    if definition.mutability != "readWrite":
        facts.append(definition.mutability)
    if definition.case_exact:
        facts.append("case-exact")
    lines = [f"`{path}`: {', '.join(facts)}", "", f"Schema `{definition.schema or schemas.core_schema(object_kind)}`"]
    if path.sub:
        top = schemas.top_attribute(path, object_kind)
        if top is not None:
            lines.append(f"\nSub-attribute of `{top.name}` ({top.type}{', multi-valued' if top.multi_valued else ''}).")
    if definition.canonical_values:
        lines.append("\nCanonical values: " + ", ".join(f"`{v}`" for v in definition.canonical_values))
    if definition.description:
        lines.append(f"\n{definition.description}")
    return "\n".join(lines)


def node_at(node: Node, offset: int) -> Node | None:
    """The innermost function name or attribute at ``offset`` of the expression text."""
    best: Node | None = None
    for inner in walk(node):
        if (isinstance(inner, Call) and _covers(inner.name_span, offset)) or (
            isinstance(inner, Attribute) and _covers(inner.span, offset)
        ):
            best = inner
    return best


def _covers(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end and span.end > span.start


def expression_hover(region: Region, offset: int, object_kind: str) -> tuple[str, Span] | None:
    """Markdown and the expression span it describes, for a cursor at ``offset`` of an expression."""
    import scimmap

    try:
        node = scimmap.parse(region.text)
    except ScimmapError:
        return None  # the line-level fallback still knows function names and [attributes]
    found = node_at(node, offset)
    if isinstance(found, Call):
        return call_markdown(found.name), found.name_span
    if isinstance(found, Attribute):
        return attribute_markdown(found.name, object_kind), found.span
    return None


def call_markdown(name: str) -> str:
    from scimmap.functions import BUILTINS

    markdown = function_markdown(name)
    if markdown is not None:
        return markdown
    suggestion = BUILTINS.suggest(name)
    return f"No function named `{name}`." + (f" Did you mean `{suggestion}`?" if suggestion else "")


_NAME_CHARS = re.compile(r"[\w.$:-]")


def word_hover(line: str, column: int, object_kind: str) -> tuple[str, int, int] | None:
    """For text that does not read (a broken buffer, a Graph JSON string): what the line shows at ``column``.

    A word followed by ``(`` is a function call; a word between ``[`` and ``]`` an attribute.  Returns
    the Markdown and the word's 0-based code-point columns.
    """
    start = column
    while start > 0 and _NAME_CHARS.match(line[start - 1]):
        start -= 1
    end = column
    while end < len(line) and _NAME_CHARS.match(line[end]):
        end += 1
    word = line[start:end]
    if not word:
        return None
    if line[end:].lstrip().startswith("(") and re.fullmatch(r"[A-Za-z_]\w*", word):
        return call_markdown(word), start, end
    if start > 0 and line[start - 1] == "[" and line[end : end + 1] == "]":
        return attribute_markdown(word, object_kind), start - 1, end + 1
    return None


def key_markdown(key: str) -> str | None:
    """The description the shipped JSON Schema gives a mapping-file key."""
    schema = _schema()
    found = _description(schema, key)
    return f"`{key}`: {found}" if found else None


def _schema() -> dict[str, Any]:
    from scimmap.mapping.files import json_schema

    return json_schema()


def _description(node: Any, key: str) -> str | None:
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, dict):
            properties = current.get("properties")
            if isinstance(properties, dict) and isinstance(properties.get(key), dict):
                description = properties[key].get("description")
                if description:
                    return str(description)
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return None
