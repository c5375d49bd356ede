"""Target paths: parse, canonical print, round trip, assign/read back (tests/cases/targets/*.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.scim import schemas
from scimmap.scim.paths import TargetPath

CASES = [
    case
    for path in sorted((Path(__file__).parent.parent / "cases" / "targets").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("case", CASES, ids=[c["target"] or "<empty>" for c in CASES])
def test_target_case(case: dict) -> None:
    if "error" in case:
        with pytest.raises(scimmap.ParseError) as caught:
            scimmap.parse_target(case["target"])
        diagnostic = caught.value.diagnostics[0]
        assert diagnostic.code == case["error"]
        if diagnostic.span is not None:
            assert 0 <= diagnostic.span.start <= diagnostic.span.end <= len(case["target"])
        return
    path = scimmap.parse_target(case["target"])
    assert str(path) == case["canonical"]
    assert scimmap.parse_target(str(path)) == path
    for key in ("attribute", "urn", "sub"):
        if key in case:
            assert getattr(path, key) == case[key]
    if "element" in case:
        assert path.element_values() == case["element"]


def test_schema_attribute_lookup() -> None:
    active = schemas.attribute(scimmap.parse_target("active"), "User")
    assert active is not None and active.type == "boolean"
    value = schemas.attribute(scimmap.parse_target('emails[type eq "other"].Value'), "User")
    assert value is not None and value.name == "value"
    manager = schemas.attribute(
        scimmap.parse_target("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"), "User"
    )
    assert manager is not None and manager.type == "complex" and manager.sub("$ref").reference_types == ("User",)
    custom = schemas.attribute(
        scimmap.parse_target("urn:ietf:params:scim:schemas:extension:Contoso:2.0:User:badge"), "User"
    )
    assert custom is not None and custom.type == "string"
    assert schemas.attribute(scimmap.parse_target("nosuch"), "User") is None
    assert schemas.attribute(scimmap.parse_target("members"), "Group").multi_valued


def test_suggest() -> None:
    assert schemas.suggest("usrName", "User") == "userName"
    assert schemas.suggest('emails[type eq "work"].valeu', "User") == 'emails[type eq "work"].value'
    assert schemas.suggest("username", "User") == "userName"
    assert schemas.suggest("userName", "User") is None
    assert schemas.suggest("zzzzzz", "User") is None


def test_assign_collapses_elements_and_reads_back() -> None:
    body: dict = {}
    for target, value in (
        ('addresses[type eq "work"].locality', "Redmond"),
        ('addresses[type eq "work"].region', "WA"),
        ('addresses[type eq "home"].region', "OR"),
        ('emails[type eq "work"].value', "a@b.c"),
        ('roles[primary eq "True"].value', "Admin"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "R&D"),
        ("active", "False"),
        ("name.givenName", None),
    ):
        scimmap.parse_target(target).assign(body, value)
    assert body["addresses"] == [
        {"type": "work", "locality": "Redmond", "region": "WA"},
        {"type": "home", "region": "OR"},
    ]
    assert body["emails"] == [{"type": "work", "primary": True, "value": "a@b.c"}]
    assert body["roles"] == [{"primary": True, "value": "Admin"}]
    assert body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == {"department": "R&D"}
    assert body["active"] is False
    assert "name" not in body  # nulls are never sent
    assert scimmap.parse_target('addresses[type eq "home"].region').read(body) == "OR"


def test_assign_from_non_eq_filter_is_an_error() -> None:
    with pytest.raises(scimmap.MappingError):
        scimmap.parse_target('emails[type co "w"].value').assign({}, "x")


_NAMES = st.sampled_from(["userName", "displayName", "title", "nickName", "externalId"])
_SUBS = st.sampled_from(["value", "display"])
_TYPES = st.sampled_from(["work", "home", "other", 'we"ird', "tab\there"])
_TEXT = st.text(min_size=0, max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["simple", "multi", "name", "enterprise"]), _NAMES, _TYPES, _SUBS, _TEXT), max_size=8
    )
)
def test_assign_then_read_back(assignments: list) -> None:
    body: dict = {}
    expected: dict[str, str] = {}
    for kind, name, type_, sub, value in assignments:
        if kind == "simple":
            text = name
        elif kind == "multi":
            text = f"emails[type eq {json.dumps(type_)}].{sub}"
        elif kind == "name":
            text = "name.givenName"
        else:
            text = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"
        path = scimmap.parse_target(text)
        path.assign(body, value)
        expected[str(path)] = value
    for text, value in expected.items():
        assert scimmap.parse_target(text).read(body) == value


_FILTER_VALUES = st.one_of(_TEXT, st.integers(-5, 5), st.booleans(), st.none())


@st.composite
def _filters(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        attr = draw(st.sampled_from(["type", "value", "primary", "urn:x:y:display", "a.b"]))
        if draw(st.integers(0, 5)) == 0:
            return f"{attr} pr"
        op = draw(st.sampled_from(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"]))
        return f"{attr} {op} {json.dumps(draw(_FILTER_VALUES))}"
    kind = draw(st.sampled_from(["and", "or", "not", "group"]))
    left = draw(_filters(depth + 1))
    if kind == "not":
        return f"not ({left})"
    if kind == "group":
        return f"({left})"
    return f"{left} {kind} {draw(_filters(depth + 1))}"


@settings(max_examples=200, deadline=None)
@given(_filters())
def test_filter_round_trip(text: str) -> None:
    path = scimmap.parse_target(f"emails[{text}].value")
    assert isinstance(path, TargetPath)
    again = scimmap.parse_target(str(path))
    assert again == path
    assert str(again) == str(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        scimmap.parse_target(text)
    except scimmap.ParseError as error:
        span = error.diagnostics[0].span
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text)
