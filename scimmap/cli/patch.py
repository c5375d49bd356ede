"""``scimmap patch --mapping FILE OLD.json NEW.json``: the PATCH Entra sends when OLD became NEW.

The command-line form of ``MappingTable.patch``: only the target attributes whose values changed are
sent, defaults and on-create mappings do not apply, and a value that became null is not cleared (Entra
cannot clear a target value of an outbound app).  Nothing changed is Entra's ``RedundantExport``: nothing
is printed on stdout and stderr says so.  References (``manager``, group ``members``) are linked through
``--resolve``; stderr lists the ones it could not map, which Entra leaves unlinked until the referenced
object is provisioned.  Exit 0 on success (a PATCH or none), 1 on a bad file, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys

from scimmap.cli.common import add_now_argument, add_param_argument
from scimmap.cli.tables import RESOLVE_HELP, add_table_arguments, load_resolve, load_table


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "patch",
        help="the PATCH Entra sends when a source object changes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_table_arguments(parser)
    parser.add_argument("old", metavar="OLD.json", help="the source object as Entra last exported it")
    parser.add_argument("new", metavar="NEW.json", help="the source object now")
    parser.add_argument("--resolve", metavar="FILE", help=RESOLVE_HELP)
    parser.add_argument(
        "--dialect",
        choices=("default", "aadOptscim062020"),
        default="default",
        help="PATCH dialect: Entra's default, or the aadOptscim062020 flag's (lower-case ops)",
    )
    add_now_argument(parser)
    add_param_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scimmap.console import load_source, parse_now, parse_parameters, table_parameter_warnings

    table = load_table(args)
    old, new = load_source(args.old, None), load_source(args.new, None)
    resolve = load_resolve(args.resolve)
    parameters = parse_parameters(args.param)
    for warning in table_parameter_warnings(table, parameters):
        sys.stderr.write(warning.render() + "\n")
    flags = ("aadOptscim062020",) if args.dialect == "aadOptscim062020" else ()
    now = parse_now(args.now)
    body = table.patch(old, new, resolve, flags, now=now, parameters=parameters)
    unresolved = table.apply(new, resolve=resolve, flags=flags, now=now, parameters=parameters).unresolved
    if unresolved:
        sys.stderr.write(
            f"{len(unresolved)} reference(s) left out, no SCIM id for them in --resolve: "
            + ", ".join(json.dumps(ident, ensure_ascii=True) for ident in unresolved[:10])
            + (" ..." if len(unresolved) > 10 else "")
            + "\n"
        )
    if body is None:
        sys.stderr.write("no change: Entra sends no PATCH for this object (RedundantExport)\n")
        return 0
    sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    return 0
