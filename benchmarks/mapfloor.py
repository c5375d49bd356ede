"""The JSON floor ``scimmap map`` is measured against: ``python3 benchmarks/mapfloor.py SHAPE IN OUT [json|orjson|msgspec]``.

It only parses each JSON line with the JSON library, calls the hand-written function for the entra-user
preset (:mod:`benchmarks.handwritten`) and writes each body as one JSON line: what any mapping run must pay
at least.  ``SHAPE`` is ``graph`` (Graph ``GET /users`` JSON) or ``entra`` (the directory names the
mappings use).  The output is byte-identical to ``scimmap map --preset entra-user`` with the same library
(benchmarks/run.py asserts it before timing).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import handwritten

HANDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "graph": handwritten.entra_user,
    "entra": handwritten.entra_user_directory,
}


def codec(library: str) -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]]:
    """(loads, dumps-to-UTF-8-bytes) of one JSON library, as ``scimmap map`` would use it."""
    if library == "orjson":
        import orjson

        return orjson.loads, orjson.dumps
    if library == "msgspec":
        import msgspec

        return msgspec.json.decode, msgspec.json.Encoder().encode
    encoder = json.JSONEncoder(ensure_ascii=False)
    return json.loads, lambda value: encoder.encode(value).encode("utf-8")


def main(argv: list[str]) -> int:
    shape, source, target = argv[:3]
    loads, dumps = codec(argv[3] if len(argv) > 3 else "json")
    hand = HANDS[shape]
    with open(source, "rb") as lines, open(target, "wb") as out:
        write = out.write
        for line in lines:
            write(dumps(hand(loads(line))) + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
