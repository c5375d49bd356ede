"""``scimmap map``: source objects in (JSON Lines or a JSON array), SCIM resource bodies out, streaming.

One body per line, in input order.  A record that fails (bad JSON, not an object, an evaluation error)
is reported and the run goes on; the exit code is 1 when any record failed.  Reports are lines of text on
stderr ("line N: error[code]: message"), or JSON Lines ({"line": N, "code": ..., "message": ...}) in the
file given with --errors.  Records that are out of scope or skipped by IgnoreObjectFlow write nothing
(they are counted).  References (the enterprise ``manager``, a group's ``members``) are not in a POST body:
Entra links them by a PATCH once the referenced objects exist.  ``--resolve FILE`` gives the SCIM ids of the
referenced objects and ``--followup FILE`` writes those PATCH bodies; stderr says how many references were
left out.  Memory stays flat: input is read in bounded blocks, never loaded whole (``--jobs`` workers read
their own spans of an input file and write their bodies to files the parent appends in order, or, for a
stream, split, parse, map and encode the blocks the parent reads; at most two per worker are in flight).
``--json`` chooses the JSON library (msgspec when installed: faster, compact output).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any, NamedTuple

from scimmap.cli import jsoncodec
from scimmap.cli.common import UsageError, add_param_argument, refuse_overwriting
from scimmap.cli.records import Block, RecordError, Span, block_records, line_blocks, line_spans, parse, records
from scimmap.cli.tables import RESOLVE_HELP, add_table_arguments, load_resolve, load_table
from scimmap.errors import Diagnostic, ScimmapError

BATCH_PER_JOB = 500
"""Records handed to each worker per round with --jobs (JSON arrays): enough to amortise IPC, small enough
to stay flat."""
BLOCK_BYTES = 1 << 18
"""Bytes of JSON Lines handed to each worker per round (a few hundred records)."""
SPAN_BYTES = 1 << 21
"""Bytes of a JSON Lines file each worker reads and maps per round (a few thousand records): only the
position passes through the pipe, so a round can be larger."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "map",
        help="turn source objects into SCIM resource bodies",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_table_arguments(parser)
    parser.add_argument("inputs", nargs="*", metavar="INPUT", help="JSON Lines or JSON array files; '-' or none: stdin")
    parser.add_argument("-o", "--output", metavar="OUT", help="write bodies here instead of stdout")
    parser.add_argument(
        "--errors",
        metavar="FILE",
        help="write failed records here as JSON Lines (default: one line of text each on stderr)",
    )
    parser.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (order is kept)")
    parser.add_argument(
        "--action",
        choices=("create", "update"),
        default="create",
        help="create (defaults apply) or update (on-create mappings skipped)",
    )
    add_param_argument(parser, "an evaluation parameter, e.g. DefaultDomain=contoso.com (repeatable)")
    parser.add_argument("--resolve", metavar="FILE", help=RESOLVE_HELP)
    parser.add_argument(
        "--followup",
        metavar="FILE",
        help="write the PATCH that links each record's references as JSON Lines: "
        '{"line": N, "id": <source id>, "patch": {...}}',
    )
    parser.add_argument(
        "--json",
        choices=jsoncodec.CHOICES,
        metavar="LIBRARY",
        help="JSON library: json (the standard library, default), msgspec, or auto (msgspec when "
        f"installed); default from ${jsoncodec.ENVIRONMENT}. msgspec is faster and writes "
        "compact JSON (see docs/performance.md)",
    )
    parser.set_defaults(handler=run)


# ------------------------------------------------------------------------------------------- reading
# The readers live in scimmap.cli.records: JSON Lines split on "\n" only, arrays streamed element by element.


# ------------------------------------------------------------------------------------------- mapping


class Options(NamedTuple):
    """What every record is mapped with (sent once to each ``--jobs`` worker)."""

    action: str = "create"
    parameters: dict[str, str] | None = None
    resolve: dict[str, str] | None = None
    followups: bool = False
    """Whether to build the follow-up PATCH lines (only when ``--followup`` asked for them)."""
    json: str = "json"
    """The JSON library records are read and bodies written with (:mod:`scimmap.cli.jsoncodec`)."""
    spill: str | None = None
    """With --jobs: the directory where workers write the bodies of the file spans they map."""


_TABLE: Any = None
_OPTIONS = Options()


