"""The ``scimmap`` command: a dispatcher over one module per sub-command.

Each module in this package defines ``register(subparsers)``, which adds its parser and sets
``handler(args) -> int`` as the default.  Exit codes: 0 success, 1 problems found (or a failed record),
2 usage error, 141 output cut short by a closed pipe (``scimmap check`` keeps its own status then, since
it decided it before printing).  Every ScimmapError is rendered as a diagnostic; no traceback reaches a
user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from scimmap import __version__
from scimmap.cli.common import PIPE_CLOSED, UsageError, output_error, silence_stdout
from scimmap.errors import ScimmapError
from scimmap.prose import plain

COMMANDS = (
    "evaluate",
    "fmt",
    "explain",
    "map",
    "patch",
    "check",
    "test",
    "diff",
    "convert",
    "schema",
    "preset",
    "repl",
    "docs",
    "catalog",
    "lsp",
    "sync",
)


class _Parser(argparse.ArgumentParser):
    """Usage errors exit 2; descriptions (the command modules' docstrings) and argument help are shown
    as plain text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for key in ("description", "epilog", "help"):
            if isinstance(kwargs.get(key), str):
                kwargs[key] = plain(kwargs[key])
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> Any:
        if isinstance(kwargs.get("help"), str):
            kwargs["help"] = plain(kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"scimmap: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="scimmap", description="Entra ID provisioning expressions and SCIM mappings, offline.")
    parser.add_argument("--version", action="version", version=f"scimmap {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"scimmap.cli.{name}")
        except ModuleNotFoundError as missing:
            if missing.name == f"scimmap.cli.{name}":
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        status = int(args.handler(args) or 0)
        if not sys.stdout.closed:  # the language server hands stdout to its transport, which closes it
            sys.stdout.flush()  # inside the try: a pipe closed early must be seen here, not at exit
        return status
    except UsageError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 2
    except ScimmapError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        # The output was cut short, so the command did not do what was asked: never report success.
        silence_stdout()
        return PIPE_CLOSED
    except OSError as error:  # disk full, a read-only file, a directory as output: one line, no traceback
        sys.stderr.write(output_error(error) + "\n")
        if error.filename is None:
            silence_stdout()  # the failed write to stdout is still buffered: do not fail again at exit
        return 2
