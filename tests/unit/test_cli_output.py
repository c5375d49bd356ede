"""Output a machine or a person can use: exit statuses through pipes, JSON for clean runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import scimmap
from scimmap.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "tests" / "cases" / "checks"


def _run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run scimmap with stdout a pipe whose reader is already gone: every write fails with EPIPE, the
    worst case of `scimmap ... | head -1` (deterministic, unlike racing a real `head`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "scimmap", *args], stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, timeout=60
        )
    finally:
        os.close(write_end)


@pytest.mark.slow
def test_a_closed_pipe_never_turns_a_failure_into_success() -> None:
    checked = _run_into_closed_pipe("check", str(CHECKS / "expressions.yaml"))
    assert checked.returncode == 1, checked.stderr  # check decided before printing: its own verdict
    assert b"Traceback" not in checked.stderr and b"Exception ignored" not in checked.stderr
    listed = _run_into_closed_pipe("catalog")
    assert listed.returncode == 141, listed.stderr  # output cut short: not a success either
    assert b"Traceback" not in listed.stderr and b"Exception ignored" not in listed.stderr


def test_check_json_prints_an_empty_list_for_a_clean_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "json", str(CHECKS / "clean.yaml")]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["check", "--format", "json", "--select", "conflicting-targets", str(CHECKS / "expressions.yaml")]) == 0
    assert capsys.readouterr().out == "[]\n"  # everything filtered out is clean too


def test_an_invalid_object_is_reported_once_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "object: Usr\nmappings:\n  - {target: userName, source: userPrincipalName, match: 1}\n"
        "  - {target: title, source: jobTtle}\n"
    )
    assert main(["check", "--format", "json", str(path)]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(d["code"], d["line"], d["column"]) for d in found] == [
        ("invalid-mapping", 1, 9),
        ("unknown-attribute", 4, 29),
    ]
    assert found[0]["hint"] == "write `object: User`"
    assert found[1]["message"] == "'jobTtle' is not an Entra user attribute scimmap knows"


def test_a_file_without_mappings_points_at_real_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("object: User\nmapping:\n  - {target: userName, source: userPrincipalName}\n")
    assert main(["check", "--color", "never", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"error[invalid-mapping]: the mapping file has no `mappings:` list\n  --> {path}:1:1\n   | object\n" in out
    assert "did you mean 'mappings'?" in out  # the misspelt key itself
    assert "missing-user-name" not in out  # no pile-up of table-wide problems on a table that is not there
    for line in out.splitlines():
        if line.startswith("   | ") and not set(line[5:]) <= {"^", " "}:
            assert line[5:] in path.read_text(), line  # every snippet is text of the file


def test_the_attributes_reference_named_by_the_hint_exists(capsys: pytest.CaptureFixture[str]) -> None:
    from scimmap.mapping.validate import check_table

    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - {target: userName, source: userPrincipalName, match: 1}\n"
        "  - {target: title, source: zzzzqqq}\n"
    )
    hints = [d.hint for d in check_table(table) if d.code == "unknown-attribute"]
    assert hints and "`scimmap docs attributes`" in hints[0]
    assert main(["docs", "attributes"]) == 0
    out = capsys.readouterr().out
    assert "| `employeeOrgData.division` | String |" in out and "| `proxyAddresses` | String | yes |" in out
    assert "## Group" in out and "| `members` | Reference | yes |" in out


def test_no_restructuredtext_literals_reach_people(capsys: pytest.CaptureFixture[str]) -> None:
    from scimmap.cli import COMMANDS
    from scimmap.interactive.commands import ReplSession
    from scimmap.interactive.repl import Completions

    for command in [None, *("eval" if c == "evaluate" else c for c in COMMANDS)]:
        with pytest.raises(SystemExit):
            main([command, "--help"] if command else ["--help"])
        shown = capsys.readouterr().out
        assert "``" not in shown and shown.strip(), command
    assert main(["catalog"]) == 0
    catalog = capsys.readouterr().out
    assert "``" not in catalog and "(VB `CBool`)" in catalog
    menu = [meta for _, _, _, meta in Completions(ReplSession()).complete("Is")]
    assert menu and not any("``" in meta for meta in menu)
    assert any('`""`' in meta for meta in menu)  # IsNullOrEmpty's summary keeps its literal, in single backticks
    for spec in scimmap.BUILTINS:
        texts = [spec.summary, spec.doc, *spec.notes, *(p.summary for p in spec.params)]
        assert not any("``" in text for text in texts), spec.name


def test_eval_input_of_json_lines_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "[mail]", "--input", str(ROOT / "examples" / "users.jsonl")]) == 1
    err = capsys.readouterr().err
    assert "is not JSON: Extra data at line 2" in err and "this looks like JSON Lines: --input takes one object" in err


def test_docs_mapping_keys_replaces_only_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = (ROOT / "docs" / "mapping-files.md").read_text(encoding="utf-8")
    stale = tmp_path / "mapping-files.md"
    stale.write_text(page.replace("| `match` |", "| `matchh` |"), encoding="utf-8")
    assert main(["docs", "mapping-keys", "-o", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == page
    assert main(["docs", "mapping-keys"]) == 0
    table = capsys.readouterr().out
    assert table in page and "| `flow_behavior` |" in table and "## " not in table
    other = tmp_path / "other.md"
    other.write_text("# no table here\n", encoding="utf-8")
    assert main(["docs", "mapping-keys", "-o", str(other)]) == 2
    assert other.read_text(encoding="utf-8") == "# no table here\n"
