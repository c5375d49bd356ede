"""Output a machine or a person can use: exit statuses through pipes, JSON for clean runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scimmap.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "tests" / "cases" / "checks"


def _run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run scimmap with stdout a pipe whose reader is already gone: every write fails with EPIPE, the
    worst case of `scimmap ... | head -1` (deterministic, unlike racing a real `head`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "scimmap", *args], stdout=write_end, stderr=subprocess.PIPE,
                              cwd=ROOT, timeout=60)
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
