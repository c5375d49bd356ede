"""Special behaviour comes from a function's declaration, never from its name (issue 17).

Each test declares a user function under a new name with one of the FunctionSpec fields that used to be
a name comparison somewhere (Redact's secrecy, IgnoreFlowIfNullOrEmpty's SKIP, Replace's Graph padding,
the role shapes, Switch's lookup table, Join's inlined join) and checks that the consumer honours it.  The
user catalog is combined with the built-ins the documented way (``BUILTINS | Catalog([...])``).
"""

from __future__ import annotations

import re
from typing import Any

import attrs
import pytest

import scimmap
from scimmap.functions import BUILTINS
from scimmap.functions.catalog import Catalog, FunctionSpec, Lookup, Param, RoleShape
from scimmap.language.graphjson import graph_text
from scimmap.language.trace import render_trace
from scimmap.language.values import SKIP
from scimmap.mapping.specials import constant_switch, role_shape

SECRET = "Hunter2pass"


def _with(spec: FunctionSpec) -> Catalog:
    return BUILTINS | Catalog([spec])


def _renamed(name: str, new: str, **changes: Any) -> Catalog:
    spec = BUILTINS.get(name)
    assert spec is not None
    return _with(attrs.evolve(spec, name=new, **changes))


def test_a_declared_secret_function_is_hidden_in_the_trace() -> None:
    catalog = _with(
        FunctionSpec("Hide", (Param("value", type="any"),), lambda value: value, returns="any", secret=True)
    )
    compiled = scimmap.compile("ToLower(Hide([pw]))", catalog=catalog)
    assert compiled.evaluate({"pw": SECRET}) == SECRET.lower()
    steps, _, error = compiled.trace({"pw": SECRET})
    rendered = render_trace(compiled, steps, error)
    assert "[Redact]" in rendered
    assert SECRET not in rendered and SECRET.lower() not in rendered


def test_a_declared_secret_function_hides_failure_messages() -> None:
    catalog = _with(
        FunctionSpec("Hide", (Param("value", type="any"),), lambda value: value, returns="any", secret=True)
    )
    compiled = scimmap.compile('DateAdd("d", BitAnd(Hide([pin]), 1), "2024-01-01")', catalog=catalog)
    with pytest.raises(scimmap.ScimmapError) as caught:
        compiled.evaluate({"pin": SECRET})
    shown = str(caught.value) + caught.value.render(color=False)
    assert "Redact" in shown and SECRET not in shown


def test_an_undeclared_function_is_not_secret() -> None:
    catalog = _with(FunctionSpec("Show", (Param("value", type="any"),), lambda value: value, returns="any"))
    compiled = scimmap.compile("Show([pw])", catalog=catalog)
    steps, _, error = compiled.trace({"pw": SECRET})
    assert SECRET in render_trace(compiled, steps, error)


def test_a_declared_skipping_function_lets_its_sentinel_through_other_calls() -> None:
    def drop_x(value: Any) -> Any:
        return SKIP if value == "x" else value

    catalog = _with(FunctionSpec("DropX", (Param("value", type="any"),), drop_x, returns="any", may_skip=True))
    compiled = scimmap.compile("ToUpper(DropX([a]))", catalog=catalog)
    assert compiled.evaluate({"a": "x"}) is SKIP
    assert compiled.evaluate({"a": "y"}) == "Y"


def test_graph_all_slots_pads_the_stored_text() -> None:
    optional = [Param(name, required=False) for name in ("b", "c")]
    spec = FunctionSpec("Pad", (Param("a"), *optional), lambda a, b, c: a, graph_all_slots=True)
    catalog = _with(spec)
    node = scimmap.parse('Pad("x")')
    assert graph_text(node, catalog=catalog) == 'Pad("x", , )'
    assert graph_text(node, catalog=_with(attrs.evolve(spec, graph_all_slots=False))) == 'Pad("x")'


def test_a_declared_role_shape_reaches_the_mapping_engine() -> None:
    shape = RoleShape(whole=True, label="display", asserted=True)
    catalog = _renamed("AppRoleAssignmentsComplex", "MyRoles", role_shape=shape)
    assert role_shape(scimmap.parse("MyRoles([appRoleAssignments])"), catalog, "provisioning") is shape
    assert role_shape(scimmap.parse("ToLower([x])"), catalog, "provisioning") is None


def test_a_declared_specializer_makes_a_lookup_table() -> None:
    catalog = _renamed("Switch", "Choose")
    text = 'Choose([c], "other", "1", "one", "2", "two")'
    lookup = constant_switch(scimmap.parse(text), catalog, "provisioning")
    assert isinstance(lookup, Lookup) and lookup.keys == {"1": 0, "2": 1}
    compiled = scimmap.compile(text, catalog=catalog)
    assert re.search(r"_t\d+\.get\(", compiled.python_source), compiled.python_source
    assert [compiled.evaluate({"c": c}) for c in ("1", "2", "3")] == ["one", "two", "other"]
    without = scimmap.compile(text, catalog=_renamed("Switch", "Choose", specializer=None))
    assert not re.search(r"_t\d+\.get\(", without.python_source), without.python_source


def test_separator_join_inlines_the_join() -> None:
    text = 'Glue(" ", [a], [b])'
    inlined = scimmap.compile(text, catalog=_renamed("Join", "Glue"))
    generic = scimmap.compile(text, catalog=_renamed("Join", "Glue", separator_join=False))
    assert "+ ' ' +" in inlined.python_source and "+ ' ' +" not in generic.python_source
    for source in ({"a": "x", "b": "y"}, {"a": None, "b": "y"}, {"a": "x", "b": ""}, {"a": ["p", "q"], "b": "y"}):
        assert inlined.evaluate(source) == generic.evaluate(source)


def test_a_create_only_function_must_apply_on_create_and_not_match(monkeypatch: pytest.MonkeyPatch) -> None:
    """SelectUniqueValue's mapping rules come from ``create_only``, so a renamed function gets them too."""
    import scimmap.functions

    text = 'PickFree(Join("@", [givenName], "contoso.com"), Join("@", [surname], "contoso.com"))'
    table = scimmap.MappingTable(mappings=[scimmap.Mapping("userName", "expression", text, match=1)])
    for flagged in (True, False):
        monkeypatch.setattr(
            scimmap.functions, "BUILTINS", _renamed("SelectUniqueValue", "PickFree", create_only=flagged)
        )
        found = {d.code: d.message for d in table.check()}
        if flagged:
            assert found["unique-value-matching"] == "PickFree cannot be used on a matching attribute"
            assert found["unique-value-apply"] == "PickFree must only apply during object creation"
        else:
            assert not {"unique-value-matching", "unique-value-apply"} & set(found)
