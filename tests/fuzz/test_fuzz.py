"""Hostile input, at volume: nothing but ScimmapError may escape, and every input finishes in bounded time.

Each property runs twice: a short unmarked version (a few dozen examples, part of every CI run) and a long
``fuzz``-marked version (``python3 -m pytest tests/fuzz -m fuzz``; thousands of examples).  Deadlines are
off because shared CI machines stall; instead each input's *CPU* time is bounded, which contention does
not inflate.  A failure here names the function and input: fix the function, never widen the except.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import calls, expression_text, hostile_sources, hostile_values

import scimmap
from scimmap.language.nodes import Attribute, Call, Comparison, Concat, Node

SHORT = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
LONG = settings(max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
CPU_SECONDS = 3.0
"""Per input. Generous: one regex timeout (1 s) may be paid twice while the failure is located."""

TESTS = Path(__file__).resolve().parent.parent
DOC_EXPRESSIONS = sorted(
    {
        case["expression"]
        for group in json.loads((TESTS / "cases" / "entra_docs.json").read_text("utf-8"))
        for case in group["cases"]
    }
)
MAPPING_FILES = sorted((TESTS / "cases" / "checks").glob("*.yaml"))


def bounded(run: Callable[[], Any]) -> Any:
    """Run one public call: it may return or raise ScimmapError, within CPU_SECONDS."""
    started = time.process_time()
    try:
        return run()
    except scimmap.ScimmapError as error:
        for diagnostic in error.diagnostics:
            diagnostic.render()  # rendering must not fail either
        return error
    finally:
        spent = time.process_time() - started
        assert spent < CPU_SECONDS, f"took {spent:.1f} s of CPU"


def everything(text: Any, source: Any = None) -> None:
    for dialect in ("provisioning", "cloud-sync"):
        bounded(lambda: scimmap.format(text, pretty=True))
        bounded(lambda: scimmap.check(text, dialect=dialect))
        compiled = bounded(lambda: scimmap.compile(text, dialect=dialect))
        if isinstance(compiled, scimmap.ScimmapError):
            continue
        outcome = bounded(lambda: compiled.evaluate(source))
        if isinstance(outcome, scimmap.ScimmapError):
            assert isinstance(outcome, scimmap.EvaluationError), outcome.render()
        bounded(lambda: compiled.trace(source))


# ---------------------------------------------------------------------------------------------------
# Random text

random_text = st.one_of(
    st.text(max_size=120),
    st.text(st.sampled_from('IIFSwitchJoinReplaceMid()[]",=<>&%&H1 -\\\n\t\x00\ud800'), max_size=120),
)


@SHORT
@given(random_text)
def test_random_text(text: str) -> None:
    everything(text)


@pytest.mark.fuzz
@LONG
@given(random_text)
def test_random_text_long(text: str) -> None:
    everything(text)


# ---------------------------------------------------------------------------------------------------
# Mutated documented expressions

FRAGMENTS = ["(", ")", ",", ", ,", "[", "]", '"', "\\", "&", "&H", "=", "<>", "%x%", "\x00", "\ud800", "Redact(", "\n"]


@st.composite
def mutated_expressions(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(DOC_EXPRESSIONS))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]))
        if action == "insert":
            text = text[:position] + draw(st.sampled_from(FRAGMENTS) | st.text(max_size=3)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 5)) :]
        elif action == "replace":
            text = text[:position] + draw(st.sampled_from(FRAGMENTS)) + text[position + 1 :]
        elif action == "duplicate":
            end = min(len(text), position + draw(st.integers(1, 20)))
            text = text[:end] + text[position:end] + text[end:]
        else:
            text = text[:position]
    return text


@SHORT
@given(mutated_expressions(), hostile_sources)
def test_mutated_documented_expressions(text: str, source: dict[str, Any]) -> None:
    everything(text, source)


@pytest.mark.fuzz
@LONG
@given(mutated_expressions(), hostile_sources)
def test_mutated_documented_expressions_long(text: str, source: dict[str, Any]) -> None:
    everything(text, source)


@SHORT
@given(expression_text(), hostile_sources)
def test_grammar_text_with_hostile_sources(text: str, source: dict[str, Any]) -> None:
    everything(text, source)


@pytest.mark.fuzz
@LONG
@given(expression_text(), hostile_sources)
def test_grammar_text_with_hostile_sources_long(text: str, source: dict[str, Any]) -> None:
    everything(text, source)


# ---------------------------------------------------------------------------------------------------
# Catalog calls with hostile values


def catalog_call(node: Node, source: dict[str, Any], dialect: str) -> None:
    compiled = scimmap.compile(node, dialect=dialect)  # well-formed by construction
    outcome = bounded(lambda: compiled.evaluate(source))
    if isinstance(outcome, scimmap.ScimmapError):
        assert isinstance(outcome, scimmap.EvaluationError), outcome.render()
        span = outcome.diagnostic.span
        assert span is not None and 0 <= span.start <= span.end <= len(compiled.text)


@SHORT
@given(
    st.sampled_from(["provisioning", "cloud-sync"]).flatmap(lambda d: st.tuples(st.just(d), calls(dialect=d))),
    hostile_sources,
)
def test_catalog_calls_with_hostile_values(drawn: tuple[str, Node], source: dict[str, Any]) -> None:
    catalog_call(drawn[1], source, drawn[0])


@pytest.mark.fuzz
@LONG
@given(
    st.sampled_from(["provisioning", "cloud-sync"]).flatmap(lambda d: st.tuples(st.just(d), calls(dialect=d))),
    hostile_sources,
)
def test_catalog_calls_with_hostile_values_long(drawn: tuple[str, Node], source: dict[str, Any]) -> None:
    catalog_call(drawn[1], source, drawn[0])


# ---------------------------------------------------------------------------------------------------
# Redact: the value never reaches a diagnostic

SECRETS = st.sampled_from(["Hunter2!Secret", "SECRET-2021-13-45", "SECRETnotanumber", "SecretTrue", " SECRET spaced "])


def redact_attributes(node: Node) -> Node:
    """Every ``[x]`` becomes ``Redact([x])`` (trees are shallow: recursion is fine here)."""
    if isinstance(node, Attribute) and node.name == "x":
        return Call("Redact", [node])
    if isinstance(node, Call):
        return Call(node.name, [None if a is None else redact_attributes(a) for a in node.args])
    if isinstance(node, Comparison):
        return Comparison(node.operator, redact_attributes(node.left), redact_attributes(node.right))
    if isinstance(node, Concat):
        return Concat([redact_attributes(p) for p in node.parts])
    return node


def no_secret_in_errors(node: Node, secret: str, other: Any) -> None:
    node = redact_attributes(node)
    compiled = scimmap.compile(node)
    source = {"x": secret, "y": other, "list": [secret, "b"]}
    if "Redact([list])" not in compiled.text:
        source["list"] = ["a", "b"]
    try:
        compiled.evaluate(source)
    except scimmap.EvaluationError as error:
        assert secret.strip() not in error.render(), error.render()
    _steps, _, failure = compiled.trace(source)
    if failure is not None:
        assert secret.strip() not in failure.render()


@SHORT
@given(calls(), SECRETS, hostile_values)
def test_redacted_values_never_appear_in_errors(node: Node, secret: str, other: Any) -> None:
    no_secret_in_errors(node, secret, other)


@pytest.mark.fuzz
@LONG
@given(calls(), SECRETS, hostile_values)
def test_redacted_values_never_appear_in_errors_long(node: Node, secret: str, other: Any) -> None:
    no_secret_in_errors(node, secret, other)


# ---------------------------------------------------------------------------------------------------
# Mapping files


@st.composite
def mapping_texts(draw: st.DrawFn) -> str:
    """A real mapping file, mutated as text or as data, or a random YAML/JSON document."""
    base = draw(st.sampled_from(MAPPING_FILES)).read_text(encoding="utf-8")
    kind = draw(st.sampled_from(["text", "data", "random", "hostile"]))
    if kind == "text":
        for _ in range(draw(st.integers(1, 3))):
            position = draw(st.integers(0, len(base)))
            insert = draw(st.sampled_from(["\n", "  ", "- ", ": ", "[", "{", "&a ", "*a", "!!str ", "\t", '"', "'"]))
            base = base[:position] + insert + base[position + draw(st.integers(0, 3)) :]
        return base
    if kind == "data":
        try:
            data = yaml.safe_load(base)
        except yaml.YAMLError:
            data = {}
        leaf = st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.sampled_from(DOC_EXPRESSIONS)
        )
        if isinstance(data, dict) and isinstance(data.get("mappings"), list) and data["mappings"]:
            index = draw(st.integers(0, len(data["mappings"]) - 1))
            entry = data["mappings"][index]
            if isinstance(entry, dict):
                key = draw(
                    st.sampled_from(
                        ["target", "source", "expression", "constant", "default", "match", "apply", "bogus"]
                    )
                )
                entry[key] = draw(
                    leaf | st.lists(leaf, max_size=2) | st.dictionaries(st.text(max_size=5), leaf, max_size=2)
                )
        return draw(st.sampled_from([yaml.safe_dump, json.dumps]))(data)
    if kind == "random":
        value = draw(
            st.recursive(
                st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                max_leaves=12,
            )
        )
        return draw(st.sampled_from([yaml.safe_dump, json.dumps]))(value)
    return draw(
        st.sampled_from(
            [
                'object: User\nmappings:\n  - target: userName\n    source: !!python/object/apply:os.system ["true"]\n',
                "a: &a [x, x]\nb: &b [*a, *a]\nmappings: [*b, *b]\n",
                "mappings: " + "[" * 40 + "]" * 40,
                "mappings:\n"
                + "".join(f"  - target: t{i}\n    expression: '{'Trim(' * 30}[x]{')' * 30}'\n" for i in range(3)),
                "object: User\x00",
                "",
                "---\n---\n",
                "object: User\nmappings:\n  - target: userName\n    expression: '"
                + "ToLower(" * 200
                + "[x]"
                + ")" * 200
                + "'\n",
            ]
        )
    )


def load_and_apply(text: str, source: dict[str, Any]) -> None:
    table = bounded(lambda: scimmap.load_mapping(text))
    if isinstance(table, scimmap.ScimmapError):
        assert isinstance(table, scimmap.MappingError), table.render()
        return
    bounded(lambda: table.check())
    bounded(lambda: table.apply(source))
    bounded(lambda: table.apply(source, action="update"))


@SHORT
@given(mapping_texts(), hostile_sources)
def test_mapping_files(text: str, source: dict[str, Any]) -> None:
    load_and_apply(text, source)


@pytest.mark.fuzz
@LONG
@given(mapping_texts(), hostile_sources)
def test_mapping_files_long(text: str, source: dict[str, Any]) -> None:
    load_and_apply(text, source)


# ---------------------------------------------------------------------------------------------------
# Specific hostile inputs (not random, always run)

DEEP_DOCUMENTS = {
    "yaml-flow-sequences": "mappings: " + "[" * 5000 + "]" * 5000,
    "yaml-flow-mappings": "mappings: " + "{a: " * 3000 + "1" + "}" * 3000,
    "json-arrays": '{"mappings": ' + "[" * 5000 + "]" * 5000 + "}",
}


@pytest.mark.parametrize("text", list(DEEP_DOCUMENTS.values()), ids=list(DEEP_DOCUMENTS))
def test_deeply_nested_mapping_documents_are_refused(text: str) -> None:
    with pytest.raises(scimmap.MappingError) as raised:
        scimmap.load_mapping(text)
    assert raised.value.diagnostic.code in ("invalid-mapping", "invalid-yaml")


@pytest.mark.parametrize(
    "text",
    [
        'object: User\nmappings:\n  - target: userName\n    source: !!python/object/apply:os.system ["true"]\n',
        "object: User\nmappings:\n  - !!python/object:builtins.object {}\n",
        "a: &a [x, x]\nb: &b [*a, *a]\nmappings: [*b, *b]\n",
    ],
    ids=["python-tag", "python-object", "aliases"],
)
def test_mapping_files_cannot_construct_objects(text: str) -> None:
    with pytest.raises(scimmap.MappingError) as raised:
        scimmap.load_mapping(text)
    assert raised.value.diagnostic.code == "invalid-yaml"


def test_mapping_file_size_limit() -> None:
    from scimmap.mapping.files import MAX_FILE_SIZE

    text = "object: User\n# " + "x" * MAX_FILE_SIZE + "\n"
    started = time.process_time()
    with pytest.raises(scimmap.MappingError):
        scimmap.load_mapping(text)
    assert time.process_time() - started < 1.0


REGEX_BOMB = 'Replace([x], , "(a+)+$", , "b", , )'


def test_catastrophic_regex_from_the_issue_stops_quickly() -> None:
    """The issue's example: either a value or an evaluation diagnostic, well within the time budget."""
    started = time.process_time()
    try:
        value = scimmap.evaluate(REGEX_BOMB, {"x": "a" * 40 + "!"})
    except scimmap.EvaluationError as error:
        assert error.diagnostic.code == "evaluation"
    else:
        assert value == "a" * 40 + "!"  # no match: the regex package finds that without backtracking
    assert time.process_time() - started < 1.5


