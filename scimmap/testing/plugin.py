"""The pytest plugin (entry point ``pytest11: scimmap``): case files collected as pytest items.

With scimmap installed, ``pytest`` collects ``*.cases.yaml``, ``*.cases.yml``, ``*.cases.json`` and
HRProvisioningTests ``Tests/<target>/Data/*.json`` files wherever it collects tests, one item per case, so
``-k``, ``-x``, ``--lf``, pytest-xdist, ``--junitxml`` and IDE test runners work on them as on any test.
Items run through the same runner as ``scimmap test``; a failure shows the same diff, trace and
``file:line``.  A case without an expected value passes with a warning, and fails when ``CI`` is set.

Turn collection off for a project with the ini option ``scimmap_cases = false`` or ``-p no:scimmap``.
This module is imported by pytest at start-up in every project where scimmap is installed, so it imports
nothing heavy until a case file is actually found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_RUNNER = pytest.StashKey[Any]()


class ScimmapCaseWarning(pytest.PytestWarning):
    """A scimmap case expects nothing yet (``scimmap test --update`` records its outcome)."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "scimmap_cases",
        type="bool",
        default=True,
        help="collect scimmap case files (*.cases.yaml, *.cases.json, HRProvisioningTests Data/*.json)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if not parent.config.getini("scimmap_cases"):
        return None
    from scimmap.testing.cases import is_case_file
    from scimmap.testing.hrsuite import holds_hr_case

    if is_case_file(file_path) or holds_hr_case(file_path):
        return CaseFile.from_parent(parent, path=file_path)
    return None


def _runner(config: pytest.Config) -> Any:
    runner = config.stash.get(_RUNNER, None)
    if runner is None:
        from scimmap.testing.runner import Runner

        runner = Runner()
        config.stash[_RUNNER] = runner
    return runner


class CaseFile(pytest.File):
    """One case file: an item per case, plus one for problems that concern the whole file."""

    def collect(self) -> Iterator[pytest.Item]:
        from scimmap.testing.discover import read

        cases, problems = read(self.path)
        if problems:
            yield FileProblems.from_parent(self, name="(file)", problems=problems)
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseFailed(Exception):
    """Raised by a failing case; carries the runner's result for :meth:`CaseItem.repr_failure`."""

    def __init__(self, result: Any) -> None:
        super().__init__(result.message)
        self.result = result


class _NoFixtures(pytest.Item):
    """An item without fixtures that still has the (empty) ``funcargs`` some plugins expect of every item.

    pytest-lsp 1.0's ``pytest_runtest_call`` wrapper returns without yielding for an item that lacks
    ``funcargs``, which makes pytest fail every non-function item with "did not yield" wherever that
    plugin is installed; an empty mapping lets it pass our items through.
    """

    funcargs: dict[str, Any]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.funcargs = {}


class CaseItem(_NoFixtures):
    def __init__(self, *, case: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        from scimmap.testing.runner import ERROR, FAILED, NEW

        result = _runner(self.config).run(self.case)
        for note in result.notes:
            self.warn(ScimmapCaseWarning(f"{self.case.id}: {note}"))
        if result.status == NEW:
            self.warn(ScimmapCaseWarning(f"{self.case.id}: {result.message}; record it with `scimmap test --update`"))
        if result.status in (FAILED, ERROR):
            raise CaseFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFailed):
            return render_result(excinfo.value.result)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.line - 1, f"scimmap case {self.case.name}"


class FileProblems(_NoFixtures):
    """Problems of the file itself (YAML syntax, unknown top-level keys) fail as one item."""

    def __init__(self, *, problems: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.problems = problems

    def runtest(self) -> None:
        if any(problem.severity == "error" for problem in self.problems):
            raise CaseFileProblem("\n".join(problem.render() for problem in self.problems))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, CaseFileProblem):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "scimmap case file"


class CaseFileProblem(Exception):
    pass


def render_result(result: Any) -> str:
    """The failure text ``scimmap test`` prints for one case."""
    from scimmap.testing.report import failure_body

    return "\n".join([result.message, *failure_body(result)])
