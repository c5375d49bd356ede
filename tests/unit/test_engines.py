"""The two mapping back-ends agree, the source reader agrees with the whole view, and the plan is honest.

``MappingTable.apply`` runs the generated table function (scimmap/mapping/codegen.py); the interpreter
(scimmap/mapping/interpreter.py) is the reference.  Here both run on the same objects, field by field,
body key order and errors included; ``engines.both`` proves each one ran.  The mapping case files run on
both through the ``engine`` fixture (test_table.py).  Speed is measured by benchmarks/, not here.
"""

from __future__ import annotations

import inspect
import json
import pickle
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import attrs
import pytest
from engines import Engine, both, outcome
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.language.source import DERIVED, FLATTENED, MISSING, entra_source, prepare_source, read_attribute
from scimmap.mapping import codegen, interpreter
from scimmap.mapping import table as table_module
from scimmap.mapping.model import Mapping
from scimmap.mapping.table import MappingTable

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

# -- objects as they come: Graph-shaped, Entra-shaped, and hostile --------------------------------------

scalars = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", "True", "false", "jo_fabrikam.com#EXT#@contoso.onmicrosoft.com", "a#b", "0", " 7 ", "x"]),
    st.booleans(),
    st.integers(min_value=-5, max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.one_of(
    scalars,
    st.lists(
        st.one_of(scalars, st.fixed_dictionaries({"id": st.text(max_size=5)}), st.lists(scalars, max_size=2)),
        max_size=3,
    ),
    st.fixed_dictionaries({}, optional={"id": scalars, "objectId": scalars, "value": scalars}),
)
NAMES = [
    "id",
    "objectId",
    "userPrincipalName",
    "accountEnabled",
    "IsSoftDeleted",
    "deletedDateTime",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "mailNickname",
    "jobTitle",
    "preferredLanguage",
    "officeLocation",
    "physicalDeliveryOfficeName",
    "streetAddress",
    "city",
    "state",
    "postalCode",
    "country",
    "businessPhones",
    "telephoneNumber",
    "mobilePhone",
    "mobile",
    "faxNumber",
    "facsimileTelephoneNumber",
    "employeeId",
    "department",
    "manager",
    "members",
    "originalUserPrincipalName",
    "appRoleAssignments",
    "extensionAttribute1",
    "@odata.type",
]
containers = st.fixed_dictionaries(
    {}, optional={name: values for name in ("extensionAttribute1", "mail", "manager", "accountEnabled", "@odata.type")}
)
objects = st.dictionaries(
    st.sampled_from(NAMES + list(FLATTENED)),
    st.one_of(values, containers),
    max_size=len(NAMES),
)
# Mostly well-formed text, as real directories send: the generated fast paths must see these too.
texts = st.dictionaries(st.sampled_from(NAMES[:30]), st.one_of(st.none(), st.text(max_size=8)), max_size=30)

CUSTOM = {
    "object": "User",
    "mappings": [
        {"target": "userName", "source": "userPrincipalName", "match": 1},
        {
            "target": "externalId",
            "expression": 'Switch([department], [department], "R&D", "RD", "", "none", "HR", [mail])',
            "match": 2,
        },
        {"target": "active", "expression": 'Switch([accountEnabled], "True", "false", "False", "False", "False")'},
        {"target": "nickName", "expression": "IgnoreFlowIfNullOrEmpty([mailNickname])"},
        {"target": "title", "source": "jobTitle", "default": "Staff", "apply": "on-create"},
        {"target": "displayName", "expression": 'Join(" ", [givenName], [surname])'},
        {"target": "displayName", "source": "displayName"},
        {"target": "emails", "source": "mail"},
        {
            "target": 'emails[type eq "other"].value',
            "expression": 'Replace([mail], "@contoso.com", , , "@fabrikam.com", , )',
        },
        {"target": 'roles[primary eq "True"].value', "expression": "SingleAppRoleAssignment([appRoleAssignments])"},
        {"target": "locale", "expression": 'IIF([preferredLanguage] = "", IgnoreObjectFlow, [preferredLanguage])'},
        {"target": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "source": "manager"},
        {"target": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "source": "employeeId"},
        {
            "target": "urn:ietf:params:scim:schemas:extension:acme:2.0:User:when",
            "expression": 'FormatDateTime([deletedDateTime], , "yyyy-MM-ddTHH:mm:ssZ", "yyyyMMdd")',
        },
    ],
}
TABLES = ["entra-user", "entra-group", "idaas-user", "idaas-group", "custom"]


def _table(name: str) -> MappingTable:
    return scimmap.load_mapping(CUSTOM) if name == "custom" else scimmap.preset(name)


@settings(max_examples=250, deadline=None)
@given(
    obj=st.one_of(objects, texts),
    action=st.sampled_from(["create", "update"]),
    name=st.sampled_from(TABLES),
    flags=st.sampled_from([(), ("aadOptscim062020",)]),
)
def test_engines_agree_on_generated_objects(obj: dict, action: str, name: str, flags: tuple) -> None:
    generated, interpreted = both(
        _table(name), obj, action, resolve={"u1": "t1", "m": "boss", "1": "one"}, now=NOW, flags=flags
    )
    assert generated == interpreted


@pytest.mark.parametrize("name", TABLES)
def test_engines_agree_on_the_benchmark_populations(name: str) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.users import entra_users, groups, users

    table = _table(name)
    population = groups(20, members=30) if "group" in name else users(40) + entra_users(40)
    for obj in population:
        generated, interpreted = both(table, obj, resolve={"m-1": "boss"}, now=NOW)
        assert generated == interpreted


@pytest.mark.parametrize(
    "odd",
    [{"displayName": 7}, {"mail": []}, {"surname": {"x": 1}}, {"givenName": True}, {"mail": ["a@b.c"]}],
)
def test_a_value_the_body_meets_untested_starts_the_function_again(odd: dict) -> None:
    """The generated body tests most direct text values as it places them; anything else starts the
    function again with every value tested up front.  The answer is the interpreter's, and the retry ran."""
    table = attrs.evolve(scimmap.preset("idaas-user"))
    generated = table._runner("create", "generated")
    assert "retry" in generated.__scimmap_source__  # type: ignore[attr-defined]
    retries = []

    def counted(*arguments: Any) -> Any:
        retries.append(arguments[-1])
        return generated(*arguments)

    generated.__globals__["_apply"] = counted
    user = {"userPrincipalName": "a@b.c", "displayName": "A", "mail": "a@b.c", "IsSoftDeleted": False, **odd}
    generated_outcome, interpreted_outcome = both(table, user)
    assert generated_outcome == interpreted_outcome
    assert retries == [True]
    retries.clear()
    both(table, {**user, **{key: "text" for key in odd}})
    assert retries == []


@pytest.mark.parametrize("flags", [(), ("aadOptscim062020",)])
@pytest.mark.parametrize(
    "resolve",
    [
        {"u1": "t1", "u2": "t2", "u3": "t3"},  # every member found
        {"u2": "t2"},  # some left unresolved, in member order
        {},  # none found: no follow-up
        {"u1": 7, "u3": "t3"},  # a target that is not text is sent as text
    ],
)
def test_group_member_patch_in_one_pass_is_the_general_one(resolve: dict, flags: tuple) -> None:
    """The generated function links a group's members in one pass (interpreter.link_members); it is the
    PATCH the general reference rules give, with the same unresolved ids, in both dialects."""
    table = scimmap.preset("entra-group")
    assert "_link_members(" in table._runner("create", "generated").__scimmap_source__
    group = {"id": "g", "displayName": "G", "members": [{"id": "u1"}, {"id": "u2"}, {"id": "u3"}]}
    generated, interpreted = both(table, group, resolve=resolve, flags=flags)
    assert generated == interpreted
    result = table.apply(group, resolve=resolve, flags=flags)
    assert result.unresolved == [m for m in ("u1", "u2", "u3") if m not in resolve]


@pytest.mark.parametrize(
    "members",
    [[{"id": "u1"}, {"objectId": "u2"}], ["u1", ""], [{"id": "u1"}, None], ["u1", {"id": 2}], [["u1"]]],
)
def test_members_that_are_not_ids_go_to_the_general_reader(members: list) -> None:
    """An item without a non-empty text id stops the one-pass linking (link_members gives None); the
    general reader then decides, as in the interpreter."""
    from scimmap.mapping.interpreter import link_members

    assert link_members(members, {"u1": "t1"}, ()) is None
    group = {"id": "g", "displayName": "G", "members": members}
    generated, interpreted = both(scimmap.preset("entra-group"), group, resolve={"u1": "t1", "u2": "t2"})
    assert generated == interpreted


@pytest.mark.parametrize("name", ["entra-user", "entra-group", "idaas-user", "idaas-group"])
def test_every_preset_gets_a_generated_function(name: str) -> None:
    table = scimmap.preset(name)
    for action in ("create", "update"):
        assert codegen.unsupported(table.compiled()) is None
        assert hasattr(table._runner(action, "generated"), "__scimmap_source__")


def test_generated_code_never_catches_to_fall_back() -> None:
    """The only handler in generated code turns an inlined expression's failure into its diagnostic."""
    source = scimmap.load_mapping(CUSTOM)._runner("create", "generated").__scimmap_source__
    lines = source.splitlines()
    handlers = [i for i, line in enumerate(lines) if line.strip().startswith("except")]
    assert handlers
    for i in handlers:
        assert lines[i + 1].strip().startswith("raise _fail"), lines[i : i + 2]


# -- the source reader is the whole view, one attribute at a time -----------------------------------------

READ_NAMES = NAMES + [rule.name for rule in DERIVED] + list(FLATTENED) + ["extensionAttribute2", "nope"]


@settings(max_examples=300, deadline=None)
@given(obj=objects)
# a qualified member holding an object: the first pass kept it, the second dropped it (hypothesis found it)
@example(obj={"id": None, "objectId": None, "userPrincipalName": None, "employeeOrgData": {"manager": {}}})
# a derived value that is not text (the first business phone a list): shown as any value is (hypothesis)
@example(obj={"id": None, "objectId": None, "businessPhones": [[None]]})
def test_reader_gives_what_the_whole_view_holds(obj: dict) -> None:
    try:
        view = prepare_source(entra_source(obj))
    except scimmap.ScimmapError:
        return  # a value expressions cannot read: reading that attribute fails too (checked below)
    for name in READ_NAMES:
        assert read_attribute(obj, name) == view.get(name, MISSING), name
    assert entra_source(entra_source(obj)) == entra_source(obj)


def test_reader_fails_on_the_attribute_that_cannot_be_read() -> None:
    nested: Any = {}
    for _ in range(2000):
        nested = {"a": nested}
    obj = {"displayName": "ok", "jobTitle": [[nested]]}
    assert read_attribute(obj, "displayName") == "ok"
    with pytest.raises(scimmap.EvaluationError):
        read_attribute(obj, "jobTitle")


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=20))
def test_direct_and_constant_mappings_read_as_the_compiler_parses(text: str) -> None:
    for kind in ("direct", "constant"):
        mapping = Mapping("displayName", kind, text)  # type: ignore[arg-type]
        table = MappingTable("User", [mapping])
        try:
            step = table.compiled().steps[0]
        except scimmap.ScimmapError:
            with pytest.raises(scimmap.ScimmapError):
                scimmap.compile(mapping.expression_text)  # type: ignore[arg-type]
            continue
        node = scimmap.compile(mapping.expression_text).node  # type: ignore[arg-type]
        if kind == "direct":
            assert step.read == node.name  # type: ignore[attr-defined]
        else:
            assert step.constant == node.value  # type: ignore[attr-defined]


