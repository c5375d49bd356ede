"""The pytest plugin, through pytest's own pytester sessions (the plugin is off for this repository's run)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import scimmap.testing.discover  # noqa: F401 - loaded before pytester snapshots sys.modules: libyaml cannot be imported twice

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "data" / "testing"
SUITE = ROOT / "tests" / "data" / "hrsuite" / "Provisioning"

CASE_FILE = """\
cases:
  - description: upper
    expression: ToUpper([a])
    source: {a: x}
    expect: X
  - description: wrong
    expression: ToLower([a])
    source: {a: X}
    expect: y
  - description: broken
    expression: Swich([a])
    expect: x
  - description: pending
    expression: '"p"'
"""


@pytest.fixture(autouse=True)
def _not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def test_case_files_become_items_with_case_failures(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cases.yaml", team=CASE_FILE)
    pytester.makefile(".py", test_plain="def test_plain():\n    assert True\n")
    result = pytester.runpytest("-p", "scimmap", "-rA")
    result.assert_outcomes(passed=3, failed=2, warnings=1)
    text = result.stdout.str()
    assert "team.cases.yaml::wrong" in text and '- expected: "y"' in text and '+ actual:   "x"' in text
    assert "team.cases.yaml:6:5" in text and "Trace of ToLower([a])" in text
    assert "error[unknown-function]: no function named 'Swich'" in text
    assert "no expected value yet" in text


def test_k_x_and_collect_only(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cases.yaml", team=CASE_FILE)
    result = pytester.runpytest("-p", "scimmap", "--collect-only", "-q")
    assert [line for line in result.outlines if "::" in line] == [
        "team.cases.yaml::upper",
        "team.cases.yaml::wrong",
        "team.cases.yaml::broken",
        "team.cases.yaml::pending",
    ]
    pytester.runpytest("-p", "scimmap", "-k", "upper or pending").assert_outcomes(passed=2, deselected=2, warnings=1)
    pytester.runpytest("-p", "scimmap", "-x").assert_outcomes(passed=1, failed=1)


def test_ci_turns_a_missing_expected_value_into_a_failure(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makefile(".cases.yaml", team=CASE_FILE)
    monkeypatch.setenv("CI", "true")
    pytester.runpytest("-p", "scimmap", "-k", "pending").assert_outcomes(failed=1, deselected=3)


def test_hr_suite_and_team_files_under_xdist(pytester: pytest.Pytester) -> None:
    shutil.copytree(SUITE, pytester.path / "Provisioning")
    shutil.copytree(CASES, pytester.path / "team")
    result = pytester.runpytest_subprocess("-p", "scimmap", "-n", "2", "-p", "no:cacheprovider")
    # 23 team cases pass, the event case too (decided by the provisioning engine); 8 HR cases pass
    # (the placeholder warns).
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") is None and outcomes.get("passed") == 23 + 8
    assert "2 workers" in result.stdout.str()


def test_collection_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makefile(".cases.yaml", team=CASE_FILE)
    pytester.makeini("[pytest]\nscimmap_cases = false\n")
    result = pytester.runpytest("-p", "scimmap")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_this_repository_never_collects_its_fixture_case_files() -> None:
    """tests/data holds case files and an HR suite; the repository's own configuration keeps them out."""
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "tests/data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, completed.stdout + completed.stderr
    assert "cases.yaml" not in completed.stdout