def _init_worker(table: Any, options: Options) -> None:
    global _TABLE, _OPTIONS
    _TABLE, _OPTIONS = table, options


def _failure(line: int, error: RecordError) -> dict[str, Any]:
    """A failed record's report (the codes are :class:`RecordError` literals, where the registry test reads them)."""
    return {"line": line, "code": error.code, "message": error.message}


def _evaluation_failure(line: int, error: ScimmapError) -> dict[str, Any]:
    first = error.diagnostics[0] if error.diagnostics else None
    code = first.code if first else "evaluation"
    message = first.message if first else str(error)
    if first is not None and first.source:
        message = f"{message} (in {first.source})"
    return _failure(line, RecordError(code, message))


def _not_an_object(line: int, record: Any) -> dict[str, Any]:
    if isinstance(record, RecordError):
        return _failure(line, record)
    kind = type(record).__name__ if record is not None else "null"
    return _failure(line, RecordError("invalid-record", f"expected a JSON object, got {kind}"))


def _followup_line(line: int, record: dict[str, Any], patch: Any) -> str:
    from scimmap.provision.decide import source_id

    return json.dumps({"line": line, "id": source_id(record), "patch": patch}, ensure_ascii=False)


def _surrogate_message(resource: Any) -> str:
    """Where the lone surrogate is, shown as the default library writes the body (the rare path)."""
    body = json.dumps(resource, ensure_ascii=False)
    try:
        body.encode("utf-8")
    except UnicodeEncodeError as error:
        where = (
            body[max(0, error.start - 20) : error.start].encode("utf-8", "backslashreplace").decode("ascii", "replace")
        )
        return f"the body holds a lone surrogate ({body[error.start]!r} after {where!r}), which UTF-8 cannot carry"
    return "the body holds text that UTF-8 cannot carry"


class Batch(NamedTuple):
    """One batch, returned compactly: bodies as one UTF-8 block (written as is: the parent never re-encodes)
    and follow-ups as one text block (one object to pickle and write instead of a tuple per record), the
    error records, and the counts."""

    bodies: bytes
    written: int
    errors: list[dict[str, Any]]
    skipped: int
    followups: str = ""
    unresolved: int = 0
    """References left out of the batch's follow-up PATCHes."""
    with_unresolved: int = 0
    """Records with at least one such reference."""
    spilled: str | None = None
    """The file holding the bodies instead of ``bodies`` (a worker's span: nothing large is pickled)."""


Work = Span | Block | list[tuple[int, Any]]
"""What one round maps: a span of a JSON Lines file (read where it is mapped), a block of JSON Lines
(split where it is mapped) or records already read."""


def _work_batch(work: Work) -> Batch:
    batch = _map_work(_TABLE, _OPTIONS, work)
    if isinstance(work, Span) and _OPTIONS.spill is not None:
        path = os.path.join(_OPTIONS.spill, f"{work.start}.jsonl")
        with open(path, "wb") as spilled:
            spilled.write(batch.bodies)
        return batch._replace(bodies=b"", spilled=path)
    return batch


def _map_work(table: Any, options: Options, work: Work) -> Batch:
    if isinstance(work, Span):
        work = work.read()
    return _map_batch(table, options, block_records(work) if isinstance(work, Block) else work)


def _write_bodies(out: Any, batch: Batch) -> None:
    """A batch's bodies to the output: copied from a worker's file in large chunks when it spilled them."""
    if batch.spilled is None:
        out.write(batch.bodies)
        return
    with open(batch.spilled, "rb") as spilled:
        _copy(spilled, out)
    os.unlink(batch.spilled)


def _copy(source: IO[bytes], out: Any) -> None:
    """``source`` appended to ``out``, by the kernel (``sendfile``) where both are files, else in chunks."""
    try:
        target = out.fileno()
    except (AttributeError, OSError, ValueError):
        target = None
    if target is not None and hasattr(os, "sendfile"):
        out.flush()
        size = os.fstat(source.fileno()).st_size
        offset = 0
        try:
            while offset < size:
                sent = os.sendfile(target, source.fileno(), offset, size - offset)
                if not sent:
                    break
                offset += sent
            return
        except OSError:
            if offset:  # part of it went out: the rest must follow from there, not from the start
                source.seek(offset)
    import shutil

    shutil.copyfileobj(source, out, 1 << 20)