# -- what the plan promises ---------------------------------------------------------------------------


def test_resolve_is_not_called_for_an_object_that_ignore_object_flow_skips(engine: Engine) -> None:
    table = scimmap.load_mapping(
        {
            "object": "User",
            "mappings": [
                {"target": "userName", "source": "userPrincipalName"},
                {"target": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", "source": "manager"},
                {"target": "displayName", "expression": 'IIF([department] = "gone", IgnoreObjectFlow, [displayName])'},
            ],
        }
    )
    asked: list[str] = []

    def resolve(source_id: str) -> str:
        asked.append(source_id)
        return "t-" + source_id

    skipped = table.apply({"userPrincipalName": "a", "manager": {"id": "m"}, "department": "gone"}, resolve=resolve)
    assert skipped.object_skipped and skipped.resource is None and asked == []
    sent = table.apply({"userPrincipalName": "a", "manager": {"id": "m"}, "department": "IT"}, resolve=resolve)
    assert sent.followup is not None and asked == ["m"]


def test_evolved_tables_recompile(engine: Engine) -> None:
    table = scimmap.preset("idaas-user")
    user = {"userPrincipalName": "a@b.c", "displayName": "A", "mail": "a@b.c"}
    assert table.apply(user).resource["displayName"] == "A"  # type: ignore[index]
    changed = attrs.evolve(
        table,
        mappings=[
            attrs.evolve(m, kind="constant", source="Fixed") if m.target == "displayName" else m for m in table.mappings
        ],
    )
    assert changed.apply(user).resource["displayName"] == "Fixed"  # type: ignore[index]
    assert table.apply(user).resource["displayName"] == "A"  # type: ignore[index]
    assert changed.compiled() is not table.compiled()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        table.mappings = ()  # type: ignore[misc]


def test_tables_compare_and_pickle_without_compiled_code() -> None:
    table = scimmap.preset("entra-user")
    table.apply({"userPrincipalName": "a@b.c"})
    data = pickle.dumps(table)
    assert b"_apply" not in data and b"scimmap.mapping.plan" not in data
    clone = pickle.loads(data)
    assert clone == table and hash(clone) == hash(table)
    user = {"userPrincipalName": "a@b.c", "givenName": "A", "surname": "B", "accountEnabled": False}
    assert outcome(lambda: clone.apply(user)) == outcome(lambda: table.apply(user))


def test_the_apply_entry_keeps_the_method_contract(engine: Engine) -> None:
    """After the first call ``table.apply`` is the entry function (codegen's speed for the common call);
    it answers as the method does, with the method's signature, and hands every other call to it."""
    table = attrs.evolve(scimmap.preset("idaas-user"))  # a fresh instance: no entry yet
    user = {"userPrincipalName": "a@b.c", "displayName": "A", "IsSoftDeleted": True}
    assert "apply" not in vars(table)
    first = outcome(lambda: table.apply(user))
    assert "apply" in vars(table)
    assert outcome(lambda: table.apply(user)) == first == outcome(lambda: MappingTable.apply(table, user))
    assert str(inspect.signature(table.apply)) == str(inspect.signature(MappingTable.apply)).replace("self, ", "")
    assert table.apply.__doc__ == MappingTable.apply.__doc__
    with pytest.raises(TypeError):
        table.apply(user, None)  # type: ignore[misc]  # resolve stays keyword-only
    update = outcome(lambda: table.apply(user, action="update", flags=("x",)))
    assert update == outcome(lambda: MappingTable.apply(table, user, action="update", flags=("x",)))
    with pytest.raises(scimmap.MappingError, match="now must be a datetime"):
        table.apply(user, now="today")  # type: ignore[arg-type]
    table_module.set_engine(engine.name)
    assert "apply" not in vars(table)
    with pytest.raises(ValueError, match="engine must be one of"):
        table_module.set_engine("fast")


def test_tables_too_big_to_generate_run_on_the_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codegen, "MAX_STEPS", 2)
    table = scimmap.preset("idaas-user")
    assert "more than 2" in (codegen.unsupported(table.compiled()) or "")
    before = interpreter.RUNS
    assert table.apply({"userPrincipalName": "a@b.c"}).resource["userName"] == "a@b.c"  # type: ignore[index]
    assert before + 1 == interpreter.RUNS
    with pytest.raises(scimmap.MappingError):
        table._runner("create", "generated")


