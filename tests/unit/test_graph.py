"""Graph JSON: expressions (attributeMappingSource) and whole synchronization schemas, both directions."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from casefiles import documented_expressions

import scimmap
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
        "expression": "Mid([userPrincipalName], 1, 8)",
        "name": "Mid",
        "type": "Function",
        "parameters": [
            {
                "key": "source",
                "value": {
                    "expression": "[userPrincipalName]",
                    "name": "userPrincipalName",
                    "parameters": [],
                    "type": "Attribute",
                },
            },
            {"key": "start", "value": {"expression": '"1"', "name": "1", "parameters": [], "type": "Constant"}},
            {"key": "length", "value": {"expression": '"8"', "name": "8", "parameters": [], "type": "Constant"}},
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
    for bad in (
        {"type": "Function"},
        {"type": "Weird"},
        "not json",
        {"type": "Function", "name": "Mid", "parameters": 3},
    ):
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

                fresh = Mapping(
                    mapping.target,
                    mapping.kind,
                    mapping.source,
                    mapping.default,
                    mapping.apply,
                    mapping.match,
                    mapping.flow_type,
                    mapping.flow_behavior,
                )
                built = mapping_to_graph(fresh)
                assert built["source"] == raw["source"], raw["targetAttributeName"]


def test_edited_table_writes_the_edit() -> None:
    schema = load_schema(str(TEMPLATE))
    user = schema.tables[0]
    from attrs import evolve

    schema.tables[0] = evolve(
        user,
        mappings=[
            evolve(m, source="Mid([userPrincipalName], 1, 6)") if m.target == "Alias" else m for m in user.mappings
        ],
    )
    written = schema.to_graph()
    alias = next(
        m
        for m in written["schema"]["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
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
        "clauses": [
            {"operatorName": "EQUALS", "sourceOperandName": "department", "targetOperand": {"values": ["Sales"]}}
        ],
    }
    assert table_from_graph(graph).scope == table.scope
    assert scimmap.load_mapping(table.to_yaml()).scope == table.scope


def _nested(depth: int) -> str:
    text = "[x]"
    for _ in range(depth):
        text = f"ToLower({text})"
    return text


@pytest.mark.parametrize("depth", [1, 8, 24])
def test_to_graph_converts_each_node_once(depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11: each argument was converted twice (for its JSON and for its text), 2**depth in all."""
    from scimmap.language import graphjson

    calls = 0
    real = graphjson._to_graph

    def counting(node: object, catalog: object) -> object:
        nonlocal calls
        calls += 1
        return real(node, catalog)  # type: ignore[arg-type]

    monkeypatch.setattr(graphjson, "_to_graph", counting)
    graph = to_graph(_nested(depth))
    assert calls == depth + 1  # one per node: the calls and the attribute
    assert graph["expression"] == _nested(depth)
    assert from_graph(graph) == scimmap.parse(_nested(depth))


def test_graph_objectmapping_without_expression_text_checks() -> None:
    """Issue 11: a nested source with no expression text is rebuilt from its tree, once per node."""
    source = json.loads(json.dumps(to_graph(_nested(40))))

    def strip(node: dict) -> None:
        node.pop("expression", None)
        for parameter in node.get("parameters", []):
            strip(parameter["value"])

    strip(source)
    table = table_from_graph(
        {
            "sourceObjectName": "User",
            "attributeMappings": [{"targetAttributeName": "userName", "source": source, "flowType": "Always"}],
        }
    )
    assert table.mappings[0].source == _nested(40)


@pytest.mark.parametrize("key", ["arg100000000", "arg5", "arg0", "arg" + "9" * 5000])
def test_graph_argument_keys_beyond_the_arity_are_refused(key: str) -> None:
    """Issue 11: "arg100000000" allocated that many slots (21 s, 1.9 GB)."""
    graph = {
        "type": "Function",
        "name": "ToLower",
        "parameters": [
            {"key": "source", "value": {"type": "Attribute", "name": "x"}},
            {"key": key, "value": {"type": "Attribute", "name": "y"}},
        ],
    }
    with pytest.raises(scimmap.ParseError) as raised:
        from_graph(graph)
    assert raised.value.diagnostic.code == "invalid-graph"
    assert "beyond" in raised.value.diagnostic.message and len(raised.value.diagnostic.message) < 200


def test_graph_argument_keys_keep_extra_arguments_for_the_arity_check() -> None:
    graph = to_graph(Call("ToLower", (scimmap.parse("[x]"), scimmap.parse("[y]"), scimmap.parse("[z]"))))
    assert [p["key"] for p in graph["parameters"]][-1] == "arg3"
    assert from_graph(graph) == Call("ToLower", (scimmap.parse("[x]"), scimmap.parse("[y]"), scimmap.parse("[z]")))


@pytest.mark.parametrize("count", [0, 1])
def test_cloud_sync_concat_needs_two_parts(count: int) -> None:
    """Issue 11: an empty & from Graph JSON compiled to Python with a SyntaxError."""
    graph = {
        "type": "Function",
        "name": "&",
        "parameters": [{"key": "source", "value": {"type": "Attribute", "name": "x"}}] * count,
    }
    with pytest.raises(scimmap.ParseError) as raised:
        scimmap.compile(from_graph(graph), dialect="cloud-sync")
    assert "at least two" in raised.value.diagnostic.message


def test_huge_graph_constants_stay_exact() -> None:
    digits = "9" * 5000
    assert from_graph({"type": "Constant", "expression": digits, "name": digits}) == Constant(digits, "integer")
    with pytest.raises(scimmap.ParseError):
        from_graph({"type": "Constant", "expression": "&H" + "F" * 5000, "name": "x"})


@pytest.mark.parametrize(
    "expression",
    [
        'Switch([x], "d", "a", , "b", "B")',
        'Switch([x], "d", "a", "A", "b", )',
        'Switch([x], , "a", "A")',
        'ToLower(Switch([x], "d", "a", , "b", "B"))',
    ],
)
def test_empty_switch_value_slots_survive_the_round_trip(expression: str) -> None:
    """Issue 11: repeated keys carry no position, so an empty value slot was dropped and the pairs shifted."""
    node = scimmap.parse(expression)
    assert from_graph(json.loads(json.dumps(to_graph(node)))) == node


def test_duplicate_keys_in_graph_json_are_diagnostics(tmp_path: Path) -> None:
    """Issue 11: json keeps the last of two equal keys silently."""
    path = tmp_path / "mapping.json"
    path.write_text(
        '{"sourceObjectName": "User", "attributeMappings": [{"targetAttributeName": "userName",\n'
        ' "source": {"type": "Attribute", "name": "upn"}, "matchingPriority": 1,\n'
        ' "targetAttributeName": "displayName"}]}',
        encoding="utf-8",
    )
    table, diagnostics = scimmap.mapping.files.read_mapping(path)
    assert table is None
    assert [(d.message.split(" appears")[0], d.line, d.column) for d in diagnostics] == [
        ("key 'targetAttributeName'", 3, 3)
    ]
