"""``scimmap lsp``: the language server for mapping files, over stdin/stdout (see docs/editors.md).

Editors start it themselves; it needs the optional extra: ``pip install 'scimmap[lsp]'``.  It exits 0
when the editor shut it down properly, 1 when the connection ended without a shutdown request, and 2
when the extra is not installed.
"""

from __future__ import annotations

import argparse
import importlib
import sys

INSTALL_HINT = "scimmap lsp needs the optional 'lsp' extra (pygls and lsprotocol): pip install 'scimmap[lsp]'\n"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lsp",
        help="run the language server for mapping files (stdio)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    parser.set_defaults(handler=run)


def available() -> bool:
    """Are pygls 2 and lsprotocol importable?"""
    for name in ("lsprotocol.types", "pygls.lsp.server"):
        try:
            importlib.import_module(name)
        except ImportError:
            return False
    return True


def run(args: argparse.Namespace) -> int:
    if not available():
        sys.stderr.write(INSTALL_HINT)
        return 2
    from scimmap.lsp import serve

    return serve()
