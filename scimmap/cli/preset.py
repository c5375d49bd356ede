"""``scimmap preset --list`` and ``scimmap preset NAME``: the built-in mapping tables as mapping files.

Printing the YAML lets a team start from Entra's defaults: ``scimmap preset entra-user > users.yaml``.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("preset", help="list or print the built-in mapping tables", description=__doc__)
    parser.add_argument("name", nargs="?", metavar="NAME", help="print this preset's mapping file")
    parser.add_argument("--list", action="store_true", help="list the presets")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scimmap.mapping.presets import names, preset, preset_text

    if args.list or not args.name:
        for name in names():
            table = preset(name)
            sys.stdout.write(f"{name:<14} {table.object:<6} {len(table.mappings):>3} mappings\n")
        return 0
    sys.stdout.write(preset_text(args.name))
    return 0
