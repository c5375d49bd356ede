"""Every subcommand given bad files, full disks and out-of-range values answers with a short message and
exit 2 (or 1 per its contract), never a traceback.  Run as subprocesses: the promise is about the process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, stdin: str = "/dev/null") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(stdin, "rb") as source:
        return subprocess.run(
            [sys.executable, "-m", "scimmap", *args],
            stdin=source,
            capture_output=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "big.json").write_text('{"x": %s}' % ("9" * 5000), encoding="utf-8")
    (tmp_path / "nan.json").write_text('{"x": NaN}', encoding="utf-8")
    (tmp_path / "user.jsonl").write_text('{"userPrincipalName": "a@x"}\n', encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "scimmap", "docs", "functions", "-o", str(tmp_path / "ok.md")],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return tmp_path


CASES = [
    (["map", "--preset", "entra-user", "missing.jsonl"], 2),
    (["map", "--preset", "entra-user", "."], 2),
    (["map", "--preset", "entra-user", "user.jsonl", "-o", "/dev/full"], 2),
    (["map", "--preset", "entra-user", "user.jsonl", "-o", "."], 2),
    (["map", "--preset", "entra-user", "user.jsonl", "--errors", "."], 2),
    (["map", "--mapping", "zero.yaml", "user.jsonl"], 1),
    (["check", "zero.yaml"], 2),
    (["check", "-"], 1),  # stdin is /dev/zero here: bounded read, file-too-large
    (["eval", "[x]", "--input", "/dev/zero"], 1),
    (["eval", "[x]", "--input", "fifo.json"], 1),
    (["eval", "[x]", "--input", "big.json"], 1),
    (["eval", "[x]", "--input", "nan.json"], 1),
    (["eval", "Now()", "--now", "9999-12-31T23:59:59-01:00"], 1),
    (["eval", "[x]", "--set", "x=1", "--json"], 2, "/dev/full"),
    (["docs", "functions", "-o", "/dev/full"], 2),
    (["docs", "functions", "-o", "."], 2),
    (["docs", "mapping-keys", "-o", "."], 2),
    (["docs", "mapping-keys", "-o", "big.json"], 2),  # no markers: refused, the file left as it was
    (["schema", "-o", "."], 2),
    (["convert", "--to", "yaml", "ok.md", "-o", "ok.md"], 2),
    (["preset", "--list"], 2, "/dev/full"),
    (["explain", "[x]"], 2, "/dev/full"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: " ".join(case[0]))
def test_no_traceback(files: Path, case: tuple) -> None:
    args, status, *redirect = case
    if redirect:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        with open(redirect[0], "w") as out:
            result = subprocess.run(
                [sys.executable, "-m", "scimmap", *args],
                stdout=out,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                timeout=120,
                env=env,
                cwd=files,
            )
    else:
        result = _run(args, files, stdin="/dev/zero" if args == ["check", "-"] else "/dev/null")
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr
    assert result.returncode == status, stderr
    said = stderr or (result.stdout or b"").decode("utf-8", "replace")  # check reports on stdout
    assert 0 < len(said.strip().splitlines()) <= 4
