"""The code registry (scimmap/codes/) against the source: every code emitted is declared, every declared
code is emitted, and the severity and exception at each emission site agree with the declaration.

The emission sites are found by walking the AST of every module under scimmap/ (never by regex, which
misreads comments and multi-line calls): the code argument of ``Diagnostic(...)``, ``report(...)`` and
``self.add(...)``, ``default_code = ...`` in exception classes, and ``"code": ...`` dict entries (scimmap
map's error records).  Only string literals (and ``a if c else b`` of literals) count; a code passed in a
variable was a literal at the site that chose it.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from attrs import frozen

from scimmap.codes import SECTIONS, Code, FromCatalog, codes
from scimmap.errors import ScimmapError
from scimmap.functions import BUILTINS

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "scimmap"
TABLE = "scimmap/codes/table.py"

# Positional index of the severity and hint arguments of each reporting call (severity defaults to "error").
SEVERITY_INDEX = {"Diagnostic": 5, "report": 4, "add": 5}
HINT_INDEX = {"Diagnostic": 4, "report": 3, "add": 4}

NOT_CODES = {
    "error": "ScimmapError's own placeholder default_code; every exception scimmap raises is a subclass that sets its own",
}
"""Literals that look like emitted codes but are not, each with the reason."""

RESERVED: dict[str, str] = {}
"""Registered codes no site emits yet, each with the reason (none today)."""


@frozen
class Site:
    """One place in scimmap/ that emits a code."""

    code: str
    where: str
    kind: str
    severity: str | None = None
    """The literal severity at the site ("error" when the call leaves the default), None when computed."""
    raised_as: str | None = None
    """``module:Class`` of the exception the site raises or declares the code for, when visible."""
    hint: str | None = None
    """The site's hint when it is one string literal."""

    def __str__(self) -> str:
        return f"{self.where} ({self.kind})"


