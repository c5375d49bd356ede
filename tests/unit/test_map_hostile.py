"""``scimmap map`` under hostile input and signals: no record is lost to its neighbour, line numbers stay
right, an output never overwrites an input, and Ctrl-C / SIGTERM stop a ``--jobs`` run with the counts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _scimmap(*args: str, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "scimmap", *args], input=stdin, capture_output=True, timeout=timeout, env=env, cwd=ROOT
    )


def _user(i: int) -> str:
    return json.dumps({"userPrincipalName": f"u{i}@x"})


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_lines_are_each_their_own_error(tmp_path: Path, jobs: str) -> None:
    lines = [
        b'{"userPrincipalName":"a\\ud800@x"}',  # lone surrogate: UTF-8 cannot carry it
        _user(2).encode(),
        b'{"userPrincipalName":\r"cr@x"}',  # a bare CR between tokens: valid, one record
        b"\x1c",
        "\u0085".encode(),
        "\u3000".encode(),  # not JSON whitespace: counted as errors
        b'{"userPrincipalName":"\xff"}',  # invalid UTF-8
        b'{"userPrincipalName":"n@x","a":NaN}',
        b'{"userPrincipalName":"n@x","a":1e400}',
        b"   \t",  # blank: skipped, not a record
        _user(11).encode(),
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    errors = tmp_path / "errors.jsonl"
    result = _scimmap("map", "--preset", "entra-user", str(source), "--errors", str(errors), "--jobs", jobs)
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr and b"GeneratorExit" not in result.stderr
    names = [json.loads(line)["userName"] for line in result.stdout.splitlines()]
    assert names == ["u2@x", "cr@x", "u11@x"]
    reported = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["code"]) for r in reported] == [
        (1, "invalid-text"),
        (4, "invalid-json"),
        (5, "invalid-json"),
        (6, "invalid-json"),
        (7, "invalid-utf8"),
        (8, "invalid-json"),
        (9, "invalid-json"),
    ]
    assert "input 10, written 3, failed 7" in result.stderr.decode()
    assert b"nan" not in result.stdout.lower() and b"inf" not in result.stdout.lower()


@pytest.mark.parametrize("bad", ['{"a" 1}', '"x"', "NaN", ""])
def test_array_bad_element_loses_nothing_else(tmp_path: Path, bad: str) -> None:
    elements = [_user(i) for i in range(2000)]
    elements[1000] = bad
    source = tmp_path / "in.json"
    source.write_text("[\n" + ",\n".join(elements) + "\n]\n", encoding="utf-8")
    result = _scimmap("map", "--preset", "entra-user", str(source))
    stderr = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in stderr
    assert len(result.stdout.splitlines()) == 1999
    assert "line 1002:" in stderr  # element 1000 is on line 1002 ("[" is line 1)
    assert "input 2000, written 1999, failed 1" in stderr


def test_array_elements_across_chunks_and_strings_with_brackets(tmp_path: Path) -> None:
    tricky = [json.dumps({"userPrincipalName": f"u{i}@x", "note": '],[{"\\' * 5000}) for i in range(40)]
    source = tmp_path / "in.json"
    source.write_text("[" + ",".join(tricky) + "]", encoding="utf-8")
    result = _scimmap("map", "--preset", "entra-user", str(source))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 40


def test_truncated_array_reports_the_cut(tmp_path: Path) -> None:
    source = tmp_path / "in.json"
    source.write_text("[" + ",\n".join(_user(i) for i in range(3)) + ',\n{"userPrincipalName": "cut', encoding="utf-8")
    result = _scimmap("map", "--preset", "entra-user", str(source))
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 3
    assert "input 4, written 3, failed 1" in result.stderr.decode()


@pytest.mark.parametrize("option", ["-o", "--errors"])
@pytest.mark.parametrize("spelling", ["same", "symlink", "hardlink"])
def test_output_naming_the_input_is_refused(tmp_path: Path, option: str, spelling: str) -> None:
    source = tmp_path / "in.jsonl"
    content = (_user(1) + "\n").encode()
    source.write_bytes(content)
    target = tmp_path / "other.jsonl"
    if spelling == "same":
        target = source
    elif spelling == "symlink":
        target.symlink_to(source)
    else:
        os.link(source, target)
    result = _scimmap("map", "--preset", "entra-user", str(source), option, str(target))
    assert result.returncode == 2
    assert b"output-is-input" in result.stderr
    assert source.read_bytes() == content  # never truncated


@pytest.mark.parametrize(
    "args", [["nothere.jsonl"], ["."], ["IN", "-o", "/dev/full"], ["IN", "-o", "."], ["IN", "--errors", "."]]
)
def test_no_traceback_on_bad_files(tmp_path: Path, args: list[str]) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"userPrincipalName":"a\\ud800@x"}\n' + _user(1) + "\n", encoding="utf-8")
    result = _scimmap("map", "--preset", "entra-user", *[str(source) if a == "IN" else a for a in args])
    assert result.returncode == 2, result.stderr
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.decode().strip().splitlines()) <= 2


def test_jobs_is_capped_with_a_note(tmp_path: Path) -> None:
    result = _scimmap("map", "--preset", "entra-user", "--jobs", "100000", stdin=(_user(1) + "\n").encode())
    assert result.returncode == 0
    assert f"using {os.cpu_count()}" in result.stderr.decode()


@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_stops_parallel_run_with_counts(tmp_path: Path, sig: signal.Signals, status: int) -> None:
    source = tmp_path / "big.jsonl"
    source.write_text("".join(_user(i) + "\n" for i in range(400_000)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "scimmap", "map", "--preset", "entra-user", str(source), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()  # the first body is out: the workers are running
        target = os.getpgid(process.pid) if sig == signal.SIGINT else None  # Ctrl-C reaches the whole group
        if target is not None:
            os.killpg(target, sig)
        else:
            process.send_signal(sig)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    text = stderr.decode()
    assert process.returncode == status, text
    assert "Traceback" not in text
    assert "interrupted: input " in text
