"""``scimmap map`` reads JSON Lines in raw blocks (workers split them) and may use msgspec:
the blocks give exactly the records, line numbers and errors the line reader gives, whatever the block size,
and every JSON library keeps the strict-JSON rules."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scimmap.cli import jsoncodec
from scimmap.cli.records import block_records, line_blocks, line_spans, parse, records

TEXT = (
    b"\xef\xbb\xbf"
    + b'{"a": 1}\n\n  \t\r\n{"b": "\xc3\xa9\\u2028"}\r\n\xff\xfe\n'
    + b'{"long": "'
    + b"x" * 5000
    + b'"}\n\x1c\n{"last": true}'
)


def _by_lines(data: bytes) -> list[tuple[int, object]]:
    return [(line, parse(raw)) for line, raw in records(io.BufferedReader(io.BytesIO(data)), raw=True)]


def _by_blocks(data: bytes, size: int) -> list[tuple[int, object]]:
    blocks = line_blocks(io.BufferedReader(io.BytesIO(data)), size)
    assert blocks is not None
    return [(line, parse(raw)) for block in blocks for line, raw in block_records(block)]


@pytest.mark.parametrize("size", [1, 7, 64, 4096, 1 << 20])
def test_blocks_give_the_records_of_the_line_reader(size: int) -> None:
    expected = _by_lines(TEXT)
    assert [line for line, _ in expected] == [1, 4, 5, 6, 7, 8]
    assert _by_blocks(TEXT, size) == expected


@pytest.mark.parametrize("size", [1, 7, 64, 4096, 1 << 20])
def test_file_spans_give_the_records_of_the_line_reader(tmp_path: Path, size: int) -> None:
    """What --jobs workers read themselves from a file: the same records and line numbers."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(TEXT)
    with source.open("rb") as stream:
        spans = line_spans(stream, str(source), size)
        assert spans is not None
        spans = list(spans)
    assert sum(span.length for span in spans) == len(TEXT)
    assert len(spans) > 1 or size == 1 << 20
    read = [(line, parse(raw)) for span in spans for line, raw in block_records(span.read())]
    assert read == _by_lines(TEXT)


def test_a_json_array_is_not_read_in_blocks() -> None:
    assert line_blocks(io.BufferedReader(io.BytesIO(b'\xef\xbb\xbf \n [{"a": 1}]')), 64) is None
    assert line_blocks(io.BufferedReader(io.BytesIO(b"\n \n")), 64) is None  # only blanks: the line reader decides


LIBRARIES = [name for name in jsoncodec.LIBRARIES if jsoncodec.installed(name)]


@pytest.mark.parametrize("name", LIBRARIES)
def test_every_json_library_is_strict(name: str) -> None:
    loads = jsoncodec.codec(name).loads
    for bad in (b'{"a": NaN}', b'{"a": Infinity}', b'{"a": 1e400}', b'{"a": 1} x', b"\xff{}"):
        assert type(parse(bad, loads)).__name__ == "RecordError", (name, bad)
    assert parse(b'{"a": [1, 2.5, "\xc3\xa9"]}', loads) == {"a": [1, 2.5, "é"]}
    body = {"a": [1, None, True], "b": "é"}
    assert json.loads(jsoncodec.codec(name).dumps(body)) == body


def test_the_default_writes_what_json_dumps_writes() -> None:
    body = {"a": [1, None, True, 1.5e16, 1e-07], "b": "é\u2028", "c": {"d": 12345678901234567890}}
    assert jsoncodec.codec("json").dumps(body) == json.dumps(body, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("name", LIBRARIES)
def test_map_with_each_library_keeps_errors_and_line_numbers(tmp_path: Path, name: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"a": NaN}\n{"id": "1", "userPrincipalName": "a@b"}\n\xff\n[1]\n')
    done = subprocess.run(
        [sys.executable, "-m", "scimmap", "map", "--preset", "entra-user", "--json", name, str(source)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["userName"] == "a@b"
    assert "line 1: error[invalid-json]" in done.stderr
    assert "line 3: error[invalid-utf8]" in done.stderr
    assert "line 4: error[invalid-record]" in done.stderr
    assert "input 4, written 1, failed 3" in done.stderr


def test_a_library_that_is_not_installed_is_a_usage_error(tmp_path: Path) -> None:
    missing = next((name for name in ("msgspec",) if importlib.util.find_spec(name) is None), None)
    if missing is None:
        pytest.skip("msgspec is installed here, so there is no missing library to name")
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n")
    done = subprocess.run(
        [sys.executable, "-m", "scimmap", "map", "--preset", "entra-user", "--json", missing, str(source)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "not installed" in done.stderr and "Traceback" not in done.stderr
