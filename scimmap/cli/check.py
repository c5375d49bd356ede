"""``scimmap check FILE...``: every problem of every mapping file in one run, for pre-commit and CI.

A clean run exits 0 and prints nothing as text (the hook is silent when there is nothing to say) and
``[]`` as JSON; problems exit 1; a usage error (no such file, unknown code in --select) exits 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from scimmap.cli.common import silence_stdout
from scimmap.errors import Diagnostic, Origin


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate mapping files (YAML, JSON or Graph schema JSON)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="mapping files; - reads standard input")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument(
        "--select", metavar="CODES", action="append", default=[], help="report only these codes (comma-separated)"
    )
    parser.add_argument(
        "--ignore", metavar="CODES", action="append", default=[], help="do not report these codes (comma-separated)"
    )
    parser.add_argument(
        "--warnings-pass",
        action="store_true",
        help="exit 0 when only warnings are found (they are still printed)",
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the text output")
    parser.set_defaults(handler=run)


def _codes(values: Iterable[str]) -> set[str]:
    return {code.strip() for value in values for code in value.split(",") if code.strip()}


def check_file(path: str) -> list[Diagnostic]:
    """Structural problems from reading plus semantic ones from the table, in file order."""
    from scimmap.mapping.validate import check_path, check_text

    if path == "-":
        from scimmap.errors import MappingError
        from scimmap.mapping.files import MAX_FILE_SIZE
        from scimmap.reading import read_text

        try:
            text = read_text("-", MAX_FILE_SIZE, code="invalid-mapping", what="mapping file")
        except MappingError as error:
            return [error.diagnostic]
        return check_text(text, "<stdin>")
    return check_path(path)


def known_codes() -> set[str]:
    """Every code the package can emit: the code registry (scimmap/codes/), catalog cautions included.

    tests/unit/test_codes.py walks the source and fails when a code is emitted that the registry lacks, so
    a new code cannot be missing from ``--select`` validation; nothing is read from source files here.
    """
    from scimmap.codes import codes
    from scimmap.functions import BUILTINS

    return {code.name for code in codes(BUILTINS)}


def run(args: argparse.Namespace) -> int:
    selected = _codes(args.select)
    ignored = _codes(args.ignore)
    unknown = sorted((selected | ignored) - known_codes())
    if unknown:
        sys.stderr.write(f"scimmap check: unknown code(s): {', '.join(unknown)}\n")
        return 2
    missing = [path for path in args.files if path != "-" and not os.path.isfile(path)]
    for path in missing:
        sys.stderr.write(f"scimmap check: {path}: no such file\n")
    results: list[tuple[str, Diagnostic]] = []
    for path in args.files:
        if path in missing:
            continue
        for diagnostic in check_file(path):
            if selected and diagnostic.code not in selected:
                continue
            if diagnostic.code in ignored:
                continue
            results.append((path if path != "-" else "<stdin>", diagnostic))
    status = _status(results, missing, args.warnings_pass)
    try:
        _report(results, args)
        sys.stdout.flush()
    except BrokenPipeError:
        # `scimmap check bad.yaml | head -1`: the verdict was reached before printing; a reader that
        # stops early must not change it.
        silence_stdout()
    return status


def _status(results: list[tuple[str, Diagnostic]], missing: list[str], warnings_pass: bool) -> int:
    if missing:
        return 2
    if not results:
        return 0
    if warnings_pass and all(d.severity != "error" for _, d in results):
        return 0
    return 1


def _report(results: list[tuple[str, Diagnostic]], args: argparse.Namespace) -> None:
    if args.format == "json":
        # Always a JSON document, `[]` for a clean run: a program reading it must never meet empty input.
        payload = [_json(path, diagnostic) for path, diagnostic in results]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    blocks = [_text(path, diagnostic, color) for path, diagnostic in results]
    if blocks:
        sys.stdout.write("\n\n".join(blocks) + "\n")
        errors = sum(1 for _, d in results if d.severity == "error")
        warnings = len(results) - errors
        files = len({path for path, _ in results})
        sys.stdout.write(
            f"\nfound {errors} error{'s' if errors != 1 else ''} and {warnings} warning{'s' if warnings != 1 else ''}"
            f" in {files} file{'s' if files != 1 else ''}\n"
        )


def _json(path: str, diagnostic: Diagnostic) -> dict[str, Any]:
    data = diagnostic.to_dict(path)
    if diagnostic.origin is None and diagnostic.span is None:
        data.update(line=1, column=1, end_line=1, end_column=1)
    return data


def _text(path: str, diagnostic: Diagnostic, color: bool) -> str:
    if diagnostic.origin is None:
        diagnostic = diagnostic.with_origin(Origin(path))
    return diagnostic.render(color=color)
