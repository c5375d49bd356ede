"""Graph JSON: expressions (attributeMappingSource) and whole synchronization schemas, both directions."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

import scimmap
from casefiles import documented_expressions
from scimmap.language.graphjson import from_graph, to_graph
from scimmap.language.nodes import Call, Comparison, Concat, Constant, Identifier
from scimmap.mapping.graph import load_schema, table_from_graph, table_to_graph

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "graph-samples"
TEMPLATE = SAMPLES / "salesforce-synchronization-template-2017.json"
@pytest.mark.parametrize("expression", documented_expressions())
def test_every_documented_expression_round_trips(expression: str) -> None:
    try:
        node = scimmap.parse(expression)
    except scimmap.ParseError:
        pytest.skip("expression is a documented syntax error")  # nothing to convert
    graph = json.loads(json.dumps(to_graph(node)))
    assert from_graph(graph) == node


def test_documented_mid_example() -> None:
    documented = {
        "expression": "Mid([userPrincipalName], 1, 8)", "name": "Mid", "type": "Function", "parameters": [
            {"key": "source", "value": {"expression": "[userPrincipalName]", "name": "userPrincipalName", "parameters": [], "type": "Attribute"}},
            {"key": "start", "value": {"expression": "\"1\"", "name": "1", "parameters": [], "type": "Constant"}},
            {"key": "length", "value": {"expression": "\"8\"", "name": "8", "parameters": [], "type": "Constant"}},
        ],
    }
    assert from_graph(documented) == scimmap.parse("Mid([userPrincipalName], 1, 8)")
    assert to_graph("Mid([userPrincipalName], 1, 8)") == documented


def test_parse_expression_response() -> None:
    response = json.loads((SAMPLES / "graph-parseexpression-response.json").read_text())
    expected = scimmap.parse('Replace([preferredLanguage], "-", , , "_", , )')
    assert from_graph(response["parsedExpression"]) == expected
    assert from_graph(response) == expected  # the whole response is accepted too


def test_replace_text_keeps_all_seven_slots() -> None:
    graph = to_graph('Replace([x], "-", , , "_")')
    assert graph["expression"] == 'Replace([x], "-", , , "_", , )'


def test_identifier_comparison_and_concat_encodings() -> None:
    graph = to_graph('InStr([a], "b", 1, vbTextCompare)')
    last = graph["parameters"][-1]["value"]
    assert last == {"expression": "vbTextCompare", "name": "vbTextCompare", "parameters": [], "type": "Constant"}
    node = from_graph(graph)
    assert isinstance(node, Call) and node.args[3] == Identifier("vbTextCompare")

    graph = to_graph('IIF([country] = "US", "a", "b")')
    condition = graph["parameters"][0]["value"]
    assert condition["type"] == "Function" and condition["name"] == "="
    assert [p["key"] for p in condition["parameters"]] == ["left", "right"]
    assert isinstance(from_graph(graph).args[0], Comparison)

    concat = Concat((Constant("t-"), scimmap.parse("[alias]")))
    graph = to_graph(concat)
    assert graph["name"] == "&" and [p["key"] for p in graph["parameters"]] == ["source", "source"]
    assert from_graph(graph) == concat


def test_repeated_parameters_repeat_their_key() -> None:
    graph = to_graph('Switch([a], "d", "1", "x", "2", "y")')
    keys = [p["key"] for p in graph["parameters"]]
    assert keys[:2] == ["source", "defaultValue"] and len(keys) == 6
    assert len(set(keys[2:])) == 1
    assert from_graph(graph) == scimmap.parse('Switch([a], "d", "1", "x", "2", "y")')
    # An omitted default is absent, and the pairs still land after it.
    graph = to_graph('Switch([IsSoftDeleted], , "False", "True", "True", "False")')
    assert "defaultValue" not in [p["key"] for p in graph["parameters"]]
    assert from_graph(graph) == scimmap.parse('Switch([IsSoftDeleted], , "False", "True", "True", "False")')


def test_keys_are_case_insensitive_and_unknown_functions_reparse() -> None:
    graph = to_graph("Mid([x], 1, 2)")
    for parameter in graph["parameters"]:
        parameter["key"] = parameter["key"].upper()
    assert from_graph(graph) == scimmap.parse("Mid([x], 1, 2)")
    unknown = {"expression": "Frobnicate([x], 1)", "name": "Frobnicate", "type": "Function", "parameters": []}
    assert from_graph(unknown) == scimmap.parse("Frobnicate([x], 1)")


def test_bad_graph_json_raises_a_scimmap_error() -> None:
    for bad in ({"type": "Function"}, {"type": "Weird"}, "not json", {"type": "Function", "name": "Mid", "parameters": 3}):
        with pytest.raises(scimmap.ScimmapError):
            from_graph(bad)


def test_template_round_trips_without_loss() -> None:
    original = json.loads(TEMPLATE.read_text())
    schema = load_schema(str(TEMPLATE))
    assert len(schema.tables) == 9
    assert schema.to_graph() == original
    assert load_schema(json.dumps(original)).to_graph() == original


def test_template_round_trips_through_yaml() -> None:
    schema = load_schema(str(TEMPLATE))
    user = schema.tables[0]
    again = scimmap.load_mapping(user.to_yaml())
    assert again.mappings == user.mappings


def test_rebuilt_sources_match_the_originals() -> None:
    """Without the kept raw JSON, scimmap's own Graph output equals what the engine exported."""
    original = json.loads(TEMPLATE.read_text())
    for rule in original["schema"]["synchronizationRules"]:
        for object_mapping in rule["objectMappings"]:
            for raw in object_mapping["attributeMappings"]:
                mapping = table_from_graph({"attributeMappings": [raw]}).mappings[0]
                extra = dict(mapping.extra)
                extra.pop("source")
                rebuilt = table_to_graph(table_from_graph({"attributeMappings": [raw]}))["attributeMappings"][0]
                assert rebuilt == raw
                from scimmap.mapping.graph import mapping_to_graph
                from scimmap.mapping.model import Mapping

                fresh = Mapping(mapping.target, mapping.kind, mapping.source, mapping.default, mapping.apply,
                                mapping.match, mapping.flow_type, mapping.flow_behavior)
                built = mapping_to_graph(fresh)
                assert built["source"] == raw["source"], raw["targetAttributeName"]