def test_backtracking_regex_stops_with_an_evaluation_diagnostic() -> None:
    """A pattern the regex package does backtrack on: the time limit must turn it into a diagnostic."""
    started = time.process_time()
    with pytest.raises(scimmap.EvaluationError) as raised:
        scimmap.evaluate('Replace([x], , "(a|aa)+$", , "b", , )', {"x": "a" * 40 + "!"})
    assert raised.value.diagnostic.code == "evaluation"
    assert raised.value.diagnostic.span == scimmap.Span(0, len('Replace([x], , "(a|aa)+$", , "b", , )'))
    assert time.process_time() - started < 3.0  # 1 s limit; locating the failure may pay it twice


@pytest.mark.parametrize(
    ("expression", "dialect"),
    [
        ("CDate(Redact([x]))", "provisioning"),
        ("BitAnd(Redact([x]), 1)", "provisioning"),
        ("Mid([y], Redact([x]), 1)", "provisioning"),
        ("IIF(Redact([x]), 1, 2)", "provisioning"),
        ("CDate(ToLower(Redact([x])))", "provisioning"),
        ('CDate(Join("-", Redact([x]), "z"))', "provisioning"),
        ("Error(Redact([x]))", "cloud-sync"),
    ],
)
def test_redacted_value_is_not_in_the_diagnostic(expression: str, dialect: str) -> None:
    with pytest.raises(scimmap.EvaluationError) as raised:
        scimmap.evaluate(expression, {"x": "Hunter2Secret", "y": "abc"}, dialect=dialect)
    rendered = raised.value.render()
    assert "Hunter2Secret" not in rendered and "hunter2secret" not in rendered
    assert "[Redact]" in raised.value.diagnostic.message


