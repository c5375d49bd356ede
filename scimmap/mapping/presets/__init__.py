"""Built-in mapping tables, stored as ordinary mapping files next to this module.

``entra-user`` / ``entra-group`` are the defaults of Entra's non-gallery SCIM app (docs/mappings.md lists them);
``idaas-user`` / ``idaas-group`` the mapping recommended for Entrust Identity as a Service over SCIM 2.0.
Keeping them as files means ``scimmap preset NAME`` prints exactly what a team would start from.
"""

from __future__ import annotations

import difflib
import functools
import pickle
from pathlib import Path
from typing import Any

from scimmap.errors import Diagnostic, MappingError

PRESET_DIR = Path(__file__).resolve().parent


def names() -> list[str]:
    """Every preset name, sorted."""
    return sorted(path.stem for path in PRESET_DIR.glob("*.yaml"))


def preset_path(name: str) -> Path:
    """The file behind a preset; raises MappingError with a did-you-mean for an unknown name."""
    path = PRESET_DIR / f"{name}.yaml"
    if not isinstance(name, str) or "/" in name or "\\" in name or not path.is_file():
        close = difflib.get_close_matches(str(name), names(), n=1)
        raise MappingError(
            Diagnostic(
                "invalid-mapping",
                f"no preset named {name!r}",
                hint=(f"did you mean {close[0]!r}? " if close else "") + "available: " + ", ".join(names()),
            )
        )
    return path


def preset_text(name: str) -> str:
    """The YAML text of a preset."""
    return preset_path(name).read_text(encoding="utf-8")


@functools.cache
def _load(name: str) -> bytes:
    from scimmap.mapping.files import load_mapping

    path = preset_path(name)
    table = load_mapping(path.read_text(encoding="utf-8"), file=f"preset:{name}")
    return pickle.dumps(table)


def preset(name: str) -> Any:
    """A fresh MappingTable for a preset (callers may change it without affecting the next call)."""
    return pickle.loads(_load(name))


__all__ = ["names", "preset", "preset_path", "preset_text"]