def test_edited_table_writes_the_edit() -> None:
    schema = load_schema(str(TEMPLATE))
    user = schema.tables[0]
    from attrs import evolve

    schema.tables[0] = evolve(user, mappings=[
        evolve(m, source="Mid([userPrincipalName], 1, 6)") if m.target == "Alias" else m for m in user.mappings
    ])
    written = schema.to_graph()
    alias = next(
        m for m in written["schema"]["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
        if m["targetAttributeName"] == "Alias"
    )
    assert alias["source"]["expression"] == "Mid([userPrincipalName], 1, 6)"
    assert alias["source"]["parameters"][2]["value"]["name"] == "6"


@pytest.mark.parametrize("name", ["entra-user", "entra-group"])
def test_presets_round_trip_through_graph(name: str) -> None:
    table = scimmap.preset(name)
    graph = json.loads(json.dumps(table.to_graph()))
    assert table_from_graph(graph) == table
    assert scimmap.load_mapping(graph) == table
    assert table_from_graph(copy.deepcopy(graph)).to_graph() == graph


def test_scope_round_trips() -> None:
    table = scimmap.load_mapping(
        "mappings: []\nscope:\n  - name: Sales\n    clauses:\n      - {attribute: department, operator: EQUALS, value: Sales}\n"
        "  - - {attribute: accountEnabled, operator: IS TRUE}\n"
    )
    graph = table.to_graph()
    assert graph["scope"]["groups"][0] == {
        "name": "Sales",
        "clauses": [{"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}],
    }
    assert table_from_graph(graph).scope == table.scope
    assert scimmap.load_mapping(table.to_yaml()).scope == table.scope
