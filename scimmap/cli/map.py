"""``scimmap map``: source objects in (JSON Lines or a JSON array), SCIM resource bodies out, streaming.

One body per line, in input order.  A record that fails (bad JSON, not an object, an evaluation error)
is reported and the run goes on; the exit code is 1 when any record failed.  Reports are lines of text on
stderr ("line N: error[code]: message"), or JSON Lines ({"line": N, "code": ..., "message": ...}) in the
file given with --errors.  Records that are out of scope or skipped by IgnoreObjectFlow write nothing
(they are counted).  Memory stays flat: input is read record by record (``--jobs`` works in bounded
batches), never loaded whole.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from typing import IO, Any, Iterator, Sequence

from scimmap.cli.common import UsageError, refuse_overwriting
from scimmap.cli.records import RecordError, parse, records
from scimmap.errors import Diagnostic, ScimmapError

BATCH_PER_JOB = 500
"""Records handed to each worker per round with --jobs: enough to amortise IPC, small enough to stay flat."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "map", help="turn source objects into SCIM resource bodies", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    table = parser.add_mutually_exclusive_group(required=True)
    table.add_argument("--preset", metavar="NAME", help="a built-in mapping table (scimmap preset --list)")
    table.add_argument("--mapping", metavar="FILE", help="a mapping file (YAML, JSON or a Graph schema export)")
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="JSON Lines or JSON array files; '-' or none: stdin")
    parser.add_argument("-o", "--output", metavar="OUT", help="write bodies here instead of stdout")
    parser.add_argument("--errors", metavar="FILE", help="write failed records here as JSON Lines (default: one line of text each on stderr)")
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (order is kept)")
    parser.add_argument("--action", choices=("create", "update"), default="create",
                        help="create (defaults apply) or update (on-create mappings skipped)")
    parser.add_argument("--param", "-p", action="append", metavar="NAME=VALUE",
                        help="an evaluation parameter, e.g. DefaultDomain=contoso.com (repeatable)")
    parser.set_defaults(handler=run)


# ------------------------------------------------------------------------------------------- reading
# The readers live in scimmap.cli.records: JSON Lines split on "\n" only, arrays streamed element by element.


# ------------------------------------------------------------------------------------------- mapping

_TABLE: Any = None
_ACTION = "create"
_PARAMETERS: dict[str, str] = {}


def _init_worker(table: Any, action: str, parameters: dict[str, str] | None = None) -> None:
    global _TABLE, _ACTION, _PARAMETERS
    _TABLE, _ACTION, _PARAMETERS = table, action, dict(parameters or {})


def map_record(
    table: Any, line: int, record: Any, action: str = "create", parameters: dict[str, str] | None = None
) -> tuple[int, str | None, dict[str, Any] | None]:
    """One record to ``(line, body JSON or None, error or None)``; never raises.

    A body that UTF-8 cannot carry (a lone surrogate from a ``\\ud800`` escape in the input) is this
    record's error here, before anything is written, so it can never stop the run at ``out.write``."""
    if isinstance(record, str):
        record = parse(record)
    if isinstance(record, RecordError):
        return line, None, {"line": line, "code": record.code, "message": record.message}
    if not isinstance(record, dict):
        kind = type(record).__name__ if record is not None else "null"
        return line, None, {"line": line, "code": "invalid-record", "message": f"expected a JSON object, got {kind}"}
    try:
        result = table.apply(record, action=action, parameters=parameters)
    except ScimmapError as error:
        first = error.diagnostics[0] if error.diagnostics else None
        code = first.code if first else "evaluation"
        message = first.message if first else str(error)
        if first is not None and first.source:
            message = f"{message} (in {first.source})"
        return line, None, {"line": line, "code": code, "message": message}
    except RecursionError:
        return line, None, {"line": line, "code": "invalid-record", "message": "record nests too deeply"}
    if result.resource is None:
        return line, None, None
    body = json.dumps(result.resource, ensure_ascii=False)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError as error:
        where = body[max(0, error.start - 20):error.start].encode("utf-8", "backslashreplace").decode("ascii", "replace")
        return line, None, {"line": line, "code": "invalid-text",
                            "message": f"the body holds a lone surrogate ({body[error.start]!r} after {where!r}), "
                            "which UTF-8 cannot carry"}
    return line, body, None


Batch = tuple[str, int, list[dict[str, Any]], int]
"""(bodies as one text block, bodies written, error records, records skipped)."""


def _work_batch(batch: list[tuple[int, Any]]) -> Batch:
    return _map_batch(_TABLE, _ACTION, batch, _PARAMETERS)


def _map_batch(table: Any, action: str, batch: list[tuple[int, Any]], parameters: dict[str, str] | None = None) -> Batch:
    """One batch, returned compactly: the bodies as one text block (one string to pickle and write instead
    of a tuple per record), the error records, and how many records were skipped."""
    bodies: list[str] = []
    errors: list[dict[str, Any]] = []
    skipped = 0
    for line, record in batch:
        _, body, error = map_record(table, line, record, action, parameters)
        if error is not None:
            errors.append(error)
        elif body is None:
            skipped += 1
        else:
            bodies.append(body)
    return "".join(body + "\n" for body in bodies), len(bodies), errors, skipped


