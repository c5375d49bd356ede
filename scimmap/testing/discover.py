"""Finding case files under the paths a user gives, and reading them all.

Directories are walked in sorted order (so runs, JUnit files and pytest node ids are stable); hidden
folders, ``node_modules``, ``__pycache__`` and virtual environments are not entered.  A file named on the
command line is read as a case file whatever its name, unless it sits where HRProvisioningTests keeps its
cases.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from attrs import define, field

from scimmap.errors import Diagnostic
from scimmap.testing.cases import Case, is_case_file, read_case_file
from scimmap.testing.hrsuite import holds_hr_case, is_hr_case_path, read_hr_case

SKIPPED_FOLDERS = ("node_modules", "__pycache__")


@define
class Collection:
    cases: list[Case] = field(factory=list)
    problems: list[Diagnostic] = field(factory=list)
    files: list[str] = field(factory=list)
    missing: list[str] = field(factory=list)


def display(path: Path) -> str:
    """A path as people want to read it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def case_files(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """``(files, missing)``: every case file under the paths, and the paths that do not exist."""
    found: list[Path] = []
    missing: list[str] = []
    for given in paths or ["."]:
        path = Path(given)
        if path.is_dir():
            found.extend(_walk(path))
        elif path.is_file():
            found.append(path)
        else:
            missing.append(given)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values()), missing


def _walk(folder: Path) -> Iterable[Path]:
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".")
            and name not in SKIPPED_FOLDERS
            and not (Path(root) / name / "pyvenv.cfg").exists()
        )
        for name in sorted(files):
            path = Path(root) / name
            if is_case_file(path) or holds_hr_case(path):
                yield path


def read(path: Path) -> tuple[list[Case], list[Diagnostic]]:
    """The cases of one file, HRProvisioningTests or scimmap's own format."""
    name = display(path)
    if is_hr_case_path(path) and not is_case_file(path):
        return read_hr_case(path, name)
    return read_case_file(path, name)


def collect(paths: Sequence[str]) -> Collection:
    files, missing = case_files(paths)
    collection = Collection(missing=missing)
    for path in files:
        cases, problems = read(path)
        collection.files.append(display(path))
        collection.cases.extend(cases)
        collection.problems.extend(problems)
    return collection


__all__ = ["Collection", "case_files", "collect", "display", "read"]
