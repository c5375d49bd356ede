"""``scimmap test --init MAPPING``: a starter case file, one case per mapping, with today's results pinned.

The offline counterpart of HRProvisioningTests' New-HRProvisioningRulesTestSuite.  It writes a skeleton
(a sample object holding every source attribute the table reads, one mapping-row case per mapping and one
whole-object create case) and then records the current outcomes with the same snapshot writer as
``--update``, so the starter file is exactly what ``scimmap test`` reads back and passes.  Mappings that
draw random values (Guid, RandomString) get a comment instead of a case: a mapping-row case cannot pin
their seed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from scimmap.errors import ScimmapError
from scimmap.mapping.yamlwrite import yaml_scalar
from scimmap.testing.runner import ERROR

RANDOM_FUNCTIONS = ("guid", "randomstring")
FIXED_NOW = "2025-01-15T09:00:00Z"

SAMPLES: dict[str, Any] = {
    "objectid": "8c1f2a0e-5b7d-4c2e-9f31-0d6e7a9b4c21",
    "issoftdeleted": "False",
    "accountenabled": True,
    "userprincipalname": "ada.lovelace@contoso.com",
    "originaluserprincipalname": "ada.lovelace@contoso.com",
    "mail": "ada.lovelace@contoso.com",
    "mailnickname": "ada.lovelace",
    "displayname": "Ada Lovelace",
    "givenname": "Ada",
    "surname": "Lovelace",
    "jobtitle": "Analyst",
    "department": "Research",
    "companyname": "Contoso",
    "employeeid": "1001",
    "employeetype": "Employee",
    "employeehiredate": "2024-01-15T09:00:00Z",
    "streetaddress": "1 Main Street",
    "city": "Seattle",
    "state": "WA",
    "postalcode": "98052",
    "country": "US",
    "usagelocation": "US",
    "physicaldeliveryofficename": "Building 1",
    "telephonenumber": "+1 425 555 0100",
    "mobile": "+1 425 555 0101",
    "facsimiletelephonenumber": "+1 425 555 0102",
    "preferredlanguage": "en-US",
    "manager": "b5f1d4a0-1111-4c2b-9d7e-000000000001",
    "proxyaddresses": ["SMTP:ada.lovelace@contoso.com", "smtp:ada@contoso.com"],
    "othermails": ["ada@example.com"],
    "members": ["0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef", "b5f1d4a0-1111-4c2b-9d7e-000000000001"],
}
GROUP_SAMPLES = {
    "displayname": "Research",
    "mailnickname": "research",
    "mail": "research@contoso.com",
    "objectid": "3f0e1c52-7d4b-4a8e-9c1d-5b2a6e8f0a17",
    "description": "The research team",
}
REFERENCES = ("manager", "members")


def write_starter(mapping: str, output: str | None) -> int:
    """The CLI's ``--init``: 0 written, 1 the table cannot be read, 2 usage (refuses to overwrite)."""
    try:
        table, label, folder, stem = _table(mapping)
    except ScimmapError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 1
    to_stdout = output == "-"
    target = Path(output) if output and not to_stdout else folder / f"{stem}.cases.yaml"
    if not to_stdout and target.exists():
        sys.stderr.write(f"scimmap test --init: {target} exists; remove it or choose another file with -o\n")
        return 2
    base = Path.cwd() if to_stdout else target.parent
    reference = label if label.startswith("preset:") else os.path.relpath(Path(mapping).resolve(), base.resolve())
    text, results = starter_text(table, reference, label, base, "<stdout>" if to_stdout else str(target))
    if to_stdout:
        sys.stdout.write(text)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        sys.stderr.write(
            f"wrote {target}: {len(results)} case{'s' if len(results) != 1 else ''} with their current results\n"
        )
    for result in results:
        if result.status == ERROR:
            sys.stderr.write(f"  {result.case.name}: {result.message} (left without an expected value)\n")
    return 0


def starter_text(table: Any, reference: str, label: str, base: Path, file: str) -> tuple[str, list[Any]]:
    """The starter file with the current outcomes recorded, and the results they came from."""
    from scimmap.testing.cases import parse_case_file
    from scimmap.testing.runner import Runner
    from scimmap.testing.snapshot import apply_edits, case_edits

    text = skeleton(table, reference, label)
    cases, _ = parse_case_file(text, file, base)
    runner = Runner(ci=False)
    results = [runner.run(case) for case in cases]
    document = cases[0].document if cases else None
    if document is None:
        return text, results
    return apply_edits(document, [edit for result in results for edit in case_edits(result.case, result)]), results


