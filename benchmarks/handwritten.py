"""The benchmarked mapping tables written by hand, as a provisioning tool would write them without scimmap.

Each function takes one source object of the shape it names and returns the same POST body scimmap does
(same keys, same key order, same types); the group functions also return the follow-up PATCH that adds
the members.  ``entra_user`` handles Graph users (``GET /users`` JSON): the B2B guest UPN rewrite,
``active`` from ``accountEnabled``, the Graph aliases (``officeLocation``, ``mobilePhone``, ``faxNumber``,
the first ``businessPhones``).  ``entra_user_directory`` handles users already named as the mappings name
attributes (``telephoneNumber``, ``mobile``, ``IsSoftDeleted`` as a JSON boolean...).  They handle the
shapes :mod:`benchmarks.users` generates and nothing more, which is what makes them the fair lower bound:
the benchmark asserts their output equals scimmap's before it times anything.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ADSCIM_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCHEMAS = [CORE, ENTERPRISE]
_GUEST = re.compile(r"\A(?P<alias>.*)_(?P<domain>[^_@#]+)#EXT#@(?P<tenant>.+)\Z", re.IGNORECASE | re.DOTALL)


def entra_user(user: dict[str, Any]) -> dict[str, Any]:
    """The SCIM body Entra POSTs for a Graph user under the default mappings."""
    get = user.get
    body: dict[str, Any] = {"schemas": list(SCHEMAS)}
    nickname = get("mailNickname")
    if nickname is not None:
        body["externalId"] = nickname
    upn = get("userPrincipalName")
    if upn is not None:
        if "#" in upn:
            guest = _GUEST.match(upn)
            if guest is not None:
                upn = f"{guest.group('alias')}@{guest.group('domain')}"
        body["userName"] = upn
    enabled = get("accountEnabled")
    body["active"] = bool(enabled) if enabled is not None else True
    address = {}
    for key, attribute in (
        ("country", "country"),
        ("formatted", "officeLocation"),
        ("locality", "city"),
        ("postalCode", "postalCode"),
        ("region", "state"),
        ("streetAddress", "streetAddress"),
    ):
        value = get(attribute)
        if value is not None:
            address[key] = value
    if address:
        address["type"] = "work"
        body["addresses"] = [address]
    if get("displayName") is not None:
        body["displayName"] = user["displayName"]
    if get("mail") is not None:
        body["emails"] = [{"primary": True, "type": "work", "value": user["mail"]}]
    body["meta"] = {"resourceType": "User"}
    given, surname = get("givenName"), get("surname")
    name = {}
    if surname is not None:
        name["familyName"] = surname
    formatted = " ".join(part for part in (given, surname) if part)
    if formatted:
        name["formatted"] = formatted
    if given is not None:
        name["givenName"] = given
    if name:
        body["name"] = name
    phones = []
    business = get("businessPhones")
    if business:
        phones.append({"type": "work", "value": business[0]})
    if get("mobilePhone") is not None:
        phones.append({"type": "mobile", "value": user["mobilePhone"]})
    if get("faxNumber") is not None:
        phones.append({"type": "fax", "value": user["faxNumber"]})
    if phones:
        body["phoneNumbers"] = phones
    if get("preferredLanguage") is not None:
        body["preferredLanguage"] = user["preferredLanguage"]
    if get("jobTitle") is not None:
        body["title"] = user["jobTitle"]
    enterprise = {}
    if get("department") is not None:
        enterprise["department"] = user["department"]
    if get("employeeId") is not None:
        enterprise["employeeNumber"] = user["employeeId"]
    if enterprise:
        body[ENTERPRISE] = enterprise
    return body


def entra_user_directory(user: dict[str, Any]) -> dict[str, Any]:
    """The entra-user body for a user named as the mappings name attributes.

    It repeats much of :func:`entra_user` on purpose: each reference is one straight function, as a
    tool would write it, so that neither pays for a helper the other does not need."""
    get = user.get
    body: dict[str, Any] = {"schemas": list(SCHEMAS)}
    nickname = get("mailNickname")
    if nickname is not None:
        body["externalId"] = nickname
    upn = get("userPrincipalName")
    if upn is not None:
        body["userName"] = upn
    deleted = get("IsSoftDeleted")
    body["active"] = not deleted if deleted is not None else True
    address = {}
    for key, attribute in (
        ("country", "country"),
        ("formatted", "physicalDeliveryOfficeName"),
        ("locality", "city"),
        ("postalCode", "postalCode"),
        ("region", "state"),
        ("streetAddress", "streetAddress"),
    ):
        value = get(attribute)
        if value is not None:
            address[key] = value
    if address:
        address["type"] = "work"
        body["addresses"] = [address]
    if get("displayName") is not None:
        body["displayName"] = user["displayName"]
    if get("mail") is not None:
        body["emails"] = [{"primary": True, "type": "work", "value": user["mail"]}]
    body["meta"] = {"resourceType": "User"}
    given, surname = get("givenName"), get("surname")
    name = {}
    if surname is not None:
        name["familyName"] = surname
    formatted = " ".join(part for part in (given, surname) if part)
    if formatted:
        name["formatted"] = formatted
    if given is not None:
        name["givenName"] = given
    if name:
        body["name"] = name
    phones = []
    for kind, attribute in (("work", "telephoneNumber"), ("mobile", "mobile"), ("fax", "facsimileTelephoneNumber")):
        if get(attribute) is not None:
            phones.append({"type": kind, "value": user[attribute]})
    if phones:
        body["phoneNumbers"] = phones
    if get("preferredLanguage") is not None:
        body["preferredLanguage"] = user["preferredLanguage"]
    if get("jobTitle") is not None:
        body["title"] = user["jobTitle"]
    enterprise = {}
    if get("department") is not None:
        enterprise["department"] = user["department"]
    if get("employeeId") is not None:
        enterprise["employeeNumber"] = user["employeeId"]
    if enterprise:
        body[ENTERPRISE] = enterprise
    return body


def _idaas(user: dict[str, Any], upn: Any, active: bool) -> dict[str, Any]:
    get = user.get
    body: dict[str, Any] = {"schemas": list(SCHEMAS)}
    if upn is not None:
        body["userName"] = upn
    body["active"] = active
    if get("displayName") is not None:
        body["displayName"] = user["displayName"]
    if get("mail") is not None:
        body["emails"] = [{"primary": True, "type": "work", "value": user["mail"]}]
    body["meta"] = {"resourceType": "User"}
    name = {}
    if get("surname") is not None:
        name["familyName"] = user["surname"]
    if get("givenName") is not None:
        name["givenName"] = user["givenName"]
    if name:
        body["name"] = name
    return body


def idaas_user(user: dict[str, Any]) -> dict[str, Any]:
    """The idaas-user body for a Graph user."""
    upn = user.get("userPrincipalName")
    if upn is not None and "#" in upn:
        guest = _GUEST.match(upn)
        if guest is not None:
            upn = f"{guest.group('alias')}@{guest.group('domain')}"
    enabled = user.get("accountEnabled")
    return _idaas(user, upn, bool(enabled) if enabled is not None else True)


def idaas_user_directory(user: dict[str, Any]) -> dict[str, Any]:
    """The idaas-user body for a user named as the mappings name attributes."""
    deleted = user.get("IsSoftDeleted")
    return _idaas(user, user.get("userPrincipalName"), not deleted if deleted is not None else True)


def entra_group(group: dict[str, Any], resolve: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The entra-group POST body and the PATCH adding the members ``resolve`` knows, for a Graph group."""
    body: dict[str, Any] = {"schemas": [CORE_GROUP, ADSCIM_GROUP]}
    if group.get("id") is not None:
        body["externalId"] = group["id"]
    if group.get("displayName") is not None:
        body["displayName"] = group["displayName"]
    body["meta"] = {"resourceType": "Group"}
    members = [{"$ref": None, "value": resolve[m["id"]]} for m in group.get("members") or () if m["id"] in resolve]
    if not members:
        return body, None
    return body, {"schemas": [PATCH], "Operations": [{"op": "Add", "path": "members", "value": members}]}