def test_explain_mapping_shows_the_guid_the_body_holds(tmp_path: Path) -> None:
    (tmp_path / "map.yaml").write_text(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n"
        "  - target: externalId\n    expression: Guid()\n"
    )
    (tmp_path / "user.json").write_text(json.dumps({"userPrincipalName": "ada@contoso.com"}))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scimmap",
            "explain",
            "--mapping",
            str(tmp_path / "map.yaml"),
            "--input",
            str(tmp_path / "user.json"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    shown = next(line for line in result.stdout.splitlines() if line.strip().startswith("value: ") and "-" in line)
    guid = json.loads(shown.split("value: ", 1)[1])
    body = json.loads(result.stdout[result.stdout.index("SCIM body:") + len("SCIM body:") :])
    assert body["externalId"] == guid


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=texts)
def test_patch_matches_two_applies(user: dict, engine: Engine) -> None:
    """``patch`` of an object to itself sends nothing; both back-ends map it."""
    table = scimmap.preset("entra-user")
    assert table.patch(user, user) is None
    table.apply(user, action="update")


def test_engines_agree_on_a_table_too_big_for_the_fast_steps() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import mapping_file
    from benchmarks.users import entra_users, users

    table = scimmap.load_mapping(mapping_file(codegen.FAST_STEPS + 40))
    source = table._runner("create", "generated").__scimmap_source__
    assert "if fast:" not in source
    for obj in users(5) + entra_users(5) + [{"department": ["a", "b"]}, {"givenName": True, "department": 3}]:
        generated, interpreted = both(table, obj)
        assert generated == interpreted