def test_unredacted_values_are_still_quoted() -> None:
    with pytest.raises(scimmap.EvaluationError) as raised:
        scimmap.evaluate("CDate([x])", {"x": "not a date"})
    assert "not a date" in raised.value.diagnostic.message


def nested_list(depth: int) -> Any:
    value: Any = "a"
    for _ in range(depth):
        value = [value, "b"]
    return value


def test_nested_arrays_in_source_data_are_flattened_without_recursion() -> None:
    assert scimmap.evaluate('Join(",", [x])', {"x": [["a", "b"], "c"]}) == "a,b,c"
    assert scimmap.evaluate('Join(",", [x])', {"x": nested_list(20_000)}).count("b") == 20_000


def test_unreadable_source_values_are_evaluation_errors() -> None:
    deep: dict[str, Any] = {}
    current = deep
    for _ in range(20_000):
        current["a"] = {}
        current = current["a"]
    # A nested object that is not a reference has no attribute form: the source view drops it, without
    # recursing into it (it is never converted to text).
    assert scimmap.evaluate("IsNull([x])", {"x": deep}) is True
    with pytest.raises(scimmap.EvaluationError):
        scimmap.evaluate('Join(",", [x])', {"x": 2**20_000})  # over Python's 4,300-digit str() limit
    with pytest.raises(scimmap.EvaluationError):
        scimmap.evaluate("Left([y], [x])", {"x": "9" * 5000, "y": "abc"})
