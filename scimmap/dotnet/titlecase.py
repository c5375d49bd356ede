"""PCase: .NET ``TextInfo.ToTitleCase`` on the lower-cased text, or a plain split on caller-given separators.

Microsoft's reference says PCase "internally invokes the .NET function ToTitleCase" when no separators are
given, yet its example turns the all-caps "PABLO GONSALVES (SECOND)" into "Pablo Gonsalves (Second)", which
raw ToTitleCase would leave alone (it keeps all-caps words as acronyms).  So the text is lower-cased first
(invariant culture) and then title-cased with ToTitleCase's own word rules, which the reference paraphrases
as a list of Unicode categories but which have two details the list does not mention:

- an apostrophe inside a word does not end it: "O'NEIL" -> "O'neil" (.NET), not "O'Neil";
- a word starts at a *letter*, so a leading digit is skipped: "4th" -> "4Th" (a well-known .NET quirk).

With ``wordSeparators`` only those characters separate words, and the first character of each word is
upper-cased whatever it is.  Upper-casing uses title-case forms for the Latin digraphs (ǆ -> ǅ), as .NET does.
"""

from __future__ import annotations

import unicodedata

from scimmap.dotnet.casing import simple_upper, to_lower

# ToTitleCase's word separators (TextInfo.IsWordSeparator): Zs Zl Zp Cc Cf Pc Pd Ps Pe Pi Pf Po Sm Sc Sk So.
# Marks, digits, number letters, private use, surrogates and unassigned code points belong to the word.
SEPARATOR_CATEGORIES = frozenset(
    {"Zs", "Zl", "Zp", "Cc", "Cf", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"}
)
LETTER_CATEGORIES = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo"})

# Letters whose title-case form is not their upper-case form (DŽ/Dž/dž, LJ/Lj/lj, NJ/Nj/nj, DZ/Dz/dz).
_TITLE_DIGRAPHS = {
    "\u01c4": "\u01c5", "\u01c5": "\u01c5", "\u01c6": "\u01c5",
    "\u01c7": "\u01c8", "\u01c8": "\u01c8", "\u01c9": "\u01c8",
    "\u01ca": "\u01cb", "\u01cb": "\u01cb", "\u01cc": "\u01cb",
    "\u01f1": "\u01f2", "\u01f2": "\u01f2", "\u01f3": "\u01f2",
}  # fmt: skip


def title_letter(char: str) -> str:
    """The character that starts a title-cased word."""
    return _TITLE_DIGRAPHS.get(char) or simple_upper(char)


def to_title_case(text: str) -> str:
    """``TextInfo.ToTitleCase`` (invariant culture) applied to already lower-cased text."""
    out: list[str] = []
    i = 0
    length = len(text)
    while i < length:
        char = text[i]
        if unicodedata.category(char) not in LETTER_CATEGORIES:
            out.append(char)
            i += 1
            continue
        out.append(title_letter(char))
        i += 1
        # The rest of the word (already lower-case): letters, apostrophes and non-separators.
        while i < length:
            char = text[i]
            if char != "'" and unicodedata.category(char) in SEPARATOR_CATEGORIES:
                break
            out.append(char)
            i += 1
    return "".join(out)


def pcase(text: str, separators: str | None = None) -> str:
    """PCase(source, wordSeparators); an empty or null separator list means the default rules."""
    lowered = to_lower(text)
    if not separators:
        return to_title_case(lowered)
    stops = set(separators)
    out: list[str] = []
    at_start = True
    for char in lowered:
        if char in stops:
            out.append(char)
            at_start = True
        elif at_start:
            out.append(title_letter(char))
            at_start = False
        else:
            out.append(char)
    return "".join(out)


__all__ = ["LETTER_CATEGORIES", "SEPARATOR_CATEGORIES", "pcase", "title_letter", "to_title_case"]
