"""Families of hostile input from issue 11, generated rather than hand-listed: only ScimmapError escapes.

Each family (deep nesting, huge numbers, odd Python types in dicts, NUL in paths, empty argument lists,
long filter chains) is a hypothesis strategy over its size and shape, run against the public API:
``from_graph``, ``parse_target``, ``load_mapping``, ``MappingTable.apply``, ``compile``.  Like
test_fuzz.py, a short unmarked run is part of every test run and a ``fuzz``-marked long run goes deeper.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scimmap
from scimmap.language.graphjson import from_graph

SHORT = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))


def only_scimmap_errors(run: Callable[[], Any]) -> Any:
    """The call returns, or raises ScimmapError whose diagnostics render; anything else fails the test."""
    try:
        return run()
    except scimmap.ScimmapError as error:
        error.render()
        return error


# -- generators ------------------------------------------------------------------------------------

huge_numbers = st.builds(
    lambda sign, digits, tail: sign + digits + tail,
    st.sampled_from(["", "-"]),
    st.integers(4_000, 6_000).map(lambda n: "9" * n) | st.integers(1, 40).map(lambda n: "1" + "0" * n),
    st.sampled_from(["", ".5", "e400", "E-400", ".0e308"]),
)
"""Numbers past int()'s 4,300-digit limit, past a double's range, or just long."""


class Deep(dict):  # type: ignore[type-arg]
    """A deep Graph document that prints as its recipe (hypothesis' printer recurses into the nesting)."""

    recipe = ""
    text = ""
    """Its JSON, built without recursion (json.dumps recurses per level)."""

    def __repr__(self) -> str:
        return self.recipe


@st.composite
def deep_graph(draw: st.DrawFn) -> dict[str, Any]:
    """Graph JSON nested 1 to 5,000 levels through one function or a mix (each level one parameter)."""
    depth = draw(st.integers(1, 5_000))
    node: dict[str, Any] = {"type": "Attribute", "name": "x"}
    names = draw(st.lists(st.sampled_from(["ToLower", "ToUpper", "Trim", "&", "Not"]), min_size=1, max_size=3))
    deep = Deep()
    deep.recipe = f"deep_graph(depth={depth}, names={names})"
    constant = {"type": "Constant", "name": "a", "expression": '"a"'}
    opening: list[str] = []
    closing: list[str] = []
    for level in range(depth):
        name = names[level % len(names)]
        parameters = [{"key": "source", "value": node}]
        if name == "&":
            parameters.append({"key": "source", "value": constant})
        node = {"type": "Function", "name": name, "parameters": parameters}
        opening.append(f'{{"type": "Function", "name": "{name}", "parameters": [{{"key": "source", "value": ')
        closing.append("}" + (f', {{"key": "source", "value": {json.dumps(constant)}}}' if name == "&" else "") + "]}")
    deep.update(node)
    deep.text = "".join(reversed(opening)) + '{"type": "Attribute", "name": "x"}' + "".join(closing)
    return deep


graph_constants = st.builds(
    lambda text, form: {"type": "Constant", "name": text, "expression": form(text)},
    huge_numbers | st.integers(1, 5_000).map(lambda n: "&H" + "F" * n),
    st.sampled_from([lambda t: t, lambda t: f" {t} ", lambda t: json.dumps(t)]),
)

empty_argument_lists = st.builds(
    lambda name, count, expression: {
        "type": "Function",
        "name": name,
        "expression": expression,
        "parameters": [{"key": "source", "value": {"type": "Attribute", "name": "x"}}] * count,
    },
    st.sampled_from(["&", "Join", "Coalesce", "Switch", "ToLower", "Left", "IIF", "="]),
    st.integers(0, 2),
    st.sampled_from([None, "", " "]),
)
"""Functions (cloud-sync ``&`` included) with no or too few parameters and no text to fall back on."""

slot_keys = st.builds(
    lambda digits: {
        "type": "Function",
        "name": "ToLower",
        "parameters": [
            {"key": "source", "value": {"type": "Attribute", "name": "x"}},
            {"key": f"arg{digits}", "value": {"type": "Attribute", "name": "y"}},
        ],
    },
    st.integers(0, 10**12).map(str) | st.integers(20, 5_000).map(lambda n: "9" * n),
)

odd_values = st.one_of(
    st.binary(max_size=5),
    st.sets(st.integers(), max_size=2),
    st.frozensets(st.text(max_size=2), max_size=2),
    st.tuples(st.text(max_size=2)),
    st.complex_numbers(),
    st.just(object()),
    st.just(10**5000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.just(Ellipsis),
)
"""Python values that are not JSON: bytes, sets, complex, arbitrary objects, ints past 4,300 digits."""


@st.composite
def mapping_dicts_with_odd_values(draw: st.DrawFn) -> dict[Any, Any]:
    entry: dict[Any, Any] = {"target": "userName", "source": "userPrincipalName", "match": 1}
    key = draw(st.sampled_from(["target", "source", "constant", "default", "match", "apply", "bogus"]))
    entry[key] = draw(odd_values)
    document: dict[Any, Any] = {"object": "User", "mappings": [entry]}
    if draw(st.booleans()):
        document[draw(st.sampled_from([("tuple", "key"), 1.5, b"bytes"]))] = "x"
    return document


nul_paths = st.builds(
    lambda head, tail, suffix: f"{head}\x00{tail}{suffix}",
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=8),
    st.sampled_from([".yaml", ".yml", ".json", ""]),
)

filter_chains = st.builds(
    lambda count, joiner, value: "emails[" + joiner.join(f"type eq {value}" for _ in range(count)) + "].value",
    st.integers(1, 800),
    st.sampled_from([" and ", " or "]),
    st.sampled_from(['"work"', "1", "true"]) | huge_numbers,
)
"""Targets with long and/or chains (500 ``and`` clauses overflowed the stack in apply) and huge numbers."""


# -- properties ------------------------------------------------------------------------------------


def graph_property(graph: dict[str, Any]) -> None:
    for given_as in (
        graph,
        graph.text if isinstance(graph, Deep) else json.dumps(graph),
    ):  # the public from_graph takes dicts; this one JSON text too
        node = only_scimmap_errors(lambda: from_graph(given_as))
        if isinstance(node, scimmap.ScimmapError):
            continue
        for dialect in ("provisioning", "cloud-sync"):
            compiled = only_scimmap_errors(lambda: scimmap.compile(node, dialect=dialect))
            if not isinstance(compiled, scimmap.ScimmapError):
                only_scimmap_errors(lambda: compiled.evaluate({"x": "a", "y": "b"}))


def target_property(target: str) -> None:
    only_scimmap_errors(lambda: scimmap.parse_target(target))
    table = only_scimmap_errors(
        lambda: scimmap.load_mapping(
            {
                "object": "User",
                "mappings": [
                    {"target": "userName", "source": "userPrincipalName", "match": 1},
                    {"target": target, "source": "mail"},
                ],
            }
        )
    )
    if not isinstance(table, scimmap.ScimmapError):
        only_scimmap_errors(lambda: table.apply({"userPrincipalName": "u", "mail": "m"}))


GRAPH_FAMILIES = st.one_of(deep_graph(), graph_constants, empty_argument_lists, slot_keys)


@SHORT
@given(GRAPH_FAMILIES)
def test_graph_families(graph: dict[str, Any]) -> None:
    graph_property(graph)


@pytest.mark.fuzz
@LONG
@given(GRAPH_FAMILIES)
def test_graph_families_long(graph: dict[str, Any]) -> None:
    graph_property(graph)


@SHORT
@given(filter_chains)
def test_target_families(target: str) -> None:
    target_property(target)


@pytest.mark.fuzz
@LONG
@given(filter_chains)
def test_target_families_long(target: str) -> None:
    target_property(target)


@SHORT
@given(mapping_dicts_with_odd_values() | nul_paths)
def test_load_mapping_families(given_value: Any) -> None:
    outcome = only_scimmap_errors(lambda: scimmap.load_mapping(given_value))
    if isinstance(given_value, str):
        assert isinstance(outcome, scimmap.MappingError)


@pytest.mark.fuzz
@LONG
@given(mapping_dicts_with_odd_values() | nul_paths)
def test_load_mapping_families_long(given_value: Any) -> None:
    only_scimmap_errors(lambda: scimmap.load_mapping(given_value))