def _literals(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _callee(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in ("Diagnostic", "report", "RecordError"):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr == "report":
            return "report"
        if func.attr == "add" and isinstance(func.value, ast.Name) and func.value.id == "self":
            return "add"
    return None


def _argument(call: ast.Call, index: int, keyword: str) -> tuple[bool, ast.expr | None]:
    """(given, node) for one argument passed by position or keyword."""
    if len(call.args) > index:
        return True, call.args[index]
    for kw in call.keywords:
        if kw.arg == keyword:
            return True, kw.value
    return False, None


def _severity(call: ast.Call, callee: str) -> str | None:
    given, node = _argument(call, SEVERITY_INDEX[callee], "severity")
    if not given:
        return "error"
    values = _literals(node)
    return values[0] if values and len(set(values)) == 1 else None


def _raised_as(call: ast.Call, parents: dict[ast.AST, ast.AST], module: str) -> str | None:
    """The exception class a ``Diagnostic(...)`` is handed to directly (``MappingError(Diagnostic(...))``)."""
    parent = parents.get(call)
    if isinstance(parent, (ast.List, ast.Tuple)):
        parent = parents.get(parent)
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id.endswith("Error"):
        return f"{module}:{parent.func.id}"
    return None


def sites_in(text: str, where: str, module: str) -> Iterator[Site]:
    """Every code emitted by one module's source."""
    tree = ast.parse(text)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        at = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and (callee := _callee(node)):
            for code in _literals(_argument(node, 0, "code")[1]) or []:
                if callee == "RecordError":  # scimmap map's failed-record reports: (code, message) only
                    yield Site(code, at, "RecordError(...)", None)
                    continue
                raised = _raised_as(node, parents, module) if callee == "Diagnostic" else None
                hint = _argument(node, HINT_INDEX[callee], "hint")[1]
                literal = hint.value if isinstance(hint, ast.Constant) and isinstance(hint.value, str) else None
                yield Site(code, at, f"{callee}(...)", _severity(node, callee), raised, literal)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "code":
                    for code in _literals(value) or []:
                        yield Site(code, at, '"code": ...', None)
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "default_code" for t in statement.targets
                ):
                    for code in _literals(statement.value) or []:
                        yield Site(code, at, f"{node.name}.default_code", None, f"{module}:{node.name}")


def _sites() -> list[Site]:
    found: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        found += sites_in(path.read_text(encoding="utf-8"), str(relative), module)
    return [site for site in found if site.code not in NOT_CODES]


SITES = _sites()
REGISTRY = {code.name: code for code in codes(BUILTINS)}
CAUTIONS = {caution.code for spec in BUILTINS for caution in spec.cautions}


def _import_path(raised_as: str) -> str:
    """``scimmap.X`` when the package exports the class, else its defining module's path."""
    import scimmap

    module, _, name = raised_as.partition(":")
    return f"scimmap.{name}" if name in scimmap.__all__ else f"{module}.{name}"


def _how_to_register(code: str, sites: list[Site]) -> str:
    """What the integrator adds, where: the declaration with the severity and exceptions the sites show."""
    severities = sorted({site.severity for site in sites if site.severity})
    severity = severities[0] if len(severities) == 1 else "error"
    raised = sorted({_import_path(site.raised_as) for site in sites if site.raised_as})
    listed = ", ".join(f'"{path}"' for path in raised)
    raised_by = f", raised_by=({listed},)" if raised else ""
    return (
        f"- {code}, emitted at {', '.join(map(str, sites))}:\n"
        f'  add Code("{code}", "{severity}"{raised_by}, doc="""<what it means, then a minimal input>""") to the\n'
        f"  Section it belongs to in {TABLE}, then run `scimmap docs errors -o docs/errors.md`"
    )


def test_every_emitted_code_is_registered() -> None:
    missing: dict[str, list[Site]] = {}
    for site in SITES:
        if site.code not in REGISTRY:
            missing.setdefault(site.code, []).append(site)
    assert not missing, "codes emitted but not in the code registry:\n" + "\n".join(
        _how_to_register(code, sites) for code, sites in sorted(missing.items())
    )


def test_every_registered_code_is_emitted_or_reserved() -> None:
    emitted = {site.code for site in SITES} | CAUTIONS
    unused = sorted(set(REGISTRY) - emitted - set(RESERVED))
    assert not unused, (
        f"registered in {TABLE} but emitted nowhere: {unused}; remove them, or list them in RESERVED in "
        "tests/unit/test_codes.py with the reason"
    )
    assert not set(RESERVED) - set(REGISTRY), "RESERVED names codes the registry does not have"


def test_severity_at_each_site_agrees_with_the_registry() -> None:
    wrong = [
        f"{site}: {site.code} is {site.severity!r} here, {REGISTRY[site.code].severity!r} in {TABLE}"
        for site in SITES
        if site.severity and site.code in REGISTRY and site.severity != REGISTRY[site.code].severity
    ]
    assert not wrong, "\n".join(wrong)


def test_literal_hints_agree_with_the_registry() -> None:
    from scimmap.codes import hint_for

    wrong = [
        f"{site}: hint {site.hint!r} differs from {TABLE}'s {hint_for(site.code)!r}"
        for site in SITES
        if site.hint is not None and hint_for(site.code) is not None and site.hint != hint_for(site.code)
    ]
    assert not wrong, "\n".join(wrong)
    assert hint_for("duplicate-key") == "YAML keeps only one of them: remove or merge the duplicate"
    assert hint_for("syntax") is None and hint_for("graph-only-function") is None


def _class(raised_as: str) -> type:
    module, _, name = raised_as.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def test_exception_at_each_site_is_one_the_registry_names() -> None:
    wrong = []
    for site in SITES:
        if site.raised_as is None or site.code not in REGISTRY:
            continue
        raised = _class(site.raised_as)
        declared = REGISTRY[site.code].exceptions()
        if not issubclass(raised, declared):
            names = ", ".join(cls.__qualname__ for cls in declared) or "none"
            wrong.append(f"{site}: raises {site.code} as {raised.__qualname__}; raised_by in {TABLE} names {names}")
    assert not wrong, "\n".join(wrong)


def test_raised_by_names_scimmap_errors() -> None:
    for code in REGISTRY.values():
        assert all(issubclass(cls, ScimmapError) for cls in code.exceptions()), code.name


def test_catalog_cautions_are_documented_once_and_only_there() -> None:
    documented = {entry.name for section in SECTIONS for entry in section.codes if isinstance(entry, FromCatalog)}
    declared_here = {entry.name for section in SECTIONS for entry in section.codes if isinstance(entry, Code)}
    undocumented = sorted(CAUTIONS - documented)
    assert not undocumented, (
        f'catalog cautions without documentation: {undocumented}; add FromCatalog("<code>", doc=...) to the '
        f"section they belong to in {TABLE}, then run `scimmap docs errors -o docs/errors.md`"
    )
    assert not documented - CAUTIONS, (
        f"FromCatalog entries no catalog caution declares: {sorted(documented - CAUTIONS)}"
    )
    assert not CAUTIONS & declared_here, "a caution's code is declared by the catalog; use FromCatalog for it"
    assert all(REGISTRY[name].severity == "warning" for name in CAUTIONS)


def test_names_are_unique_kebab_case() -> None:
    names = [entry.name for section in SECTIONS for entry in section.codes]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", name) for name in names)


def test_every_code_documents_itself_with_balanced_code_fences() -> None:
    """An unterminated fence swallows the following headings on the rendered page (engine-required's did)."""
    for code in REGISTRY.values():
        fences = [line for line in code.doc.splitlines() if line.startswith("```")]
        assert len(fences) % 2 == 0, f"{code.name}: unterminated code block in its doc"
        assert code.summary and "\n" not in code.summary


def test_the_walker_sees_every_emission_form() -> None:
    text = """
class NewError(ScimmapError):
    default_code = "d-code"

def f(self, x):
    Diagnostic("a-code", "m", None, "", None, "warning")
    Diagnostic(code="b-code", message="m")
    report("c-code" if x else "e-code", "m", span, None, severity="error")
    self.add("f-code", "m", "", origin, None, "warning")
    Diagnostic("i-code", "m", hint="do this")
    raise MappingError(Diagnostic("g-code", "m"))
    seen.add("not-a-code")
    return {"line": 1, "code": "h-code"}
"""
    found = {site.code: site for site in sites_in(text, "x.py", "x")}
    assert found["a-code"].hint is None and found["f-code"].hint is None
    assert set(found) == {"a-code", "b-code", "c-code", "d-code", "e-code", "f-code", "g-code", "h-code", "i-code"}
    assert found["a-code"].severity == "warning" and found["b-code"].severity == "error"
    assert found["f-code"].severity == "warning" and found["c-code"].severity == "error"
    assert found["i-code"].hint == "do this"
    assert found["g-code"].raised_as == "x:MappingError" and found["d-code"].raised_as == "x:NewError"


def test_an_unregistered_code_fails_with_what_to_add_where() -> None:
    site = next(sites_in('Diagnostic("input-too-large", "m")', "scimmap/x.py", "scimmap.x"))
    message = _how_to_register(site.code, [site])
    assert "- input-too-large, emitted at scimmap/x.py:1 (Diagnostic(...)):" in message
    assert 'add Code("input-too-large", "error", doc=' in message and f"Section it belongs to in {TABLE}" in message
    assert "scimmap docs errors -o docs/errors.md" in message
    raised = next(sites_in('raise ParseError(Diagnostic("regex-too-large", "m"))', "scimmap/x.py", "scimmap.errors"))
    assert 'raised_by=("scimmap.ParseError",)' in _how_to_register(raised.code, [raised])


def test_known_codes_is_the_registry_and_reads_no_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--select`` validation used to regex-read the installed .py files; a zipped or compiled-only install
    broke it silently.  Now it must work with every file read refused."""
    from scimmap.cli.check import known_codes

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("known_codes() read the file system")

    monkeypatch.setattr(Path, "rglob", refuse)
    monkeypatch.setattr(Path, "read_text", refuse)
    assert known_codes() == set(REGISTRY)


@pytest.mark.parametrize("code", ["syntax", "invalid-mapping", "unauthorized"])
def test_declared_exceptions_import(code: str) -> None:
    assert REGISTRY[code].exceptions()
