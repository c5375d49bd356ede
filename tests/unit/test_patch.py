"""PATCH bodies with and without aadOptscim062020 (Microsoft's SCIM-compatibility page shows both; docs/mappings.md)."""

from __future__ import annotations

import scimmap

PATCH = ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]
FLAG = ("aadOptscim062020",)
BASE = {
    "userPrincipalName": "a@contoso.com",
    "accountEnabled": True,
    "displayName": "Old",
    "mail": "old@x.com",
    "givenName": "G",
    "surname": "S",
    "mailNickname": "n",
    "employeeId": "1",
}


def test_disable_without_flag_sends_string_false() -> None:
    body = scimmap.preset("entra-user").patch(BASE, {**BASE, "accountEnabled": False})
    assert body == {"schemas": PATCH, "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}


def test_disable_with_flag_sends_boolean_with_path() -> None:
    body = scimmap.preset("entra-user").patch(BASE, {**BASE, "IsSoftDeleted": "True"}, flags=FLAG)
    assert body == {"schemas": PATCH, "Operations": [{"op": "replace", "path": "active", "value": False}]}


def test_no_change_gives_none() -> None:
    assert scimmap.preset("entra-user").patch(BASE, dict(BASE)) is None


def test_several_changes_without_flag_one_op_each_in_mapping_order() -> None:
    new = {
        **BASE,
        "displayName": "Pvlo",
        "mail": "new@x.com",
        "givenName": "Gtfd",
        "surname": "Pkqf",
        "mailNickname": "Eqpj",
        "employeeId": "Eqpj",
    }
    body = scimmap.preset("entra-user").patch(BASE, new)
    assert body is not None
    assert [(op["op"], op["path"]) for op in body["Operations"]] == [
        ("Replace", "displayName"),
        ("Replace", 'emails[type eq "work"].value'),
        ("Replace", "name.givenName"),
        ("Replace", "name.familyName"),
        ("Replace", "name.formatted"),
        ("Replace", "externalId"),
        ("Replace", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"),
    ]


def test_several_changes_with_flag_merge_into_one_pathless_replace() -> None:
    new = {
        **BASE,
        "displayName": "Bjfe",
        "mail": "m@x.com",
        "givenName": "Kkom",
        "surname": "Unua",
        "employeeId": "Aklq",
    }
    body = scimmap.preset("entra-user").patch(BASE, new, flags=FLAG)
    assert body == {
        "schemas": PATCH,
        "Operations": [
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "m@x.com"},
            {
                "op": "replace",
                "value": {
                    "displayName": "Bjfe",
                    "name.givenName": "Kkom",
                    "name.familyName": "Unua",
                    "name.formatted": "Kkom Unua",
                    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "Aklq",
                },
            },
        ],
    }


def test_setting_an_empty_attribute_is_add() -> None:
    body = scimmap.preset("entra-user").patch(BASE, {**BASE, "jobTitle": "Boss"})
    assert body == {"schemas": PATCH, "Operations": [{"op": "Add", "path": "title", "value": "Boss"}]}
    flagged = scimmap.preset("entra-user").patch(BASE, {**BASE, "jobTitle": "Boss"}, flags=FLAG)
    assert flagged == {"schemas": PATCH, "Operations": [{"op": "add", "path": "title", "value": "Boss"}]}


def test_value_becoming_null_is_not_cleared() -> None:
    old = {**BASE, "jobTitle": "Boss"}
    assert scimmap.preset("entra-user").patch(old, BASE) is None


def test_defaults_not_applied_on_update() -> None:
    table = scimmap.load_mapping(
        {
            "object": "User",
            "mappings": [{"target": "userName", "source": "upn"}, {"target": "title", "source": "t", "default": "D"}],
        }
    )
    assert table.patch({"upn": "a", "t": "x"}, {"upn": "a"}) is None


def test_manager_change() -> None:
    resolve = {"m1": "T1", "m2": "T2"}
    body = scimmap.preset("entra-user").patch({**BASE, "manager": "m1"}, {**BASE, "manager": "m2"}, resolve=resolve)
    assert body == {
        "schemas": PATCH,
        "Operations": [
            {
                "op": "Replace",
                "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
                "value": "T2",
            }
        ],
    }


def test_group_members_without_flag() -> None:
    resolve = {"u1": "t1", "u2": "t2", "u3": "t3"}.get
    old = {"id": "g", "displayName": "G", "members": ["u1", "u2"]}
    new = {"id": "g", "displayName": "G", "members": ["u2", "u3"]}
    body = scimmap.preset("entra-group").patch(old, new, resolve=resolve)
    assert body == {
        "schemas": PATCH,
        "Operations": [
            {"op": "Add", "path": "members", "value": [{"$ref": None, "value": "t3"}]},
            {"op": "Remove", "path": "members", "value": [{"value": "t1"}]},
        ],
    }


def test_group_members_with_flag() -> None:
    resolve = {"u1": "7f4bc1a3-285e-48ae-8202-5accb43efb0e", "u2": "t2"}
    old = {"id": "g", "displayName": "G", "members": ["u1", "u2"]}
    new = {"id": "g", "displayName": "G", "members": ["u2"]}
    body = scimmap.preset("entra-group").patch(old, new, resolve=resolve, flags=FLAG)
    assert body == {
        "schemas": PATCH,
        "Operations": [{"op": "remove", "path": 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]'}],
    }


def test_group_rename() -> None:
    body = scimmap.preset("entra-group").patch({"id": "g", "displayName": "A"}, {"id": "g", "displayName": "B"})
    assert body == {"schemas": PATCH, "Operations": [{"op": "Replace", "path": "displayName", "value": "B"}]}


def test_role_patch_quirk_without_flag() -> None:
    table = scimmap.load_mapping(
        {
            "object": "User",
            "mappings": [
                {"target": "userName", "source": "upn"},
                {"target": "roles", "expression": "AppRoleAssignmentsComplex([appRoleAssignments])"},
            ],
        }
    )
    body = table.patch(
        {"upn": "a", "appRoleAssignments": ["User"]}, {"upn": "a", "appRoleAssignments": ["User", "Admin"]}
    )
    assert body == {
        "schemas": PATCH,
        "Operations": [{"op": "Add", "path": "roles", "value": [{"value": '{"value":"Admin","displayName":"Admin"}'}]}],
    }
