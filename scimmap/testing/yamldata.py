"""Case files as plain values that remember where each value was written.

Case files are YAML (JSON is read the same way, as YAML flow style), and every value keeps its node so
that a failure can say ``file:line``, an expression's diagnostic can point inside the expression
(:func:`scimmap.mapping.yamlpos.scalar_origin`), and ``--update`` can rewrite one value in place without
touching the rest of the file.

Scalars are typed by a small, predictable rule rather than YAML 1.1's: quoted and block scalars are text;
plain ``null``/``~``/empty is null, ``true``/``false`` (any case) a boolean, a canonical decimal integer an
integer, and everything else text.  So ``yes``, ``on``, ``007``, ``1.5`` and ``2025-07-30`` stay the text
written, which is what a directory attribute or an expected value usually means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from attrs import define, field

from scimmap.errors import Diagnostic, Origin, Span
from scimmap.mapping.yamlpos import LineIndex, scalar_origin

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_CASE_FILE_SIZE = 20 * 1024 * 1024
"""Case files hold expected request bodies and so grow larger than mapping files, but not without bound."""

_TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {_TAG + name for name in ("str", "null", "int", "bool", "float", "seq", "map", "timestamp", "merge")}
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)\Z")
_BOOLEANS = {"true": True, "false": False}
_NULLS = ("", "~", "null")


@define(eq=False)
class Data:
    """One value of a case file with the YAML node it was read from."""

    value: Any
    node: yaml.Node
    fields: dict[str, tuple[yaml.Node, Data]] = field(factory=dict)
    items: list[Data] = field(factory=list)

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    @property
    def column(self) -> int:
        return int(self.node.start_mark.column) + 1

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.node, yaml.MappingNode)

    def get(self, key: str) -> Data | None:
        entry = self.fields.get(key)
        return entry[1] if entry is not None else None

    def key_node(self, key: str) -> yaml.Node | None:
        entry = self.fields.get(key)
        return entry[0] if entry is not None else None


@define
class Document:
    """A parsed case file: its text (BOM removed), the root value and how to write the text back."""

    file: str
    text: str
    root: Data | None
    index: LineIndex
    bom: str = ""
    encoding: str = "utf-8"

    def origin(self, data: Data) -> Origin:
        """Where a scalar's characters sit in the file, for diagnostics inside expressions."""
        node = data.node
        if isinstance(node, yaml.ScalarNode) and isinstance(data.value, str):
            return scalar_origin(self.file, node, data.value, self.index)
        return Origin(self.file, ((data.line, data.column),))

    @property
    def newline(self) -> str:
        return "\r\n" if "\r\n" in self.text else "\n"


def decode(raw: bytes) -> tuple[str, str, str]:
    """``(text, bom, encoding)``: PowerShell writes UTF-8 with a BOM, or UTF-16 with one; default UTF-8."""
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(encoding), "\ufeff", encoding
    return raw.decode("utf-8"), "", "utf-8"


def encode(document: Document, text: str) -> bytes:
    """The inverse of :func:`decode`: same BOM, same encoding."""
    return (document.bom + text).encode(document.encoding)


