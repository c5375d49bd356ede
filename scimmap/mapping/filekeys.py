"""Mapping-file keys declared once, on the model's fields; everything that reads or writes a key loops here.

A key of a mapping entry (``target``, ``default``, ``match``...) is read from YAML/JSON with positioned
diagnostics, written back by ``dump_yaml``, converted to and from Graph's attributeMapping, described by the
shipped JSON Schema and listed in docs/mapping-files.md.  Kept in step by hand, a new key touched seven files
or more; so each key is one :class:`FileKey` in the attrs ``metadata`` of the
:class:`~scimmap.mapping.model.Mapping` field it fills, and the reader (files.py), the writer (yamlwrite.py),
the Graph conversion (graph.py, graphwrite.py), the schema and the docs table loop over :func:`declared`.
This module holds that machinery and the behaviours keys share (text, a word from a list, a flag, the
matching precedence, the source, the flow type); model.py holds the declarations.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Mapping as TypingMapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs

from scimmap.errors import Diagnostic, MappingError, Origin, ParseError, ScimmapError
from scimmap.mapping.yamltext import keyed, scalar

if TYPE_CHECKING:  # PyYAML is loaded by the file reader; the model that declares keys does not need it
    import yaml

METADATA = "scimmap.filekey"
"""The attrs ``metadata`` entry that holds a field's :class:`FileKey`."""

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"

Nodes = dict[str, tuple["yaml.Node", "yaml.Node"]]
"""The YAML names of one key that an entry holds: ``name -> (key node, value node)``, in the key's order."""


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


KEEP: Any = _Marker("KEEP")
"""What a parse or Graph converter returns when the input gives no usable value: the field keeps its default."""

REJECT: Any = _Marker("REJECT")
"""What a parse returns when the whole entry is unusable (a diagnostic was reported): the entry is dropped."""

NO_DEFAULT: Any = _Marker("NO_DEFAULT")
"""The default of a key whose field has none (``target``): it is always written."""


class Reader(Protocol):
    """What a key's parse may use of the file reader (:class:`scimmap.mapping.files._Reader`)."""

    file: str
    positions: bool

    def origin(self, node: yaml.Node, value: str | None = None) -> Origin: ...

    def report(
        self, code: str, message: str, node: yaml.Node | None, hint: str | None = None, severity: str = "error"
    ) -> None: ...

    def string(self, node: yaml.Node, key: str) -> str | None: ...

    def is_null(self, node: yaml.Node) -> bool: ...


Parse = Callable[[Reader, Nodes, dict[str, Origin]], Any]
"""``(reader, the entry's nodes of this key, the entry's origins) -> value | KEEP | REJECT``; reports its own
diagnostics and records its own origins."""

ValueParse = Callable[[Reader, str, "yaml.Node"], Any]
"""The one-name form: ``(reader, YAML name, value node) -> value | KEEP | REJECT``."""

Write = Callable[[Any], "list[str] | None"]
"""``value -> YAML lines`` (unindented; continuation lines indented relative to the key) or None to leave it out."""

FromGraph = Callable[[TypingMapping[str, Any]], Any]
"""``attributeMapping -> value | KEEP``; a wrong shape raises :class:`GraphShapeError`."""

ToGraph = Callable[[Any, Any, Any], Any]
"""``(value, record, kept) -> Graph value``; ``kept`` is the Graph value an import kept (``keep_graph``)."""

Locate = Callable[[Any, tuple[Any, ...], Any, Any], "Origin | None"]
"""``(JsonPositions, path of the Graph value, value, the Graph value) -> where it is in the JSON file``."""


