"""The registry of diagnostic codes: one declaration per code (severity, exceptions, docs/errors.md text).

``scimmap check --select/--ignore`` validates against it, ``scimmap docs errors`` renders docs/errors.md
from it, and tests/unit/test_codes.py holds it equal to the codes the source emits.  The data is in
:mod:`scimmap.codes.table`; catalog cautions are declared in the function catalog and merged in here.
"""

from __future__ import annotations

from typing import Iterable

from scimmap.codes.model import Code, FromCatalog, Section, SpecLike, resolve
from scimmap.codes.table import HEADER, SECTIONS


def codes(catalog: Iterable[SpecLike]) -> tuple[Code, ...]:
    """Every code in docs/errors.md order; ``catalog`` is the function catalog (``scimmap.functions.BUILTINS``)."""
    return resolve(SECTIONS, catalog)


__all__ = ["HEADER", "SECTIONS", "Code", "FromCatalog", "Section", "codes"]
