"""``scimmap diff`` as a process: exit codes, the JSON contract, a bad record reported with its line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW, POPULATION = (
    str(ROOT / "examples" / name) for name in ("mapping-old.yaml", "mapping.yaml", "population.jsonl")
)


def diff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scimmap", "diff", *args], capture_output=True, text=True, cwd=ROOT)


def test_json_contract_and_exit_1_when_something_differs() -> None:
    done = diff(OLD, NEW, "--population", POPULATION, "--format", "json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert {"mappings", "scope", "objects", "changes"} <= set(data)
    assert data["objects"] == {"create": 1, "update": 1, "disable": 1, "delete": 0, "unchanged": 2}
    assert {"object", "userName", "action", "attributes"} <= set(data["changes"][0])
    assert {m["change"] for m in data["mappings"]} <= {"added", "removed", "changed"}


def test_a_mapping_against_itself_exits_0() -> None:
    done = diff(NEW, NEW, "--population", POPULATION)
    assert done.returncode == 0, done.stderr
    assert "0 create, 0 update, 0 disable, 0 delete, 5 unchanged" in done.stdout


def test_a_bad_record_is_reported_with_its_line_and_the_rest_decided(tmp_path: Path) -> None:
    lines = Path(POPULATION).read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n", encoding="utf-8")
    done = diff(OLD, NEW, "--population", str(broken), "--format", "json")
    assert done.returncode == 2
    assert "line 2: error[invalid-input]" in done.stderr and "Traceback" not in done.stderr
    assert sum(json.loads(done.stdout)["objects"].values()) == 5


def test_an_unreadable_table_exits_2() -> None:
    done = diff("no-such-preset", NEW)
    assert done.returncode == 2 and "Traceback" not in done.stderr