def entra_group_directory(
    group: dict[str, Any], resolve: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """:func:`entra_group` for a group named as the mappings name it (``objectId``, members as ids)."""
    body: dict[str, Any] = {"schemas": [CORE_GROUP, ADSCIM_GROUP]}
    if group.get("objectId") is not None:
        body["externalId"] = group["objectId"]
    if group.get("displayName") is not None:
        body["displayName"] = group["displayName"]
    body["meta"] = {"resourceType": "Group"}
    members = [{"$ref": None, "value": resolve[m]} for m in group.get("members") or () if m in resolve]
    if not members:
        return body, None
    return body, {"schemas": [PATCH], "Operations": [{"op": "Add", "path": "members", "value": members}]}


# A heavier table than the presets: a computed Switch of 20 pairs, a regex Replace, FormatDateTime, Join.
DEPARTMENT_NAMES = {
    "R&D": "Research and Development",
    "Sales": "Sales and Marketing",
    "HR": "People",
    "Finance": "Finance",
    "Legal": "Legal and Compliance",
    "IT": "Information Technology",
    "Ops": "Operations",
    "PR": "Communications",
    "QA": "Quality",
    "Sup": "Support",
    "Eng": "Engineering",
    "Mkt": "Marketing",
    "Fac": "Facilities",
    "Sec": "Security",
    "Pro": "Procurement",
    "Log": "Logistics",
    "Tra": "Training",
    "Res": "Research",
    "Dev": "Development",
    "Adm": "Administration",
}
EXTENSION = "urn:ietf:params:scim:schemas:extension:bench:2.0:User"
CUSTOM_TABLE = {
    "object": "User",
    "name": "custom",
    "mappings": [
        {"target": "userName", "source": "userPrincipalName", "match": 1},
        {"target": "active", "expression": 'Switch([accountEnabled], "True", "False", "False", "True", "True")'},
        {"target": "displayName", "expression": 'Join(" ", [givenName], [surname])'},
        {"target": "externalId", "expression": 'Replace([mail], , "(?<local>[^@]+)@.*", , "${local}", , )'},
        {
            "target": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "expression": "Switch([department], [department], "
            + ", ".join(f'"{k}", "{v}"' for k, v in DEPARTMENT_NAMES.items())
            + ")",
        },
        {
            "target": f"{EXTENSION}:hireDate",
            "expression": 'FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssZ", "yyyyMMdd")',
        },
        {"target": "name.givenName", "source": "givenName"},
        {"target": "name.familyName", "source": "surname"},
        {"target": 'emails[type eq "work"].value', "source": "mail"},
    ],
}
_LOCAL = re.compile(r"(?P<local>[^@]+)@.*")


def custom(user: dict[str, Any]) -> dict[str, Any]:
    """The :data:`CUSTOM_TABLE` body for a Graph user."""
    get = user.get
    body: dict[str, Any] = {"schemas": list(SCHEMAS)}
    mail = get("mail")
    if mail is not None:
        body["externalId"] = _LOCAL.sub(r"\g<local>", mail)
    upn = get("userPrincipalName")
    if upn is not None:
        if "#" in upn:
            guest = _GUEST.match(upn)
            if guest is not None:
                upn = f"{guest.group('alias')}@{guest.group('domain')}"
        body["userName"] = upn
    enabled = get("accountEnabled")
    body["active"] = bool(enabled) if enabled is not None else True
    body["displayName"] = " ".join(part for part in (get("givenName"), get("surname")) if part)
    if mail is not None:
        body["emails"] = [{"primary": True, "type": "work", "value": mail}]
    body["meta"] = {"resourceType": "User"}
    name = {}
    if get("surname") is not None:
        name["familyName"] = user["surname"]
    if get("givenName") is not None:
        name["givenName"] = user["givenName"]
    if name:
        body["name"] = name
    department = get("department")
    if department is not None:
        body[ENTERPRISE] = {"department": DEPARTMENT_NAMES.get(department, department)}
    hired = get("employeeHireDate")
    if hired is not None:
        body[EXTENSION] = {"hireDate": datetime.fromisoformat(hired).strftime("%Y%m%d")}
    return body


# The six-attribute subset used for the jmespath reference (and its hand-written twin).
SIX_JMESPATH = (
    "{userName: userPrincipalName, displayName: displayName, givenName: givenName, "
    "familyName: surname, email: mail, externalId: mailNickname}"
)


def six(user: dict[str, Any]) -> dict[str, Any]:
    """The same six attributes by hand (what jmespath computes with SIX_JMESPATH)."""
    get = user.get
    return {
        "userName": get("userPrincipalName"),
        "displayName": get("displayName"),
        "givenName": get("givenName"),
        "familyName": get("surname"),
        "email": get("mail"),
        "externalId": get("mailNickname"),
    }