@attrs.frozen(kw_only=True)
class FileKey:
    """One mapping-file key: its names, its schema and docs, and how it is read, written and converted.

    ``names`` are the YAML/JSON keys, in file order; several names make one-of keys (``source``, ``expression``
    and ``constant`` all fill ``kind`` and ``source``: at most one may be given).  The value is the field's
    value, or a tuple of the ``fills`` fields' values.  ``field`` and ``default`` are bound by
    :func:`declared` from the attrs field that carries the key.
    """

    names: tuple[str, ...]
    graph: str | None
    schema: dict[str, dict[str, Any]]
    """The JSON Schema property of each name (with its ``description``)."""
    doc: tuple[tuple[str, str, str], ...]
    """The rows of the key table in docs/mapping-files.md: (key, meaning, Graph), Markdown."""
    parse: Parse
    write: Write
    from_graph: FromGraph
    to_graph: ToGraph
    fills: tuple[str, ...] = ()
    """The fields the value fills, when more than the one the key is declared on."""
    required: tuple[str, str] | None = None
    """``(message, hint)`` reported at the entry when it lacks the key (the entry is then dropped)."""
    missing: Any = KEEP
    """The value when the entry has none of the names (KEEP: the fields' defaults)."""
    graph_omit: bool = False
    """Left out of a Graph object imported without it while the value is the default (so a diff shows edits only)."""
    keep_graph: bool = False
    """The imported Graph value rides along in ``extra`` and is passed back to ``to_graph`` (lossless round trip)."""
    locate: Locate | None = None
    choices: tuple[str, ...] = ()
    """Values an editor offers for completion."""
    field: str = ""
    default: Any = NO_DEFAULT

    @property
    def name(self) -> str:
        """The first YAML name: the key's origin entry and its name in messages."""
        return self.names[0]

    @property
    def fields(self) -> tuple[str, ...]:
        return self.fills or (self.field,)

    def value_of(self, record: Any) -> Any:
        if self.fills:
            return tuple(getattr(record, name) for name in self.fills)
        return getattr(record, self.field)

    def assign(self, value: Any) -> dict[str, Any]:
        if self.fills:
            return dict(zip(self.fills, value))
        return {self.field: value}


@attrs.frozen
class StructureKey:
    """A key of the file's shape (the top level, a scoping filter, a clause): its name, its JSON Schema property
    and completion values.  The reader walks these shapes itself (a list of mappings, of scoping filters...),
    so only the allowed names and the schema come from here."""

    name: str
    schema: dict[str, Any]
    choices: tuple[str, ...] = ()


def declare(key: FileKey) -> dict[str, FileKey]:
    """The attrs ``metadata`` that makes a field carry ``key``."""
    return {METADATA: key}


def declared(cls: type) -> tuple[FileKey, ...]:
    """The keys declared on ``cls``'s fields, in field order (the file order), bound to their fields.

    A key that fills several fields is declared on the last of them, so fields keep their positional order
    and keys their file order.
    """
    fields = {attribute.name: attribute for attribute in attrs.fields(cls)}
    keys = []
    for attribute in fields.values():
        key = attribute.metadata.get(METADATA)
        if not isinstance(key, FileKey):
            continue
        bound = attrs.evolve(key, field=attribute.name)
        defaults = tuple(_default(fields[name]) for name in bound.fields)
        default = defaults if key.fills else defaults[0]
        keys.append(attrs.evolve(bound, default=NO_DEFAULT if NO_DEFAULT in defaults else default))
    return tuple(keys)


def _default(attribute: Any) -> Any:
    if attribute.default is attrs.NOTHING:
        return NO_DEFAULT
    if isinstance(attribute.default, attrs.Factory):  # type: ignore[arg-type]
        return attribute.default.factory()
    return attribute.default


