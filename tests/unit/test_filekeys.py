"""Mapping-file keys declared once (scimmap/mapping/filekeys.py, the fields of model.Mapping): the declarations
are complete, the shipped JSON Schema is the generated one, and the loops over keys work for any record."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
import yaml

from scimmap.mapping import filekeys
from scimmap.mapping.files import SCHEMA_FILE, _Reader, json_schema
from scimmap.mapping.model import FILE_KEYS, Mapping

REGENERATE = "scimmap schema -o scimmap/mapping/mapping-file.schema.json"


def test_shipped_schema_is_the_generated_one() -> None:
    generated = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated, (
        f"scimmap/mapping/mapping-file.schema.json is stale: run `{REGENERATE}`"
    )


def test_every_mapping_field_is_filled_by_exactly_one_key() -> None:
    """A field no key fills could not be read or written; a field two keys fill would be read twice."""
    filled = [name for key in FILE_KEYS for name in key.fields]
    data_fields = [f.name for f in attrs.fields(Mapping) if f.name not in ("extra", "origins")]
    assert sorted(filled) == sorted(data_fields)


def test_key_names_are_unique_in_yaml_and_graph() -> None:
    yaml_names = filekeys.yaml_names(FILE_KEYS)
    graph_names = filekeys.graph_names(FILE_KEYS)
    assert len(set(yaml_names)) == len(yaml_names)
    assert len(set(graph_names)) == len(graph_names)


def test_each_name_has_a_described_schema_and_a_doc_row() -> None:
    for key in FILE_KEYS:
        assert set(key.schema) == set(key.names), key.name
        assert all(key.schema[name].get("description") for name in key.names), key.name
        assert key.doc, key.name


# ------------------------------------------------------------------------------------ the machinery, on a toy


@attrs.frozen
class Toy:
    """A record of its own, to show that the loops know no key by name."""

    label: str = attrs.field(
        metadata=filekeys.key(
            "label",
            graph="displayLabel",
            schema={"type": "string"},
            description="A label.",
            doc="A label",
            parse=filekeys.parse_required_text,
            write=filekeys.write_scalar("label"),
            from_graph=lambda value: str(value or ""),
            required=("this toy has no label", "add `label: ...`"),
        )
    )
    loud: bool = attrs.field(
        default=False,
        metadata=filekeys.flag("loud", graph="isLoud", description="Whether it is loud.", doc="Loud"),
    )


TOY_KEYS = filekeys.declared(Toy)


def _read(text: str) -> tuple[Toy | None, list[Any]]:
    reader = _Reader(text, "toy.yaml")
    node = yaml.compose(text)
    fields = reader.mapping_fields(node, filekeys.yaml_names(TOY_KEYS), "a toy")
    origins: dict[str, Any] = {}
    values = filekeys.read_entry(reader, TOY_KEYS, fields, node, origins)
    return (None if values is None else Toy(**values)), reader.diagnostics


def test_declared_binds_fields_and_defaults() -> None:
    label, loud = TOY_KEYS
    assert (label.field, label.default) == ("label", filekeys.NO_DEFAULT)
    assert (loud.field, loud.default, loud.name) == ("loud", False, "loud")


@pytest.mark.parametrize(
    ("text", "loud"), [("true", True), ("false", False), ("yes", True), ("'True'", True), ("null", False)]
)
def test_a_flag_reads_yaml_booleans(text: str, loud: bool) -> None:
    toy, diagnostics = _read(f"label: a\nloud: {text}\n")
    assert diagnostics == [] and toy == Toy("a", loud)


def test_a_bad_flag_is_reported_at_its_value() -> None:
    toy, diagnostics = _read("label: a\nloud: maybe\n")
    assert toy == Toy("a", False)
    assert [(d.code, d.message, d.line, d.column) for d in diagnostics] == [
        ("invalid-mapping", "loud must be true or false, not 'maybe'", 2, 7)
    ]


def test_required_and_unknown_keys_come_from_the_declarations() -> None:
    toy, diagnostics = _read("lowd: true\n")
    assert toy is None
    assert [(d.code, d.message, d.hint) for d in diagnostics] == [
        ("unknown-key", "unknown key 'lowd' in a toy", "did you mean 'loud'?"),
        ("invalid-mapping", "this toy has no label", "add `label: ...`"),
    ]


def test_a_flag_is_written_only_when_true() -> None:
    assert filekeys.write_entry(Toy("a"), TOY_KEYS) == ["label: a"]
    assert filekeys.write_entry(Toy("a", True), TOY_KEYS) == ["label: a", "loud: true"]


def test_graph_both_ways() -> None:
    assert filekeys.entry_to_graph(Toy("a", True), TOY_KEYS, {}) == {"displayLabel": "a", "isLoud": True}
    assert filekeys.entry_from_graph({"displayLabel": "a", "isLoud": True}, TOY_KEYS) == {"label": "a", "loud": True}
    assert filekeys.entry_from_graph({"displayLabel": "a"}, TOY_KEYS) == {"label": "a"}  # the default
    assert filekeys.entry_from_graph({"isLoud": "False"}, TOY_KEYS) == {"label": "", "loud": False}
    assert filekeys.graph_defaults(TOY_KEYS) == {"isLoud": False}
    with pytest.raises(filekeys.GraphShapeError) as raised:
        filekeys.entry_from_graph({"isLoud": 3}, TOY_KEYS)
    assert raised.value.path == ("isLoud",)


def test_entry_schema() -> None:
    assert filekeys.entry_schema(TOY_KEYS) == {
        "type": "object",
        "additionalProperties": False,
        "required": ["label"],
        "properties": {
            "label": {"type": "string", "description": "A label."},
            "loud": {"type": "boolean", "default": False, "description": "Whether it is loud."},
        },
    }
