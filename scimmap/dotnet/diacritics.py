"""NormalizeDiacritics: Microsoft's fixed replacement table, not Unicode decomposition.

The table is copied row by row from the NormalizeDiacritics section of Microsoft's function reference
(MicrosoftDocs/entra-docs, docs/identity/app-provisioning/functions-for-customizing-application-data.md).
It is a lookup table, so it has opinions decomposition would not: ä -> a (never "ae"), ø -> oe, æ -> ae,
ß -> ss, ı -> i, and characters it does not list (œ, đ, ð, þ, Vietnamese ồ ...) pass through unchanged.

Several entries are several code points (ā́ = ā + U+0301, u̇̄ = u + U+0307 + U+0304); each is replaced as a
unit, so the matcher tries the longest entry first.  Input is compared one base character plus its
combining marks at a time, in composed (NFC) form, so canonically equivalent input (a system that sends
"e" + U+0301 for "é") gives the same result; that choice is ours (Microsoft does not say) and the case
file pins it.  Stray combining marks and unlisted letters are never removed.
"""

from __future__ import annotations

import unicodedata

import regex

# (replacement, entries) in the order of Microsoft's table; lower-case and upper-case rows side by side.
TABLE: tuple[tuple[str, str], ...] = (
    ("a", "ä à â ã å á ą ă ā ā́ ā̀ ā̂ ā̃ ǟ ā̈ ǡ a̱ å̄"),
    ("A", "Ä À Â Ã Å Á Ą Ă Ā Ā́ Ā̀ Ā̂ Ā̃ Ǟ Ā̈ Ǡ A̱ Å̄"),
    ("ae", "æ ǣ"),
    ("AE", "Æ Ǣ"),
    ("c", "ç č ć c̄ c̱"),
    ("C", "Ç Č Ć C̄ C̱"),
    ("d", "ď d̄ ḏ"),
    ("D", "Ď D̄ Ḏ"),
    ("e", "ë è é ê ę ě ė ē ḗ ḕ ē̂ ē̃ ê̄ e̱ ë̄ e̊̄"),
    ("E", "Ë È É Ê Ę Ě Ė Ē Ḗ Ḕ Ē̂ Ē̃ Ê̄ E̱ Ë̄ E̊̄"),
    ("g", "ğ ḡ g̱"),
    ("G", "Ğ Ḡ G̱"),
    ("i", "ï î ì í ı ī ī́ ī̀ ī̂ ī̃ i̱"),
    ("I", "Ï Î Ì Í İ Ī Ī́ Ī̀ Ī̂ Ī̃ I̱"),
    ("l", "ľ ł l̄ ḹ ḻ"),
    ("L", "Ł Ľ L̄ Ḹ Ḻ"),
    ("n", "ñ ń ň n̄ ṉ"),
    ("N", "Ñ Ń Ň N̄ Ṉ"),
    ("o", "ö ò ő õ ô ó ō ṓ ṑ ō̂ ō̃ ȫ ō̈ ǭ ȭ ȱ o̱"),
    ("O", "Ö Ò Ő Õ Ô Ó Ō Ṓ Ṑ Ō̂ Ō̃ Ȫ Ō̈ Ǭ Ȭ Ȱ O̱"),
    ("oe", "ø ø̄ œ̄"),
    ("OE", "Ø Ø̄ Œ̄"),
    ("r", "ř r̄ ṟ ṝ"),
    ("R", "Ř R̄ Ṟ Ṝ"),
    ("ss", "ß"),
    ("s", "š ś ș ş s̄ s̱"),
    ("S", "Š Ś Ș Ş S̄ S̱"),
    ("t", "ť ț t̄ ṯ"),
    ("T", "Ť Ț T̄ Ṯ"),
    ("u", "ü ù û ú ů ű ū ū́ ū̀ ū̂ ū̃ u̇̄ ǖ ṻ ṳ̄ u̱"),
    ("U", "Ü Ù Û Ú Ů Ű Ū Ū́ Ū̀ Ū̂ Ū̃ U̇̄ Ǖ Ṻ Ṳ̄ U̱"),
    ("y", "ÿ ý ȳ ȳ́ ȳ̀ ȳ̃ y̱"),
    ("Y", "Ÿ Ý Ȳ Ȳ́ Ȳ̀ Ȳ̃ Y̱"),
    ("z", "ź ž ż z̄ ẕ"),
    ("Z", "Ź Ž Ż Z̄ Ẕ"),
)


def _build() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for replacement, entries in TABLE:
        for entry in entries.split():
            mapping[unicodedata.normalize("NFC", entry)] = replacement
    return mapping


REPLACEMENTS: dict[str, str] = _build()
"""Every table entry, in NFC form -> its replacement."""

_ENTRY = regex.compile("|".join(regex.escape(key) for key in sorted(REPLACEMENTS, key=lambda k: (-len(k), k))))
_CLUSTER = regex.compile(r"\P{M}\p{M}*|\p{M}+")


def _replace_cluster(match: regex.Match[str]) -> str:
    cluster = match.group()
    if cluster.isascii():
        return str(cluster)
    composed = unicodedata.normalize("NFC", cluster)
    replaced = _ENTRY.sub(lambda entry: REPLACEMENTS[entry.group()], composed)
    # An unlisted cluster is returned exactly as written, not in its composed form.
    return str(cluster if replaced == composed else replaced)


def normalize_diacritics(text: str) -> str:
    """Replace every table entry in ``text`` (longest entry first); everything else is left as written.

    Each base character with its combining marks is compared in composed (NFC) form, so "e" + U+0301
    and "é" both become "e", while an unlisted letter such as "ồ" stays as written in either form.
    """
    if text.isascii():
        return text
    return str(_CLUSTER.sub(_replace_cluster, text))


__all__ = ["REPLACEMENTS", "TABLE", "normalize_diacritics"]
