"""``--junit-xml FILE``: the JUnit XML that CI systems and test-report dashboards read.

The shape is the one pytest writes (and Jenkins, GitLab, Azure DevOps and GitHub's report actions read):
``<testsuites>`` with one ``<testsuite>`` per case file and one ``<testcase>`` per case, whose ``classname``
is the file and whose ``name`` is the case's target and description (for an HRProvisioningTests case, the
name its Pester test had).  A failure is ``<failure message=...>`` with the diff and the trace; an error
(broken expression, unreadable file) is ``<error type="code">``; a case without an expected value outside
CI is ``<skipped>``, because it asserted nothing.  Text that XML cannot hold (control characters) is
replaced, never dropped silently.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from scimmap.errors import Diagnostic
from scimmap.testing.runner import ERROR, FAILED, NEW, CaseResult

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(results: Sequence[CaseResult], problems: Sequence[Diagnostic], *, seconds: float) -> bytes:
    root = ET.Element("testsuites", name="scimmap test")
    files: dict[str, list[CaseResult]] = {}
    for result in results:
        files.setdefault(result.case.file, []).append(result)
    broken: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        broken.setdefault(problem.origin.file if problem.origin else "<case file>", []).append(problem)
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    host = socket.gethostname()
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for file in sorted(set(files) | set(broken)):
        suite = ET.SubElement(root, "testsuite", name=_clean(file), timestamp=stamp, hostname=_clean(host))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        elapsed = 0.0
        for result in files.get(file, []):
            _testcase(suite, result, counts)
            elapsed += result.seconds
        for problem in broken.get(file, []):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_clean(file),
                name=_clean(f"{Path(file).name} (file)"),
                file=_clean(file),
                line=str(problem.line),
                time="0.000",
            )
            element = ET.SubElement(case, "error", message=_clean(problem.message), type=problem.code)
            element.text = _clean(problem.render())
            counts["tests"] += 1
            counts["errors"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{elapsed:.3f}")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{seconds:.3f}")
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def _testcase(suite: ET.Element, result: CaseResult, counts: dict[str, int]) -> None:
    case = result.case
    element = ET.SubElement(
        suite,
        "testcase",
        classname=_clean(case.file),
        name=_clean(case.name),
        file=_clean(case.file),
        line=str(case.line),
        time=f"{result.seconds:.3f}",
    )
    counts["tests"] += 1
    if result.status == FAILED:
        counts["failures"] += 1
        failure = ET.SubElement(element, "failure", message=_clean(result.message))
        failure.text = _clean(_body(result))
    elif result.status == ERROR:
        counts["errors"] += 1
        diagnostics = result.diagnostics
        error = ET.SubElement(
            element, "error", message=_clean(result.message), type=diagnostics[0].code if diagnostics else "error"
        )
        error.text = _clean(_body(result))
    elif result.status == NEW:
        counts["skipped"] += 1
        ET.SubElement(element, "skipped", message=_clean(result.message + " (record it: scimmap test --update)"))
    if result.notes:
        out = ET.SubElement(element, "system-out")
        out.text = _clean("\n".join(result.notes))


def _body(result: CaseResult) -> str:
    case = result.case
    lines = [f"{case.file}:{case.line}:{case.column}", result.message, *result.details]
    lines.extend(d.render() for d in result.diagnostics)
    if result.trace:
        lines.extend(["", result.trace])
    return "\n".join(lines)


__all__ = ["junit_xml"]