def _parallel(pool: Any, records: Iterator[tuple[int, Any]], jobs: int) -> Iterator[Any]:
    """Results in input order while workers run ahead: at most ``2 * jobs`` batches are in flight, so the
    parent reads and writes while the workers map, and memory stays bounded however long the input.
    (No ``yield`` in a ``finally``: an interrupt must end this generator, not wait on lost work.)"""
    from collections import deque

    pending: deque[Any] = deque()
    for batch in _batches(records, BATCH_PER_JOB):
        pending.append(pool.apply_async(_work_batch, (batch,)))
        if len(pending) >= 2 * jobs:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _batches(items: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# ------------------------------------------------------------------------------------------- command


def _load_table(args: argparse.Namespace) -> Any:
    if args.preset:
        from scimmap.mapping.presets import preset

        return preset(args.preset)
    from scimmap.mapping.files import load_mapping

    return load_mapping(args.mapping)


def _streams(inputs: Sequence[str]) -> Iterator[tuple[str, IO[bytes]]]:
    """The inputs as byte streams (records are split and decoded by :mod:`scimmap.cli.records`)."""
    for name in inputs or ["-"]:
        if name == "-":
            yield "<stdin>", sys.stdin.buffer
        else:
            with open(name, "rb") as handle:
                yield name, handle


def _check_inputs(inputs: Sequence[str]) -> None:
    """Every named input must be a readable regular file (or a pipe/FIFO, read as a stream), checked before
    any output is opened, so a typo is one clear error rather than a traceback half-way through."""
    import stat

    for name in inputs:
        if name == "-":
            continue
        try:
            mode = os.stat(name).st_mode
        except OSError as error:
            raise UsageError(Diagnostic("invalid-input", f"cannot read {name}: {error.strerror}")) from None
        if stat.S_ISDIR(mode):
            raise UsageError(Diagnostic("invalid-input", f"cannot read {name}: it is a directory"))


def job_count(requested: int | None) -> int:
    """``--jobs`` capped at the CPUs of this machine: more processes than cores only add forks and memory
    (``--jobs 100000`` would try to fork 100,000 processes).  A note on stderr says when it was capped."""
    jobs = max(1, int(requested or 1))
    limit = max(1, os.cpu_count() or 1)
    if jobs > limit:
        sys.stderr.write(f"note: --jobs {jobs} is more than the {limit} CPUs here; using {limit}\n")
        return limit
    return jobs


class _Terminated(BaseException):
    """SIGTERM in the parent, raised like KeyboardInterrupt so the same path stops the pool and reports."""


def _on_sigterm(signum: int, frame: Any) -> None:
    raise _Terminated()


def _ignore_interrupts_in_worker() -> Any:
    """Workers leave Ctrl-C and SIGTERM to the parent: SIGINT ignored (the terminal sends it to the whole
    process group), SIGTERM back to its default (the parent's terminate() ends them quietly, no traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _start_worker(table: Any, action: str, parameters: dict[str, str]) -> None:
    _ignore_interrupts_in_worker()
    _init_worker(table, action, parameters)


def _make_pool(jobs: int, table: Any, action: str, parameters: dict[str, str]) -> Any:
    """The pool, forked while SIGINT is ignored so no worker can see a Ctrl-C before its initializer runs."""
    import multiprocessing

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return multiprocessing.Pool(jobs, initializer=_start_worker, initargs=(table, action, parameters))
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args: argparse.Namespace) -> int:
    from scimmap.console import parse_parameters, table_parameter_warnings

    _check_inputs(args.inputs)
    refuse_overwriting({"-o": args.output, "--errors": args.errors},
                       [name for name in args.inputs or [] if name != "-"] + ([args.mapping] if args.mapping else []))
    table = _load_table(args)
    table.compiled()  # a broken mapping fails once, up front, not once per record
    parameters = parse_parameters(args.param)
    for warning in table_parameter_warnings(table, parameters):
        sys.stderr.write(warning.render(color=sys.stderr.isatty()) + "\n")
    jobs = job_count(args.jobs)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    errors_out = open(args.errors, "w", encoding="utf-8", errors="backslashreplace") if args.errors else None
    progress = sys.stderr.isatty()
    counts = {"input": 0, "written": 0, "failed": 0, "skipped": 0}
    several = len(args.inputs) > 1
    pool = None
    status: int | None = None
    previous_term = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        if jobs > 1:
            pool = _make_pool(jobs, table, args.action, parameters)
        for name, stream in _streams(args.inputs):
            source = records(stream)
            results: Iterator[Batch] = (
                (_map_batch(table, args.action, batch, parameters) for batch in _batches(source, BATCH_PER_JOB))
                if pool is None else _parallel(pool, source, jobs)
            )
            for text, written, errors, skipped in results:
                out.write(text)
                for error in errors:
                    _report({"file": name, **error} if several else error, errors_out)
                counts["written"] += written
                counts["failed"] += len(errors)
                counts["skipped"] += skipped
                counts["input"] += written + len(errors) + skipped
                if progress:
                    sys.stderr.write(f"\r{counts['input']} records...")
                    sys.stderr.flush()
    except KeyboardInterrupt:
        status = 130
    except _Terminated:
        status = 143
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        if pool is not None:
            if status is None:
                pool.close()
            else:
                pool.terminate()
            pool.join()
        if args.output:
            out.close()
        else:
            out.flush()
        if errors_out is not None:
            errors_out.close()
    if progress:
        sys.stderr.write("\r")
    summary = f"input {counts['input']}, written {counts['written']}, failed {counts['failed']}"
    if counts["skipped"]:
        summary += f", skipped {counts['skipped']} (out of scope or IgnoreObjectFlow)"
    if status is not None:
        summary = f"interrupted: {summary}"
    sys.stderr.write(summary + "\n")
    if status is not None:
        return status
    return 1 if counts["failed"] else 0


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _report(error: dict[str, Any], errors_out: IO[str] | None) -> None:
    if errors_out is not None:
        errors_out.write(json.dumps(error, ensure_ascii=False) + "\n")
    else:
        where = f"{error['file']}:" if "file" in error else "line "
        sys.stderr.write(f"{where}{error['line']}: error[{error['code']}]: {error['message']}\n")