def key(
    name: str,
    *,
    graph: str | None,
    schema: dict[str, Any],
    description: str,
    doc: str,
    parse: ValueParse,
    write: Write,
    from_graph: Callable[[Any], Any],
    to_graph: Callable[[Any], Any] = lambda value: value,
    origin: Literal["value", "node"] | None = "value",
    graph_doc: str | None = None,
    locate: Literal["string", "value"] | None = None,
    fills: tuple[str, ...] = (),
    **options: Any,
) -> dict[str, FileKey]:
    """The metadata of a key with one YAML name and one Graph name.

    ``parse`` reads the value node; ``origin`` records where the value is (``value``: each character of a text
    value, once parsed; ``node``: where the node starts, before parsing).  ``from_graph`` and ``to_graph``
    convert the Graph value alone; ``locate`` says how a Graph file position is found.  ``options`` are
    further :class:`FileKey` fields (``required``, ``graph_omit``, ``choices``...).
    """

    def read(reader: Reader, nodes: Nodes, origins: dict[str, Origin]) -> Any:
        node = nodes[name][1]
        if origin == "node":
            origins[name] = reader.origin(node)
        value = parse(reader, name, node)
        if origin == "value" and isinstance(value, str):
            origins[name] = reader.origin(node, value)
        return value

    def read_graph(item: TypingMapping[str, Any]) -> Any:
        return from_graph(item.get(graph)) if graph is not None else KEEP

    found = {"string": at_string, "value": at_value, None: None}[locate]
    return declare(
        FileKey(
            names=(name,),
            graph=graph,
            schema={name: {**schema, "description": description}},
            doc=((f"`{name}`", doc, graph_doc or (f"`{graph}`" if graph else "")),),
            parse=read,
            write=write,
            from_graph=read_graph,
            to_graph=lambda value, record, kept: to_graph(value),
            locate=found,
            fills=fills,
            **options,
        )
    )


def flag(name: str, *, graph: str | None, description: str, doc: str, **options: Any) -> dict[str, FileKey]:
    """A true/false key, false by default and written only when true (Graph: a JSON boolean)."""
    return key(
        name,
        graph=graph,
        schema={"type": "boolean", "default": False},
        description=description,
        doc=doc,
        parse=parse_flag,
        write=lambda value: [f"{name}: true"] if value else None,
        from_graph=lambda value: flag_from_graph(graph or name, value),
        to_graph=bool,
        origin="node",
        locate="value",
        graph_omit=True,
        choices=("true", "false"),
        **options,
    )


# ----------------------------------------------------------------------------------------- the loops over keys


def read_entry(
    reader: Reader, keys: Sequence[FileKey], fields: Nodes, node: yaml.Node, origins: dict[str, Origin]
) -> dict[str, Any] | None:
    """The field values of one entry (``fields``: its keys, already checked for unknown and duplicate names),
    or None when it is unusable; diagnostics and ``origins`` are the keys' own, in key order."""
    values: dict[str, Any] = {}
    for declared_key in keys:
        nodes = {name: fields[name] for name in declared_key.names if name in fields}
        if nodes:
            value = declared_key.parse(reader, nodes, origins)
        elif declared_key.required is not None:
            message, hint = declared_key.required
            reader.report("invalid-mapping", message, node, hint)
            return None
        else:
            value = declared_key.missing
        if value is REJECT:
            return None
        if value is not KEEP:
            values.update(declared_key.assign(value))
    return values


def write_entry(record: Any, keys: Sequence[FileKey]) -> list[str]:
    """The YAML lines of one entry (unindented), in key order; keys at their default are left out."""
    lines: list[str] = []
    for declared_key in keys:
        value = declared_key.value_of(record)
        if declared_key.default is not NO_DEFAULT and value == declared_key.default:
            continue
        lines.extend(declared_key.write(value) or ())
    return lines


def entry_from_graph(item: TypingMapping[str, Any], keys: Sequence[FileKey]) -> dict[str, Any]:
    """The field values of one Graph object (a wrong shape raises :class:`GraphShapeError`)."""
    values: dict[str, Any] = {}
    for declared_key in keys:
        value = declared_key.from_graph(item)
        if value is not KEEP:
            values.update(declared_key.assign(value))
    return values


def kept_from_graph(item: TypingMapping[str, Any], keys: Sequence[FileKey]) -> dict[str, Any]:
    """What ``extra`` keeps of one Graph object for a lossless write-back: the keys no declaration names, and
    the original value of each ``keep_graph`` key."""
    known = graph_names(keys)
    extra = {name: copy.deepcopy(value) for name, value in item.items() if name not in known}
    extra["__order__"] = list(item.keys())
    for declared_key in keys:
        if declared_key.keep_graph and declared_key.graph is not None:
            extra[declared_key.graph] = copy.deepcopy(item.get(declared_key.graph))
    return extra


