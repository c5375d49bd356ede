"""tests/identity.txt: expressions already in canonical form print back unchanged.

The file is the reviewer-readable statement of the canonical form; the pretty layout must in turn be a
fixed point of itself and parse to the same tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import scimmap

IDENTITY = Path(__file__).resolve().parent.parent / "identity.txt"
LINES = [
    line
    for line in IDENTITY.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


def test_identity_file_is_substantial() -> None:
    assert len(LINES) >= 100
    assert len(set(LINES)) == len(LINES), "duplicate lines in identity.txt"


@pytest.mark.parametrize("text", LINES)
def test_prints_back_unchanged(text: str) -> None:
    assert scimmap.format(text) == text
    assert scimmap.format(scimmap.parse(text)) == text


@pytest.mark.parametrize("text", LINES)
def test_pretty_layout_is_a_fixed_point(text: str) -> None:
    pretty = scimmap.format(text, pretty=True)
    assert scimmap.parse(pretty) == scimmap.parse(text)
    assert scimmap.format(pretty, pretty=True) == pretty
    assert scimmap.format(pretty) == text


def test_pretty_layout_of_a_deep_expression() -> None:
    text = 'IIF([a] = "1", Join(", ", Mid([b], 1, 2), ToLower(Mid([c], 2, 64), )), Switch([d], , "x", "y"))'
    expected = """\
IIF(
    [a] = "1",
    Join(
        ", ",
        Mid([b], 1, 2),
        ToLower(Mid([c], 2, 64), )
    ),
    Switch([d], , "x", "y")
)"""
    assert scimmap.format(text, pretty=True) == expected
