"""Helpers shared by sub-commands (the source-object and value helpers live in :mod:`scimmap.console`)."""

from __future__ import annotations

import os
import sys

PIPE_CLOSED = 141
"""Exit status when the reader of standard output went away (``scimmap map ... | head -1``): what a shell
reports for a process ended by SIGPIPE, so a cut-short run is never mistaken for a complete one."""


def read_expression(text: str) -> str:
    """``-`` reads the expression from standard input (trailing newline removed)."""
    if text == "-":
        return sys.stdin.read().rstrip("\n")
    return text


def silence_stdout() -> None:
    """After a broken pipe: send what is still buffered to /dev/null, so the interpreter's final flush
    cannot fail again and replace the exit status with its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (tests capture stdout)
        pass