def entry_to_graph(record: Any, keys: Sequence[FileKey], extra: dict[str, Any]) -> dict[str, Any]:
    """The declared Graph values of one record; each ``keep_graph`` value is popped from ``extra``."""
    built: dict[str, Any] = {}
    for declared_key in keys:
        if declared_key.graph is None:
            continue
        kept = extra.pop(declared_key.graph, None)
        built[declared_key.graph] = declared_key.to_graph(declared_key.value_of(record), record, kept)
    return built


def graph_names(keys: Iterable[FileKey]) -> tuple[str, ...]:
    return tuple(k.graph for k in keys if k.graph is not None)


def graph_defaults(keys: Iterable[FileKey]) -> dict[str, Any]:
    """Graph values left out of an object imported without them, by Graph name (``graph_omit`` keys)."""
    return {k.graph: k.to_graph(k.default, None, None) for k in keys if k.graph is not None and k.graph_omit}


def locate_entry(
    record: Any, keys: Iterable[FileKey], positions: Any, path: tuple[Any, ...], item: TypingMapping[str, Any]
) -> dict[str, Origin]:
    """The JSON file positions of one record's Graph values, by YAML name (as the YAML reader records them)."""
    found: dict[str, Origin] = {}
    for declared_key in keys:
        if declared_key.locate is None or declared_key.graph is None:
            continue
        origin = declared_key.locate(
            positions, (*path, declared_key.graph), declared_key.value_of(record), item.get(declared_key.graph)
        )
        if origin is not None:
            found[declared_key.name] = origin
    return found


def at_string(positions: Any, path: tuple[Any, ...], value: Any, raw: Any) -> Origin | None:
    """Every character of the JSON string at ``path``."""
    found: Origin | None = positions.string(path)
    return found


def at_value(positions: Any, path: tuple[Any, ...], value: Any, raw: Any) -> Origin | None:
    """Where the JSON value at ``path`` starts."""
    found: Origin | None = positions.value(path)
    return found


def yaml_names(keys: Iterable[FileKey]) -> tuple[str, ...]:
    return tuple(name for k in keys for name in k.names)