def load_document(raw: bytes | str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse a case file; structural problems come back as diagnostics, never as exceptions."""
    if len(raw) > MAX_CASE_FILE_SIZE:
        return None, [
            Diagnostic(
                "file-too-large",
                f"{file} is {len(raw):,} bytes; case files are limited to {MAX_CASE_FILE_SIZE:,}",
                origin=Origin(file),
            )
        ]
    if isinstance(raw, bytes):
        try:
            text, bom, encoding = decode(raw)
        except UnicodeDecodeError as error:
            return None, [
                Diagnostic("invalid-case", f"{file} is not UTF-8 or UTF-16 text ({error.reason})", origin=Origin(file))
            ]
    else:
        text, bom, encoding = (raw[1:], "\ufeff", "utf-8") if raw.startswith("\ufeff") else (raw, "", "utf-8")
    index = LineIndex(text)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_error(error, file, index)]
    except (yaml.YAMLError, RecursionError) as error:
        return None, [Diagnostic("invalid-yaml", f"{file} is not valid YAML or JSON: {error}", origin=Origin(file))]
    reader = _Reader(file, index)
    try:
        root = reader.convert(node) if node is not None else None
    except RecursionError:
        return None, [Diagnostic("invalid-case", f"{file} nests too deeply", origin=Origin(file))]
    return Document(file, text, root, index, bom, encoding), reader.problems


def _syntax_error(error: yaml.MarkedYAMLError, file: str, index: LineIndex) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    source = index.line_text(line)
    start = min(column - 1, len(source))
    return Diagnostic(
        "invalid-yaml",
        f"not valid YAML: {error.problem or 'invalid YAML'}",
        Span(start, min(len(source), start + 1)),
        source,
        "quote values that start with [ { * & ! | > ' \" % @ or contain ': '",
        "error",
        Origin(file, ((line, 1),)),
    )


class _Reader:
    """Node tree -> :class:`Data`; aliases are shared (converted once), ``<<`` merge keys are honoured."""

    def __init__(self, file: str, index: LineIndex) -> None:
        self.file = file
        self.index = index
        self.problems: list[Diagnostic] = []
        self.done: dict[int, Data] = {}

    def report(self, code: str, message: str, node: yaml.Node, hint: str | None = None) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        source = self.index.line_text(line)
        start = min(column - 1, len(source))
        end = (
            node.end_mark.index - node.start_mark.index
            if node.end_mark.line == node.start_mark.line
            else len(source) - start
        )
        self.problems.append(
            Diagnostic(
                code,
                message,
                Span(start, max(start, min(len(source), start + end))),
                source,
                hint,
                "error",
                Origin(self.file, ((line, 1),)),
            )
        )

    def convert(self, node: yaml.Node) -> Data:
        known = self.done.get(id(node))
        if known is not None:
            return known
        if node.tag not in _STANDARD_TAGS:
            self.report("invalid-yaml", f"YAML tag {node.tag!r} is not allowed in case files", node, "remove the tag")
            data = Data(None, node)
        elif isinstance(node, yaml.ScalarNode):
            data = Data(scalar(node), node)
        elif isinstance(node, yaml.SequenceNode):
            data = Data([], node)
            self.done[id(node)] = data
            data.items = [self.convert(item) for item in node.value]
            data.value = [item.value for item in data.items]
        else:
            data = Data({}, node)
            self.done[id(node)] = data
            self._fill(data, node)
        self.done[id(node)] = data
        return data

    def _fill(self, data: Data, node: yaml.Node) -> None:
        for key_node, value_node in _pairs(node):
            if key_node.tag == _TAG + "merge":
                for merged in self._merged(value_node):
                    for key, entry in merged.fields.items():
                        data.fields.setdefault(key, entry)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.report("invalid-case", "keys must be plain words", key_node)
                continue
            key = key_node.value
            if key in data.fields and data.fields[key][0].start_mark.index != key_node.start_mark.index:
                first = data.fields[key][0].start_mark.line + 1
                self.report(
                    "duplicate-key",
                    f"duplicate key '{key}' (first given on line {first})",
                    key_node,
                    "YAML keeps only one of them: remove or merge the duplicate",
                )
                continue
            data.fields[key] = (key_node, self.convert(value_node))
        data.value = {key: entry[1].value for key, entry in data.fields.items()}

    def _merged(self, node: yaml.Node) -> Iterator[Data]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            merged = self.convert(source)
            if merged.is_mapping:
                yield merged
            else:
                self.report("invalid-case", "<< merges a mapping (or a list of mappings) into this one", source)


def _pairs(node: yaml.Node) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar's value by the rule in the module docstring."""
    if node.style:  # quoted or block; libyaml gives plain scalars the style "", PyYAML None
        return node.value
    text = node.value
    if node.tag == _TAG + "str":
        return text
    if text.strip().lower() in _NULLS and node.tag == _TAG + "null":
        return None
    folded = text.strip().lower()
    if node.tag == _TAG + "bool" and folded in _BOOLEANS:
        return _BOOLEANS[folded]
    if node.tag == _TAG + "int" and _INTEGER.match(text.strip()):
        return int(text)
    return text


def value_span(document: Document, data: Data) -> tuple[int, int]:
    """``[start, end)`` offsets of a value's own text: trailing comments and blank lines excluded.

    A block collection's end mark lies at the next token, after any comments that follow it, so the end of
    its last leaf is used instead; block scalars lose their trailing line breaks.
    """
    start = int(data.node.start_mark.index)
    last = data
    while not (isinstance(last.node, yaml.ScalarNode) or last.node.flow_style):
        children = [entry[1] for entry in last.fields.values()] if last.is_mapping else last.items
        if not children:
            break
        last = max(children, key=lambda child: child.node.end_mark.index)
    end = int(last.node.end_mark.index)
    if isinstance(last.node, yaml.ScalarNode) and last.node.style in ("|", ">"):
        while end > start and document.text[end - 1] in "\r\n":
            end -= 1
    return start, end


__all__ = ["MAX_CASE_FILE_SIZE", "Data", "Document", "decode", "encode", "load_document", "scalar", "value_span"]
