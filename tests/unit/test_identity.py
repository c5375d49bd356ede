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
    line for line in IDENTITY.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
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


class _Counted:
    """A role name that counts equality tests: the old `text not in seen` list made n*n/2 of them."""

    comparisons = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        _Counted.comparisons += 1
        return isinstance(other, _Counted) and other.name == self.name


def test_role_deduplication_is_linear() -> None:
    """Issue 11: 50,000 roles took 11.5 s in AppRoleAssignmentsComplex; counted, not timed."""
    from scimmap.functions.identity import distinct

    n = 5000
    items = [_Counted(f"role{i}") for i in range(n)] + [_Counted("role0"), _Counted(f"role{n - 1}")]
    _Counted.comparisons = 0
    result = distinct(items)
    assert [item.name for item in result] == [f"role{i}" for i in range(n)]
    assert _Counted.comparisons <= 2 * len(items)


def test_app_role_assignments_complex_keeps_first_occurrences_in_order() -> None:
    roles = [f"r{i % 700}" for i in range(50_000)] + ["", "r3"]
    assert scimmap.evaluate("AppRoleAssignmentsComplex([r])", {"r": roles}) == [f"r{i}" for i in range(700)]
