"""Functions only the Entra Cloud Sync dialect has: ConvertFromBase64, DNComponent, Error, StringFromSid ...

They come from Microsoft's cloud-sync expression reference (they are not in the app-provisioning reference),
which copied them from Connect Sync; app provisioning rejects them as unknown functions.  ``CRef`` is not
in that list but the reference's own DNComponent example uses it, so it is accepted as a passthrough.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from typing import Any

from scimmap.dotnet.encoding import from_base64
from scimmap.functions.catalog import Example, Param, builtin
from scimmap.language.values import ValueFailure, is_sentinel, to_text

CLOUD_SYNC = ["cloud-sync"]

ENCODINGS = ("Unicode", "UTF8", "ASCII")


_BASE64_SPACE = re.compile(r"[ \t\r\n]")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}\Z")


def _from_base64(text: str, what: str) -> bytes:
    """Convert.FromBase64String for binary values (SIDs): white space ignored, padding required."""
    compact = _BASE64_SPACE.sub("", text)
    if len(compact) % 4 or not _BASE64.match(compact):
        raise ValueFailure(f"{what}: {text[:40]!r} is not valid Base64 text")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise ValueFailure(f"{what}: {text[:40]!r} is not valid Base64 text") from None


@builtin(
    "ConvertFromBase64",
    [
        Param("source", summary="Base64 text"),
        Param(
            "encoding",
            type="enum",
            required=False,
            literal=True,
            choices=ENCODINGS,
            default="Unicode",
            summary="how the decoded bytes are read: Unicode (UTF-16LE, the default), UTF8 or ASCII",
        ),
    ],
    dialects=CLOUD_SYNC,
    examples=[
        Example('ConvertFromBase64("SABlAGwAbABvACAAdwBvAHIAbABkACEA")', "Hello world!"),
        Example('ConvertFromBase64("SGVsbG8gd29ybGQh", UTF8)', "Hello world!"),
    ],
    notes=[
        'Invalid Base64 is an evaluation error; undecodable bytes become U+FFFD (ASCII: "?") as in .NET.',
        "A null source gives null.",
    ],
)
def convert_from_base64(source: str | None, encoding: Any) -> str | None:
    """Decodes Base64 text, the inverse of ConvertToBase64 (which encodes UTF-16LE, hence the default)."""
    if source is None:
        return None
    try:
        return from_base64(source, _encoding_name(encoding))
    except ValueError as problem:
        raise ValueFailure(f"ConvertFromBase64: {problem}") from None


def _encoding_name(encoding: Any) -> str:
    if encoding is None or is_sentinel(encoding):
        return "Unicode"
    text = to_text(encoding, "ConvertFromBase64(encoding)") or "Unicode"
    for name in ENCODINGS:
        if name.lower() == text.strip().lower():
            return name
    raise ValueFailure(f"ConvertFromBase64's encoding must be one of {', '.join(ENCODINGS)}, got {text!r}")


_HEX_PAIR = re.compile(r"[0-9A-Fa-f]{2}")


def _split_dn(dn: str) -> list[str]:
    """RDNs of a DN, split at commas (and semicolons) that are not escaped with a backslash."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(dn):
        char = dn[index]
        if char == "\\" and index + 1 < len(dn):
            current.append(dn[index : index + 2])
            index += 2
            continue
        if char in ",;":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _unescape_dn_value(value: str) -> str:
    """RFC 4514 escapes: ``\\,`` gives ``,`` and ``\\2C`` gives the byte 0x2C (UTF-8 sequences decoded)."""
    out = bytearray()
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            pair = value[index + 1 : index + 3]
            if _HEX_PAIR.fullmatch(pair):
                out.append(int(pair, 16))
                index += 3
                continue
            out.extend(value[index + 1].encode("utf-8", "surrogatepass"))
            index += 2
            continue
        out.extend(char.encode("utf-8", "surrogatepass"))
        index += 1
    return out.decode("utf-8", errors="replace")


def _strip_unescaped(value: str) -> str:
    """Drops surrounding spaces but keeps a space protected by a trailing backslash (``a\\ ``)."""
    value = value.lstrip(" ")
    stripped = value.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(value) and not stripped.endswith("\\\\"):
        return stripped + " "
    return stripped


@builtin(
    "DNComponent",
    [Param("dn", summary="a distinguished name"), Param("ComponentNumber", type="integer", summary="1-based")],
    dialects=CLOUD_SYNC,
    examples=[Example("DNComponent(CRef([dn]),1)", "Joe", {"dn": "cn=Joe,ou=Sales,dc=contoso,dc=com"})],
    notes=[
        "Counts RDNs from the left, 1-based; escaped commas (\\,) do not split. The value is returned "
        "unescaped (\\, becomes a comma).",
        "A number below 1 or beyond the last RDN, or a null DN, gives null.",
    ],
)
def dn_component(dn: str | None, number: int | None) -> str | None:
    """The value of the n-th RDN of a DN, e.g. the CN of ``cn=Joe,ou=Sales,dc=contoso,dc=com``."""
    if dn is None or number is None or number < 1:
        return None
    parts = _split_dn(dn)
    if number > len(parts):
        return None
    rdn = parts[number - 1]
    equals = _unescaped_equals(rdn)
    value = rdn[equals + 1 :] if equals >= 0 else rdn
    return _unescape_dn_value(_strip_unescaped(value))


