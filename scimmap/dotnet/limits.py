"""The longest text a function may build, checked before the text is built.

Entra's targets are bounded: a directory extension string holds at most 256 characters (Microsoft Graph,
"Create extensionProperty": "String - 256 characters maximum"), and the longest documented expression is
10,000 characters.  Nothing a mapping legitimately produces comes near a mebibyte, but nested growth
(``Replace`` of one character by ten, nine times over, or a ``$_`` replacement repeated 4,000 times) turns a
one-character source into gigabytes.  So every function that makes text longer than its inputs computes the
length of its result first and refuses one longer than :data:`MAX_TEXT_LENGTH` with :class:`TextTooLong`,
before allocating it; memory per evaluation stays a small multiple of the limit.

Lives in the .NET layer (the lowest one that raises :class:`ValueFailure`) because ``regex.py`` needs it
too; the functions re-use the same check.
"""

from __future__ import annotations

from scimmap.errors import ValueFailure

MAX_TEXT_LENGTH = 1_048_576
"""Characters (code points) any function result may hold: 4,096 times Entra's 256-character extension
strings, and at most 4 MiB of memory as a Python string."""


class TextTooLong(ValueFailure):
    """A result (or a regular expression's input) would be longer than :data:`MAX_TEXT_LENGTH`.

    The evaluator reports it with the code ``text-too-long`` instead of the generic ``evaluation``.
    """


def check_length(length: int, what: str) -> None:
    """Refuse a text of ``length`` characters (computed before building it) that exceeds the limit.

    The message gives only sizes, never the text, so nothing of a Redact()-ed value is shown.
    """
    if length > MAX_TEXT_LENGTH:
        raise TextTooLong(
            f"{what} would be {length:,} characters long; scimmap's limit for any text is {MAX_TEXT_LENGTH:,}"
        )


__all__ = ["MAX_TEXT_LENGTH", "TextTooLong", "check_length"]
