"""Source attribute names the team already uses: in open documents, mapping files of the workspace, samples.

Completion after ``[`` offers Entra's attribute list, but a tenant's directory extensions
(``extension_<appId>_costCenter``) are only known from the files that already read them.  The workspace
is scanned once, in the background, for files that read as mapping tables; each file is re-read only
when its modification time changes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scimmap.errors import ScimmapError
from scimmap.language.nodes import Attribute, walk
from scimmap.lsp.sample import is_sample

SUFFIXES = (".yaml", ".yml", ".json")
SKIPPED_FOLDERS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
MAX_FILES = 500
MAX_SIZE = 1024 * 1024


def table_attributes(table: Any) -> set[str]:
    """Every source attribute a table reads: direct sources, ``[name]`` in expressions, scoping clauses."""
    import scimmap

    names: set[str] = set()
    for mapping in getattr(table, "mappings", ()):
        if mapping.kind == "direct" and mapping.source:
            names.add(mapping.source)
        elif mapping.kind == "expression" and mapping.source:
            try:
                node = scimmap.parse(mapping.source)
            except ScimmapError:
                continue
            names.update(inner.name for inner in walk(node) if isinstance(inner, Attribute))
    for group in getattr(table, "scope", ()):
        names.update(clause.attribute for clause in group.clauses if clause.attribute)
    return names


def _candidates(roots: Iterable[str]) -> Iterator[Path]:
    count = 0
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith("."))
            for name in sorted(files):
                if name.endswith(SUFFIXES) and not is_sample(name):
                    count += 1
                    if count > MAX_FILES:
                        return
                    yield Path(folder) / name


class WorkspaceAttributes:
    """Attribute names per mapping file of the workspace, refreshed on demand."""

    def __init__(self) -> None:
        self._by_file: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def scan(self, roots: Iterable[str]) -> None:
        """Read every mapping file below ``roots`` that changed since the last scan (runs off the loop)."""
        for path in _candidates(roots):
            self.refresh(path)

    def refresh(self, path: Path) -> None:
        from scimmap.mapping.files import read_mapping_text

        try:
            stat = path.stat()
            key = str(path)
            with self._lock:
                known = self._by_file.get(key)
            if known is not None and known[0] == stat.st_mtime:
                return
            if stat.st_size > MAX_SIZE:
                return
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return
        table, _ = read_mapping_text(text, str(path))
        names = frozenset(table_attributes(table)) if table is not None else frozenset()
        with self._lock:
            self._by_file[key] = (stat.st_mtime, names)

    def names(self) -> dict[str, str]:
        """Each name and one file that uses it."""
        found: dict[str, str] = {}
        with self._lock:
            items = sorted(self._by_file.items())
        for file, (_, names) in items:
            for name in names:
                found.setdefault(name, file)
        return found