@settings(max_examples=200, deadline=None)
@given(
    text=st.from_regex(r"\A(urn:[a-z0-9:.]{0,12}:)?[A-Za-z_$][A-Za-z0-9_$-]{0,6}(\.[A-Za-z_$][A-Za-z0-9_$-]{0,4})?\Z")
)
def test_simple_targets_parse_as_the_grammar_parses_them(text: str) -> None:
    from scimmap.language.syntax import parse_target_tree
    from scimmap.scim import paths

    fast = paths.parse_target(text)
    urn, name, _, sub = parse_target_tree(text).children[0].children
    assert (fast.urn, fast.attribute, fast.sub) == (
        paths._urn(urn),
        str(name),
        str(sub.children[0]) if sub is not None else None,
    )


def test_a_table_of_forty_thousand_mappings_is_mapped_in_seconds(tmp_path: Path) -> None:
    """The hostile size: just under the 5 MB file limit.  A generous timeout guards against super-linear
    loading or compiling (it once took minutes for 2,000 mappings); speed itself is benchmarked."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import hostile_file

    count, text = hostile_file()
    assert count >= 35_000
    (tmp_path / "big.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "users.jsonl").write_text(json.dumps({"userPrincipalName": "a@b.c", "department": "IT"}) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scimmap",
            "map",
            "--mapping",
            str(tmp_path / "big.yaml"),
            str(tmp_path / "users.jsonl"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    body = json.loads(result.stdout)
    assert body["userName"] == "a@b.c" and len(body["urn:ietf:params:scim:schemas:extension:bench:2.0:User"]) > 1000


def test_check_reports_an_attribute_written_whole_and_in_parts() -> None:
    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n"
        "  - target: name\n    source: displayName\n  - target: name.givenName\n    source: givenName\n"
    )
    found = [d for d in table.check() if d.code == "conflicting-targets"]
    assert len(found) == 1 and found[0].line == 8, [d.render() for d in found]
    with pytest.raises(scimmap.MappingError) as raised:
        table.compiled()
    assert raised.value.diagnostics[0].code == "conflicting-targets"


def test_a_matching_reference_gives_no_filter_in_either_engine() -> None:
    # found by the long fuzz suite: members marked for matching left the generated code's filter unset
    text = (
        "mappings:\n- source: displayName\n  target: displayName\n- source: objectId\n  target: externalId\n"
        "- match: true\n  source: members\n  target: members\nobject: Group\n"
    )
    table = scimmap.load_mapping(text)
    source = {"id": "g", "displayName": "G", "members": [{"id": "u1"}]}
    generated = table.apply(source)
    interpreted, _ = table.explain(source)
    assert generated.match_filters == interpreted.match_filters == []
    assert generated.resource == interpreted.resource and generated.resource["displayName"] == "G"
