""".NET ``System.Text.Encoding`` as ConvertToBase64, ConvertToUTF8Hex and ConvertFromBase64 use it.

.NET strings are UTF-16, so a string can hold a lone surrogate (half of an emoji cut by Mid, or a JSON
"\\ud800").  .NET's encoders replace it with U+FFFD instead of failing, so these functions do the same: the
text is first normalised to what .NET would see (adjacent surrogate halves joined into one code point,
any remaining lone half replaced by U+FFFD) and only then encoded.  Decoding replaces invalid bytes the
same way: U+FFFD for Unicode/UTF8, "?" for ASCII (its .NET replacement fallback).
"""

from __future__ import annotations

import base64
import binascii
import re

_SURROGATE = re.compile("[\ud800-\udfff]")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")
_WHITESPACE = re.compile(r"[ \t\r\n]+")

ENCODINGS = {"unicode": "utf-16-le", "utf8": "utf-8", "ascii": "ascii"}
"""ConvertFromBase64's encoding words (case-insensitive) -> Python codec."""


def dotnet_text(text: str) -> str:
    """The string as .NET's encoders see it: surrogate pairs joined, lone surrogates replaced by U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _SURROGATE.sub("\ufffd", joined)


def utf16le_base64(text: str) -> str:
    """ConvertToBase64: the UTF-16LE ("Unicode") bytes, Base64 with padding."""
    return base64.b64encode(dotnet_text(text).encode("utf-16-le")).decode("ascii")


def utf8_hex(text: str) -> str:
    """ConvertToUTF8Hex: the UTF-8 bytes as upper-case hex digits, no separators."""
    return dotnet_text(text).encode("utf-8").hex().upper()


def from_base64(text: str, encoding: str = "Unicode") -> str:
    """ConvertFromBase64 (cloud sync): Base64 text decoded, then read as Unicode (UTF-16LE), UTF8 or ASCII.

    Raises ValueError (with a sentence for the user) for invalid Base64 or an unknown encoding, which is
    what .NET's ``Convert.FromBase64String`` / ``Encoding.GetEncoding`` would reject.
    """
    codec = ENCODINGS.get(encoding.lower().replace("-", ""))
    if codec is None:
        raise ValueError(f"{encoding!r} is not an encoding ConvertFromBase64 knows (use Unicode, UTF8 or ASCII)")
    compact = _WHITESPACE.sub("", text)
    if len(compact) % 4 or not _BASE64.match(compact):
        raise ValueError(f"{_preview(text)} is not valid Base64 text")
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{_preview(text)} is not valid Base64 text") from None
    if codec == "ascii":
        return "".join(chr(byte) if byte < 0x80 else "?" for byte in data)
    return data.decode(codec, "replace")


def _preview(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


__all__ = ["ENCODINGS", "dotnet_text", "from_base64", "utf8_hex", "utf16le_base64"]
