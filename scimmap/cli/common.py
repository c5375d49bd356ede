"""Helpers shared by sub-commands (the source-object and value helpers live in :mod:`scimmap.console`)."""

from __future__ import annotations

import sys


def read_expression(text: str) -> str:
    """``-`` reads the expression from standard input (trailing newline removed)."""
    if text == "-":
        return sys.stdin.read().rstrip("\n")
    return text
