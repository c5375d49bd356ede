"""The REPL survives every hostile input of issue 11: each entry gets one answer, the next entry still runs.

Each entry is followed by a probe (``Join("-", "ok", "go")``); the probe's answer must come back after every
one, and no answer may hold a traceback or a raw control character.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scimmap.interactive.commands import ReplSession, internal_error

ROOT = Path(__file__).resolve().parents[2]
PROBE = 'Join("-", "ok", "go")'

HOSTILE = [
    ":now 9999-12-31T23:59:59-01:00",
    ":now 0001-01-01T00:00:00+01:00",
    ":set x=" + "9" * 5000,
    "[x]",
    "BitAnd([x], 1)",
    "DateFromNum([x])",
    ":set s=a\ud800@x",
    "[s]",
    'Join(",", [s], "\u202e")',
    "(" * 3000 + "1" + ")" * 3000,
    "Not(" * 600 + "True" + ")" * 600,
    ":load /dev/null",
    ":load /nonexistent/file.json",
    ":load /",
    ":set y=\x1b[31m\n::error file=x::pwn",
    "[y]",
    ":graph " + "ToLower(" * 8 + "[x]" + ")" * 8,
    ":fmt Switch(",
    ':trace CDate("\x1b]0;title\x07")',
    ":help \x00",
    ":dialect \x85",
    ":param %=\u2028",
    'Item(Split("a,b", ","), "1e400")',
    '"' + "a" * 100_000 + '"',
    ":map",
]


@pytest.mark.parametrize("entry", HOSTILE, ids=range(len(HOSTILE)))
def test_every_hostile_entry_gets_one_answer_and_the_session_goes_on(entry: str) -> None:
    session = ReplSession({"givenName": "Ada"})
    reply = session.respond(entry)
    assert "Traceback" not in reply.text
    assert len(reply.text) < 20_000, "a message must not echo a 100 KB entry"
    assert session.respond(PROBE).text == "ok-go"


def test_an_unforeseen_failure_is_one_escaped_line() -> None:
    line = internal_error(RuntimeError("boom\n::error::x\x1b[2J" + "z" * 10_000))
    assert "\n" not in line and "\x1b" not in line and len(line) < 400
    assert line.startswith("internal error: RuntimeError: boom")


def test_the_stdin_repl_reads_every_line_after_hostile_ones() -> None:
    script = "".join(f"{entry}\n{PROBE}\n" for entry in HOSTILE if "\n" not in entry and "\ud800" not in entry)
    done = subprocess.run(
        [sys.executable, "-m", "scimmap", "repl"], input=script, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    answers = done.stdout.splitlines()
    assert answers.count("ok-go") == script.count(PROBE), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
