"""Diagnostics latency of ``scimmap lsp`` on a 2,000-mapping file: ``python3 benchmarks/lsp.py [--rounds N]``.

Needs the ``lsp`` extra.  One server runs over stdio, driven by pygls's own client as an editor drives it.
Each round, interleaved so machine load hits all alike: the shared check of the same text in this process
(the floor: what any front end must spend), ``scimmap check FILE`` as a subprocess (what a pre-commit run
costs, interpreter start included), and the server's latency from a ``didChange`` with the whole text
to the ``publishDiagnostics`` for that version, once without debouncing (``debounceMs: 0``) and once with
the default pause.  A hover sent right after the change shows whether the event loop stays free while
the check runs.  Best of N rounds; figures are ratios to the in-process check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import mapping_file  # noqa: E402

MAPPINGS = 2000


def document_text(round_number: int) -> str:
    """The 2,000-mapping file with one misspelt function, moved each round so every text is new."""
    text = mapping_file(MAPPINGS)
    return text.replace("Left([givenName]", "Lft([givenName]", 1 + round_number % 3)


async def start(debounce_ms: int | None) -> Any:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("benchmark", "1")
    client.published = {}  # (uri, version) -> (arrival time, number of diagnostics)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        client.published[(params.uri, params.version or 0)] = (time.perf_counter(), len(params.diagnostics))

    await client.start_io(sys.executable, "-m", "scimmap", "lsp")
    options = {"debounceMs": debounce_ms} if debounce_ms is not None else None
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options=options)
    )
    client.initialized(types.InitializedParams())
    return client


async def latency(
    client: Any, uri: str, version: int, text: str, others: bool = False
) -> tuple[float, dict[str, float]]:
    """Seconds from didChange to the diagnostics of that version, and of a completion and a hover sent
    just after the change (while the server checks)."""
    from lsprotocol import types

    start = time.perf_counter()
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    answers: dict[str, float] = {}
    if others:
        where = types.TextDocumentIdentifier(uri=uri)
        asked = time.perf_counter()
        await client.text_document_completion_async(
            types.CompletionParams(text_document=where, position=types.Position(line=6, character=40))
        )
        answers["completion"] = time.perf_counter() - asked
        asked = time.perf_counter()
        await client.text_document_hover_async(
            types.HoverParams(text_document=where, position=types.Position(line=2, character=14))
        )
        answers["hover"] = time.perf_counter() - asked
    while (uri, version) not in client.published:
        await asyncio.sleep(0.001)
    return client.published[(uri, version)][0] - start, answers


async def measure(rounds: int) -> dict[str, Any]:
    from lsprotocol import types

    from scimmap.mapping.validate import check_text

    immediate = await start(0)
    debounced = await start(None)
    names = (
        "check_text in process",
        "scimmap check FILE (subprocess)",
        "lsp didChange -> diagnostics (debounceMs 0)",
        "lsp didChange -> diagnostics (default debounce)",
        "lsp completion during a check",
        "lsp hover during a check",
    )
    best = dict.fromkeys(names, float("inf"))

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best[name], seconds)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        uri = path.as_uri()
        for client in (immediate, debounced):
            client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=document_text(0))
                )
            )
            while (uri, 1) not in client.published:
                await asyncio.sleep(0.01)
        for number in range(rounds):
            text = document_text(number)
            path.write_text(text, encoding="utf-8")
            started = time.perf_counter()
            expected = len(check_text(text, str(path)))
            keep("check_text in process", time.perf_counter() - started)
            started = time.perf_counter()
            run = subprocess.run(
                [sys.executable, "-m", "scimmap", "check", "--format", "json", str(path)],
                capture_output=True,
                text=True,
            )
            keep("scimmap check FILE (subprocess)", time.perf_counter() - started)
            seconds, answers = await latency(immediate, uri, number + 2, text, others=True)
            keep("lsp didChange -> diagnostics (debounceMs 0)", seconds)
            keep("lsp completion during a check", answers["completion"])
            keep("lsp hover during a check", answers["hover"])
            seconds, _ = await latency(debounced, uri, number + 2, text)
            keep("lsp didChange -> diagnostics (default debounce)", seconds)
            # All three ran the same check: the same number of diagnostics, and at least one.
            found = {
                expected,
                len(json.loads(run.stdout)),
                immediate.published[(uri, number + 2)][1],
                debounced.published[(uri, number + 2)][1],
            }
            assert len(found) == 1 and expected > 0, found
    for client in (immediate, debounced):
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    floor = best["check_text in process"]
    report: dict[str, Any] = {"mappings": MAPPINGS, "rounds": rounds}
    report.update({f"{name} (ms)": round(seconds * 1e3, 1) for name, seconds in best.items()})
    report.update(
        {f"ratio {name} / check_text": round(seconds / floor, 2) for name, seconds in best.items() if seconds != floor}
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    options = parser.parse_args(argv)
    print(json.dumps(asyncio.run(measure(options.rounds)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