def _table(mapping: str) -> tuple[Any, str, Path, str]:
    import scimmap
    from scimmap.mapping.presets import names

    path = Path(mapping)
    if path.is_file():
        return scimmap.load_mapping(str(path)), str(path), path.parent, path.name.split(".")[0]
    name = mapping[len("preset:") :] if mapping.startswith("preset:") else mapping
    if name in names():
        return scimmap.preset(name), f"preset:{name}", Path.cwd(), name
    return scimmap.load_mapping(str(path)), str(path), path.parent, path.stem  # raises the reader's diagnostic


def skeleton(table: Any, reference: str, label: str) -> str:
    """The starter file's text before the current results are recorded into it."""
    group = getattr(table, "kind", "User") == "Group"
    names = _attributes(table)
    source = {name: _sample(name, group) for name in names}
    lines = [
        f"# Starter cases for {label}, written by `scimmap test --init`.",
        "# Each case pins what one mapping sends today for the sample object below. Change the sample values,",
        "# add cases for what matters to you (empty attributes, guests, leavers), and run `scimmap test`.",
        f"mapping: {yaml_scalar(reference)}",
        f"now: {FIXED_NOW}",
    ]
    references = {str(v): f"target-{i + 1}" for i, v in enumerate(_reference_ids(source))}
    if references:
        lines.append("resolve:  # source object ids -> ids in the app, for manager and members")
        lines.extend(f"  {yaml_scalar(key)}: {yaml_scalar(value)}" for key, value in references.items())
    lines.append("source:")
    for name, value in source.items():
        lines.extend(_entry(name, value, "  "))
    lines.append("cases:")
    for mapping in table.mappings:
        text = mapping.expression_text or ""
        if any(f"{function}(" in text.lower().replace(" ", "") for function in RANDOM_FUNCTIONS):
            lines.append(f"  # {mapping.target}: {' '.join(text.split())} draws a new random value on every run;")
            lines.append("  # test it with an expression case and a `seed`.")
            continue
        lines.append(f"  - target: {yaml_scalar(mapping.target)}")
        lines.append(f"    description: {yaml_scalar(_describe(mapping))}")
    lines.append(f"  - description: {yaml_scalar('a new ' + ('group' if group else 'user') + ' is created')}")
    lines.append("    action: create")
    return "\n".join(lines) + "\n"


def _entry(name: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, list):
        return [f"{indent}{yaml_scalar(name)}:"] + [f"{indent}  - {yaml_scalar(str(item))}" for item in value]
    if isinstance(value, bool):
        return [f"{indent}{yaml_scalar(name)}: {'true' if value else 'false'}"]
    return [f"{indent}{yaml_scalar(name)}: {yaml_scalar(str(value))}"]


def _describe(mapping: Any) -> str:
    if mapping.kind == "direct":
        return f"from {mapping.source}"
    if mapping.kind == "constant":
        return f"the constant {mapping.source}"
    if mapping.kind == "none":
        return "no source (the default applies on create)"
    text = " ".join((mapping.source or "").split())
    return text if len(text) <= 70 else text[:67] + "..."


def _attributes(table: Any) -> list[str]:
    """Every source attribute the table reads, in first-use order."""
    import scimmap
    from scimmap.language.nodes import Attribute, walk

    seen: dict[str, None] = {}
    for mapping in table.mappings:
        if mapping.kind == "direct" and mapping.source:
            seen.setdefault(mapping.source, None)
        elif mapping.kind == "expression" and mapping.source:
            try:
                node = scimmap.parse(mapping.source)
            except ScimmapError:
                continue
            for inner in walk(node):
                if isinstance(inner, Attribute):
                    seen.setdefault(inner.name, None)
    for group in getattr(table, "scope", ()) or ():
        for clause in group.clauses:
            seen.setdefault(clause.attribute, None)
    return list(seen)


def _sample(name: str, group: bool) -> Any:
    from scimmap.mapping.attributes import source_attribute

    key = name.lower()
    if group and key in GROUP_SAMPLES:
        return GROUP_SAMPLES[key]
    if key in SAMPLES:
        return SAMPLES[key]
    known = source_attribute(name, "Group" if group else "User")
    if known is not None and known.type == "Boolean":
        return "False"
    if known is not None and known.type == "DateTime":
        return "2024-01-15T09:00:00Z"
    if known is not None and known.multivalued:
        return [f"sample {name} 1", f"sample {name} 2"]
    return f"sample {name}"


def _reference_ids(source: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for name in REFERENCES:
        value = source.get(name)
        for item in value if isinstance(value, list) else [value] if value else []:
            if str(item) not in ids:
                ids.append(str(item))
    return ids


__all__ = ["skeleton", "starter_text", "write_starter"]
