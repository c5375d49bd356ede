"""The generated table function (scimmap/mapping/fastpath.py) gives exactly what the generic path gives.

Compared field by field, body key order included (json.dumps without sort_keys), on every mapping case
file, on both Entra presets with hypothesis-generated Graph users (hostile shapes included), and on
create and update.  Speed itself is measured by benchmarks/, not here.
"""

from __future__ import annotations

import json
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scimmap
import scimmap.mapping.fastpath as fastpath
from scimmap.mapping.table import MappingTable

CASES = [
    case
    for path in sorted((Path(__file__).parent.parent / "cases" / "mappings").glob("*.json"))
    for case in json.loads(path.read_text(encoding="utf-8"))
]
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _table(case: dict) -> MappingTable:
    if "preset" in case:
        return scimmap.preset(case["preset"])
    return scimmap.load_mapping(case["table"])


def _outcome(call: Any) -> Any:
    try:
        result = call()
    except scimmap.ScimmapError as error:
        return ("error", type(error).__name__, [str(d) for d in error.diagnostics])
    return (
        json.dumps(result.resource),
        result.match_filters,
        result.in_scope,
        result.skipped,
        result.unresolved,
        json.dumps(result.followup),
        result.object_skipped,
    )


def _generic(table: MappingTable, source: Any, monkeypatch: Any, **options: Any) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(fastpath, "fast_apply", lambda table, action: None)
        return _outcome(lambda: table.apply(source, **options))


def _fast(table: MappingTable, source: Any, action: str = "create", resolve: Any = None) -> Any:
    function = fastpath.fast_apply(table, action)
    if function is None:
        return None

    def run() -> Any:
        try:
            return function(source, resolve, NOW, None)
        except Exception:  # noqa: BLE001 - as MappingTable.apply does: the generic path reports it
            return table.apply(source, action=action, resolve=resolve, now=NOW)

    return _outcome(run)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_fast_path_equals_generic_on_case_files(case: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table(case)
    action = case.get("action", "create")
    fast = _fast(table, case["given"], action, case.get("resolve"))
    if fast is None:
        return  # a table the fast path declines runs the generic path only
    generic = _generic(table, case["given"], monkeypatch, action=action, resolve=case.get("resolve"), now=NOW)
    assert fast == generic


@pytest.mark.parametrize("name", ["entra-user", "entra-group", "idaas-user", "idaas-group"])
def test_presets_get_a_fast_path(name: str) -> None:
    table = scimmap.preset(name)
    assert fastpath.fast_apply(table, "create") is not None
    assert fastpath.fast_apply(table, "update") is not None


def test_apply_routes_through_the_fast_path_and_keeps_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    table = scimmap.preset("entra-user")
    source = {"userPrincipalName": "a@b.c", "accountEnabled": True, "manager": {"id": "m"}}
    assert _outcome(lambda: table.apply(source, resolve={"m": "t"})) == _generic(
        table, source, monkeypatch, resolve={"m": "t"}
    )
    assert _outcome(lambda: table.apply(["not", "a", "mapping"])) == _generic(table, ["not", "a", "mapping"], monkeypatch)


scalars = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", "True", "false", "jo_fabrikam.com#EXT#@contoso.onmicrosoft.com", "a#b", "0", " 7 "]),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.one_of(
    scalars,
    st.lists(st.one_of(scalars, st.fixed_dictionaries({"id": st.text(max_size=5)})), max_size=3),
    st.fixed_dictionaries({}, optional={"id": scalars, "objectId": scalars, "value": scalars}),
)
NAMES = [
    "id", "objectId", "userPrincipalName", "accountEnabled", "IsSoftDeleted", "deletedDateTime", "displayName",
    "givenName", "surname", "mail", "mailNickname", "jobTitle", "preferredLanguage", "officeLocation",
    "physicalDeliveryOfficeName", "streetAddress", "city", "state", "postalCode", "country", "businessPhones",
    "telephoneNumber", "mobilePhone", "mobile", "faxNumber", "facsimileTelephoneNumber", "employeeId",
    "department", "manager", "members", "originalUserPrincipalName", "onPremisesExtensionAttributes",
]
users = st.dictionaries(st.sampled_from(NAMES), values, max_size=len(NAMES))


@settings(max_examples=300, deadline=None)
@given(user=users, action=st.sampled_from(["create", "update"]), preset=st.sampled_from(["entra-user", "entra-group"]))
def test_fast_path_equals_generic_on_generated_objects(user: dict, action: str, preset: str) -> None:
    table = scimmap.preset(preset)
    resolve = {"u1": "t1", "m": "boss"}
    fast = _fast(table, user, action, resolve)
    original = fastpath.fast_apply
    fastpath.fast_apply = lambda table, action: None  # type: ignore[assignment]
    try:
        generic = _outcome(lambda: table.apply(user, action=action, resolve=resolve, now=NOW))
    finally:
        fastpath.fast_apply = original  # type: ignore[assignment]
    assert fast == generic


def test_compiled_expressions_and_tables_pickle() -> None:
    expression = scimmap.compile('Switch([IsSoftDeleted], , "False", "True", "True", "False")')
    copy = pickle.loads(pickle.dumps(expression))
    assert copy.text == expression.text
    assert copy.evaluate({"IsSoftDeleted": "True"}) == "False"
    table = scimmap.preset("entra-user")
    table.apply({"userPrincipalName": "a@b.c"})  # compiled and fast path built: still picklable
    clone = pickle.loads(pickle.dumps(table))
    assert clone == table
    user = {"userPrincipalName": "a@b.c", "givenName": "A", "surname": "B", "accountEnabled": False}
    assert clone.apply(user).resource == table.apply(user).resource
