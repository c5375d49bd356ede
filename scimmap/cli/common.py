"""Helpers shared by sub-commands (the source-object and value helpers live in :mod:`scimmap.console`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Mapping

from scimmap.errors import Diagnostic, MappingError

PIPE_CLOSED = 141
"""Exit status when the reader of standard output went away (``scimmap map ... | head -1``): what a shell
reports for a process ended by SIGPIPE, so a cut-short run is never mistaken for a complete one."""


def read_expression(text: str) -> str:
    """``-`` reads the expression from standard input (trailing newline removed)."""
    if text == "-":
        from scimmap.reading import read_text

        return read_text("-", what="expression").rstrip("\n")
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


class UsageError(MappingError):
    """A command line that cannot be carried out as given (an output naming an input, a missing input):
    rendered as a diagnostic like any ScimmapError, but exit status 2, a usage error, not 1."""


def refuse_overwriting(outputs: Mapping[str, str | None], inputs: Iterable[str | None]) -> None:
    """Refuse, before anything is opened for writing, an output file that is one of the inputs (or another
    output): opening it for writing would truncate the input first.  Sameness is by device and inode
    (``os.path.samefile``), so another spelling, a hard link or a symlink is caught too."""
    named = [(option, path) for option, path in outputs.items() if path and path != "-"]
    sources = [path for path in inputs if path and path != "-"]
    for index, (option, path) in enumerate(named):
        others = [(f"the input {source}", source) for source in sources]
        others += [(f"the {other_option} file", other) for other_option, other in named[index + 1 :]]
        for what, other in others:
            if _same_file(path, other):
                raise UsageError(
                    Diagnostic(
                        "output-is-input",
                        f"{option} {path} is {what}: writing it would destroy it",
                        hint="write to another file, then move it into place",
                    )
                )


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # the output does not exist yet (or a name holds NUL): not the same file
        return False


def output_error(error: OSError) -> str:
    """One line for a failed read or write (disk full, read-only, a directory), instead of a traceback.
    No file name means the failed write was to standard output."""
    return f"scimmap: error: {error.filename or 'standard output'}: {error.strerror or error}"


PARAM_HELP = "an evaluation parameter: %%NAME%% in cloud sync, DefaultDomain() (repeatable)"


def add_param_argument(parser: argparse.ArgumentParser, help: str = PARAM_HELP) -> None:
    """``--param NAME=VALUE`` (repeatable), the same on every command that evaluates."""
    parser.add_argument("--param", "-p", action="append", metavar="NAME=VALUE", help=help)


def add_now_argument(parser: argparse.ArgumentParser) -> None:
    """``--now ISO``: the instant Now() returns, the same on every command that evaluates."""
    parser.add_argument("--now", metavar="ISO", help="the instant Now() returns")
