"""The JSON library ``scimmap map`` reads records and writes bodies with: the standard library by default,
msgspec when asked for (``--json``, or the ``SCIMMAP_JSON`` environment variable) and installed.

orjson is not offered although it is faster: it reads an integer beyond 64 bits as a float, so an
``employeeId`` of 123456789012345678901234567890 became 123456789012345677877719597056 in the body, and
scimmap never changes a value it passes on.

The optional library is strict the way :func:`scimmap.console.strict_json` is (NaN, Infinity and
``1e400`` are the record's error), but they are not byte-identical to the default, so they are never chosen
silently (``--json auto`` picks the first one installed):

- bodies are compact JSON (``{"a":1,"b":[2]}``, no space after ``,`` and ``:``), and a float may be
  spelled differently (msgspec ``1.5e16`` where the standard library writes ``1.5e+16``);
- a lone surrogate escape (``"\\ud800"``) in the input is that record's ``invalid-json`` error (the
  libraries refuse it while parsing) instead of ``invalid-text`` when the body is written;
- integers of any size stay exact.

Neither library is a dependency: they are looked up only when named.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from typing import Any, NamedTuple

from scimmap.cli.common import UsageError
from scimmap.console import strict_decoder, strict_json
from scimmap.errors import Diagnostic

LIBRARIES = ("json", "msgspec")
CHOICES = (*LIBRARIES, "auto")
ENVIRONMENT = "SCIMMAP_JSON"


class Codec(NamedTuple):
    """One library's strict ``loads`` (text or UTF-8 bytes, raises ValueError or RecursionError) and
    ``dumps`` to UTF-8 bytes (raises on a lone surrogate: UTF-8 cannot carry it)."""

    name: str
    loads: Callable[[Any], Any]
    dumps: Callable[[Any], bytes]


def _stdlib() -> Codec:
    """``json.dumps(value, ensure_ascii=False)`` byte for byte, with one encoder built once: ``json.dumps``
    builds a ``JSONEncoder`` per call, and ``JSONEncoder.encode`` builds its C encoder per call too."""
    from json import encoder as stdlib_encoder

    default = json.JSONEncoder(ensure_ascii=False)
    make = getattr(stdlib_encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        encode: Callable[[Any], str] = default.encode
    else:
        chunks = make(
            None,
            default.default,
            stdlib_encoder.encode_basestring,
            None,
            default.key_separator,
            default.item_separator,
            False,
            False,
            True,
        )

        def encode(value: Any) -> str:
            return "".join(chunks(value, 0))

    def dumps(value: Any) -> bytes:
        return encode(value).encode("utf-8")

    decode = strict_decoder().decode

    def loads(data: Any) -> Any:  # bytes decoded here: json.loads would also take UTF-16 or UTF-32
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return strict_json(text) if text.startswith("\ufeff") else decode(text)

    return Codec("json", loads, dumps)


def _msgspec() -> Codec:
    import msgspec

    decode, encode = msgspec.json.Decoder().decode, msgspec.json.Encoder().encode

    def loads(data: Any) -> Any:
        try:
            return decode(data)
        except msgspec.ValidationError as error:  # 1e400: "Number out of range"
            raise ValueError(str(error)) from None
        except msgspec.DecodeError as error:
            raise ValueError(str(error)) from None

    return Codec("msgspec", loads, encode)


_BUILDERS: dict[str, Callable[[], Codec]] = {"json": _stdlib, "msgspec": _msgspec}
_CACHE: dict[str, Codec] = {}


def installed(name: str) -> bool:
    return name == "json" or importlib.util.find_spec(name) is not None


def choose(requested: str | None) -> str:
    """The library name for ``--json`` (or ``SCIMMAP_JSON``, or the standard library): ``auto`` is the first
    optional one installed, else ``json``.  A named library that is not installed is a usage error."""
    name = (requested or os.environ.get(ENVIRONMENT) or "json").strip().lower()
    if name == "auto":
        return next((library for library in LIBRARIES[1:] if installed(library)), "json")
    if name not in LIBRARIES:
        raise UsageError(
            Diagnostic("invalid-argument", f"unknown JSON library {name!r} (choose from {', '.join(CHOICES)})")
        )
    if not installed(name):
        raise UsageError(
            Diagnostic(
                "invalid-argument",
                f"the JSON library {name} is not installed",
                hint=f"pip install {name}, or leave out --json to use the standard library",
            )
        )
    return name


def codec(name: str) -> Codec:
    """The codec for a library :func:`choose` returned, built once per process (workers build their own)."""
    found = _CACHE.get(name)
    if found is None:
        found = _CACHE[name] = _BUILDERS[name]()
    return found
