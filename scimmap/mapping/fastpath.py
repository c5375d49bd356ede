"""One generated Python function per mapping table: the whole of ``MappingTable.apply`` inlined.

Why: the generic path walks the table per object (prepare the whole source, evaluate each mapping through
its Expression, assign through the schema, then sort the body).  For millions of objects that costs tens
of times a hand-written function.  Here the table is turned, once, into Python source that reads only the
attributes the table uses, evaluates each mapping into a local, converts it with the type known at compile
time and builds the body directly in its final shape and key order.

Exactness is by construction, not by re-implementation where it matters:
- the body's shape and key order come from running the real ``assign`` and ``finish`` on a template (one
  marker per mapping) at compile time, so collapsing elements, extension nesting and sorting are theirs;
- source attributes that are not plain text (lists, objects, B2B UPNs in odd shapes...) are read from the
  real ``entra_source`` + ``prepare_source`` view, computed at most once per object;
- anything unusual (flags, patch, role functions, IgnoreObjectFlow, any exception at all) makes the caller
  run the generic path, so results and diagnostics stay identical.  A table the template cannot describe
  exactly (interleaved elements, keys that differ only in case...) simply gets no fast path.
"""

from __future__ import annotations

from typing import Any, Callable

from scimmap.language.compiler import NamespaceBuilder
from scimmap.language.nodes import Attribute, Constant, Node, walk
from scimmap.language.values import SKIP, SKIP_OBJECT, output
from scimmap.mapping.source import FLATTENED, GRAPH_ALIASES, b2b_alias

__all__ = ["Fallback", "build"]

FastApply = Callable[[Any, str, Any, Any, Any], Any]


class Fallback(Exception):
    """The fast path met something only the generic path handles (IgnoreObjectFlow...)."""


class _Unsupported(Exception):
    """The table cannot get a fast path."""


_MISSING = object()
_MARK = "\x00scimmap-slot-"


def _quick(value: Any) -> Any:
    """A non-text source value as expressions see it when that is obvious, else _MISSING (full view)."""
    if value is True:
        return "True"
    if value is False:
        return "False"
    if value.__class__ is list:
        for item in value:
            if item.__class__ is not str:
                return _MISSING
        return list(value)
    return _MISSING


def _sorted_value(value: Any) -> Any:
    from scimmap.scim.resource import _sorted

    return _sorted(value)


def _wrap_complex(value: Any) -> Any:
    """A list assigned to a multi-valued complex attribute: every item an element (as ``assign`` does)."""
    if value.__class__ is list:
        return [item if isinstance(item, dict) else {"value": item} for item in value]
    return value


# --------------------------------------------------------------------------------------------------- readers

_DERIVED_ALIASES = {entra: graph for graph, entra in GRAPH_ALIASES.items()}
_ALWAYS_FULL = {"originalUserPrincipalName", *FLATTENED}


def _full(lines: list[str], pad: str, name: str) -> None:
    lines.append(f"{pad}if _p is None: _p = _prep(raw)")
    lines.append(f"{pad}v = _p.get({name!r})")


def _plain_tail_value(lines: list[str], pad: str, name: str) -> None:
    """``v`` holds a raw non-text value: convert the obvious, else read the full view."""
    lines.append(f"{pad}v = _quick(v)")
    lines.append(f"{pad}if v is _MISSING:")
    _full(lines, pad + "    ", name)


def _plain_tail(lines: list[str], pad: str, name: str) -> None:
    """``v`` holds the raw value: keep text/None, convert the obvious, else read the full view."""
    lines.append(f"{pad}if v.__class__ is not str and v is not None:")
    lines.append(f"{pad}    v = _quick(v)")
    lines.append(f"{pad}    if v is _MISSING:")
    _full(lines, pad + "        ", name)


def _plain(name: str) -> bool:
    """Read with ``_plain_tail`` (no Graph aliases, no derived value)."""
    return not (
        name.startswith("@odata.")
        or name in _ALWAYS_FULL
        or name in ("userPrincipalName", "IsSoftDeleted", "objectId", "telephoneNumber", "manager")
        or name in _DERIVED_ALIASES
    )


