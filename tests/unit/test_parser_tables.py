"""The parser comes from tables shipped in the package, never from a cache file anyone could plant.

Issue 11: lark's pickle cache lived at a predictable name in the shared temp folder, and lark unpickles
before it checks anything, so another local user could run code as whoever ran scimmap next.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import lark

from scimmap.language import syntax

ROOT = Path(__file__).resolve().parents[2]


def test_tables_match_the_grammar_files() -> None:
    """Fails when grammar/*.lark changed without `python tools/build_parsers.py`.

    lark numbers LALR states differently from run to run, so the file is compared by what it was built
    from (grammar digest, lark version) and by behaviour (the next test), not byte for byte.
    """
    tables = json.loads(syntax.TABLES_FILE.read_text(encoding="utf-8"))
    assert sorted(tables) == sorted(syntax.GRAMMARS)
    for name in syntax.GRAMMARS:
        text = (syntax.grammar_dir() / f"{name}.lark").read_text(encoding="utf-8")
        assert tables[name]["grammar"] == syntax.grammar_digest(text), (
            f"stale: run `python tools/build_parsers.py` ({name})"
        )
        if tables[name]["lark"] != lark.__version__:
            # A newer lark installed by CI: the shipped tables must then be refused (the parser is built in
            # memory, never from disk), and that is all this run can check; regenerate them to ship again.
            assert syntax._prebuilt(name, text) is None


SAMPLES = {
    "expression": [
        'Join("-", [a], "b")',
        'IIF([x] = "1", Mid([a], 1, 2), NormalizeDiacritics([b]))',
        '[a] & %p% & "c"',
        'Switch([a], , "x", 12.50, &H1F, -3)',
        'Replace([a], , "\\\\d+", , "", , )',
    ],
    "target": ['emails[type eq "work"].value', "urn:ietf:params:scim:schemas:core:2.0:User:name.givenName", "members"],
}


def test_shipped_tables_parse_like_the_grammar() -> None:
    """The deserialized parser builds the same trees as one built from the .lark file, and fails alike."""
    for name, texts in SAMPLES.items():
        grammar = (syntax.grammar_dir() / f"{name}.lark").read_text(encoding="utf-8")
        shipped = syntax._prebuilt(name, grammar)
        assert shipped is not None
        fresh = lark.Lark(grammar, **syntax._PARSER_OPTIONS)
        for text in texts:
            assert shipped.parse(text) == fresh.parse(text), text
        for broken in ("Join(", '"a', "[a] [b]", "emails[", "))"):
            errors = []
            for candidate in (shipped, fresh):
                try:
                    candidate.parse(broken)
                    errors.append(None)
                except lark.exceptions.UnexpectedInput as error:
                    errors.append((type(error).__name__, getattr(error, "pos_in_stream", None)))
            assert errors[0] == errors[1], broken


def test_parsers_are_loaded_from_the_tables() -> None:
    syntax.parser.cache_clear()
    try:
        for name in syntax.GRAMMARS:
            assert syntax.parser(name).source_path == "<deserialized>"
    finally:
        syntax.parser.cache_clear()


def test_stale_tables_fall_back_to_building_in_memory() -> None:
    text = (syntax.grammar_dir() / "expression.lark").read_text(encoding="utf-8")
    assert syntax._prebuilt("expression", text + "\n// edited\n") is None
    assert syntax._prebuilt("expression", text) is not None


class _Plant:
    """Unpickling this creates the marker file: proof that a planted cache ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def _planted(marker: Path) -> bytes:
    """A lark cache file: one line lark reads as a hash, then the pickle it loads before comparing it."""
    return b"0" * 64 + b"\n" + pickle.dumps(_Plant(str(marker)))


def _old_cache_files(folder: Path) -> list[Path]:
    """Where the old code looked: every grammar at its predictable name, plus lark's own default name."""
    paths = []
    for name in syntax.GRAMMARS:
        text = (syntax.grammar_dir() / f"{name}.lark").read_text(encoding="utf-8")
        digest = hashlib.sha256((lark.__version__ + text).encode()).hexdigest()[:16]
        paths.append(folder / "scimmap-lark-cache" / f"{name}-{digest}.lark.cache")
    return paths


def test_planted_pickle_at_the_old_cache_location_never_runs(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    marker = tmp_path / "pwned"
    for path in _old_cache_files(temp):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_planted(marker))
    # lark's own default name (cache=True) lives in the same folder.
    (temp / "lark_cache_planted.tmp").write_bytes(_planted(marker))
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(ROOT)}
    probe = (
        "import tempfile, scimmap;"
        f"assert tempfile.gettempdir() == {str(temp)!r};"
        "print(scimmap.evaluate('Join(\"-\", [a], \"b\")', {'a': 'x'}));"
        "import scimmap.scim.paths as p; p.parse_target('emails[type eq \"work\"].value')"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "x-b"
    assert not marker.exists()
    # And nothing new is written there either: there is no cache to plant into.
    assert sorted(p.name for p in temp.rglob("*") if p.is_file()) == sorted(
        [p.name for p in _old_cache_files(temp)] + ["lark_cache_planted.tmp"]
    )


def test_source_never_asks_lark_for_a_cache() -> None:
    """lark's `cache=` option is the pickle path; scimmap must never pass it (any value but the default)."""
    source = Path(syntax.__file__).read_text(encoding="utf-8")
    assert "cache=" not in source
    assert "import pickle" not in source and "Lark.load(" not in source
    assert tempfile.gettempdir() not in source
