"""Every command shown in docs/*.md and README.md is run and its output compared, so the docs cannot drift.

The convention (docs/cli.md, "Examples in the docs are tested", says the same for contributors):

1. A fenced code block whose first non-blank line starts with ``$ `` is a session.  Each ``$ `` line is a
   command; the lines after it, up to the next ``$ `` line or the end of the block, are what it prints:
   standard output and standard error together, in the order they are written.  Trailing spaces and
   trailing blank lines are ignored; the exit code is not checked.
2. A command of the form ``scimmap ARGS`` runs in-process through ``scimmap.cli.main`` (fast).  A command
   with shell syntax (a pipe, a redirection, ``echo``/``printf`` feeding stdin) runs in ``bash`` as a
   subprocess, with the installed ``scimmap`` on ``PATH``: that is where the process boundary matters.
3. Each page runs in its own scratch directory holding a copy of ``examples/``.  A fenced block right after
   ``<!-- docs-test: file PATH -->`` is written to PATH there (the reader sees an ordinary block); blocks
   run in page order, so a file written by one command can be read by a later one.
4. Output that varies is written with placeholders: ``{{any}}`` matches any text within a line,
   ``{{version}}`` the scimmap version, ``{{guid}}`` a GUID, ``{{datetime}}`` an Entra DateTime
   (``M/d/yyyy h:mm:ss tt``), ``{{number}}`` digits; a line holding only ``{{...}}`` matches any number of
   lines, none included.
5. A ``python`` or ``pycon`` block containing ``>>> `` runs as a doctest (``...`` matches anything, as
   with doctest's ELLIPSIS); the blocks of one page share one namespace and run in the scratch directory.
6. ``<!-- docs-test: skip (reason) -->`` right before a fenced block skips it; the reason is required.
   A ``$ scimmap`` line outside a fenced block is an error, because it would never be checked.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import define, field

import scimmap
from scimmap.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)")
DIRECTIVE = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<verb>\w+)\s*(?P<rest>.*?)\s*-->\s*$")
PLACEHOLDERS = {
    "any": r".*?",
    "version": re.escape(scimmap.__version__),
    "guid": r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "datetime": r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M",
    "number": r"-?\d+",
}
PLACEHOLDER = re.compile(r"\{\{(" + "|".join(PLACEHOLDERS) + r")\}\}")
SHELL_SYNTAX = re.compile(r"[|<>;&()`]")


@define
class Block:
    """One fenced block: where it starts, its info string, its lines and the directive just before it."""

    page: Path
    line: int
    info: str
    lines: list[str]
    directive: tuple[str, str] | None = None

    @property
    def where(self) -> str:
        return f"{_shown(self.page)}:{self.line}"


def _shown(page: Path) -> str:
    return str(page.relative_to(ROOT)) if page.is_relative_to(ROOT) else page.name


@define
class Outcome:
    failures: list[str] = field(factory=list)
    ran: int = 0


def blocks(page: Path) -> Iterator[Block]:
    """Fenced blocks in order; a ``$ scimmap`` line outside any block is reported as a block of its own."""
    lines = page.read_text(encoding="utf-8").splitlines()
    directive: tuple[str, str] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = FENCE.match(line)
        if opened:
            indent, fence = len(opened["indent"]), opened["fence"]
            body: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(fence):
                text = lines[index]
                body.append(text[indent:] if not text[:indent].strip() else text.lstrip())
                index += 1
            yield Block(page, index - len(body), opened["info"], body, directive)
            directive = None
        elif DIRECTIVE.match(line):
            found = DIRECTIVE.match(line)
            assert found is not None
            directive = (found["verb"], found["rest"])
        elif line.strip():
            if re.match(r"\s*\$ scimmap\b", line):
                yield Block(page, index + 1, "unfenced", [line.strip()])
            directive = None
        index += 1


def sessions(lines: list[str]) -> Iterator[tuple[int, str, list[str]]]:
    """(offset, command, expected output lines) for each ``$ `` line of a session block."""
    current: tuple[int, str, list[str]] | None = None
    for offset, line in enumerate(lines):
        if line.startswith("$ "):
            if current is not None:
                yield current
            current = (offset, line[2:], [])
        elif current is not None:
            current[2].append(line)
    if current is not None:
        yield current


def expected_pattern(lines: list[str]) -> re.Pattern[str]:
    """The expected output as one regular expression, placeholders expanded, trailing blanks dropped."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    parts = []
    for line in lines:
        if line.strip() == "{{...}}":
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        pieces = PLACEHOLDER.split(line)
        # split() alternates literal text and placeholder names
        regex = "".join(PLACEHOLDERS[p] if i % 2 else re.escape(p) for i, p in enumerate(pieces))
        parts.append(regex + r"\n")
    return re.compile("".join(parts))


def normalised(output: str) -> str:
    lines = [line.rstrip() for line in output.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)


def in_process(command: str) -> str | None:
    """argv for an in-process run, or None when the command needs a shell."""
    if SHELL_SYNTAX.search(_unquoted(command)):
        return None
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    return argv if argv and argv[0] == "scimmap" else None  # type: ignore[return-value]


def _unquoted(command: str) -> str:
    """The command with quoted text blanked out, so that parentheses inside an expression are not syntax."""
    return re.sub(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", "''", command)


def run_in_process(argv: list[str]) -> str:
    """Run one command through ``scimmap.cli.main``: stdin is empty, stdout and stderr are one stream."""
    captured = io.StringIO()
    empty = io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8")
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured), _stdin(empty):
        try:
            main(argv[1:])
        except SystemExit:  # --help, --version and usage errors exit through argparse
            pass
    return captured.getvalue()


@contextlib.contextmanager
def _stdin(stream: io.TextIOWrapper) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = stream
    try:
        yield
    finally:
        sys.stdin = saved


