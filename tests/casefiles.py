"""Loading the data-driven case files under tests/cases/ (the specification as data).

A case file is a JSON list of groups ``{"given": {...source attributes...}, "cases": [...]}`` (a single
group object is accepted too).  A case has ``expression`` and exactly one outcome:
``result`` (the value ``scimmap.evaluate`` returns), ``result_regex`` (a ``re.fullmatch`` pattern),
``error`` (a diagnostic code), ``skip: true`` (``SKIP``) or ``skip_object: true`` (``SKIP_OBJECT``).
Optional: ``given`` (overrides the group's), ``now`` (ISO-8601), ``exists`` (values already taken),
``parameters`` (evaluation parameters such as the tenant's ``DefaultDomain``), ``dialect``, ``span``
([start, end] of the first diagnostic), ``id``, ``source`` and ``comment`` (where the behaviour comes from).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"
OUTCOMES = ("result", "result_regex", "error", "skip", "skip_object")


def load(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = data if isinstance(data, list) else [data]
    flat = []
    for group_index, group in enumerate(groups):
        given = group.get("given", {})
        for case_index, case in enumerate(group["cases"]):
            merged = dict(case)
            merged.setdefault("given", given)
            merged.setdefault("id", f"{path.stem}[{group_index}.{case_index}]")
            outcomes = [k for k in OUTCOMES if k in merged]
            if len(outcomes) != 1:
                raise ValueError(f"{path}: case {merged['id']} needs exactly one of {OUTCOMES}, has {outcomes}")
            flat.append(merged)
    return flat


EXPRESSION_FOLDERS = ("", "functions")
"""Folders holding expression cases; targets/, mappings/ and checks/ have formats of their own."""


def expression_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    paths = sorted(p for folder in EXPRESSION_FOLDERS for p in (CASES / folder).glob("*.json"))
    for path in paths:
        for case in load(path):
            yield f"{path.relative_to(CASES)}::{case['id']}", case


DOCUMENTED = CASES / "entra_docs.json"
"""Microsoft's documented examples (../shared/cases/entra_doc_cases.json as the suite keeps it)."""


def documented_cases() -> list[dict[str, Any]]:
    """The documented examples, flattened like every other case file."""
    return load(DOCUMENTED)


def documented_expressions() -> list[str]:
    """Each documented expression text once, sorted (for suites that only need the text)."""
    return sorted({case["expression"] for case in documented_cases()})


def example_slots(dialect: str = "provisioning") -> Iterator[tuple[str, str, Any, Any, Any]]:
    """``(function, example text, argument node, its parameter or None, the text with that argument
    replaced by a placeholder "{}")`` for every argument slot a source value can reach in the catalog's
    documented examples (a constant or an attribute, not a literal-only parameter).

    Property suites put a hostile value into each slot, so a new function is covered without being listed."""
    import scimmap
    from scimmap.functions import BUILTINS
    from scimmap.language.nodes import Attribute, Call, Constant, walk
    from scimmap.language.syntax import parse_expression

    for spec in BUILTINS:
        if dialect not in spec.dialects:
            dialect_here = "cloud-sync" if "cloud-sync" in spec.dialects else "provisioning"
        else:
            dialect_here = dialect
        for example in spec.examples:
            try:
                root = parse_expression(example.expression, dialect_here)
            except scimmap.ScimmapError:
                continue
            for node in walk(root):
                if not isinstance(node, Call):
                    continue
                function = BUILTINS.get(node.name)
                params = function.params if function is not None else ()
                for index, arg in enumerate(node.args):
                    if not isinstance(arg, (Constant, Attribute)):
                        continue
                    param = params[min(index, len(params) - 1)] if params else None
                    if param is not None and param.literal:
                        continue
                    text = example.expression
                    yield spec.name, text, arg, param, text[: arg.span.start] + "{}" + text[arg.span.end :]