def _reader(name: str, local: str) -> list[str]:
    """Python lines that set ``local`` to what ``prepare_source(entra_source(raw)).get(name)`` gives."""
    pad = "        "
    lines: list[str] = []
    if name.startswith("@odata.") or name in _ALWAYS_FULL:
        lines.append(f"{pad}v = raw.get({name!r}, _MISSING)")
        lines.append(f"{pad}if v.__class__ is not str:")
        _full(lines, pad + "    ", name)
    elif name == "userPrincipalName":
        lines.append(f"{pad}v = raw.get({name!r})")
        lines.append(f"{pad}if v.__class__ is str:")
        lines.append(f"{pad}    if '#' in v:")
        lines.append(f"{pad}        a = _b2b(v)")
        lines.append(f"{pad}        if a is not None: v = a")
        lines.append(f"{pad}elif v is not None:")
        _full(lines, pad + "    ", name)
    elif name == "IsSoftDeleted":
        lines.append(f"{pad}v = raw.get({name!r}, _MISSING)")
        lines.append(f"{pad}if v is _MISSING:")
        lines.append(f"{pad}    d = raw.get('deletedDateTime')")
        lines.append(f"{pad}    e = raw.get('accountEnabled')")
        lines.append(f"{pad}    if d.__class__ is str and d: v = 'True'")
        lines.append(f"{pad}    elif d is not None and d.__class__ is not str: v = _MISSING")
        lines.append(f"{pad}    elif e is True or e is None: v = 'False'")
        lines.append(f"{pad}    elif e is False: v = 'True'")
        lines.append(f"{pad}    elif e.__class__ is str: v = 'False' if e.lower() == 'true' else 'True'")
        lines.append(f"{pad}    if v is _MISSING:")
        _full(lines, pad + "        ", name)
        lines.append(f"{pad}elif v.__class__ is not str and v is not None:")
        _full(lines, pad + "    ", name)
    elif name == "objectId":
        lines.append(f"{pad}v = raw.get({name!r}, _MISSING)")
        lines.append(f"{pad}if v is _MISSING:")
        lines.append(f"{pad}    v = raw.get('id')")
        lines.append(f"{pad}    if v.__class__ is not str and v is not None:")
        _full(lines, pad + "        ", name)
        lines.append(f"{pad}elif v.__class__ is not str and v is not None:")
        _full(lines, pad + "    ", name)
    elif name in _DERIVED_ALIASES:
        lines.append(f"{pad}v = raw.get({name!r}, _MISSING)")
        lines.append(f"{pad}if v is _MISSING: v = raw.get({_DERIVED_ALIASES[name]!r})")
        lines.append(f"{pad}if v.__class__ is not str and v is not None:")
        _full(lines, pad + "    ", name)
    elif name == "telephoneNumber":
        lines.append(f"{pad}v = raw.get({name!r}, _MISSING)")
        lines.append(f"{pad}if v is _MISSING:")
        lines.append(f"{pad}    v = raw.get('businessPhones')")
        lines.append(f"{pad}    if v.__class__ is list:")
        lines.append(f"{pad}        v = (v[0] if v[0].__class__ is str else _MISSING) if v else None")
        lines.append(f"{pad}    elif v.__class__ is str: v = None")
        lines.append(f"{pad}    elif v is not None: v = _MISSING")
        lines.append(f"{pad}    if v is _MISSING:")
        _full(lines, pad + "        ", name)
        lines.append(f"{pad}elif v.__class__ is not str and v is not None:")
        _full(lines, pad + "    ", name)
    elif name == "manager":
        lines.append(f"{pad}v = raw.get({name!r})")
        lines.append(f"{pad}if v.__class__ is dict: v = v.get('id') or v.get('objectId') or v.get('value')")
        lines.append(f"{pad}if v.__class__ is not str and v is not None:")
        _full(lines, pad + "    ", name)
    else:
        lines.append(f"{pad}v = raw.get({name!r})")
        _plain_tail(lines, pad, name)
    lines.append(f"{pad}{local} = v")
    return lines


# --------------------------------------------------------------------------------------------------- layout


