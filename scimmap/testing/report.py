"""What ``scimmap test`` prints: a pytest-like text report, or JSON for tools.

Text: one line of status characters per file (``.`` passed, ``F`` failed, ``E`` error, ``N`` new), then
each failure and error with its ``file:line:col``, the expected/actual diff and the trace of the
expression, a short summary and the counts.  JSON: ``{"summary", "problems", "cases"}``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from typing import Any

from scimmap.errors import Diagnostic
from scimmap.testing.runner import ERROR, FAILED, NEW, PASSED, CaseResult

STATUS_CHARS = {PASSED: ".", FAILED: "F", ERROR: "E", NEW: "N"}
ORDER = (FAILED, PASSED, ERROR, NEW)
_COLORS = {"red": "\x1b[31m", "green": "\x1b[32m", "yellow": "\x1b[33m", "bold": "\x1b[1m", "reset": "\x1b[0m"}


def counts(results: Sequence[CaseResult], problems: Sequence[Diagnostic]) -> dict[str, int]:
    found = {status: 0 for status in ORDER}
    for result in results:
        found[result.status] += 1
    found[ERROR] += sum(1 for p in problems if p.severity == "error")
    return found


def summary_line(found: dict[str, int], seconds: float, updated: int = 0, deselected: int = 0) -> str:
    parts = [
        f"{found[status]} {status}{'s' if status == ERROR and found[status] != 1 else ''}"
        for status in ORDER
        if found[status]
    ]
    if updated:
        parts.append(f"{updated} updated")
    if deselected:
        parts.append(f"{deselected} deselected")
    return f"{', '.join(parts) or 'no cases'} in {seconds:.2f}s"


def render_text(
    results: Sequence[CaseResult],
    problems: Sequence[Diagnostic],
    *,
    seconds: float,
    color: bool = False,
    updated: Sequence[str] = (),
    deselected: int = 0,
    ci: bool = False,
) -> str:
    paint = _COLORS if color else {key: "" for key in _COLORS}
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))
    files = sorted({r.case.file for r in results} | {_file(p) for p in problems})
    out = [
        f"{paint['bold']}scimmap test{paint['reset']}: {len(results)} case{'s' if len(results) != 1 else ''} "
        f"in {len(files)} file{'s' if len(files) != 1 else ''}"
        + (" (CI: cases without an expected value fail)" if ci else ""),
        "",
    ]
    by_file: dict[str, list[CaseResult]] = {}
    for result in results:
        by_file.setdefault(result.case.file, []).append(result)
    for file in files:
        marks = "".join(STATUS_CHARS[r.status] for r in by_file.get(file, []))
        if any(_file(p) == file for p in problems):
            marks += "E"
        out.append(f"{file} {marks}")
    failures = [r for r in results if r.status in (FAILED, ERROR)]
    if problems or failures:
        out.append("")
        out.append(_rule("FAILURES", "=", width))
    for problem in problems:
        out.append(_rule(_file(problem), "_", width))
        out.append(problem.render(color=color))
    for result in failures:
        out.extend(_failure(result, width, color, paint))
    notes = [(r, note) for r in results for note in r.notes]
    if notes:
        out.append(_rule("notes", "=", width))
        out.extend(f"{r.case.id}: {note}" for r, note in notes)
    short = [r for r in results if r.status in (FAILED, ERROR, NEW)]
    if short or problems:
        out.append(_rule("short test summary info", "=", width))
        for problem in problems:
            out.append(f"ERROR {_file(problem)} - {problem.code}: {problem.message}")
        for result in short:
            label = {FAILED: "FAILED", ERROR: "ERROR", NEW: "NEW"}[result.status]
            tail = " (record it: scimmap test --update)" if result.status == NEW else ""
            out.append(f"{label} {result.case.id} - {result.message}{tail}")
    if updated:
        out.append(_rule("updated", "=", width))
        out.extend(f"wrote the actual outcome into {name}" for name in updated)
    found = counts(results, problems)
    tone = paint["red"] if found[FAILED] or found[ERROR] else paint["yellow"] if found[NEW] else paint["green"]
    out.append(tone + _rule(summary_line(found, seconds, len(updated), deselected), "=", width) + paint["reset"])
    return "\n".join(out)


def _failure(result: CaseResult, width: int, color: bool, paint: dict[str, str]) -> list[str]:
    title = result.case.id + ("" if result.status == FAILED else " (error)")
    return [_rule(title, "_", width), *failure_body(result, color=color), ""]


def failure_body(result: CaseResult, *, color: bool = False) -> list[str]:
    """Where the case is, what differs (or the diagnostics that stopped it), and the expression's trace."""
    paint = _COLORS if color else {key: "" for key in _COLORS}
    case = result.case
    lines = [f"  --> {case.file}:{case.line}:{case.column}"]
    if result.status == FAILED:
        lines.append(f"  {result.message}")
        for line in result.details:
            tone = paint["red"] if line.startswith("-") else paint["green"] if line.startswith("+") else ""
            lines.append("    " + tone + line + (paint["reset"] if tone else ""))
    else:
        diagnostics = result.diagnostics
        if diagnostics:
            lines.extend(d.render(color=color) for d in diagnostics)
        else:
            lines.append(f"  {result.message}")
    if result.trace:
        lines.append("")
        lines.extend("  " + line for line in result.trace.split("\n"))
    return lines


def _rule(title: str, char: str, width: int) -> str:
    title = f" {title} "
    if len(title) >= width - 2:
        return title.strip()
    left = (width - len(title)) // 2
    return char * left + title + char * (width - len(title) - left)


def _file(problem: Diagnostic) -> str:
    return problem.origin.file if problem.origin is not None else "<case file>"


def to_json(
    results: Sequence[CaseResult],
    problems: Sequence[Diagnostic],
    *,
    seconds: float,
    updated: Sequence[str] = (),
    deselected: int = 0,
) -> dict[str, Any]:
    found = counts(results, problems)
    return {
        "summary": {
            **found,
            "total": len(results),
            "deselected": deselected,
            "updated": len(updated),
            "seconds": round(seconds, 3),
        },
        "problems": [p.to_dict() for p in problems],
        "cases": [_case_json(r, r.case.id in set(updated)) for r in results],
    }


def _case_json(result: CaseResult, updated: bool) -> dict[str, Any]:
    case = result.case
    expected = case.expected
    outcome = result.outcome
    return {
        "id": case.id,
        "file": case.file,
        "line": case.line,
        "column": case.column,
        "kind": case.kind,
        "name": case.name,
        "target": case.target,
        "description": case.description,
        "status": result.status,
        "message": result.message,
        "expected": None if expected is None else {"key": expected.key, "value": expected.value},
        "outcome": None
        if outcome is None
        else {
            "kind": outcome.kind,
            "value": outcome.code if outcome.kind == "error" else outcome.value,
        },
        "diff": result.details,
        "trace": result.trace,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
        "notes": result.notes,
        "updated": updated,
        "seconds": round(result.seconds, 6),
    }


def dumps(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False)


__all__ = ["counts", "dumps", "failure_body", "render_text", "summary_line", "to_json"]
