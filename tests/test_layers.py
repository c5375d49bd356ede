"""The layer contract (CONTRIBUTING.md "Module map"): a module imports only from its own layer or below.

An AST walk rather than import-linter: the contract is one table here, it sees imports inside functions too
(scimmap defers heavy imports to keep ``import scimmap`` fast, and a deferred import is still a dependency),
and it needs no configuration language of its own.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scimmap"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("scimmap.errors", "scimmap.prose", "scimmap.codes", "scimmap.reading"),
    ("scimmap.dotnet",),
    ("scimmap.language", "scimmap.functions"),  # the catalog is the language's vocabulary: one layer
    ("scimmap.scim",),
    ("scimmap.mapping",),
    ("scimmap",),  # the public API: a façade over the layers below; the clients above may use it
    ("scimmap.provision", "scimmap.testing", "scimmap.diff", "scimmap.console", "scimmap.docgen"),
    ("scimmap.lsp", "scimmap.interactive"),
    ("scimmap.cli", "scimmap.__main__"),
)


def layer_of(module: str) -> int:
    """The layer of the longest matching package prefix (``scimmap`` alone is the façade)."""
    best: tuple[int, int] | None = None
    for index, names in enumerate(LAYERS):
        for name in names:
            if module == name or (name != "scimmap" and module.startswith(name + ".")):
                if best is None or len(name) > best[1]:
                    best = (index, len(name))
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS (and to CONTRIBUTING.md)")
    return best[0]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute scimmap import, at module level or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend((node.lineno, name) for name in names if name == "scimmap" or name.startswith("scimmap."))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[module_name(p) for p in MODULES])
def test_imports_only_go_down(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = [
        f"line {line}: {target} (layer {layer_of(target)})" for line, target in imports(path) if layer_of(target) > own
    ]
    assert not upward, f"{module_name(path)} (layer {own}) imports upwards: {upward}"


def test_the_walker_sees_deferred_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nfrom scimmap.errors import Span\ndef f():\n    from scimmap.cli import main\n")
    assert imports(sample) == [(2, "scimmap.errors"), (4, "scimmap.cli")]
    assert layer_of("scimmap.cli.map") > layer_of("scimmap.mapping.table") > layer_of("scimmap.errors")
