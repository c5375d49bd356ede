"""Running mapping tests on both back-ends, with proof that the one under test answered.

``MappingTable.apply`` normally runs the generated table function; the interpreter is the reference it
must agree with.  The ``engine`` fixture (tests/conftest.py) runs a test once per back-end through
``scimmap.mapping.table.set_engine``, and afterwards checks the interpreter's run counter: a test on the
interpreter must have made it run, a test on the generated back-end must not have (the generated code has
no fallback, so a run would mean something answered for it).  Nothing else is patched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import scimmap
from scimmap.mapping import interpreter
from scimmap.mapping.table import MappingTable

ENGINES = ("interpreter", "generated")


class Engine:
    """The back-end a test runs on (``name``); ``runs`` counts the interpreter's objects since the start."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.start = interpreter.RUNS
        self.expect_runs = True

    @property
    def runs(self) -> int:
        return interpreter.RUNS - self.start

    def compile_only(self) -> None:
        """The test expects the table to fail before any object is mapped (a compile-time error)."""
        self.expect_runs = False

    def check(self) -> None:
        if self.name == "generated":
            assert self.runs == 0, f"the interpreter mapped {self.runs} object(s) in a test of the generated back-end"
        elif self.expect_runs:
            assert self.runs > 0, "the interpreter never ran in a test meant for it"


def outcome(call: Callable[[], Any]) -> Any:
    """A comparable summary of one apply: every field (body key order included), or the error."""
    try:
        result = call()
    except scimmap.ScimmapError as error:
        return ("error", type(error).__name__, [str(d) for d in error.diagnostics])
    return (
        json.dumps(result.resource),
        result.match_filters,
        result.in_scope,
        result.skipped,
        result.unresolved,
        json.dumps(result.followup),
        result.object_skipped,
    )


def both(table: MappingTable, source: Any, action: str = "create", **options: Any) -> tuple[Any, Any]:
    """The outcome of each back-end for one object, each proven to have run."""
    generated = table._runner(action, "generated")
    assert hasattr(generated, "__scimmap_source__"), "no generated function for this table"
    interpreted = table._runner(action, "interpreter")
    from scimmap.language.expression import options_of

    arguments = (
        options.get("resolve"),
        options_of(options.get("now"), options.get("exists")),
        options.get("flags", ()),
    )
    before = interpreter.RUNS
    generated_outcome = outcome(lambda: generated(source, *arguments))
    assert before == interpreter.RUNS, "the interpreter answered for the generated back-end"
    interpreted_outcome = outcome(lambda: interpreted(source, *arguments))
    assert before + 1 == interpreter.RUNS, "the interpreter did not run"
    return generated_outcome, interpreted_outcome
