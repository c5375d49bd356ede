"""Generated Microsoft Graph users for the benchmarks: deterministic, varied, nothing stored on disk.

The shapes are the ones a provisioning tool gets from Graph (``accountEnabled`` booleans, ``officeLocation``,
``businessPhones``, ``manager`` as an object, guests with ``#EXT#`` UPNs), so the mapping pays for the
same source normalisation Entra does, and some attributes are missing as in a real directory.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

GIVEN = ["Ada", "Jo", "Kim", "Lee", "Mia", "Noor", "Omar", "Pia", "Raj", "Sven", "Zoë", "Élodie"]
SURNAMES = ["Smith", "Okafor", "Nguyen", "García", "Müller", "Kowalski", "Tanaka", "O'Brien", "Dubois"]
DEPARTMENTS = ["R&D", "Sales", "HR", "Finance", "Legal", None]
CITIES = [("Redmond", "WA", "98052", "US"), ("Dublin", None, "D02", "IE"), ("Paris", None, "75001", "FR")]


def user(index: int, rng: random.Random) -> dict[str, Any]:
    """One Graph user; about one in ten is a B2B guest, one in five is disabled."""
    given = rng.choice(GIVEN)
    surname = rng.choice(SURNAMES)
    nickname = f"{given.lower()}.{surname.lower()}{index}"
    guest = rng.random() < 0.1
    upn = f"{nickname}_fabrikam.com#EXT#@contoso.onmicrosoft.com" if guest else f"{nickname}@contoso.com"
    city, state, postal, country = rng.choice(CITIES)
    obj: dict[str, Any] = {
        "id": f"{index:08d}-0000-4000-8000-{rng.getrandbits(48):012x}",
        "userPrincipalName": upn,
        "accountEnabled": rng.random() > 0.2,
        "displayName": f"{given} {surname}",
        "givenName": given,
        "surname": surname,
        "mail": f"{nickname}@contoso.com" if rng.random() > 0.05 else None,
        "mailNickname": nickname,
        "jobTitle": rng.choice(["Engineer", "Manager", "Analyst", None]),
        "preferredLanguage": rng.choice(["en-US", "fr-FR", None]),
        "officeLocation": f"B{rng.randint(1, 99)}" if rng.random() > 0.3 else None,
        "streetAddress": f"{rng.randint(1, 999)} Main St",
        "city": city,
        "state": state,
        "postalCode": postal,
        "country": country,
        "businessPhones": [f"+1 555 {rng.randint(0, 9999):04d}"] if rng.random() > 0.3 else [],
        "mobilePhone": f"+1 555 {rng.randint(0, 9999):04d}" if rng.random() > 0.5 else None,
        "employeeId": f"E-{index}",
        "department": rng.choice(DEPARTMENTS),
        "employeeHireDate": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T0{rng.randint(0, 9)}:00:00Z",
    }
    if rng.random() > 0.3:
        obj["manager"] = {"id": f"m-{rng.randint(0, 99)}"}
    if rng.random() > 0.8:
        obj["faxNumber"] = f"+1 555 {rng.randint(0, 9999):04d}"
    return obj


def entra_user(index: int, rng: random.Random) -> dict[str, Any]:
    """The same kind of user as :func:`user`, shaped as the mappings name attributes (what an Entra-side
    export or a test harness hands over): ``objectId``, ``IsSoftDeleted`` as a JSON boolean,
    ``telephoneNumber``, ``mobile``, ``facsimileTelephoneNumber``, ``physicalDeliveryOfficeName``, the
    manager as an id."""
    graph = user(index, rng)
    obj: dict[str, Any] = {"objectId": graph.pop("id"), "IsSoftDeleted": not graph.pop("accountEnabled")}
    phones = graph.pop("businessPhones")
    renames = {
        "mobilePhone": "mobile",
        "officeLocation": "physicalDeliveryOfficeName",
        "faxNumber": "facsimileTelephoneNumber",
    }
    for key, value in graph.items():
        obj[renames.get(key, key)] = value
    if phones:
        obj["telephoneNumber"] = phones[0]
    if isinstance(obj.get("manager"), dict):
        obj["manager"] = obj["manager"]["id"]
    if "#EXT#" in obj["userPrincipalName"]:  # an export shows the guest's UPN as mappings see it
        alias, rest = obj["userPrincipalName"].split("#EXT#")[0].rsplit("_", 1)
        obj["userPrincipalName"] = f"{alias}@{rest}"
    return obj


def group(index: int, rng: random.Random, members: int) -> dict[str, Any]:
    """A Graph group with ``members`` members as Graph lists them (``[{"id": ...}]``)."""
    return {
        "id": f"{index:08d}-1111-4000-8000-{rng.getrandbits(48):012x}",
        "displayName": f"Group {index} {rng.choice(DEPARTMENTS) or 'All'}",
        "members": [{"id": f"u-{rng.randrange(10 * members + 1)}"} for _ in range(members)],
    }


def entra_group(index: int, rng: random.Random, members: int) -> dict[str, Any]:
    """The same group named as the mappings name it: ``objectId``, members as a list of ids."""
    graph = group(index, rng, members)
    return {
        "objectId": graph["id"],
        "displayName": graph["displayName"],
        "members": [m["id"] for m in graph["members"]],
    }


def entra_groups(count: int, members: int = 10, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [entra_group(i, rng, members) for i in range(count)]


def entra_users(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [entra_user(i, rng) for i in range(count)]


def groups(count: int, members: int = 10, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [group(i, rng, members) for i in range(count)]


def users(count: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [user(i, rng) for i in range(count)]


def iter_users(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(count):
        yield user(i, rng)


def iter_entra_users(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(count):
        yield entra_user(i, rng)


def write_jsonl(path: str, count: int, seed: int = 7, shape: str = "graph") -> None:
    """``count`` users as JSON Lines (for ``scimmap map``), Graph-shaped or (``shape="entra"``) Entra-shaped;
    1,000,000 Graph users is about 700 MB."""
    objects = iter_entra_users(count, seed) if shape == "entra" else iter_users(count, seed)
    with open(path, "w", encoding="utf-8") as out:
        for obj in objects:
            out.write(json.dumps(obj, ensure_ascii=False))
            out.write("\n")


if __name__ == "__main__":
    import sys

    write_jsonl(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
