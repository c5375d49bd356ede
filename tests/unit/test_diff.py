"""``scimmap diff`` as a library: a designed pair of mappings and a population with known counts for
every outcome, for YAML and for Graph JSON; ``diff A A`` is all unchanged; secrets never in the result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import scimmap
from scimmap.diff import diff_records, diff_tables

ROOT = Path(__file__).resolve().parents[2]
OLD = ROOT / "examples" / "mapping-old.yaml"
NEW = ROOT / "examples" / "mapping.yaml"
POPULATION = ROOT / "examples" / "population.jsonl"


def population() -> list[dict[str, Any]]:
    return [json.loads(line) for line in POPULATION.read_text(encoding="utf-8").splitlines() if line.strip()]


def counts(old: Any, new: Any, action: str = "update") -> dict[str, int]:
    return diff_tables(old, new, population(), action=action).counts


DESIGNED = {"create": 1, "update": 1, "disable": 1, "delete": 0, "unchanged": 2}


def test_designed_pair_gives_the_designed_counts() -> None:
    result = diff_tables(scimmap.load_mapping(OLD), scimmap.load_mapping(NEW), population())
    assert result.counts == DESIGNED
    by_action = {c.action: c for c in result.changes}
    assert by_action["create"].display == "megan@contoso.com"
    assert by_action["disable"].display == "sam@fabrikam.com"
    assert by_action["disable"].attributes == (("active", "True", "False"),)
    assert by_action["update"].attributes == (
        ('emails[type eq "work"].value', "lee@contoso.com", "lee.gu@contoso.com"),
    )
    assert result.differs


def test_the_same_pair_as_graph_json_gives_the_same_counts(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(scimmap.load_mapping(OLD).to_graph()), encoding="utf-8")
    new.write_text(json.dumps(scimmap.load_mapping(NEW).to_graph()), encoding="utf-8")
    assert counts(scimmap.load_mapping(old), scimmap.load_mapping(new)) == DESIGNED


def test_leaving_the_scope_without_an_issoftdeleted_mapping_is_a_delete() -> None:
    new = scimmap.load_mapping(NEW)
    without_active = attrs.evolve(new, mappings=[m for m in new.mappings if m.target != "active"])
    assert counts(scimmap.load_mapping(OLD), without_active) == {**DESIGNED, "disable": 0, "delete": 1}


def test_a_table_against_itself_is_all_unchanged() -> None:
    table = scimmap.load_mapping(NEW)
    result = diff_tables(table, table, population())
    assert result.counts == {"create": 0, "update": 0, "disable": 0, "delete": 0, "unchanged": 5}
    assert not result.differs and result.mappings == () and result.scope is None


def test_whitespace_and_name_case_in_an_expression_is_no_change() -> None:
    table = scimmap.load_mapping(NEW)
    respaced = attrs.evolve(
        table,
        mappings=[
            attrs.evolve(m, source="ignoreflowifnullorempty(  [department] )")
            if m.kind == "expression" and "department" in (m.source or "")
            else m
            for m in table.mappings
        ],
    )
    assert diff_tables(table, respaced).mappings == ()


def test_the_change_itself_lists_default_and_scope() -> None:
    result = diff_tables(scimmap.load_mapping(OLD), scimmap.load_mapping(NEW))
    changed = {m.target: m for m in result.mappings}
    assert changed["title"].change == "changed" and ("default", None, "Staff") in changed["title"].fields
    assert result.scope is not None and result.scope["new"] == [["userPrincipalName ENDS_WITH @contoso.com"]]
    assert set(result.to_json()) >= {"mappings", "scope", "objects", "changes"}


def test_create_compares_what_a_create_sends() -> None:
    """Defaults apply on create only: lee, without a jobTitle, now gets title Staff in the POST."""
    result = diff_tables(scimmap.load_mapping(OLD), scimmap.load_mapping(NEW), population(), action="create")
    lee = next(c for c in result.changes if c.display == "lee@contoso.com")
    assert ("title", None, "Staff") in lee.attributes


def test_bad_records_are_reported_and_the_others_decided() -> None:
    table = scimmap.load_mapping(NEW)
    bad = scimmap.Diagnostic("invalid-input", "not JSON")
    records = [(1, population()[0]), (2, bad), (3, population()[1])]
    result = diff_records(scimmap.load_mapping(OLD), table, records)
    assert result.diagnostics == ((2, bad),)
    assert sum(result.counts.values()) == 2


def test_redacted_values_never_reach_the_result() -> None:
    old = scimmap.load_mapping(NEW)
    secret = attrs.evolve(old, mappings=[*old.mappings, scimmap.Mapping("password", "expression", "Redact([mail])")])
    changes = diff_tables(old, secret, population()).to_json()["changes"]
    passwords = [c["attributes"]["password"]["new"] for c in changes if "password" in c["attributes"]]
    assert passwords and set(passwords) == {"[Redact]"}
    assert not any("adele@contoso.com" in json.dumps(c) for c in changes if "password" in c["attributes"])


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_renderings_show_counts(fmt: str) -> None:
    from scimmap.diff.report import render_markdown, render_text

    result = diff_tables(scimmap.load_mapping(OLD), scimmap.load_mapping(NEW), population())
    out = render_text(result) if fmt == "text" else render_markdown(result)
    assert "disable" in out and "sam@fabrikam.com" in out


def test_the_engine_disables_an_object_whose_exported_source_is_out_of_the_new_scope() -> None:
    """decide.py evaluated the disable from the last exported source under the table's scope, which after
    a scoping change excluded it too: no body, an AssertionError.  The disable now sends active False."""
    from scimmap.provision.decide import decide_object, plan_object
    from scimmap.provision.state import Link

    table = scimmap.load_mapping(NEW)
    sam = population()[2]  # sam@fabrikam.com: out of NEW's scope
    plan = plan_object(table, sam, link=Link("t1", None, sam))
    decision = decide_object(table, plan, {"id": "t1", "userName": "sam@fabrikam.com", "active": True})
    assert decision.action == "disable" and decision.modified == (("active", "True", "False"),)
