"""The wheel carries the grammar files and the package finds them from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_grammar_and_loads_it(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("scimmap-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "scimmap/_grammar/expression.lark" in names
    assert "scimmap/py.typed" in names
    assert "scimmap/language/parser_tables.json" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import scimmap, scimmap.language.syntax as s;"
        "print(scimmap.__file__); print(s.grammar_dir());"
        'print(scimmap.evaluate(\'Join("-", "a", "b")\', {}));'
        "print(s.parser('expression').source_path)"
    )
    # Run from the temporary directory with only the unpacked wheel ahead of site-packages, so the
    # checkout's own scimmap (installed editable) cannot be the one imported.
    result = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {probe}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    module_file, grammar, value, source = result.stdout.splitlines()
    assert source == "<deserialized>"  # the shipped tables, not a rebuild (and never a cache file)
    assert module_file.startswith(str(site))
    assert grammar == str(site / "scimmap" / "_grammar")
    assert value == "a-b"


def test_grammar_found_from_checkout() -> None:
    from scimmap.language.syntax import grammar_dir

    assert (grammar_dir() / "expression.lark").is_file()