def run_in_shell(command: str, scratch: Path) -> str:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(COLUMNS="80", NO_COLOR="1", PYTHONIOENCODING="utf-8", SCIMMAP_HISTORY=str(scratch / ".history"))
    env.pop("CI", None)  # the pages show what a user sees at a terminal, not the stricter CI mode
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=scratch,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=60,
    )
    return done.stdout


def check_session(block: Block, scratch: Path, outcome: Outcome) -> None:
    for offset, command, expected in sessions(block.lines):
        argv = in_process(command)
        output = run_in_process(argv) if argv is not None else run_in_shell(command, scratch)  # type: ignore[arg-type]
        outcome.ran += 1
        if not expected_pattern(expected).fullmatch(normalised(output)):
            shown = "\n".join(f"    {line}" for line in normalised(output).splitlines()) or "    (nothing)"
            wanted = "\n".join(f"    {line}" for line in expected) or "    (nothing)"
            outcome.failures.append(
                f"{_shown(block.page)}:{block.line + offset}: $ {command}\n  shown:\n{wanted}\n  printed:\n{shown}"
            )


def check_doctest(block: Block, namespace: dict[str, object], outcome: Outcome) -> None:
    text = "\n".join(block.lines) + "\n"
    test = doctest.DocTestParser().get_doctest(text, namespace, block.where, str(block.page), block.line)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # DocTest copies the namespace; later blocks of the page see these names
    outcome.ran += len(test.examples)
    if runner.failures:
        outcome.failures.append(f"{block.where}: doctest failed\n" + "".join(report))


def run_page(page: Path, scratch: Path) -> Outcome:
    outcome = Outcome()
    namespace: dict[str, object] = {}
    for block in blocks(page):
        if block.info == "unfenced":
            outcome.failures.append(
                f"{block.where}: '{block.lines[0]}' is outside a fenced block, so it is never checked"
            )
            continue
        verb, rest = block.directive or ("", "")
        if verb == "skip":
            if not re.fullmatch(r"\(.+\)", rest):
                outcome.failures.append(f"{block.where}: docs-test: skip needs a reason in parentheses")
            continue
        if verb == "file":
            target = scratch / rest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(block.lines) + "\n", encoding="utf-8")
            continue
        if verb:
            outcome.failures.append(f"{block.where}: unknown docs-test directive {verb!r}")
            continue
        first = next((line for line in block.lines if line.strip()), "")
        if first.startswith("$ "):
            check_session(block, scratch, outcome)
        elif block.info in ("python", "pycon", "py") and any(line.lstrip().startswith(">>> ") for line in block.lines):
            check_doctest(block, namespace, outcome)
    return outcome


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_page_examples_print_what_they_show(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("CI", raising=False)  # the pages show a terminal session, not the stricter CI mode
    outcome = run_page(page, tmp_path)
    assert not outcome.failures, "\n\n".join(outcome.failures)


# -- the convention itself ------------------------------------------------------------------------------


def _run(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Run a made-up page the way the real pages are run."""
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return run_page(page, tmp_path)


def test_a_wrong_output_fails_and_a_right_one_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = _run(
        '```\n$ scimmap fmt \'switch([a], "x", "1", "y")\'\nSwitch([a], "x", "1", "y")\n```\n', tmp_path, monkeypatch
    )
    assert good.ran == 1 and not good.failures
    bad = _run(
        '```\n$ scimmap fmt \'switch([a], "x", "1", "y")\'\nswitch([a], "x", "1", "y")\n```\n', tmp_path, monkeypatch
    )
    assert bad.ran == 1 and "printed:" in bad.failures[0]


def test_placeholders_match_what_varies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "```\n$ scimmap eval 'Guid()'\n{{guid}}\n$ scimmap eval 'Now()'\n{{datetime}}\n$ scimmap --version\n"
        "scimmap {{version}}\n$ scimmap preset entra-user\n{{...}}\n```\n"
    )
    outcome = _run(text, tmp_path, monkeypatch)
    assert outcome.ran == 4 and not outcome.failures, outcome.failures


def test_files_skips_and_shell_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        '<!-- docs-test: file data/user.json -->\n```json\n{"givenName": "Ada"}\n```\n\n'
        "```\n$ scimmap eval '[givenName]' --input data/user.json\nAda\n"
        "$ echo '[givenName]' | scimmap eval - --input data/user.json\nAda\n```\n\n"
        "<!-- docs-test: skip (needs a terminal) -->\n```\n$ scimmap repl\nnot checked\n```\n"
    )
    outcome = _run(text, tmp_path, monkeypatch)
    assert outcome.ran == 2 and not outcome.failures, outcome.failures


def test_in_process_commands_read_an_empty_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome = _run("```\n$ scimmap map --preset entra-user\ninput 0, written 0, failed 0\n```\n", tmp_path, monkeypatch)
    assert outcome.ran == 1 and not outcome.failures, outcome.failures


def test_unchecked_commands_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "    $ scimmap fmt '[a]'\n    [a]\n\n<!-- docs-test: skip -->\n```\n$ scimmap fmt x\n```\n"
    failures = _run(text, tmp_path, monkeypatch).failures
    assert len(failures) == 2
    assert "outside a fenced block" in failures[0] and "needs a reason" in failures[1]


def test_python_blocks_run_as_doctests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "```python\n>>> import scimmap\n>>> scimmap.format('Join(\",\",[a])')\n'Join(\",\", [a])'\n```\n"
        "```python\n>>> scimmap.evaluate('[a]', {'a': 'x'})\n'y'\n```\n"
    )
    outcome = _run(text, tmp_path, monkeypatch)
    assert outcome.ran == 3 and len(outcome.failures) == 1 and "Expected" in outcome.failures[0]
