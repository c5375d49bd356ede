"""`scimmap check` on Graph JSON points inside the JSON strings, escapes accounted for, as it does for YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scimmap.cli.check import check_file

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "graph-samples"


def _position(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` in the raw file text."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


OBJECT_MAPPING = {
    "name": "Provision Microsoft Entra ID Users",
    "sourceObjectName": "User",
    "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    "attributeMappings": [
        {
            "targetAttributeName": "userName",
            "matchingPriority": 1,
            "source": {
                "expression": "[userPrincipalName]",
                "name": "userPrincipalName",
                "type": "Attribute",
                "parameters": [],
            },
        },
        {
            "targetAttributeName": "displayName",
            # escapes before the mistake: \" (2 raw chars), \u00e9 (6), an emoji as a surrogate pair (12), \n
            "source": {
                "expression": 'Join("\\"é😀",\n  Swich([department]))',
                "name": "Join",
                "type": "Function",
                "parameters": [],
            },
        },
        {
            "targetAttributeName": "titel",
            "source": {"expression": "[jobTitle]", "name": "jobTitle", "type": "Attribute", "parameters": []},
        },
        {
            "targetAttributeName": "nickName",
            "source": {"expression": "[mailNickame]", "name": "mailNickame", "type": "Attribute", "parameters": []},
        },
    ],
    "scope": {
        "groups": [
            {
                "name": "g",
                "clauses": [
                    {"sourceOperandName": "department", "operatorName": "EQUAL", "targetOperand": {"values": ["Sales"]}}
                ],
            }
        ]
    },
}


def test_an_object_mapping_reports_at_the_characters_inside_its_strings(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    text = json.dumps(OBJECT_MAPPING, indent=2)  # ensure_ascii: é and the emoji are written as \u escapes
    assert "\\u00e9" in text and "\\ud83d\\ude00" in text and '\\"' in text and "\\n" in text
    path.write_text(text)
    found = {d.code: d for d in check_file(str(path))}
    assert (found["unknown-function"].line, found["unknown-function"].column) == _position(text, "Swich")
    assert found["unknown-function"].render().splitlines()[2] == "   |   Swich([department]))"  # line 2 of the value
    assert (found["invalid-target"].line, found["invalid-target"].column) == _position(text, "titel")
    unknown = found["unknown-attribute"]
    assert (unknown.line, unknown.column) == _position(text, "mailNickame", 1)  # the "name" string, 2nd occurrence
    assert (found["invalid-scope"].line, found["invalid-scope"].column) == _position(text, "EQUAL")


def test_a_whole_schema_reports_at_the_real_line(tmp_path: Path) -> None:
    raw = (SAMPLES / "salesforce-synchronization-template-2017.json").read_text(encoding="utf-8")
    broken = raw.replace('"Mid([userPrincipalName], 1, 8)"', '"Mdi([userPrincipalName], 1, 8)"')
    path = tmp_path / "schema.json"
    path.write_text(broken, encoding="utf-8")
    [found] = [d for d in check_file(str(path)) if d.severity == "error"]
    assert found.code == "unknown-function"
    assert (found.line, found.column) == _position(broken, "Mdi(") and found.line > 1000


@pytest.mark.parametrize("kind", ["objectMapping", "schema"])
def test_a_clean_graph_file_stays_clean(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "clean.json"
    if kind == "schema":
        path.write_text((SAMPLES / "salesforce-synchronization-template-2017.json").read_text(encoding="utf-8"))
    else:
        clean = dict(OBJECT_MAPPING, attributeMappings=OBJECT_MAPPING["attributeMappings"][:1], scope=None)
        path.write_text(json.dumps(clean))
    assert [d for d in check_file(str(path)) if d.severity == "error"] == []
