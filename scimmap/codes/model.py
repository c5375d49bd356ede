"""The shape of a diagnostic-code declaration and the merge with the cautions the function catalog declares.

A code is a promise to users: ``scimmap check --select/--ignore`` filter on it, JSON output carries it and
docs/errors.md explains it.  Declaring each code once, with its severity, the exceptions that carry it and its
documentation, lets ``--select`` validation, the generated page and the test that walks every emission site
agree without reading source files at run time.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from attrs import frozen

from scimmap.errors import ScimmapError, Severity


@frozen
class Code:
    """One code: ``doc`` is its docs/errors.md section body (Markdown: prose, then a minimal example).

    ``raised_by`` names, as import paths (``scimmap.ParseError``), the exception classes that carry the code
    out of the library; empty for a code only ``scimmap check`` (or a report) lists.  Paths rather than
    classes keep this module at the bottom of the layers: the classes live in ``provision/``, ``testing/``...
    ``section`` is the docs/errors.md heading the code sits under, filled in by :func:`resolve`.
    """

    name: str
    severity: Severity
    doc: str
    raised_by: tuple[str, ...] = ()
    hint: str | None = None
    """The hint every emission site gives, when it is always the same text (tests/unit/test_codes.py holds
    the sites' literal hints equal to it; :func:`scimmap.codes.hint_for` lets a site read it)."""
    section: str = ""

    @property
    def summary(self) -> str:
        """The first sentence of the documentation, on one line (the docs say it once; this reads it).

        Catalog cautions too: the catalog's own summaries are per function (Prepend's, IsNothing's...), not
        per code."""
        first = " ".join(self.doc.strip().split("\n\n", 1)[0].split())
        match = re.match(r"(.+?\.)(?:\s|$)", first)
        return match.group(1) if match else first

    def exceptions(self) -> tuple[type[ScimmapError], ...]:
        """The classes named by ``raised_by``, imported on demand."""
        found = []
        for path in self.raised_by:
            module, _, name = path.rpartition(".")
            found.append(getattr(importlib.import_module(module), name))
        return tuple(found)


@frozen
class FromCatalog:
    """A code the function catalog declares in a ``Caution`` (so it exists, as a warning, because a function
    declares it); only its docs/errors.md body and its place in the page live here."""

    name: str
    doc: str


Entry = Code | FromCatalog


@frozen
class Section:
    """A heading of docs/errors.md grouping codes ("Expression language", "Mapping files"...)."""

    title: str
    codes: tuple[Entry, ...]
    intro: str = ""


class CautionLike(Protocol):
    """What the registry reads of a catalog ``Caution``."""

    @property
    def code(self) -> str: ...

    @property
    def summary(self) -> str: ...


class SpecLike(Protocol):
    """What the registry reads of a ``FunctionSpec``: its cautions."""

    @property
    def cautions(self) -> Iterable[CautionLike]: ...


def resolve(sections: Sequence[Section], catalog: Iterable[SpecLike]) -> tuple[Code, ...]:
    """Every code in page order, catalog cautions filled in from the catalog.

    The catalog is passed in (not imported) so the registry stays below the function layer.  A caution
    the table has no entry for is still a code (``--select`` must accept it): it joins the first section
    with its summary as documentation, and the registry test says where to document it properly.
    """
    cautions = {caution.code: caution for spec in catalog for caution in spec.cautions}
    codes: list[Code] = []
    for section in sections:
        for entry in section.codes:
            if isinstance(entry, FromCatalog):
                if cautions.pop(entry.name, None) is None:
                    continue  # the catalog dropped it; the registry test reports the stale entry
                codes.append(Code(entry.name, "warning", entry.doc, section=section.title))
            else:
                codes.append(Code(entry.name, entry.severity, entry.doc, entry.raised_by, entry.hint, section.title))
    for name, caution in cautions.items():
        codes.append(Code(name, "warning", caution.summary, section=sections[0].title if sections else ""))
    return tuple(codes)
