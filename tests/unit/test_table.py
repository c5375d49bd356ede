"""Mapping tables: case files (source + table -> body), presets, scoping operators, properties."""

from __future__ import annotations

import json
import pickle
from datetime import datetime
from pathlib import Path

import attrs
import pytest
from engines import Engine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.mapping.model import Mapping, ScopeClause, ScopeGroup
from scimmap.mapping.scoping import clause_holds, in_scope, normalize_operator
from scimmap.mapping.table import MappingTable

CASES = [
    case
    for path in sorted((Path(__file__).parent.parent / "cases" / "mappings").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]


def _table(case: dict) -> MappingTable:
    if "preset" in case:
        return scimmap.preset(case["preset"])
    return scimmap.load_mapping(case["table"])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_mapping_case(case: dict, engine: Engine) -> None:
    """Every case on both back-ends (the ``engine`` fixture proves which one answered).

    A case names a ``table`` (a mapping file as JSON) or a ``preset``, the ``given`` source object and
    optionally ``action``, ``resolve``, ``flags`` and ``now``; it expects an ``error`` code (with
    ``compile_error`` when the table fails before mapping anything) or any of ``resource``,
    ``match_filters``, ``followup``, ``unresolved``, ``in_scope``, ``object_skipped``, ``skipped`` (pairs that
    must be there) and ``skipped_exactly`` (the whole list, in order).  Its table's round trips are
    :func:`test_mapping_case_table_round_trips`'s.
    """
    now = datetime.fromisoformat(case["now"]) if "now" in case else None
    options = {
        "action": case.get("action", "create"),
        "resolve": case.get("resolve"),
        "now": now,
        "flags": tuple(case.get("flags", ())),
    }
    if "error" in case:
        with pytest.raises(scimmap.ScimmapError) as raised:
            _table(case).apply(case["given"], **options)
        assert raised.value.diagnostics[0].code == case["error"], raised.value.diagnostics[0].render()
        if case.get("compile_error"):
            engine.compile_only()
        return
    result = _table(case).apply(case["given"], **options)
    if "resource" in case:
        assert result.resource == case["resource"]
    if "match_filters" in case:
        assert result.match_filters == case["match_filters"]
    if "followup" in case:
        assert result.followup == case["followup"]
    if "unresolved" in case:
        assert result.unresolved == case["unresolved"]
    if "in_scope" in case:
        assert result.in_scope is case["in_scope"]
    if "object_skipped" in case:
        assert result.object_skipped is case["object_skipped"]
    if "skipped_exactly" in case:
        assert result.skipped == [tuple(pair) for pair in case["skipped_exactly"]]
    for target, reason in case.get("skipped", []):
        assert (target, reason) in result.skipped


TABLES = [case for case in CASES if "table" in case and not case.get("compile_error")]


@pytest.mark.parametrize("case", TABLES, ids=[c["id"] for c in TABLES])
def test_mapping_case_table_round_trips(case: dict) -> None:
    """Every case's table reads back equal from the YAML it writes and from its Graph JSON, so each key a case
    uses is read, written and converted both ways.  A case may pin the written forms: ``yaml`` (the lines
    of ``to_yaml()``) and ``graph_mappings`` (``to_graph()["attributeMappings"]``)."""
    table = scimmap.load_mapping(case["table"])
    written = table.to_yaml()
    if "yaml" in case:
        assert written == "\n".join(case["yaml"]) + "\n"
    assert scimmap.load_mapping(written) == table
    graph = table.to_graph()
    if "graph_mappings" in case:
        assert graph["attributeMappings"] == case["graph_mappings"]
    again = scimmap.load_mapping(json.loads(json.dumps(graph)))
    assert (again.mappings, again.scope) == (table.mappings, table.scope)
    assert again.to_graph()["attributeMappings"] == graph["attributeMappings"]


def test_presets_exist_with_documented_sizes() -> None:
    assert len(scimmap.preset("entra-user").mappings) == 22
    assert len(scimmap.preset("entra-group").mappings) == 3
    assert [m.target for m in scimmap.preset("idaas-group").mappings] == ["displayName", "externalId", "members"]
    assert scimmap.preset("idaas-user").mappings[0].match == 1
    with pytest.raises(scimmap.MappingError):
        scimmap.preset("entra-usr")


def test_preset_returns_independent_tables() -> None:
    first = scimmap.preset("entra-user")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.mappings = ()  # type: ignore[misc]
    assert first is not scimmap.preset("entra-user")
    assert first == scimmap.preset("entra-user")


def test_table_pickles_without_compiled_code() -> None:
    table = scimmap.preset("entra-user")
    source = {"userPrincipalName": "a@b.c", "IsSoftDeleted": "False"}
    before = table.apply(source).resource
    copy = pickle.loads(pickle.dumps(table))
    assert copy == table
    assert copy.apply(source).resource == before


def test_expressions_compile_once() -> None:
    table = scimmap.preset("entra-user")
    table.apply({"userPrincipalName": "a"})
    compiled = table.compiled()
    table.apply({"userPrincipalName": "b"})
    assert table.compiled() is compiled


def test_bad_expression_raises_check_error_on_use() -> None:
    table = MappingTable("User", [Mapping("userName", "expression", "Swich([a])")])
    with pytest.raises(scimmap.CheckError):
        table.apply({})


def test_entra_source() -> None:
    graph = {
        "id": "42",
        "accountEnabled": True,
        "userPrincipalName": "jo.x_fabrikam.com#EXT#@contoso.onmicrosoft.com",
        "showInAddressList": False,
    }
    view = scimmap.entra_source(graph)
    assert view["objectId"] == "42"
    assert view["IsSoftDeleted"] == "False"
    assert view["accountEnabled"] == "True" and view["showInAddressList"] == "False"
    assert view["userPrincipalName"] == "jo.x@fabrikam.com"
    assert view["originalUserPrincipalName"] == graph["userPrincipalName"]
    assert scimmap.entra_source(view) == view
    assert scimmap.entra_source({"accountEnabled": False})["IsSoftDeleted"] == "True"
    assert scimmap.entra_source({"IsSoftDeleted": "True", "accountEnabled": True})["IsSoftDeleted"] == "True"


# ------------------------------------------------------------------------------------------- scoping


def _clause(attribute: str, operator: str, *values: str) -> ScopeClause:
    return ScopeClause(attribute, operator, values)


@pytest.mark.parametrize(
    ("operator", "values", "value", "expected"),
    [
        ("EQUALS", ("Sales",), "Sales", True),
        ("EQUALS", ("Sales",), "sales", False),
        ("NOT EQUALS", ("Sales",), "HR", True),
        ("NOT_EQUALS", ("Sales",), None, False),
        ("IS TRUE", (), "True", True),
        ("is_true", (), "False", False),
        ("IS FALSE", (), "false", True),
        ("IS NULL", (), None, True),
        ("IS NULL", (), "", True),
        ("IS NULL", (), "x", False),
        ("IS NOT NULL", (), "x", True),
        ("IS NOT NULL", (), None, False),
        ("REGEX MATCH", (r".*\@domain.com",), "a@domain.com", True),
        ("REGEX MATCH", ("([1-9][0-9])",), "100", True),
        ("REGEX MATCH", ("^([1-9][0-9])$",), "100", False),
        ("REGEX MATCH", ("abc",), None, False),
        ("NOT REGEX MATCH", ("abc",), "xyz", True),
        ("NOT REGEX MATCH", ("abc",), None, False),
        ("Greater_Than", ("10",), "11", True),
        ("Greater_Than", ("10",), "10", False),
        ("Greater_Than_OR_EQUALS", ("10",), "10", True),
        ("Greater_Than", ("10",), "x", False),
        ("Includes", ("les",), "Sales", True),
        ("Includes", ("LES",), "Sales", False),
        ("ENDS_WITH", ("@x.com",), "a@x.com", True),
        ("ENDS_WITH", ("@X.com",), "a@x.com", False),
        ("&", ("Sales,HR",), "HR", True),
        ("&", ("Sales,HR",), "IT", False),
        ("!&", ("Sales,HR",), "IT", True),
        ("!&", ("Sales,HR",), None, False),
        ("EQUALS", ("a", "b"), "b", True),
    ],
)
def test_scoping_operator(operator: str, values: tuple, value: object, expected: bool) -> None:
    source = {} if value is None else {"attr": value}
    assert clause_holds(_clause("attr", operator, *values), source) is expected


def test_scoping_groups_or_clauses_and() -> None:
    groups = [
        ScopeGroup([_clause("d", "EQUALS", "Sales"), _clause("c", "EQUALS", "US")]),
        ScopeGroup([_clause("d", "EQUALS", "HR")]),
    ]
    assert in_scope(groups, {"d": "Sales", "c": "US"})
    assert not in_scope(groups, {"d": "Sales", "c": "FR"})
    assert in_scope(groups, {"d": "HR"})
    assert in_scope([], {})
    assert normalize_operator("greater than or equals") == "GREATER THAN OR EQUALS"


def test_unknown_scoping_operator_is_a_mapping_error() -> None:
    with pytest.raises(scimmap.MappingError):
        clause_holds(_clause("a", "IS MEMBER OF", "x"), {"a": "x"})


_SPELLINGS = st.sampled_from(
    ("EQUALS", "NOT EQUALS", "IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL", "REGEX MATCH", "GREATER THAN", "&")
).flatmap(
    lambda operator: st.tuples(
        st.lists(
            st.sampled_from([" ", "_", "  ", "__", " _"]), min_size=operator.count(" "), max_size=operator.count(" ")
        ),
        st.sampled_from(["", " ", "_", "__"]),
        st.sampled_from(["", " ", "_"]),
        st.sampled_from([str.upper, str.lower, str.title]),
    ).map(
        lambda parts: parts[3](
            parts[1] + "".join(w + sep for w, sep in zip(operator.split(" "), [*parts[0], ""])) + parts[2]
        )
    )
)


@settings(max_examples=200, deadline=None)
@given(_SPELLINGS)
def test_check_and_the_evaluator_accept_the_same_operator_spellings(spelling: str) -> None:
    # check used to fold "IS_TRUE_" to "IS TRUE" while the evaluator read "IS TRUE " and failed every record
    from scimmap.mapping.validate import check_text

    unary = normalize_operator(spelling) in ("IS TRUE", "IS FALSE", "IS NULL", "IS NOT NULL")
    value = "" if unary else ', value: "1"'
    text = (
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n"
        f"scope:\n  - - {{attribute: department, operator: {json.dumps(spelling)}{value}}}\n"
    )
    reported = [d for d in check_text(text) if "unknown scoping operator" in d.message]
    assert normalize_operator(spelling) is not None, spelling
    assert reported == [], (spelling, reported)
    table = scimmap.load_mapping(text)
    table.apply({"userPrincipalName": "a@x", "department": "1"})  # raises if the evaluator rejects the spelling


# ------------------------------------------------------------------------------------------- properties

_USER = {
    "userPrincipalName": "a@contoso.com",
    "accountEnabled": True,
    "displayName": "A B",
    "mail": "a@contoso.com",
    "givenName": "A",
    "surname": "B",
    "city": "Oslo",
    "country": "NO",
    "mobile": "+47",
    "department": "IT",
    "employeeId": "7",
    "mailNickname": "a",
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(list(_USER)))
def test_output_independent_of_source_key_order(order: list, engine: Engine) -> None:
    table = scimmap.preset("entra-user")
    shuffled = {key: _USER[key] for key in order}
    first = table.apply(_USER).resource
    second = table.apply(shuffled).resource
    assert json.dumps(first) == json.dumps(second)


_WHOLE_AND_FILTERED = [
    {"target": "userName", "source": "userPrincipalName", "match": 1},
    {"target": "emails", "source": "mail"},
    {"target": 'emails[type eq "other"].value', "source": "otherMails"},
]


@pytest.mark.parametrize("flags", [(), ("aadOptscim062020",)])
@pytest.mark.parametrize("action", ["create", "update"])
@pytest.mark.parametrize("reverse", [False, True])
def test_whole_attribute_and_filtered_element_are_both_sent(
    flags: tuple[str, ...], action: str, reverse: bool, engine: Engine
) -> None:
    """Issue 11: with ``emails <- mail`` plus ``emails[type eq "other"].value``, one engine dropped ``emails``."""
    mappings = _WHOLE_AND_FILTERED[:1] + (_WHOLE_AND_FILTERED[:0:-1] if reverse else _WHOLE_AND_FILTERED[1:])
    table = scimmap.load_mapping({"object": "User", "mappings": mappings})
    source = {"userPrincipalName": "u@x", "mail": "a@x", "otherMails": "b@x"}
    emails = table.apply(source, flags=flags, action=action).resource["emails"]
    assert sorted(emails, key=json.dumps) == [{"type": "other", "value": "b@x"}, {"value": "a@x"}]


def test_scimmap_mapping_is_the_mapping_model() -> None:
    """Issue 11: ``scimmap.Mapping`` was ``typing.Mapping`` (the module's own typing import shadowed it)."""
    assert scimmap.Mapping is Mapping
    assert scimmap.Mapping(target="userName", kind="direct", source="userPrincipalName").target == "userName"