def _find(value: Any, marker: str, trail: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    if value == marker:
        return trail
    if isinstance(value, dict):
        for key, inner in value.items():
            found = _find(inner, marker, (*trail, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found = _find(inner, marker, (*trail, index))
            if found is not None:
                return found
    return None


def _shape(trail: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple("#" if isinstance(step, int) else step for step in trail)


def _expression_code(builder: Any, item: Any, attributes: dict[str, str]) -> str:
    """The expression inlined over the table function's locals, or a call of its compiled function."""
    from scimmap.language.compiler import inline_code

    expression = item.expression
    inlined = inline_code(
        expression.node, expression.catalog, expression.dialect, builder.bind, lambda name: attributes[name]
    )
    if inlined is None:
        builder.needs_src = True
        return f"{builder.bind(expression._function, '_x')}(src, ctx)"
    code, fixed = inlined
    for name, value in fixed.items():
        builder.namespace.setdefault(name, value)
    return code


class _Builder(NamespaceBuilder):
    def __init__(self, table: Any, action: str) -> None:
        from scimmap.language.values import OMITTED

        self.table = table
        self.action = action
        self.kind = table.kind
        self.namespace: dict[str, Any] = {"_OMITTED": OMITTED}
        self._names: dict[int, str] = {}
        self.aliases: set[int] = set()  # slots written by one mapping: the local is c<slot>
        self.needs_src = False  # set when an expression is called rather than inlined
        self.deferred: set[str] = set()  # attributes read raw and normalised by their only (text-copy) mapping
        self.listy: set[int] = set()  # slots whose value may be a list

    # -- the template ---------------------------------------------------------------------------------
    def layout(self, items: list[Any]) -> tuple[dict[str, Any], dict[int, list[int]]]:
        """The finished body with one marker per slot, and which mappings write each slot (table order)."""
        from scimmap.scim.resource import assign, finish

        template: dict[str, Any] = {}
        owner: dict[int, int] = {}  # mapping index -> slot id (the first mapping writing there)
        trails: dict[int, tuple[Any, ...]] = {}
        for item in items:
            marker = f"{_MARK}{item.index}"
            alone: dict[str, Any] = {}
            assign(alone, item.path, marker, self.kind)
            solo = _find(alone, marker)
            before = {i: _find(template, f"{_MARK}{i}") for i in owner if owner[i] == i}
            assign(template, item.path, marker, self.kind)
            where = _find(template, marker)
            if solo is None or where is None or _shape(solo) != _shape(where):
                raise _Unsupported("a key that differs only in case")
            slot = item.index
            for first, trail in before.items():
                if trail == where:
                    slot = first
                    # keep the marker of the slot's first mapping in the template
                    _put(template, where, f"{_MARK}{first}")
            owner[item.index] = slot
            trails[slot] = where
        body = finish(template, self.kind)
        if any(k.lower() in ("schemas", "meta") for k in template):
            raise _Unsupported("a mapping writes schemas or meta")
        writers: dict[int, list[int]] = {}
        for index, slot in owner.items():
            writers.setdefault(slot, []).append(index)
        self._check_elements(template, writers)
        return body, writers

    def _check_elements(self, template: dict[str, Any], writers: dict[int, list[int]]) -> None:
        """Elements of one list must be written by non-interleaved mappings, so their order is static."""

        def slots_in(value: Any) -> list[int]:
            if isinstance(value, str) and value.startswith(_MARK):
                return [int(value[len(_MARK):])]
            if isinstance(value, dict):
                return [s for inner in value.values() for s in slots_in(inner)]
            if isinstance(value, list):
                return [s for inner in value for s in slots_in(inner)]
            return []

        def visit(value: Any) -> None:
            if isinstance(value, dict):
                for inner in value.values():
                    visit(inner)
            elif isinstance(value, list):
                spans = []
                for element in value:
                    indexes = [i for s in slots_in(element) for i in writers.get(s, [])]
                    if not indexes:
                        raise _Unsupported("an element without a mapping")
                    spans.append((min(indexes), max(indexes)))
                for (_, high), (low, _) in zip(spans, spans[1:]):
                    if high > low:
                        raise _Unsupported("interleaved elements")

        visit(template)


def _put(container: Any, trail: tuple[Any, ...], value: Any) -> None:
    for step in trail[:-1]:
        container = container[step]
    container[trail[-1]] = value


# --------------------------------------------------------------------------------------------------- codegen


def _uses_ctx(function: Any) -> bool:
    text = str(getattr(function, "__scimmap_source__", "ctx"))
    return "ctx" in text.replace("(src, ctx)", "")


def build(table: Any, action: str) -> FastApply | None:
    """The generated apply for ``action`` ("create" / "update"), or None when the table needs the generic path."""
    try:
        return _build(table, action)
    except Exception:  # noqa: BLE001 - _Unsupported, or a table the template cannot describe: generic path
        return None


def _build(table: Any, action: str) -> FastApply:
    from json.encoder import encode_basestring  # what quote() -> json.dumps(ensure_ascii=False) uses for str
    from scimmap.language.compiler import Context
    from scimmap.language.expression import _aware
    from scimmap.mapping.scoping import in_scope
    from scimmap.mapping.table import MappingResult
    from scimmap.scim.patch import Change, member_changes, patch_body
    from scimmap.scim.paths import filter_literal
    from scimmap.scim.resource import convert

    items = table.compiled()
    builder = _Builder(table, action)
    ns = builder.namespace
    ns.update(
        _prep=table._prepare, _b2b=b2b_alias, _quick=_quick, _MISSING=_MISSING, _SKIP=SKIP,
        _SKIP_OBJECT=SKIP_OBJECT, _output=output, _convert=convert, _lit=filter_literal, _Fallback=Fallback,
        _resolve=table._resolve, _encode=encode_basestring, _Change=Change, _members=member_changes, _patch=patch_body,
        _Result=MappingResult, _new=object.__new__, _in_scope=in_scope, _Context=Context, _aware=_aware, _sorted=_sorted_value,
        _wrap=_wrap_complex, _scope=table.scope,
    )
    for item in items:
        if item.role is not None:
            raise _Unsupported("role functions")

    # which attributes are read, and by what
    attributes: dict[str, str] = {}
    expression_attributes: set[str] = set()
    uses: dict[str, int] = {}
    needs_ctx = False
    for item in items:
        if item.expression is None or (action == "update" and item.mapping.apply == "on-create"):
            continue
        node: Node = item.expression.node
        for inner in walk(node):
            if isinstance(inner, Attribute):
                attributes.setdefault(inner.name, f"a{len(attributes)}")
                uses[inner.name] = uses.get(inner.name, 0) + 1
                if not isinstance(node, Attribute):
                    expression_attributes.add(inner.name)
        if not isinstance(node, (Attribute, Constant)) and _uses_ctx(item.expression._function):
            needs_ctx = True

    builder.deferred = {
        item.expression.node.name
        for item in items
        if _text_copy(item, action, table.kind)
        and uses.get(item.expression.node.name) == 1
        and _plain(item.expression.node.name)
    }
    lines = ["def _apply(raw, resolve, now, exists):", "    _p = None"]
    # -- the source ---------------------------------------------------------------------------------------
    full_view = bool(table.scope)
    guard = "raw.__class__ is not dict" + "".join(f" or {name!r} in raw" for name in FLATTENED)
    lines.append(f"    if {'True' if full_view else guard}:")
    lines.append("        _p = _prep(raw)")
    for name, local in attributes.items():
        lines.append(f"        {local} = _p.get({name!r})")
    if not attributes:
        lines.append("        pass")
    if not full_view:
        lines.append("    else:")
        for name, local in attributes.items():
            if name in builder.deferred:
                lines.append(f"        {local} = raw.get({name!r})")  # normalised by its mapping if not text
            else:
                lines.extend(_reader(name, local))
        if not attributes:
            lines.append("        pass")
    lines.append("    inside = _in_scope(_scope, _p)" if table.scope else "    inside = True")
    if expression_attributes:
        pairs = ", ".join(f"{name!r}: {attributes[name]}" for name in sorted(expression_attributes))
        lines.append(f"    src = {{{pairs}}}")
    else:
        lines.append("    src = None")
    if needs_ctx:
        lines.append("    ctx = _Context(now=_aware(now), exists=exists)")
    else:
        lines.append("    ctx = None")
        lines.append("    if now is not None: _aware(now)")
    lines.append("    skipped = []")
    lines.append("    unresolved = []")
    lines.append("    changes = []")

    # -- every mapping into a converted local ------------------------------------------------------------
    placed = [item for item in items if item.reference is None]
    body_template, writers = builder.layout(placed)
    matches: list[tuple[int, int]] = []
    for item in items:
        lines.extend(_mapping_lines(item, action, attributes, builder, table.kind))
        if item.mapping.match > 0 and not (action == "update" and item.mapping.apply == "on-create"):
            matches.append((item.mapping.match, item.index))
    match_locals = [f"m{i}" for _, i in sorted(matches)]
    start = lines.index("    changes = []") + 1
    for name in match_locals:
        lines.insert(start, f"    {name} = None")

    # -- slots: the last non-null writer wins --------------------------------------------------------------
    for slot, indexes in writers.items():
        if len(indexes) == 1 and indexes[0] == slot:
            continue  # s{slot} is c{slot}: see _slot_name
        expression = f"c{indexes[0]}"
        for index in indexes[1:]:
            expression = f"(c{index} if c{index} is not None else {expression})"
        lines.append(f"    s{slot} = {expression}")
    builder.aliases = {slot for slot, indexes in writers.items() if indexes == [slot]}
    builder.listy = {
        slot for slot, indexes in writers.items()
        if any(_may_be_list(items[i], table.kind) for i in indexes)
    }

    # -- the body in its final shape -------------------------------------------------------------------------
    lines.append("    if inside:")
    _emit_dict(body_template, "body", "        ", lines, builder, [0], top_level=True)
    lines.append("        followup = _patch(changes, ()) if changes else None")
    lines.append("    else:")
    lines.append("        body = None")
    lines.append("        followup = None")
    if len(match_locals) == 1:  # the usual single matching attribute: no comprehension frame per object
        lines.append(f"    filters = [{match_locals[0]}] if {match_locals[0]} is not None else []")
    elif match_locals:
        lines.append(f"    filters = [m for m in ({', '.join(match_locals)},) if m is not None]")
    else:
        lines.append("    filters = []")
    # Fields set directly: the attrs __init__ costs more than the rest of a small table's bookkeeping.
    lines.append("    result = _new(_Result)")
    for field_name, local in (("resource", "body"), ("match_filters", "filters"), ("in_scope", "inside"),
                              ("skipped", "skipped"), ("unresolved", "unresolved"), ("followup", "followup")):
        lines.append(f"    result.{field_name} = {local}")
    lines.append("    result.object_skipped = False")
    lines.append("    return result")
    if not builder.needs_src:  # every expression was inlined over the locals: no attribute dict per object
        lines = [line for line in lines if not line.startswith("    src = ")]
    text = "\n".join(lines) + "\n"
    code_object = compile(text, f"<scimmap table {table.name or table.object}>", "exec")
    exec(code_object, ns)  # noqa: S102 - generated from the table's checked data, never from raw user text
    function = ns["_apply"]
    function.__scimmap_source__ = text
    return function


def _may_be_list(item: Any, kind: str) -> bool:
    """Can the converted value be a list (so the body needs ``_sorted``)?  Only for multi-valued targets."""
    top = _top(item, kind)
    if item.definition is not None and item.definition.multi_valued:
        return True
    # A filtered element or a sub-attribute holds one converted value: convert() never returns a list for
    # a single-valued definition.  Only a whole multi-valued attribute written directly can be a list.
    return bool(top is not None and top.multi_valued and item.path.filter is None and not item.path.sub)


def _text_copy(item: Any, action: str, kind: str) -> bool:
    """A direct text attribute into a single-valued text target with no default, match or reference: the
    bulk of real tables, generated as one copy and one type check."""
    mapping = item.mapping
    if item.expression is None or not isinstance(item.expression.node, Attribute):
        return False
    if action == "update" and mapping.apply == "on-create":
        return False
    stringy = item.definition is None or (item.definition.type == "string" and not item.definition.multi_valued)
    top = _top(item, kind)
    wrap = item.path.filter is None and not item.path.sub and top is not None and top.multi_valued and top.type == "complex"
    default = mapping.default if action == "create" else None
    return stringy and item.reference is None and not wrap and default is None and mapping.match == 0


def _mapping_lines(item: Any, action: str, attributes: dict[str, str], builder: _Builder, kind: str) -> list[str]:
    """Lines that leave mapping ``item``'s converted value in ``c<index>`` (None: not sent), as ``_flow`` +
    ``assign`` would, appending to ``skipped`` / ``changes`` / ``unresolved`` in the same order."""
    mapping = item.mapping
    i = item.index
    target = repr(mapping.target)
    lines = [f"    c{i} = None"]
    if action == "update" and mapping.apply == "on-create":
        lines.append(f"    skipped.append(({target}, 'on-create'))")
        return lines
    node = item.expression.node if item.expression is not None else None
    definition = builder.bind(item.definition, "_d") if item.definition is not None else "None"
    stringy = item.definition is None or (item.definition.type == "string" and not item.definition.multi_valued)
    default = mapping.default if action == "create" else None
    top = _top(item, kind)
    wrap = item.path.filter is None and not item.path.sub and top is not None and top.multi_valued and top.type == "complex"
    pad = "    "
    if isinstance(node, Attribute) and _text_copy(item, action, kind):
        # Text goes straight into the body; everything else takes the general lines below, as before.
        local = attributes[node.name]
        lines = [f"    c{i} = {local}", f"    if c{i}.__class__ is not str:", f"        c{i} = None", f"        v = {local}"]
        if node.name in builder.deferred:
            # The raw value was read without normalising it (this mapping is its only reader).
            lines.append("        if v is not None:")
            _plain_tail_value(lines, "            ", node.name)
        lines.append("        if v is None:")
        lines.append(f"            skipped.append(({target}, 'null'))")
        lines.append("        else:")
        pad = "            "
        stringy = False  # the text case is handled above
    elif node is None:
        lines.append(f"{pad}v = None")
    elif isinstance(node, Attribute):
        lines.append(f"{pad}v = {attributes[node.name]}")
    elif isinstance(node, Constant):
        lines.append(f"{pad}v = {builder.literal(node.value)}")
    else:
        lines.append(f"{pad}v = {_expression_code(builder, item, attributes)}")
        lines.append(f"{pad}if v is _SKIP_OBJECT: raise _Fallback")
        lines.append(f"{pad}if v is _SKIP:")
        lines.append(f"{pad}    skipped.append(({target}, 'IgnoreFlowIfNullOrEmpty'))")
        lines.append(f"{pad}    v = _SKIP")  # keeps the branch non-empty; nothing below runs for SKIP
        lines.append(f"{pad}else:")
        pad += "    "
    if stringy and item.reference is None and not wrap:
        # The common case first: text goes straight into the body.
        lines.append(f"{pad}if v.__class__ is str:")
        lines.append(f"{pad}    c{i} = v")
        if mapping.match > 0:
            lines.append(f"{pad}    m{i} = {repr(f'{item.path} eq ')} + _encode(v)")
        if default is None:
            # Null is the other common case: nothing is sent (the generic lines below say the same).
            lines.append(f"{pad}elif v is None:")
            lines.append(f"{pad}    skipped.append(({target}, 'null'))")
        lines.append(f"{pad}else:")
        pad += "    "
    lines.append(f"{pad}if v is not None: v = _output(v)")
    if default is not None:
        lines.append(f"{pad}if v is None: v = {default!r}")
    lines.append(f"{pad}if v is None or (v.__class__ is list and not v):")
    lines.append(f"{pad}    skipped.append(({target}, 'null'))")
    lines.append(f"{pad}else:")
    pad += "    "
    if mapping.match > 0:
        text = repr(f"{item.path} eq ")
        lines.append(f"{pad}m{i} = None if v.__class__ is list else {text} + _lit(_convert(v, {definition}, {target}))")
    if item.reference is not None:
        lines.append(f"{pad}targets = _resolve(v, resolve, unresolved)")
        lines.append(f"{pad}if targets:")
        if item.reference == "manager":
            lines.append(f"{pad}    changes.append(_Change('add', {str(item.path)!r}, targets[0]))")
        else:
            lines.append(f"{pad}    changes.extend(_members(targets, (), ()))")
        return lines
    if item.definition is not None and item.definition.type == "boolean" and not item.definition.multi_valued:
        # The usual case ("True"/"False" from Switch) without a call; anything else takes convert().
        lines.append(
            f"{pad}c{i} = True if v == 'True' else False if v == 'False' "
            f"else _convert(v, {definition}, {str(item.path)!r})"
        )
    else:
        lines.append(f"{pad}c{i} = _convert(v, {definition}, {str(item.path)!r})")
    if wrap:
        lines.append(f"{pad}c{i} = _wrap(c{i})")
    return lines


def _top(item: Any, kind: str) -> Any:
    from scimmap.scim.schemas import top_attribute

    return top_attribute(item.path, kind)


def _slot_of(value: Any) -> int | None:
    if isinstance(value, str) and value.startswith(_MARK):
        return int(value[len(_MARK):])
    return None


def _slot_name(builder: _Builder, slot: int) -> str:
    return f"c{slot}" if slot in builder.aliases else f"s{slot}"


def _slots(value: Any) -> list[int]:
    slot = _slot_of(value)
    if slot is not None:
        return [slot]
    if isinstance(value, dict):
        return [s for inner in value.values() for s in _slots(inner)]
    if isinstance(value, list):
        return [s for inner in value for s in _slots(inner)]
    return []


def _emit_value(value: Any, lines: list[str], pad: str, builder: _Builder, counter: list[int]) -> str:
    """An expression (or a local built by the lines appended) for one template value."""
    slot = _slot_of(value)
    if slot is not None:
        return _slot_name(builder, slot)
    if isinstance(value, dict):
        counter[0] += 1
        name = f"_o{counter[0]}"
        _emit_dict(value, name, pad, lines, builder, counter)
        return name
    if isinstance(value, list):
        counter[0] += 1
        name = f"_l{counter[0]}"
        lines.append(f"{pad}{name} = []")
        for element in value:
            slots = _slots(element)
            condition = " or ".join(f"{_slot_name(builder, s)} is not None" for s in slots) or "True"
            lines.append(f"{pad}if {condition}:")
            inner = _emit_value(element, lines, pad + "    ", builder, counter)
            lines.append(f"{pad}    {name}.append({inner})")
        return name
    return builder.literal(value)


def _emit_dict(
    template: dict[str, Any], name: str, pad: str, lines: list[str], builder: _Builder, counter: list[int],
    *, top_level: bool = False,
) -> str:
    """``name = {...}`` with the template's keys in order, each present only when its value is."""
    lines.append(f"{pad}{name} = {{}}")
    for key, value in template.items():
        if top_level and key == "schemas":
            lines.append(f"{pad}{name}['schemas'] = {value!r}")
            continue
        if top_level and key == "meta":
            lines.append(f"{pad}{name}['meta'] = {value!r}")
            continue
        slot = _slot_of(value)
        if slot is not None:
            local = _slot_name(builder, slot)
            lines.append(f"{pad}if {local} is not None:")
            if slot in builder.listy:
                lines.append(f"{pad}    {name}[{key!r}] = {local} if {local}.__class__ is not list else _sorted({local})")
            else:
                lines.append(f"{pad}    {name}[{key!r}] = {local}")
            continue
        slots = _slots(value)
        if not slots:
            lines.append(f"{pad}{name}[{key!r}] = {builder.literal(value) if not isinstance(value, (dict, list)) else repr(value)}")
            continue
        condition = " or ".join(f"{_slot_name(builder, s)} is not None" for s in dict.fromkeys(slots))
        lines.append(f"{pad}if {condition}:")
        inner = _emit_value(value, lines, pad + "    ", builder, counter)
        lines.append(f"{pad}    {name}[{key!r}] = {inner}")
    return name


def fast_apply(table: Any, action: str) -> FastApply | None:
    """The generated apply of ``table`` for ``action``, built on first use (None: use the generic path).

    Cached on the table itself; ``MappingTable.__getstate__`` drops the cache so pickling a table
    (``--jobs``) never meets generated code.
    """
    functions = table._fast
    if action in functions:
        return functions[action]  # type: ignore[no-any-return]
    try:
        table.compiled()
    except Exception:  # noqa: BLE001 - the generic path raises it, with its position
        functions[action] = None
        return None
    functions[action] = build(table, action)
    return functions[action]  # type: ignore[no-any-return]
