"""A Pygments lexer for the expression language, so docs, editors and the REPL colour it the same way.

Registered under the ``pygments.lexers`` entry point (alias ``scimmap``).  It mirrors the token rules of
``grammar/expression.lark`` but knows no function names: any word followed by ``(`` is a call, which keeps
the lexer free of the catalog (and fast to import).  Text the grammar would reject is still coloured
sensibly where a user is mid-way through typing it (an unterminated string or attribute), because the REPL
highlights as you type; only characters that can never start a token are Error tokens.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pygments.lexer import RegexLexer, bygroups
from pygments.token import Error, Name, Number, Operator, Punctuation, String, Whitespace

__all__ = ["ScimmapLexer"]


class ScimmapLexer(RegexLexer):  # type: ignore[misc]  # pygments ships no type information
    """Microsoft Entra ID attribute-mapping expressions (app provisioning and cloud sync dialects)."""

    name = "Entra ID mapping expression (scimmap)"
    aliases: ClassVar[list[str]] = ["scimmap", "entra-expression"]
    filenames: ClassVar[list[str]] = []
    mimetypes: ClassVar[list[str]] = ["text/x-scimmap"]
    url = "https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data"

    tokens: ClassVar[dict[str, list[Any]]] = {
        "root": [
            (r"[ \t\r\n\f\v]+", Whitespace),
            (r'"', String.Double, "string"),
            (r"\[[^\]]*\]", Name.Variable),
            (r"\[[^\]]*\Z", Name.Variable),  # unterminated while typing
            (r"%[A-Za-z_][A-Za-z0-9_.]*%", Name.Variable.Global),
            (r"&[Hh][0-9A-Fa-f]+", Number.Hex),
            (r"-?[0-9]+\.[0-9]+", Number.Float),
            (r"-?[0-9]+", Number.Integer),
            (r"([A-Za-z_][A-Za-z0-9_]*)([ \t\r\n\f\v]*)(?=\()", bygroups(Name.Function, Whitespace)),
            (r"[A-Za-z_][A-Za-z0-9_]*", Name.Constant),
            (r"<>|<=|>=|=|<|>|&", Operator),
            (r"[(),]", Punctuation),
            (r".", Error),
        ],
        "string": [
            (r'\\[\\"]', String.Escape),
            (r"\\.", String.Double),  # kept as written ("\d" reaches a regex as \d)
            (r'[^"\\]+', String.Double),
            (r'"', String.Double, "#pop"),
            (r"\\\Z", String.Double),
        ],
    }
