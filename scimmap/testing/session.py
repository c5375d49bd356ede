"""One run of ``scimmap test``: collect, select, run (stopping early with ``-x``), write snapshots.

The command line and tools that embed scimmap share this; the pytest plugin uses the same collection and
runner through pytest's own session instead.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from attrs import define, field

from scimmap.errors import Diagnostic
from scimmap.testing.discover import collect
from scimmap.testing.runner import ERROR, FAILED, PASSED, CaseResult, Runner
from scimmap.testing.select import keyword_matcher


@define
class Session:
    results: list[CaseResult] = field(factory=list)
    problems: list[Diagnostic] = field(factory=list)
    files: list[str] = field(factory=list)
    missing: list[str] = field(factory=list)
    deselected: int = 0
    updated: list[str] = field(factory=list)
    seconds: float = 0.0
    ci: bool = False

    @property
    def ok(self) -> bool:
        return not any(r.status in (FAILED, ERROR) for r in self.results) and not any(
            p.severity == "error" for p in self.problems
        )


def run_session(
    paths: Sequence[str],
    *,
    keyword: str | None = None,
    exitfirst: bool = False,
    update: bool = False,
    ci: bool | None = None,
) -> Session:
    """Raises :class:`~scimmap.testing.select.SelectionError` for a -k expression that does not parse."""
    started = time.perf_counter()
    matcher = keyword_matcher(keyword) if keyword else None
    collection = collect(paths)
    runner = Runner(ci=ci)
    session = Session(
        problems=list(collection.problems), files=collection.files, missing=collection.missing, ci=runner.ci
    )
    selected = [case for case in collection.cases if matcher is None or matcher(case.id)]
    session.deselected = len(collection.cases) - len(selected)
    if exitfirst and any(p.severity == "error" for p in session.problems):
        selected = []
    for case in selected:
        result = runner.run(case)
        session.results.append(result)
        if exitfirst and result.status in (FAILED, ERROR):
            break
    if update:
        from scimmap.testing.snapshot import write_updates

        session.updated = write_updates(session.results, {})
        written = set(session.updated)
        for result in session.results:
            if result.case.id in written:
                result.status = PASSED
                result.message = "updated: the actual outcome was written into the case file"
    session.seconds = time.perf_counter() - started
    return session


__all__ = ["Session", "run_session"]
