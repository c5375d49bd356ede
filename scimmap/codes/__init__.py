"""The registry of diagnostic codes: one declaration per code (severity, exceptions, docs/errors.md text).

``scimmap check --select/--ignore`` validates against it, ``scimmap docs errors`` renders docs/errors.md
from it, and tests/unit/test_codes.py holds it equal to the codes the source emits.  The data is in
:mod:`scimmap.codes.table`; catalog cautions are declared in the function catalog and merged in here.
"""

from __future__ import annotations

from collections.abc import Iterable

from scimmap.codes.model import Code, FromCatalog, Section, SpecLike, resolve
from scimmap.codes.table import HEADER, SECTIONS


def codes(catalog: Iterable[SpecLike]) -> tuple[Code, ...]:
    """Every code in docs/errors.md order; ``catalog`` is the function catalog (``scimmap.functions.BUILTINS``)."""
    return resolve(SECTIONS, catalog)


def hint_for(name: str) -> str | None:
    """The registry's hint for ``name`` when every occurrence of the code gives the same one, else None.

    An emission site can pass ``hint=hint_for("duplicate-key")`` instead of repeating the text; until the
    sites do, tests/unit/test_codes.py holds their literal hints equal to these.
    """
    for section in SECTIONS:
        for entry in section.codes:
            if entry.name == name and isinstance(entry, Code):
                return entry.hint
    return None


__all__ = ["HEADER", "SECTIONS", "Code", "FromCatalog", "Section", "codes", "hint_for"]
