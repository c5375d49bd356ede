"""The public API as a type checker and a caller see it: every name in ``__all__`` resolves, functions
carry real signatures, and no name is shadowed by an import."""

from __future__ import annotations

import inspect
import typing

import pytest

import scimmap


def test_every_public_name_resolves_to_a_scimmap_object() -> None:
    for name in scimmap.__all__:
        value = getattr(scimmap, name)
        module = getattr(value, "__module__", "scimmap") or ""
        assert module.startswith("scimmap") or name in ("Dialect", "__version__"), (name, module)


def test_mapping_is_the_mapping_row_not_typing_mapping() -> None:
    from scimmap.mapping.model import Mapping

    assert scimmap.Mapping is Mapping and scimmap.Mapping is not typing.Mapping


def test_functions_have_real_signatures() -> None:
    # Any-typed returns were what users saw through the lazy loader; only evaluate returns Any by design
    # (a value of the language: None, str, int, bool, list[str] or a sentinel).
    for name in scimmap.__all__:
        value = getattr(scimmap, name)
        if not inspect.isfunction(value):
            continue
        signature = inspect.signature(value)
        assert signature.return_annotation is not inspect.Signature.empty, name
        if name != "evaluate":
            assert signature.return_annotation != "Any", name
        for parameter in signature.parameters.values():
            assert parameter.annotation is not inspect.Parameter.empty, (name, parameter.name)


def test_dialect_is_one_type_with_both_names() -> None:
    assert typing.get_args(scimmap.Dialect) == ("provisioning", "cloud-sync")


def test_options_value_and_keywords_agree() -> None:
    text = 'Join("@", [mailNickname], DefaultDomain())'
    options = scimmap.EvaluationOptions(parameters={"DefaultDomain": "contoso.com"})
    by_value = scimmap.evaluate(text, {"mailNickname": "ada"}, options=options)
    by_keyword = scimmap.evaluate(text, {"mailNickname": "ada"}, parameters={"DefaultDomain": "contoso.com"})
    assert by_value == by_keyword == "ada@contoso.com"
    overridden = scimmap.evaluate(text, {"mailNickname": "ada"}, options=options, parameters={"DefaultDomain": "x.org"})
    assert overridden == "ada@x.org"


def test_calls_without_options_share_the_context_of_their_second() -> None:
    """Building a context per object cost more than a small table's mapping; calls that set no option
    share one per second of the real time, which is what each of them would have read."""
    import time
    from datetime import datetime, timezone

    import attrs

    from scimmap.language.expression import NO_OPTIONS

    while time.time() % 1 > 0.9:  # not across a second boundary
        time.sleep(0.05)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    first, second = NO_OPTIONS.context(), scimmap.EvaluationOptions().context()
    assert first is second
    assert first.now == before == datetime.now(timezone.utc).replace(microsecond=0)
    assert NO_OPTIONS.context("sync") is not first and NO_OPTIONS.context("sync").dialect == "sync"
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.tracer = object()  # type: ignore[misc]
    given = datetime(2024, 1, 2, tzinfo=timezone.utc)
    assert scimmap.EvaluationOptions(now=given).context().now == given
