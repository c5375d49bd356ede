"""The comparison rules behind RedundantExport and "PATCH only what differs" (docs/sync.md, "Comparing").

Microsoft does not publish these rules; each test pins one choice scimmap made.
"""

from scimmap.scim.compare import differences, same
from scimmap.scim.paths import parse_target
from scimmap.scim.schemas import attribute

WORK = parse_target('emails[type eq "work"].value')


def test_strings_are_case_sensitive() -> None:
    # Entra requires values stored as sent; a service that changes the case gets the value again.
    changed = differences({"displayName": "Ada"}, {"displayName": "ada"}, [parse_target("displayName")])
    assert [(str(d.path), d.old, d.new) for d in changed] == [("displayName", "ada", "Ada")]


def test_values_compare_in_the_target_type() -> None:
    active = attribute(parse_target("active"), "User")
    assert same("True", True, active) and same(True, "true", active)
    assert not same(False, True, active)


def test_absent_null_and_empty_are_one_state() -> None:
    assert same(None, "") and same("", None) and same([], None)
    assert differences({"title": ""}, {}, [parse_target("title")]) == []


def test_a_value_the_mapping_does_not_produce_is_never_compared() -> None:
    # Entra cannot clear a target value: a stored title with no mapped title is left alone.
    assert differences({}, {"title": "Boss"}, [parse_target("title")]) == []


def test_unassigned_target_value_is_an_add_and_a_different_one_a_replace() -> None:
    paths = [parse_target("title"), parse_target("displayName")]
    changed = differences({"title": "Boss", "displayName": "B"}, {"displayName": "A"}, paths)
    assert [(d.change.op, d.change.path) for d in changed] == [("add", "title"), ("replace", "displayName")]


def test_filtered_paths_compare_the_selected_element_only() -> None:
    wanted = {"emails": [{"type": "work", "value": "a@x", "primary": True}]}
    stored = {"emails": [{"type": "home", "value": "h@x"}, {"type": "Work", "value": "a@x"}]}
    assert differences(wanted, stored, [WORK]) == []  # primary is not mapped, so not compared
    missing = differences(wanted, {"emails": [{"type": "home", "value": "a@x"}]}, [WORK])
    assert [(d.old, d.new, d.change.op, d.change.merge) for d in missing] == [(None, "a@x", "add", False)]


def test_multi_valued_values_are_multisets() -> None:
    roles = parse_target("roles")
    wanted = {"roles": [{"value": "A", "primary": False}, {"value": "B", "primary": False}]}
    stored = {"roles": [{"value": "B", "primary": False, "display": "b"}, {"value": "A", "primary": False}]}
    assert differences(wanted, stored, [roles], "User") == []
    assert differences(wanted, {"roles": [{"value": "A", "primary": False}]}, [roles], "User") != []


def test_extension_attributes_are_read_under_their_urn() -> None:
    path = parse_target("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department")
    urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    assert differences({urn: {"department": "HR"}}, {urn: {"department": "HR"}}, [path]) == []
    assert len(differences({urn: {"department": "HR"}}, {urn: {"department": "IT"}}, [path])) == 1
