"""The one way scimmap reads a user's file or standard input: with a bound, and only from a regular file.

A size reported by ``stat`` cannot be trusted (``/dev/zero`` reports 0 and never ends; a FIFO blocks until a
writer comes), so the bound is on what is actually read: ``limit + 1`` bytes at most, refused when over.
A name that is not a regular file is refused before anything is read (opened non-blocking, so a FIFO cannot
hang the open either); standard input is read as a stream, with the same bound.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import Any

from scimmap.errors import Diagnostic, MappingError

DEFAULT_LIMIT = 5 * 1024 * 1024
"""What a mapping file, a source object (``--input``) or an expression read from stdin may hold."""


def read_bytes(path: Any, limit: int = DEFAULT_LIMIT, *, code: str = "invalid-input", what: str = "file") -> bytes:
    """At most ``limit`` bytes of ``path`` (``"-"``: standard input), or a MappingError saying why not."""
    name = "<stdin>" if path == "-" else os.fspath(path)
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        data = (
            stream.read(limit + 1)
            if stream is not None
            else sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
        )
    else:
        try:
            fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except (OSError, ValueError) as error:
            raise _refused(code, name, f"cannot read {name}: {getattr(error, 'strerror', None) or error}") from None
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise MappingError(
                    Diagnostic(
                        "file-not-regular", f"cannot read {name}: not a regular file (a device, FIFO or directory)"
                    )
                )
            try:
                data = handle.read(limit + 1)
            except OSError as error:
                raise _refused(code, name, f"cannot read {name}: {error.strerror or error}") from None
    if len(data) > limit:
        raise MappingError(
            Diagnostic("file-too-large", f"{name} is larger than {limit:,} bytes; a {what} is limited to that")
        )
    return data


def read_text(path: Any, limit: int = DEFAULT_LIMIT, *, code: str = "invalid-input", what: str = "file") -> str:
    """:func:`read_bytes` decoded as UTF-8 (a leading byte-order mark dropped); not UTF-8 is refused."""
    data = read_bytes(path, limit, code=code, what=what)
    name = "<stdin>" if path == "-" else os.fspath(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refused(code, name, f"{name} is not UTF-8 text (byte {error.start + 1})") from None


def _refused(code: str, name: str, message: str) -> MappingError:
    return MappingError(Diagnostic(code, message))
