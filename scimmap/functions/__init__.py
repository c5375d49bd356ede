"""The built-in function catalog: importing a family module registers its functions.

Each family module (strings, logic, dates, ...) declares its functions with ``@builtin``; ``BUILTINS`` is
the catalog of all of them.  Adding a function is one decorated function in the right family plus one
case file under ``tests/cases/functions/``.
"""

from __future__ import annotations

import importlib

from scimmap.functions.catalog import Catalog, Example, FunctionSpec, Param, builtin, registered

FAMILIES = ("strings", "text", "logic", "dates", "identity", "cloudsync")

for _family in FAMILIES:
    try:
        importlib.import_module(f"scimmap.functions.{_family}")
    except ModuleNotFoundError as _missing:  # a family not written yet must not break the others
        if _missing.name != f"scimmap.functions.{_family}":
            raise

BUILTINS = Catalog(registered())
"""Every function of Microsoft's app-provisioning reference plus the cloud-sync dialect's own."""

__all__ = ["BUILTINS", "Catalog", "Example", "FunctionSpec", "Param", "builtin"]