def entry_schema(keys: Sequence[FileKey]) -> dict[str, Any]:
    """The JSON Schema of one entry: its properties, the required keys, and at most one name of a one-of key."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": [k.name for k in keys if k.required is not None],
        "properties": {name: copy.deepcopy(k.schema[name]) for k in keys for name in k.names},
    }
    pairs = [pair for k in keys for pair in itertools.combinations(k.names, 2)]
    if pairs:
        schema["not"] = {"anyOf": [{"required": list(pair)} for pair in pairs]}
    return schema


def choices(keys: Iterable[FileKey]) -> dict[str, tuple[str, ...]]:
    """Completion values by YAML name."""
    return {name: k.choices for k in keys if k.choices for name in k.names}


# ------------------------------------------------------------------------------------------ shared behaviours


def either(words: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def parse_text(reader: Reader, name: str, node: yaml.Node) -> str | None:
    """The text as written (null is None: the default)."""
    return reader.string(node, name)


def parse_required_text(reader: Reader, name: str, node: yaml.Node) -> Any:
    """Text that must not be empty: an empty one drops the entry."""
    text = reader.string(node, name)
    if not text:
        reader.report("invalid-mapping", f"the {name} is empty", node)
        return REJECT
    return text


def one_of(*words: str) -> ValueParse:
    """One of ``words``, in any case (written back as declared)."""
    folded = {word.lower(): word for word in words}

    def parse(reader: Reader, name: str, node: yaml.Node) -> Any:
        text = reader.string(node, name)
        if text is not None and text.lower() in folded:
            return folded[text.lower()]
        if text is not None:
            reader.report("invalid-mapping", f"{name} must be {either(words)}, not {text!r}", node)
        return KEEP

    return parse


_TRUE = ("true", "yes", "on")
_FALSE = ("false", "no", "off")


def parse_flag(reader: Reader, name: str, node: yaml.Node) -> Any:
    """``true``/``false`` (YAML's yes/no/on/off too, in any case); null keeps the default."""
    text = reader.string(node, name)
    if text is None:
        return KEEP
    if text.strip().lower() in _TRUE:
        return True
    if text.strip().lower() in _FALSE:
        return False
    reader.report("invalid-mapping", f"{name} must be true or false, not {text!r}", node, "leave it out for false")
    return KEEP


def flag_from_graph(name: str, value: Any) -> Any:
    if value is None:
        return KEEP
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise GraphShapeError(f"{name} must be true or false, not {str(value)[:40]}", (name,))


def write_scalar(name: str) -> Write:
    """``name: value`` on one line, plain where YAML reads it back unchanged."""
    return lambda value: [f"{name}: {scalar(value)}"]


def write_text(name: str) -> Write:
    """Text that may span lines (a ``|-`` block) or need quotes; None is left out."""
    return lambda value: None if value is None else keyed(name, value)


# -- match: the matching precedence ------------------------------------------------------------------------------


def parse_precedence(reader: Reader, name: str, node: yaml.Node) -> Any:
    """A whole number; ``true``/``yes`` is 1 (a flag written as a precedence)."""
    text = reader.string(node, name)
    if text is not None and re.fullmatch(r"\d+", text.strip()) and node.tag in (INT_TAG, STR_TAG):
        return int(text)
    if text is not None and text.strip().lower() in ("true", "yes"):
        return 1
    if text is not None:
        reader.report(
            "invalid-mapping",
            f"match must be a matching precedence (1, 2, ...), not {text!r}",
            node,
            "use 1 for the first matching attribute; leave it out for none",
        )
    return KEEP


def precedence_from_graph(value: Any) -> int:
    """Graph's matchingPriority: a small whole number (0 = not a matching attribute).

    ``1e400`` used to escape as OverflowError and ``[1]`` was silently 0; both are the file's error now.
    """
    if value is None or value == "":
        return 0
    number: Any = value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        number = int(value)
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**31:
        number = int(number)
    if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 2**31:
        raise GraphShapeError(
            f"matchingPriority must be a whole number from 0 up, not {str(value)[:40]}",
            ("matchingPriority",),
            "1 for the attribute Entra matches on, 0 (or leave it out) for the others",
        )
    return number


# -- apply: Graph's flowType -----------------------------------------------------------------------------------

GRAPH_FLOW_TYPES: dict[str, str] = {"always": "Always", "on-create": "ObjectAddOnly"}
"""scimmap's ``apply`` values and Graph's ``flowType`` names (Graph also has MultiValueAddOnly, ...)."""

APPLY_VALUES = ("always", "on-create")
GRAPH_FLOW_NAMES = ("Always", "ObjectAddOnly", "MultiValueAddOnly", "ValueAddOnly", "AttributeAddOnly")
_FLOW_FROM_GRAPH = {value.lower(): key for key, value in GRAPH_FLOW_TYPES.items()}


def parse_apply(reader: Reader, name: str, node: yaml.Node) -> Any:
    """``(apply, flow_type)``: scimmap's words, or Graph's other flowType names kept verbatim."""
    text = reader.string(node, name)
    if text is None:
        return KEEP
    apply, flow_type, ok = apply_words(text)
    if not ok:
        suggestion = difflib.get_close_matches(text.lower(), list(APPLY_VALUES), n=1, cutoff=0.5)
        reader.report(
            "invalid-mapping",
            f"apply must be always or on-create, not {text!r}",
            node,
            f"did you mean '{suggestion[0]}'?" if suggestion else "use always (the default) or on-create",
        )
    return apply, flow_type


def apply_words(text: str) -> tuple[str, str | None, bool]:
    """``(apply, flow_type, ok)``: scimmap's words or Graph's flowType names."""
    lowered = text.strip().lower()
    if lowered in ("always",):
        return "always", None, True
    if lowered in ("on-create", "on_create", "oncreate", "objectaddonly", "only during object creation"):
        return "on-create", None, True
    for graph_name in GRAPH_FLOW_NAMES[2:]:
        if lowered == graph_name.lower():
            return "always", graph_name, True
    return "always", None, False


def write_apply(value: tuple[str, str | None]) -> list[str] | None:
    apply, flow_type = value
    if flow_type and flow_type not in GRAPH_FLOW_TYPES.values():
        return [f"apply: {flow_type}"]
    if apply != "always":
        return [f"apply: {apply}"]
    return None


def apply_from_graph(flow: Any) -> Any:
    if not isinstance(flow, str):
        return KEEP
    apply = _FLOW_FROM_GRAPH.get(flow.lower(), "always")
    flow_type = flow if flow.lower() not in _FLOW_FROM_GRAPH or flow != GRAPH_FLOW_TYPES[apply] else None
    return apply, flow_type


def apply_to_graph(value: tuple[str, str | None]) -> str:
    apply, flow_type = value
    return flow_type or GRAPH_FLOW_TYPES.get(apply, "Always")


# -- source / expression / constant: the mapping's kind and its text ---------------------------------------------

SOURCE_KINDS = {"source": "direct", "expression": "expression", "constant": "constant"}
"""The YAML name of each source kind (Entra's Direct, Expression and Constant mapping types)."""


def parse_source(reader: Reader, nodes: Nodes, origins: dict[str, Origin]) -> Any:
    """``(kind, text)`` from whichever of source, expression and constant the entry has (at most one)."""
    import yaml

    given = list(nodes)
    if len(given) > 1:
        reader.report(
            "invalid-mapping",
            f"a mapping takes at most one of source, expression and constant; this one has {' and '.join(given)}",
            nodes[given[1]][0],
            "keep one (none at all is Entra's 'None' mapping: only the default applies)",
        )
    name = given[0]
    value_node = nodes[name][1]
    text = _source_value(reader, value_node, name)
    if text is None:
        reader.report(
            "invalid-mapping",
            f"{name} is empty",
            value_node,
            "remove the key for a 'None' mapping, or quote an empty constant: ''",
        )
        return "none", None
    if name == "source" and isinstance(value_node, yaml.SequenceNode):
        # `source: [mail]` was most likely meant as the attribute mail.
        inner = [v.value for v in value_node.value if isinstance(v, yaml.ScalarNode)]
        if len(inner) == 1:
            text = inner[0]
        else:
            name = "expression"
    kind = SOURCE_KINDS[name]
    if kind == "direct":
        text = _strip_brackets(text)
    origins["source"] = _source_origin_in_yaml(reader, value_node, text, kind)
    return kind, text


def _source_value(reader: Reader, node: yaml.Node, name: str) -> str | None:
    import yaml

    if name == "constant" and isinstance(node, yaml.ScalarNode) and not reader.is_null(node):
        return str(node.value) if node.style not in ("|", ">") else str(node.value).rstrip("\n")
    return reader.string(node, name)


def _source_origin_in_yaml(reader: Reader, node: yaml.Node, text: str, kind: str) -> Origin:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        if kind == "direct" and node.value != text:
            return reader.origin(node)
        return reader.origin(node, text)
    if isinstance(node, yaml.SequenceNode) and reader.positions:
        # Recovered `[a]` text: the flow sequence's own characters are the expression.
        return Origin(reader.file, ((node.start_mark.line + 1, node.start_mark.column + 1),))
    return reader.origin(node)


def _strip_brackets(text: str) -> str:
    """``source: '[mail]'`` means the attribute mail; Entra's Direct type has no brackets."""
    stripped = text.strip()
    if stripped.startswith("[") and stripped.endswith("]") and stripped.count("[") == 1:
        return stripped[1:-1]
    return stripped


def write_source(value: tuple[str, str | None]) -> list[str] | None:
    kind, text = value
    if text is None:
        return None
    if kind == "direct":
        return [f"source: {scalar(text)}"]
    if kind == "constant":
        return [f"constant: {scalar(text)}"]
    if kind == "expression":
        return keyed("expression", text)
    return None


def source_from_graph(item: TypingMapping[str, Any]) -> tuple[str, str | None]:
    source = item.get("source")
    if not isinstance(source, TypingMapping):
        return "none", None
    node_type = str(source.get("type") or "Attribute").lower()
    if node_type == "attribute":
        return "direct", str(source.get("name") or str(source.get("expression") or "").strip("[]"))
    if node_type == "constant" and str(source.get("expression") or '"').startswith('"'):
        return "constant", str(source.get("name") if source.get("name") is not None else "")
    return "expression", expression_text(source)


def expression_text(source: TypingMapping[str, Any]) -> str:
    """The expression text of a Graph source: its `expression`, else the text rebuilt from the tree."""
    expression = source.get("expression")
    if isinstance(expression, str) and expression.strip():
        return expression
    from scimmap.language.graphjson import from_graph, graph_text

    try:
        return graph_text(from_graph(source))
    except ScimmapError:
        return str(source.get("name") or "")


def source_to_graph(value: tuple[str, str | None], record: Any, raw: Any) -> dict[str, Any] | None:
    """Graph's attributeMappingSource; the imported one (``raw``) verbatim while it still says the same."""
    kind, text = value
    if kind == "none" or text is None:
        return None
    if isinstance(raw, TypingMapping) and _same_source(kind, text, raw):
        return copy.deepcopy(dict(raw))
    from scimmap.language.graphjson import to_graph
    from scimmap.language.printer import quote

    if kind == "direct":
        return {"expression": f"[{text}]", "name": text, "parameters": [], "type": "Attribute"}
    if kind == "constant":
        return {"expression": quote(text), "name": text, "parameters": [], "type": "Constant"}
    try:
        graph = to_graph(text)
    except ParseError as error:
        raise MappingError(
            [d for d in error.diagnostics] or Diagnostic("invalid-mapping", f"cannot convert {record.target}")
        ) from None
    # The text as the user wrote it (line breaks, layout) is what Graph stores and shows in the portal;
    # the parameters carry the parsed tree.
    graph["expression"] = text
    return graph


def _same_source(kind: str, text: str, raw: TypingMapping[str, Any]) -> bool:
    """Whether the imported source JSON still says what the (possibly edited) mapping says."""
    node_type = str(raw.get("type") or "Attribute").lower()
    if kind == "direct":
        return node_type == "attribute" and raw.get("name") == text
    if kind == "constant":
        return node_type == "constant" and raw.get("name") == text
    return node_type not in ("attribute",) and expression_text(raw) == text


def locate_source(positions: Any, path: tuple[Any, ...], value: tuple[str, str | None], source: Any) -> Origin | None:
    """Where the text the mapping holds came from: the expression string, or the attribute's name."""
    kind, text = value
    if not isinstance(source, TypingMapping):
        return None
    found: Origin | None
    if kind == "expression":
        expression = source.get("expression")
        if isinstance(expression, str) and expression.strip() and expression == text:
            found = positions.string((*path, "expression"))
        else:
            found = positions.value(path)  # text rebuilt from the parameter tree: point at the source object
    elif kind == "direct" and source.get("name") != text:
        found = positions.string((*path, "expression"), skip=1)  # "[mail]": the name starts after "["
    else:
        found = positions.string((*path, "name"))
    return found


# ------------------------------------------------------------------------------------------------ Graph shape


class GraphShapeError(MappingError):
    """Graph JSON whose value at ``path`` (keys and indexes from the objectMapping) has the wrong shape;
    the file reader turns ``path`` into a file position."""

    def __init__(self, message: str, path: tuple[Any, ...], hint: str | None = None) -> None:
        super().__init__(Diagnostic("invalid-mapping", message, hint=hint))
        self.path = path

    def under(self, prefix: tuple[Any, ...]) -> GraphShapeError:
        """The same error, its path seen from a document that holds the objectMapping at ``prefix``."""
        return GraphShapeError(self.diagnostic.message, (*prefix, *self.path), self.diagnostic.hint)