def _map_batch(table: Any, options: Options, batch: Iterable[tuple[int, Any]]) -> Batch:
    """Each record (its raw line, text or parsed value) to its body or its error; never raises.

    One loop with everything it calls per record bound once (the per-record cost is what ``scimmap map``
    is measured by).  A body that UTF-8 cannot carry (a lone surrogate from a ``\\ud800`` escape in the
    input) is that record's error here, before anything is written, so it can never stop the run at
    ``out.write``: the body is encoded to UTF-8 here, once, and those bytes are what is written."""
    loads, dumps = jsoncodec.codec(options.json)[1:]
    resolve, parameters = options.resolve, options.parameters
    # Only what differs from apply's defaults: the common call is what its entry function handles itself.
    extra = (
        {} if options.action == "create" and not parameters else {"action": options.action, "parameters": parameters}
    )
    bodies: list[bytes] = []
    followups: list[str] = []
    errors: list[dict[str, Any]] = []
    skipped = unresolved = with_unresolved = 0
    for line, record in batch:
        if isinstance(record, (str, bytes)):
            record = parse(record, loads)
        if not isinstance(record, dict):
            errors.append(_not_an_object(line, record))
            continue
        try:
            result = table.apply(record, resolve=resolve, **extra)
        except ScimmapError as error:
            errors.append(_evaluation_failure(line, error))
            continue
        except RecursionError:
            errors.append(_failure(line, RecordError("invalid-record", "record nests too deeply")))
            continue
        resource = result.resource
        if resource is None:
            skipped += 1
            continue
        try:
            bodies.append(dumps(resource))
        except (UnicodeEncodeError, TypeError):  # TypeError: an optional library's "surrogates not allowed"
            errors.append(_failure(line, RecordError("invalid-text", _surrogate_message(resource))))
            continue
        if options.followups and result.followup is not None:
            followups.append(_followup_line(line, record, result.followup))
        if result.unresolved:
            unresolved += len(result.unresolved)
            with_unresolved += 1
    written = len(bodies)
    bodies.append(b"")  # so the join ends the last body's line too
    return Batch(
        b"\n".join(bodies) if written else b"",
        written,
        errors,
        skipped,
        "".join(line + "\n" for line in followups),
        unresolved,
        with_unresolved,
    )


def _parallel(pool: Any, work: Iterator[Work], jobs: int) -> Iterator[Any]:
    """Results in input order while workers run ahead: at most ``2 * jobs`` rounds are in flight, so the
    parent reads and writes while the workers map, and memory stays bounded however long the input.
    (No ``yield`` in a ``finally``: an interrupt must end this generator, not wait on lost work.)"""
    from collections import deque

    pending: deque[Any] = deque()
    for item in work:
        pending.append(pool.apply_async(_work_batch, (item,)))
        if len(pending) >= 2 * jobs:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _rounds(stream: IO[bytes], options: Options, path: str | None = None) -> Iterator[Work]:
    """The input in rounds: spans of a JSON Lines file named by ``path`` (each worker reads, maps and writes
    its own), blocks of raw JSON Lines (each worker splits, parses, maps and encodes its own), or, for a
    JSON array, batches of elements the reader parsed."""
    if path is not None and _regular(stream):
        spans = line_spans(stream, path, SPAN_BYTES)
        if spans is not None:
            return spans
    blocks = line_blocks(stream, BLOCK_BYTES)
    if blocks is not None:
        return blocks
    return _batches(records(stream, raw=True, loads=jsoncodec.codec(options.json).loads), BATCH_PER_JOB)


def _regular(stream: IO[bytes]) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's BytesIO)
        return False


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


class _TextSink:
    """Bytes to a text stream without a binary buffer (a ``StringIO`` put in place of stdout)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


def _stdout_bytes() -> Any:
    """Standard output for UTF-8 bytes: its binary buffer (anything already written as text goes first)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    return buffer if buffer is not None else _TextSink(sys.stdout)


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


def _start_worker(table: Any, options: Options) -> None:
    _ignore_interrupts_in_worker()
    _init_worker(table, options)


def _make_pool(jobs: int, table: Any, options: Options) -> Any:
    """The pool, forked while SIGINT is ignored so no worker can see a Ctrl-C before its initializer runs."""
    import multiprocessing

    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return multiprocessing.Pool(jobs, initializer=_start_worker, initargs=(table, options))
    finally:
        signal.signal(signal.SIGINT, previous)


