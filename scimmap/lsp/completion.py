"""Completion candidates for a cursor in a mapping file, as plain records the server turns into items.

Inside an expression: function names in Microsoft's casing (with their signature), attribute names after
``[`` (Entra's list, then names the workspace and the sample use), and the bare words the current
parameter accepts (``vbTextCompare``).  After ``target:``: SCIM attribute paths of the table's object,
with the ``[type eq "work"]`` forms Entra uses for multi-valued attributes.  Where a key goes: the keys
of that part of the file; after ``operator:`` and every key that declares its values (``object:``,
``apply:``, ``flow_behavior:``) those values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping as TypingMapping
from typing import Literal

from attrs import frozen

from scimmap.language.partial import current_call, scan
from scimmap.lsp.context import Cursor

Kind = Literal["function", "attribute", "target", "key", "value", "word"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@frozen
class Candidate:
    """Insert ``insert`` in place of the ``replace`` characters before the cursor."""

    label: str
    insert: str
    replace: int
    kind: Kind
    detail: str = ""
    documentation: str = ""
    order: int = 0


def candidates(
    cursor: Cursor,
    line_before: str,
    next_char: str,
    object_kind: str,
    extra_attributes: TypingMapping[str, str],
) -> list[Candidate]:
    """Everything that may be typed at the cursor; ``extra_attributes`` maps a name to where it is used."""
    if cursor.key is None:
        return _keys(cursor)
    if cursor.key == "expression":
        return expression_candidates(cursor.value, line_before, next_char, object_kind, extra_attributes)
    if cursor.key in ("source", "attribute"):
        return [
            Candidate(c.label, c.label, cursor.typed, "attribute", c.detail, c.documentation, c.order)
            for c in _attributes(cursor.value, cursor.typed, "", object_kind, extra_attributes)
        ]
    if cursor.key in ("target", "targetAttributeName"):
        return _targets(cursor, object_kind)
    return _values(cursor)


def expression_candidates(
    prefix: str,
    line_before: str,
    next_char: str,
    object_kind: str,
    extra_attributes: TypingMapping[str, str],
) -> list[Candidate]:
    where, _ = scan(prefix)
    if where == "string":
        return []
    if where == "attribute":
        typed = prefix[prefix.rfind("[") + 1 :]
        raw = line_before[line_before.rfind("[") + 1 :] if "[" in line_before else line_before.lstrip()
        close = "" if next_char == "]" else "]"
        return _attributes(typed, len(raw), close, object_kind, extra_attributes)
    match = _IDENTIFIER.search(prefix)
    word = match.group(0) if match else ""
    raw_match = _IDENTIFIER.search(line_before)
    replace = len(raw_match.group(0)) if raw_match and word else 0
    return _functions(word, replace, next_char) + _words(prefix, word, replace)


def _functions(word: str, replace: int, next_char: str) -> list[Candidate]:
    from scimmap.functions import BUILTINS

    folded = word.lower()
    found = []
    for spec in BUILTINS:
        if "provisioning" not in spec.dialects:
            continue
        name = spec.name.lower()
        if folded and not (name.startswith(folded) or (len(folded) > 1 and folded in name)):
            continue
        opening = "" if next_char == "(" else "("
        found.append(
            Candidate(
                spec.name,
                spec.name + opening,
                replace,
                "function",
                spec.signature(),
                spec.summary,
                0 if name.startswith(folded) else 1,
            )
        )
    return found


def _words(prefix: str, word: str, replace: int) -> list[Candidate]:
    """Bare words: the choices of the parameter being typed, and the flow identifiers."""
    from scimmap.functions import BUILTINS
    from scimmap.language.values import FLOW_IDENTIFIERS

    words: dict[str, str] = {}
    call = current_call(prefix)
    if call is not None:
        spec = BUILTINS.get(call[0])
        if spec is not None:
            try:
                param = spec.param_at(call[1])
            except IndexError:
                param = None
            if param is not None:
                words.update((choice, f"{spec.name} {param.name}") for choice in param.choices)
    if word:
        words.update((name, "stop the flow") for name in FLOW_IDENTIFIERS)
    folded = word.lower()
    return [
        Candidate(name, name, replace, "word", detail, order=0 if call else 2)
        for name, detail in words.items()
        if name.lower().startswith(folded)
    ]


def _attributes(
    typed: str, replace: int, close: str, object_kind: str, extra: TypingMapping[str, str]
) -> list[Candidate]:
    from scimmap.mapping.attributes import attributes

    folded = typed.lower()
    found: dict[str, Candidate] = {}
    for attribute in attributes(object_kind):
        prefix = attribute.name.lower().startswith(folded)
        if prefix or (len(folded) > 1 and folded in attribute.name.lower()):
            detail = f"Entra {object_kind.lower()} attribute, {attribute.type}" + (
                ", multi-valued" if attribute.multivalued else ""
            )
            found[attribute.name] = Candidate(
                attribute.name, attribute.name + close, replace, "attribute", detail, attribute.note, 0 if prefix else 2
            )
    for name, where in sorted(extra.items()):
        if name not in found and name.lower().startswith(folded):
            found[name] = Candidate(name, name + close, replace, "attribute", f"used in {where}", order=1)
    return list(found.values())


def target_names(object_kind: str) -> list[tuple[str, str]]:
    """``(path, SCIM type)`` for every target of the object, filtered forms of multi-valued ones included."""
    from scimmap.scim import schemas
    from scimmap.scim.paths import ENTERPRISE_USER

    found: list[tuple[str, str]] = []
    urns = [schemas.core_schema(object_kind)] + ([ENTERPRISE_USER] if object_kind == "User" else [])
    for urn in urns:
        prefix = f"{urn}:" if urn == ENTERPRISE_USER else ""
        for top in schemas.schema_attributes(urn):
            if top.mutability == "readOnly":
                continue
            found.append((prefix + top.name, top.type + (", multi-valued" if top.multi_valued else "")))
            kinds = top.sub("type")
            for sub in top.sub_attributes:
                found.append((f"{prefix}{top.name}.{sub.name}", sub.type))
            if top.multi_valued and kinds is not None:
                for value in kinds.canonical_values:
                    for sub in top.sub_attributes:
                        if sub.name not in ("type", "primary"):
                            found.append((f'{prefix}{top.name}[type eq "{value}"].{sub.name}', sub.type))
    return found


def _targets(cursor: Cursor, object_kind: str) -> list[Candidate]:
    folded = cursor.value.lower()
    return [
        Candidate(path, path, cursor.typed, "target", f"SCIM {kind}", order=0 if path.lower().startswith(folded) else 1)
        for path, kind in target_names(object_kind)
        if folded in path.lower()
    ]


def _keys(cursor: Cursor) -> list[Candidate]:
    from scimmap.mapping.files import CLAUSE_KEYS, GROUP_KEYS, MAPPING_KEYS, ONE_OF_KEYS, ROOT_KEYS

    keys: tuple[str, ...] = {
        "root": tuple(k for k in ROOT_KEYS if not k.startswith("$")),
        "mapping": MAPPING_KEYS,
        "clause": CLAUSE_KEYS,
        "scope": CLAUSE_KEYS + GROUP_KEYS,
    }.get(cursor.section, ())
    present = set(cursor.siblings)
    for names in ONE_OF_KEYS:
        if present & set(names):
            present |= set(names)
    folded = cursor.value.lower()
    return [
        Candidate(key, f"{key}: ", cursor.typed, "key", order=index)
        for index, key in enumerate(keys)
        if key not in present and key.startswith(folded)
    ]


def _values(cursor: Cursor) -> list[Candidate]:
    from scimmap.mapping.files import value_choices
    from scimmap.mapping.scoping import OPERATORS

    values: tuple[str, ...] = {**value_choices(), "operator": OPERATORS}.get(cursor.key or "", ())
    folded = cursor.value.lower()
    return [
        Candidate(value, value, cursor.typed, "value", order=index)
        for index, value in enumerate(values)
        if value.lower().startswith(folded)
    ]
