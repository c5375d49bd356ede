"""Quick fixes for expression text, as edits on the expression (character offsets), not on the file.

Each fix answers one diagnostic ``scimmap check`` reports: a did-you-mean from its hint, a function name
in Microsoft's casing, the empty argument slot that makes a call's arity right (``Switch([a], "x", ...)``
missing its default slot), typographic quotes pasted from a document.  The server maps the offsets into
the file and quotes the new text for the YAML or JSON scalar it goes into (:mod:`scimmap.lsp.edits`).
"""

from __future__ import annotations

import re

from attrs import field, frozen

from scimmap.errors import ScimmapError, Span
from scimmap.language.nodes import Call, walk

SMART_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2018\u2019\u201a\u201b\u2032"
"""“ ” „ ‟ ″ and ‘ ’ ‚ ‛ ′: what word processors and web pages turn ``"`` into."""

_DID_YOU_MEAN = re.compile(r"did you mean '(?P<name>[^']+)'\?")


@frozen
class Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def _edits(items: list[Edit] | tuple[Edit, ...]) -> tuple[Edit, ...]:
    return tuple(items)


@frozen
class Fix:
    title: str
    edits: tuple[Edit, ...] = field(converter=_edits)


def suggestion(hint: str | None) -> str | None:
    """The name a did-you-mean hint offers (``did you mean 'Switch'?`` -> ``Switch``)."""
    if not hint:
        return None
    match = _DID_YOU_MEAN.search(hint)
    return match.group("name") if match else None


def replacement(written: str, suggested: str) -> str:
    """The text that replaces ``written``: an attribute keeps its brackets (``[givenNam]`` -> ``[givenName]``)."""
    if written.startswith("[") and written.endswith("]") and not suggested.startswith("["):
        return f"[{suggested}]"
    return suggested


def canonical_case(name: str) -> str | None:
    """Microsoft's spelling of a function name written in another case, or None."""
    from scimmap.functions import BUILTINS

    spec = BUILTINS.get(name)
    return spec.name if spec is not None and spec.name != name else None


def missing_slot(text: str, span: Span | None) -> Fix | None:
    """Insert the empty slot(s) an optional parameter needs so that the call at ``span`` has a valid arity.

    Microsoft's signatures put optional parameters before required ones (Switch's defaultValue), and a
    call that leaves the optional one out without its comma shifts every later argument.  Only a fix that
    makes the arity right and leaves no required parameter empty is offered.
    """
    import scimmap
    from scimmap.functions import BUILTINS

    try:
        node = scimmap.parse(text)
    except ScimmapError:
        return None
    call = next((n for n in walk(node) if isinstance(n, Call) and span is not None and n.span == span), None)
    if call is None:
        return None
    spec = BUILTINS.get(call.name)
    if spec is None or spec.arity_problem(len(call.args)) is None:
        return None
    optional = next((i for i, p in enumerate(spec.params) if not p.required and not p.repeating), None)
    if optional is None or optional > len(call.args) or optional == 0:
        return None
    for count in (1, 2, 3):
        slots = call.args[:optional] + (None,) * count + call.args[optional:]
        if spec.arity_problem(len(slots)) is not None:
            continue
        expanded = spec.expand(slots)
        if any(slot is None and spec.param_at(i).required for i, slot in enumerate(expanded)):
            continue
        previous = call.args[optional - 1]
        if previous is None:
            return None
        names = ", ".join(f"'{spec.param_at(optional + k).name}'" for k in range(count))
        return Fix(
            f"Leave {names} empty: insert {count} empty argument slot{'s' if count > 1 else ''}",
            [Edit(previous.span.end, previous.span.end, ", " * count)],
        )
    return None


def replace_smart_quotes(text: str) -> Fix | None:
    """Typographic quotes outside string literals become ``"`` (inside a string they are content)."""
    edits: list[Edit] = []
    inside = False
    index = 0
    while index < len(text):
        char = text[index]
        if inside and char == "\\":
            index += 2
            continue
        if char == '"':
            inside = not inside
        elif not inside and char in SMART_QUOTES:
            edits.append(Edit(index, index + 1, '"'))
            inside = True
            closing = next((k for k in range(index + 1, len(text)) if text[k] in SMART_QUOTES + '"'), None)
            if closing is not None and text[closing] in SMART_QUOTES:
                edits.append(Edit(closing, closing + 1, '"'))
                index = closing
                inside = False
        index += 1
    if not edits:
        return None
    return Fix('Replace typographic quotes with "', edits)
