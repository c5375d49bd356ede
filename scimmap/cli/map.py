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
import io
import json
import sys
from typing import IO, Any, Iterator, Sequence

from scimmap.errors import ScimmapError

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


def _records(stream: IO[str]) -> Iterator[tuple[int, Any]]:
    """``(line, text-or-value)``: JSON Lines yield raw text (parsed later, maybe in a worker), a JSON
    array yields decoded elements with the line where each starts."""
    first = ""
    line_no = 0
    buffered: list[str] = []
    for raw in stream:
        line_no += 1
        if raw.strip():
            first = raw.lstrip()[:1]
            buffered.append(raw)
            break
    if not buffered:
        return
    if first == "[":
        yield from _array(stream, buffered[0], line_no)
        return
    yield line_no, buffered[0]
    for raw in stream:
        line_no += 1
        if raw.strip():
            yield line_no, raw


class _BadArray(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _array(stream: IO[str], head: str, line_no: int) -> Iterator[tuple[int, Any]]:
    """Stream the elements of a top-level JSON array without holding the whole array."""
    decoder = json.JSONDecoder()
    buffer = head[head.index("[") + 1:]
    line = line_no
    exhausted = False

    def more() -> bool:
        nonlocal buffer, exhausted
        chunk = stream.read(1 << 16)
        if not chunk:
            exhausted = True
            return False
        buffer += chunk
        return True

    expect_value = True
    while True:
        stripped = buffer.lstrip()
        line += buffer[: len(buffer) - len(stripped)].count("\n")
        buffer = stripped
        if not buffer:
            if exhausted or not more():
                raise _BadArray(line, "unexpected end of input inside the JSON array")
            continue
        if buffer[0] == "]" and not expect_value:
            return
        if buffer[0] == "]" and expect_value:
            return  # empty array (or a trailing comma, which we forgive)
        if buffer[0] == "," and not expect_value:
            buffer = buffer[1:]
            expect_value = True
            continue
        try:
            value, end = decoder.raw_decode(buffer)
        except ValueError as error:
            if not exhausted and more():
                continue
            raise _BadArray(line, f"invalid JSON in the array: {error}") from None
        if end == len(buffer) and not exhausted and more():
            continue  # a number may continue in the next chunk
        yield line, value
        line += buffer[:end].count("\n")
        buffer = buffer[end:]
        expect_value = False


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
    """One record to ``(line, body JSON or None, error or None)``; never raises."""
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except ValueError as error:
            return line, None, {"line": line, "code": "invalid-json", "message": f"not valid JSON: {error}"}
        except RecursionError:
            return line, None, {"line": line, "code": "invalid-json", "message": "JSON nests too deeply"}
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
    return line, json.dumps(result.resource, ensure_ascii=False), None


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
    parent reads and writes while the workers map, and memory stays bounded however long the input."""
    from collections import deque

    pending: deque[Any] = deque()
    try:
        for batch in _batches(records, BATCH_PER_JOB):
            pending.append(pool.apply_async(_work_batch, (batch,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
    finally:  # a broken JSON array stops the input, never the records already read
        while pending:
            yield pending.popleft().get()


def _batches(items: Iterator[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
    except _BadArray:
        if batch:  # the records read before the broken part are still mapped
            yield batch
        raise
    if batch:
        yield batch


# ------------------------------------------------------------------------------------------- command


def _load_table(args: argparse.Namespace) -> Any:
    if args.preset:
        from scimmap.mapping.presets import preset

        return preset(args.preset)
    from scimmap.mapping.files import load_mapping

    return load_mapping(args.mapping)


def _streams(inputs: Sequence[str]) -> Iterator[tuple[str, IO[str]]]:
    for name in inputs or ["-"]:
        if name == "-":
            yield "<stdin>", io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace") \
                if hasattr(sys.stdin, "buffer") else sys.stdin
        else:
            with open(name, encoding="utf-8-sig", errors="replace") as handle:
                yield name, handle


def run(args: argparse.Namespace) -> int:
    from scimmap.console import parse_parameters, table_parameter_warnings

    table = _load_table(args)
    table.compiled()  # a broken mapping fails once, up front, not once per record
    parameters = parse_parameters(args.param)
    for warning in table_parameter_warnings(table, parameters):
        sys.stderr.write(warning.render(color=sys.stderr.isatty()) + "\n")
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    errors_out = open(args.errors, "w", encoding="utf-8") if args.errors else None
    progress = sys.stderr.isatty()
    counts = {"input": 0, "written": 0, "failed": 0, "skipped": 0}
    several = len(args.inputs) > 1
    pool = None
    jobs = max(1, int(args.jobs or 1))
    try:
        if jobs > 1:
            import multiprocessing

            pool = multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(table, args.action, parameters))
        for name, stream in _streams(args.inputs):
            records = _records(stream)
            try:
                if pool is None:
                    results: Iterator[Batch] = (
                        _map_batch(table, args.action, batch, parameters) for batch in _batches(records, BATCH_PER_JOB)
                    )
                else:
                    results = _parallel(pool, records, jobs)
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
            except _BadArray as bad:
                counts["failed"] += 1
                _report({**({"file": name} if several else {}), "line": bad.line, "code": "invalid-json",
                         "message": str(bad)}, errors_out)
    finally:
        if pool is not None:
            pool.close()
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
    sys.stderr.write(summary + "\n")
    return 1 if counts["failed"] else 0


def _report(error: dict[str, Any], errors_out: IO[str] | None) -> None:
    if errors_out is not None:
        errors_out.write(json.dumps(error, ensure_ascii=False) + "\n")
    else:
        where = f"{error['file']}:" if "file" in error else "line "
        sys.stderr.write(f"{where}{error['line']}: error[{error['code']}]: {error['message']}\n")