def _unescaped_equals(rdn: str) -> int:
    index = 0
    while index < len(rdn):
        if rdn[index] == "\\":
            index += 2
            continue
        if rdn[index] == "=":
            return index
        index += 1
    return -1


@builtin(
    "CRef",
    [Param("value", type="any", summary="an attribute holding a reference (a DN)")],
    returns="any",
    dialects=CLOUD_SYNC,
    examples=[Example("CRef([dn])", "cn=Joe,dc=contoso,dc=com", {"dn": "cn=Joe,dc=contoso,dc=com"})],
    notes=[
        "A Connect Sync function the cloud-sync reference uses without listing it (DNComponent example); "
        "references are plain DN strings here, so the value passes through unchanged.",
    ],
)
def cref(value: Any) -> Any:
    """Treats a value as a reference; references are already DN strings, so nothing changes."""
    return value


@builtin(
    "Error",
    [Param("ErrorMessage", summary="the message reported for the object")],
    returns="none",
    dialects=CLOUD_SYNC,
    pure=False,
    examples=[
        Example(
            'IIF(IsPresent([accountName]),[accountName],Error("AccountName is required"))',
            "jdoe",
            {"accountName": "jdoe"},
        )
    ],
    notes=["Always fails the object with the message; put it in a lazy IIF/Switch branch."],
)
def error(message: str | None) -> Any:
    """Fails the evaluation on purpose, so a required value that is missing stops the object."""
    raise ValueFailure(message if message else "Error() was called")


_SID_HEX = re.compile(r"01[0-9A-Fa-f]+\Z")
_SID_TEXT = re.compile(r"S-1(-\d+)+\Z")


def _sid_bytes(text: str) -> bytes:
    """The binary SID from its Base64 form (how JSON carries binary) or its hex form ("0105...")."""
    compact = text.strip()
    if _SID_HEX.match(compact) and len(compact) % 2 == 0:
        return bytes.fromhex(compact)
    return _from_base64(compact, "StringFromSid")


def sid_to_string(data: bytes) -> str:
    """SDDL form as .NET SecurityIdentifier.ToString() writes it."""
    if len(data) < 8:
        raise ValueFailure("StringFromSid: a binary SID is at least 8 bytes long")
    revision, count = data[0], data[1]
    if revision != 1:
        raise ValueFailure(f"StringFromSid: unsupported SID revision {revision}")
    if count > 15:
        raise ValueFailure(f"StringFromSid: a SID has at most 15 sub-authorities, not {count}")
    if len(data) != 8 + 4 * count:
        raise ValueFailure(
            f"StringFromSid: a SID with {count} sub-authorities is {8 + 4 * count} bytes, not {len(data)}"
        )
    authority = int.from_bytes(data[2:8], "big")
    parts = ["S", "1", str(authority) if authority < 2**32 else f"0x{authority:012X}"]
    for index in range(count):
        start = 8 + 4 * index
        parts.append(str(int.from_bytes(data[start : start + 4], "little")))
    return "-".join(parts)


@builtin(
    "StringFromSid",
    [Param("ObjectSID", summary="a binary SID as Base64 text (or hex)")],
    dialects=CLOUD_SYNC,
    examples=[
        Example(
            "StringFromSid([objectSid])",
            "S-1-5-21-1004336348-1177238915-682003330-512",
            {"objectSid": "AQUAAAAAAAUVAAAA3PTcO4M9K0aCi6YoAAIAAA=="},
        )
    ],
    notes=[
        "Binary attributes reach expressions as text: Base64 (as JSON and Graph carry binary) or, when the "
        "text is hex starting with 01 (the SID revision), hex. A value already in S-1-... form passes through.",
        "Anything that is not a well-formed binary SID is an evaluation error; null gives null.",
    ],
)
def string_from_sid(sid: str | None) -> str | None:
    """Converts a binary security identifier (objectSid) to its ``S-1-5-21-...`` text."""
    if sid is None:
        return None
    if _SID_TEXT.match(sid.strip()):
        return sid.strip()
    return sid_to_string(_sid_bytes(sid))


def _is_dotnet_space(char: str) -> bool:
    """.NET Char.IsWhiteSpace, which String.Trim uses (Python's isspace also counts U+001C..U+001F)."""
    return char in "\t\n\x0b\x0c\r\x85" or unicodedata.category(char) in ("Zs", "Zl", "Zp")


def _trim(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_dotnet_space(text[start]):
        start += 1
    while end > start and _is_dotnet_space(text[end - 1]):
        end -= 1
    return text[start:end]


@builtin(
    "Trim",
    [Param("source", type="any", summary="a value or a multi-valued attribute")],
    returns="any",
    dialects=CLOUD_SYNC,
    examples=[
        Example('Trim(" Test ")', "Test"),
        Example("Trim([proxyAddresses])", ["smtp:a@x.com"], {"proxyAddresses": [" smtp:a@x.com"]}),
    ],
    notes=["Removes leading and trailing white space (.NET String.Trim), from each value of a multi-valued attribute."],
)
def trim(source: Any) -> Any:
    """Leading and trailing white space removed; null stays null."""
    if type(source) is list:
        return [None if item is None else _trim(to_text(item, "Trim") or "") for item in source]
    text = to_text(source, "Trim")
    return None if text is None else _trim(text)
