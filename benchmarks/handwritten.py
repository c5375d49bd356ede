"""The entra-user preset written by hand, as a provisioning tool would write it without scimmap.

It takes the same Graph user and returns the same POST body (same keys, same key order, same types):
the B2B guest UPN rewrite, ``active`` from ``accountEnabled``, the Graph aliases (``officeLocation``,
``mobilePhone``, ``faxNumber``, the first ``businessPhones``), the collapsed multi-valued elements and
the enterprise extension.  It handles the shapes :mod:`benchmarks.users` generates and nothing more,
which is what makes it the fair lower bound: the benchmark asserts its output equals scimmap's first.
"""

from __future__ import annotations

import re
from typing import Any

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
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


# The six-attribute subset used for the jmespath reference (and its hand-written twin).
SIX_JMESPATH = "{userName: userPrincipalName, displayName: displayName, givenName: givenName, " \
    "familyName: surname, email: mail, externalId: mailNickname}"


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
