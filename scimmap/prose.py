"""Docstring prose as people read it: reStructuredText literals (````x````) become Markdown-style `x`.

Docstrings are written for Python's tools, but the same text is shown in ``--help``, in ``scimmap catalog``,
in the REPL's completion menu and in the generated docs.  Each of those takes the text from its source
through :func:`plain` once (the catalog when a function is declared, the argument parser when a command is
registered), so no reader ever sees doubled backticks.  It imports nothing from scimmap, so every layer may
use it.
"""

from __future__ import annotations

import re

_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def plain(text: str) -> str:
    """``x`` -> `x`; everything else unchanged."""
    return _LITERAL.sub(r"`\1`", text) if "``" in text else text


__all__ = ["plain"]
