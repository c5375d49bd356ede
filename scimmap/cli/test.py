"""``scimmap test [PATH ...]``: run a team's case files and HRProvisioningTests suites offline.

Case files are ``*.cases.yaml`` / ``*.cases.json`` (docs/testing.md), found under each PATH (default: the
current folder); an HRProvisioningTests folder (``Tests/<target>/Data/*.json``) runs as it is.  Exit 0
when every case passed, 1 when any failed or could not run, 2 on a usage error (no such path, no case
found, a bad -k expression).  ``--update`` writes actual outcomes into cases that have none or whose
outcome changed; with ``CI`` set, a case without an expected value fails.  ``--init MAPPING`` writes a
starter case file for a mapping table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "test",
        help="run case files and HRProvisioningTests suites",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="case files or folders (default: .)")
    parser.add_argument(
        "--update", action="store_true", help="write actual outcomes into cases that have none or differ"
    )
    parser.add_argument("--junit-xml", metavar="FILE", help="also write a JUnit XML report")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument(
        "-k", metavar="PATTERN", dest="keyword", help='run cases whose id matches, e.g. -k "title and not update"'
    )
    parser.add_argument("-x", "--exitfirst", action="store_true", help="stop after the first failure or error")
    parser.add_argument("--init", metavar="MAPPING", help="write a starter case file for a mapping file or preset")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="with --init: where to write (default: <mapping>.cases.yaml; - for stdout)",
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.init:
        if args.paths or args.update or args.keyword:
            sys.stderr.write("scimmap test: --init takes a mapping only, not case paths, --update or -k\n")
            return 2
        from scimmap.cli.common import refuse_overwriting
        from scimmap.testing.scaffold import write_starter

        refuse_overwriting({"-o": args.output}, [args.init])

        return write_starter(args.init, args.output)
    if args.output:
        sys.stderr.write("scimmap test: -o is for --init; use --junit-xml FILE for a report\n")
        return 2
    from scimmap.testing import report
    from scimmap.testing.select import SelectionError
    from scimmap.testing.session import run_session

    try:
        session = run_session(args.paths, keyword=args.keyword, exitfirst=args.exitfirst, update=args.update)
    except SelectionError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 2
    for path in session.missing:
        sys.stderr.write(f"scimmap test: {path}: no such file or folder\n")
    if session.missing:
        return 2
    if not session.files:
        where = ", ".join(args.paths) or "."
        sys.stderr.write(
            f"scimmap test: no case files (*.cases.yaml, *.cases.json, Tests/*/Data/*.json) under {where}\n"
        )
        return 2
    if not session.results and session.deselected and not session.problems:
        sys.stderr.write(f"scimmap test: -k {args.keyword!r} selects none of the {session.deselected} cases\n")
        return 2
    if args.junit_xml:
        from scimmap.cli.common import refuse_overwriting
        from scimmap.testing.junit import junit_xml

        refuse_overwriting({"--junit-xml": args.junit_xml}, [str(path) for path in session.files])

        Path(args.junit_xml).write_bytes(junit_xml(session.results, session.problems, seconds=session.seconds))
    if args.format == "json":
        payload = report.to_json(
            session.results,
            session.problems,
            seconds=session.seconds,
            updated=session.updated,
            deselected=session.deselected,
        )
        sys.stdout.write(report.dumps(payload) + "\n")
    else:
        color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
        sys.stdout.write(
            report.render_text(
                session.results,
                session.problems,
                seconds=session.seconds,
                color=color,
                updated=session.updated,
                deselected=session.deselected,
                ci=session.ci,
            )
            + "\n"
        )
    return 0 if session.ok else 1