def run(args: argparse.Namespace) -> int:
    from scimmap.console import parse_parameters, table_parameter_warnings

    _check_inputs(args.inputs)
    refuse_overwriting(
        {"-o": args.output, "--errors": args.errors, "--followup": args.followup},
        [name for name in args.inputs or [] if name != "-"] + [name for name in (args.mapping, args.resolve) if name],
    )
    table = load_table(args)
    table.compiled()  # a broken mapping fails once, up front, not once per record
    parameters = parse_parameters(args.param)
    options = Options(
        args.action, parameters, load_resolve(args.resolve), args.followup is not None, jsoncodec.choose(args.json)
    )
    for warning in table_parameter_warnings(table, parameters):
        sys.stderr.write(warning.render(color=sys.stderr.isatty()) + "\n")
    jobs = job_count(args.jobs)
    # The outputs stay open for the whole run and are closed in the finally below.
    out = open(args.output, "wb") if args.output else _stdout_bytes()  # noqa: SIM115
    errors_out = open(args.errors, "w", encoding="utf-8", errors="backslashreplace") if args.errors else None  # noqa: SIM115
    followup_out = open(args.followup, "w", encoding="utf-8") if args.followup else None  # noqa: SIM115
    progress = sys.stderr.isatty()
    counts = {"input": 0, "written": 0, "failed": 0, "skipped": 0, "unresolved": 0, "with_unresolved": 0}
    several = len(args.inputs) > 1
    pool = None
    status: int | None = None
    previous_term = signal.signal(signal.SIGTERM, _on_sigterm) if _main_thread() else None
    try:
        if jobs > 1:
            import tempfile

            options = options._replace(spill=tempfile.mkdtemp(prefix="scimmap-map-"))
            pool = _make_pool(jobs, table, options)
        for name, stream in _streams(args.inputs):
            work = _rounds(stream, options, name if pool is not None else None)
            results: Iterator[Batch] = (
                (_map_work(table, options, item) for item in work) if pool is None else _parallel(pool, work, jobs)
            )
            for batch in results:
                _write_bodies(out, batch)
                if followup_out is not None:
                    followup_out.write(batch.followups)
                for error in batch.errors:
                    _report({"file": name, **error} if several else error, errors_out)
                counts["written"] += batch.written
                counts["failed"] += len(batch.errors)
                counts["skipped"] += batch.skipped
                counts["input"] += batch.written + len(batch.errors) + batch.skipped
                counts["unresolved"] += batch.unresolved
                counts["with_unresolved"] += batch.with_unresolved
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
        if options.spill is not None:
            import shutil

            shutil.rmtree(options.spill, ignore_errors=True)
        if args.output:
            out.close()
        else:
            out.flush()
        if errors_out is not None:
            errors_out.close()
        if followup_out is not None:
            followup_out.close()
    if progress:
        sys.stderr.write("\r")
    summary = f"input {counts['input']}, written {counts['written']}, failed {counts['failed']}"
    if counts["skipped"]:
        summary += f", skipped {counts['skipped']} (out of scope or IgnoreObjectFlow)"
    if status is not None:
        summary = f"interrupted: {summary}"
    sys.stderr.write(summary + "\n")
    if counts["unresolved"]:
        sys.stderr.write(_references_note(counts["unresolved"], counts["with_unresolved"], args.resolve is not None))
    if status is not None:
        return status
    return 1 if counts["failed"] else 0


def _references_note(references: int, records: int, resolving: bool) -> str:
    """What the bodies leave out and how to see it: silence here read as "IDaaS gets no members"."""
    missing = "have no SCIM id in --resolve" if resolving else "are not in the bodies"
    return (
        f"note: {references} reference(s) (manager, members) in {records} record(s) {missing}: Entra links "
        "references by a PATCH once the referenced objects exist; --resolve FILE gives their SCIM ids and "
        "--followup FILE writes those PATCH bodies\n"
    )


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _report(error: dict[str, Any], errors_out: IO[str] | None) -> None:
    if errors_out is not None:
        errors_out.write(json.dumps(error, ensure_ascii=False) + "\n")
    else:
        where = f"{error['file']}:" if "file" in error else "line "
        sys.stderr.write(f"{where}{error['line']}: error[{error['code']}]: {error['message']}\n")
