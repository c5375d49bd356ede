""".NET regular expressions on top of the ``regex`` package: pattern translation, substitutions, timeouts.

Entra runs ``System.Text.RegularExpressions``.  Python's ``regex`` package (version-0 behaviour) matches
the same way for everything mappings use, but spells several things differently or not at all, so a
.NET pattern is first rewritten by a small scanner:

- group numbering: .NET numbers unnamed groups first and named groups after them (``(?<a>x)(y)`` makes
  ``(y)`` group 1), so every capturing group becomes a synthetic named group ``_g<.NET number>`` and all
  references (``\\1``, ``\\k<name>``, ``$1``, ``${name}``, conditionals) go through that name;
- ``(?'name'...)``, ``\\k'name'``, character-class subtraction ``[a-z-[aeiou]]``, ``\\e``, ``\\cX``,
  ``\\z``/``\\Z`` and the ``n`` (explicit capture) and ``x`` (ignore whitespace) inline options;
- inline options such as ``a(?i)b`` apply to the rest of the enclosing group in .NET but to the whole
  pattern in ``regex``: they become scoped groups ``(?i:...)`` around the rest of each alternative;
- constructs .NET rejects but ``regex`` would accept (possessive quantifiers, ``\\K``, ``(?P<n>...)``,
  ``\\Q``) are reported as errors, so a mapping that works here does not fail in Entra.

Every match runs with a timeout (Entra's engine must stop runaway backtracking too); a timeout is a
:class:`ValueFailure`, like any other bad runtime input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import regex as _regex

from scimmap.dotnet.limits import MAX_TEXT_LENGTH, check_length
from scimmap.errors import ValueFailure

DEFAULT_TIMEOUT = 0.5
"""Seconds one regex operation may run before it fails (the Entra value is not public)."""

MAX_EXPANSION = 10_000
"""Largest pattern size (its *weight*) after counted repeats: ``a{1000}`` weighs 1000, ``(ab){3}`` 6.

``regex`` unrolls counted repeats when it compiles (about 250 bytes and 1.4 microseconds per unit of
weight), so ``a{99999999}`` (valid .NET) would exhaust memory; such patterns are rejected before they are
compiled.  Real mapping patterns weigh tens (``^\\d{5}$`` weighs 7).
"""

MAX_WEIGHT_PER_EXPRESSION = 20_000
"""Total weight of the distinct constant patterns in one expression (``regex-too-large`` when exceeded)."""

MAX_WEIGHT_PER_FILE = 100_000
"""Total weight of the distinct constant patterns in one mapping file (about 25 MB and 0.15 s to compile)."""

CACHE_SIZE = 64
"""Compiled patterns kept per process (twice: patterns, and pattern/replacement pairs), so the memory the
caches hold stays below ``2 * CACHE_SIZE * MAX_EXPANSION`` units of weight (about 320 MB at worst)."""


class RegexSyntaxError(ValueFailure):
    """The pattern is not a valid .NET regular expression (or uses a construct scimmap cannot run)."""


# --------------------------------------------------------------------------------------------------
# Pattern translation
# --------------------------------------------------------------------------------------------------

_WORD_ESCAPES_PASS = set("bBwWsSdDAGtnrfva")
"""Escapes with the same meaning in .NET and ``regex`` (outside a character class)."""

_CLASS_ESCAPES_PASS = set("bwWsSdDtnrfva")
_QUANTIFIER_START = set("*+?{")
_INLINE_OPTIONS = set("imnsx")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _number(digits: str) -> int:
    """A decimal number from the pattern; absurdly long ones become a value no group can have.

    .NET rejects numbers above Int32.MaxValue; capping here also keeps Python's int-from-string limit
    (4300 digits) from turning a hostile pattern into an unexpected exception.
    """
    return int(digits) if len(digits) <= 10 else 1 << 40


def _group_name(number: int) -> str:
    return f"_g{number}"


class _Level:
    """One open group: its inline-option state and the scoped-flag wrappers opened inside it."""

    __slots__ = ("explicit", "extended", "loose", "weight", "wrappers")

    def __init__(self, explicit: bool, extended: bool) -> None:
        self.explicit = explicit
        self.extended = extended
        self.weight = 0  # size of the group's content once counted repeats are unrolled
        self.wrappers: list[str] = []  # python flag strings of ``(?flags:`` groups opened by ``(?flags)``
        self.loose = False  # holds a quantifier, an alternation or a backreference (can match several ways)


class _Scanner:
    """Two passes over the same pattern: the first finds the capturing groups, the second emits."""

    def __init__(self, pattern: str, numbering: list[int] | None, names: dict[str, int]) -> None:
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        self.numbering = numbering  # .NET number of each capturing group, in order of appearance
        self.names = names  # .NET group name -> number (second pass only)
        self.groups: list[tuple[str, str | int | None]] = []  # first pass: ("unnamed"|"name"|"number", key)
        self.levels = [_Level(False, False)]
        self.after_quantifier = False
        self.last_weight = 0  # weight of the previous atom, which a quantifier multiplies
        # How far backtracking can go (see _untimed_length): repeats, choices, and whether a repeat
        # applies to something that can itself match several ways (then there is no polynomial bound).
        self.last_loose = False
        self.repeats = 0
        self.choices = 0
        self.unbounded = False

    # -- helpers ---------------------------------------------------------------------------------
    def fail(self, message: str) -> RegexSyntaxError:
        return RegexSyntaxError(f"{message} at position {self.i} of {self.p!r}")

    def peek(self, offset: int = 0) -> str:
        index = self.i + offset
        return self.p[index] if index < len(self.p) else ""

    def emit(self, text: str, weight: int = 1) -> None:
        self.out.append(text)
        self.after_quantifier = False
        self.last_loose = False
        self.level.weight += weight
        self.last_weight = weight
        if self.level.weight > MAX_EXPANSION:
            raise self.too_large()

    def too_large(self) -> RegexSyntaxError:
        return self.fail(f"the pattern is too large once counted repeats are unrolled (limit {MAX_EXPANSION:,})")

    @property
    def level(self) -> _Level:
        return self.levels[-1]

    def capture_number(self) -> int:
        index = len(self.groups)
        return self.numbering[index] if self.numbering is not None else 0

    def reference(self, key: str | int) -> str:
        """Python group name for a .NET group reference, or an error when no such group exists."""
        number = key if isinstance(key, int) else self.names.get(key)
        self.unbounded = True  # a backreference (or a condition on a group) makes matching NP-hard
        if self.numbering is None:
            return "_g0"  # first pass: references are resolved in the second
        if number is None or number not in set(self.numbering):
            raise self.fail(f"reference to undefined group {key!r}")
        return _group_name(number)

    # -- main loop -------------------------------------------------------------------------------
    def run(self) -> str:
        p = self.p
        while self.i < len(p):
            ch = p[self.i]
            if self.level.extended and ch in " \t\r\n\f\v":
                self.i += 1
                continue
            if self.level.extended and ch == "#":
                end = p.find("\n", self.i)
                self.i = len(p) if end < 0 else end + 1
                continue
            if ch == "\\":
                self.escape()
            elif ch == "[":
                self.i += 1
                self.emit(self.char_class())
            elif ch == "(":
                self.i += 1
                self.open_group()
            elif ch == ")":
                self.i += 1
                self.close_group()
            elif ch == "|":
                self.i += 1
                self.alternate()
            elif ch in _QUANTIFIER_START:
                self.quantifier()
            elif ch in "^$":
                self.i += 1
                self.emit(ch)
            else:
                self.i += 1
                self.emit(ch)
        if len(self.levels) > 1:
            raise self.fail("not enough )'s")
        self.out.append(")" * len(self.level.wrappers))
        return "".join(self.out)

    # -- quantifiers -----------------------------------------------------------------------------
    def quantifier(self) -> None:
        p = self.p
        ch = p[self.i]
        if ch == "{":
            end = p.find("}", self.i)
            body = p[self.i + 1 : end] if end > 0 else ""
            if end < 0 or not _valid_braces(body):
                # .NET reads a "{" that does not start {n}, {n,} or {n,m} literally; regex reads {,n}.
                self.i += 1
                self.emit("\\{")
                return
            low, _, high = body.partition(",")
            if len(low) > 10 or len(high) > 10:
                raise self.fail("quantifier count is too large")
            if high and int(high) < int(low):
                raise self.fail("illegal {x,y} with x > y")
            text = p[self.i : end + 1]
            self.i = end + 1
        else:
            text = ch
            self.i += 1
        if self.after_quantifier:
            raise self.fail(f"nested quantifier {text!r}")
        if self.peek() == "?":
            text += "?"
            self.i += 1
        if text[0] == "{":
            low, _, high = text.strip("{}?").partition(",")
            repeat = int(high or low)
            self.level.weight += self.last_weight * max(repeat - 1, 0)
            if self.level.weight > MAX_EXPANSION:
                raise self.too_large()
        repeats = text[0] in "*+" or (text[0] == "{" and _max_count(text) > 1)
        if repeats and self.last_loose:
            self.unbounded = True  # (a+)+, (a|b)*, (x?)*: exponentially many ways to match
        if repeats:
            self.repeats += 1
        elif self.last_loose:
            self.choices += 1  # (a*)?: twice the ways of its content
        self.level.loose = True
        self.out.append(text)
        self.after_quantifier = True

    # -- escapes ---------------------------------------------------------------------------------
    def escape(self) -> None:
        p = self.p
        if self.i + 1 >= len(p):
            raise self.fail("illegal \\ at end of pattern")
        ch = p[self.i + 1]
        self.i += 2
        if ch in _WORD_ESCAPES_PASS:
            self.emit("\\" + ch)
        elif ch == "z":
            self.emit("\\Z")
        elif ch == "Z":
            self.emit("(?=\\n?\\Z)")
        elif ch == "k":
            self.emit(f"(?P={self.reference(self.bracketed_name())})")
        elif ch.isdigit():
            self.emit(self.numeric_escape(ch))
        else:
            self.emit(self.common_escape(ch))

    def common_escape(self, ch: str) -> str:
        """Escapes valid both inside and outside a character class (the two characters are consumed)."""
        p = self.p
        if ch == "e":
            return "\\x1b"
        if ch == "c":
            letter = self.peek()
            if not letter or not letter.isascii() or not (letter.isalpha() or letter in "@[\\]^_"):
                raise self.fail("missing or illegal control character after \\c")
            self.i += 1
            return f"\\x{ord(letter.upper()) ^ 0x40:02x}"
        if ch == "x":
            digits = p[self.i : self.i + 2]
            if len(digits) < 2 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise self.fail("insufficient hexadecimal digits after \\x")
            self.i += 2
            return "\\x" + digits
        if ch == "u":
            digits = p[self.i : self.i + 4]
            if len(digits) < 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise self.fail("insufficient hexadecimal digits after \\u")
            self.i += 4
            return "\\u" + digits
        if ch in "pP":
            if self.peek() != "{":
                raise self.fail(f"malformed \\{ch}{{X}} character escape")
            end = p.find("}", self.i)
            if end < 0:
                raise self.fail(f"incomplete \\{ch}{{X}} character escape")
            name = p[self.i + 1 : end]
            self.i = end + 1
            if name.startswith("Is"):
                name = "Block=" + name[2:]  # .NET "IsGreek" names a Unicode block, not a script
            return f"\\{ch}{{{name}}}"
        if _is_word(ch):
            raise self.fail(f"unrecognized escape sequence \\{ch}")
        return "\\" + ch

    def numeric_escape(self, first: str) -> str:
        """``\\0`` octal, ``\\N`` backreference, or a multi-digit octal escape when no such group exists."""
        p = self.p
        start = self.i - 1
        if first == "0":
            end = start + 1
            while end < len(p) and end < start + 3 and p[end] in "01234567":
                end += 1
            self.i = end
            return f"\\x{int(p[start:end], 8) & 0xFF:02x}"
        end = start
        while end < len(p) and p[end].isdigit():
            end += 1
        number = _number(p[start:end])
        if self.numbering is None or number in set(self.numbering):
            self.i = end
            return f"(?P={self.reference(number)})"
        if number <= 9:
            raise self.fail(f"reference to undefined group number {number}")
        end = start
        while end < len(p) and end < start + 3 and p[end] in "01234567":
            end += 1
        if end == start:
            raise self.fail(f"reference to undefined group number {number}")
        self.i = end
        return f"\\x{int(p[start:end], 8) & 0xFF:02x}"

    def bracketed_name(self) -> str | int:
        """The name in ``<name>`` or ``'name'`` after ``\\k``; numbers stay numbers."""
        opener = self.peek()
        closer = {"<": ">", "'": "'"}.get(opener)
        if closer is None:
            raise self.fail("malformed \\k<...> named back reference")
        end = self.p.find(closer, self.i + 1)
        if end < 0:
            raise self.fail("malformed \\k<...> named back reference")
        name = self.p[self.i + 1 : end]
        self.i = end + 1
        if not name or not all(_is_word(c) for c in name):
            raise self.fail(f"invalid group name {name!r}")
        return _number(name) if name.isdigit() else name

    # -- character classes -----------------------------------------------------------------------
    def char_class(self) -> str:
        """Translate a class whose ``[`` was consumed; returns the Python text (maybe a subtraction)."""
        p = self.p
        parts: list[str] = ["["]
        if self.peek() == "^":
            parts.append("^")
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                raise self.fail("unterminated [] set")
            ch = p[self.i]
            if ch == "]" and not first:
                self.i += 1
                return "".join(parts) + "]"
            if ch == "-" and self.peek(1) == "[" and not first:
                self.i += 2
                subtracted = self.char_class()
                if self.peek() != "]":
                    raise self.fail("a subtraction must be the last element in a character class")
                self.i += 1
                return f"(?:(?!{subtracted}){''.join(parts)}])"
            first = False
            if ch == "\\":
                if self.i + 1 >= len(p):
                    raise self.fail("illegal \\ at end of pattern")
                esc = p[self.i + 1]
                self.i += 2
                if esc in _CLASS_ESCAPES_PASS:
                    parts.append("\\" + esc)
                elif esc.isdigit():
                    # Inside a class a digit escape is octal (at most three digits).
                    start = self.i - 1
                    end = start
                    while end < len(p) and end < start + 3 and p[end] in "01234567":
                        end += 1
                    if end == start:
                        raise self.fail(f"unrecognized escape sequence \\{esc}")
                    self.i = end
                    parts.append(f"\\x{int(p[start:end], 8) & 0xFF:02x}")
                else:
                    parts.append(self.common_escape(esc))
            elif ch == "[":
                self.i += 1
                parts.append("\\[")  # literal in .NET; escaped so regex never sees a nested set
            else:
                self.i += 1
                parts.append(ch)

    # -- groups ----------------------------------------------------------------------------------
    def push(self, opener: str, *, explicit: bool | None = None, extended: bool | None = None) -> None:
        outer = self.level
        self.levels.append(
            _Level(outer.explicit if explicit is None else explicit, outer.extended if extended is None else extended)
        )
        self.emit(opener, 0)

    def capturing(self, key: tuple[str, str | int | None]) -> None:
        number = self.capture_number()
        self.groups.append(key)
        self.push(f"(?P<{_group_name(number)}>")

    def open_group(self) -> None:
        p = self.p
        if self.peek() != "?":
            if self.level.explicit:
                self.push("(?:")
            else:
                self.capturing(("unnamed", None))
            return
        self.i += 1
        ch = self.peek()
        if ch == ":":
            self.i += 1
            self.push("(?:")
        elif ch in "=!>":
            self.i += 1
            self.push(f"(?{ch}")
        elif ch == "<" and self.peek(1) in "=!":
            self.push(f"(?<{self.peek(1)}")
            self.i += 2
        elif ch in "<'":
            self.i += 1
            closer = ">" if ch == "<" else "'"
            end = p.find(closer, self.i)
            if end < 0:
                raise self.fail("unrecognized grouping construct")
            name = p[self.i : end]
            if "-" in name:
                raise self.fail("balancing groups (?<name1-name2>...) are not supported")
            if not name or not all(_is_word(c) for c in name) or (name[0].isdigit() and not name.isdigit()):
                raise self.fail(f"invalid group name {name!r}")
            self.i = end + 1
            if name.isdigit():
                self.capturing(("number", _number(name)))
            else:
                self.capturing(("name", name))
        elif ch == "#":
            end = p.find(")", self.i)
            if end < 0:
                raise self.fail("unterminated (?#...) comment")
            self.i = end + 1
        elif ch == "(":
            self.i += 1
            self.conditional()
        elif ch in _INLINE_OPTIONS or ch == "-":
            self.options()
        else:
            raise self.fail("unrecognized grouping construct")

    def conditional(self) -> None:
        """``(?(name)yes|no)``, ``(?(1)yes|no)`` or ``(?(expression)yes|no)`` (an implicit lookahead)."""
        p = self.p
        self.unbounded = True  # no bound is worked out for conditionals: the timeout stays armed
        self.push("(?")
        end = p.find(")", self.i)
        word = p[self.i : end] if end > 0 else ""
        if word and all(_is_word(c) for c in word):
            key: str | int = _number(word) if word.isdigit() else word
            known = self.numbering is None or (
                (key in set(self.numbering)) if isinstance(key, int) else key in self.names
            )
            if known:
                self.i = end + 1
                self.out.append(f"({self.reference(key)})")
                return
        # Not a group: the condition is an expression, which .NET evaluates as a zero-width lookahead.
        if self.peek() == "?":
            self.open_group()
        else:
            self.push("(?=")

    def options(self) -> None:
        """``(?imnsx-imnsx)`` (rest of the enclosing group) or ``(?imnsx-imnsx:...)`` (a scoped group)."""
        p = self.p
        start = self.i
        while self.i < len(p) and (p[self.i] in _INLINE_OPTIONS or p[self.i] == "-"):
            self.i += 1
        spec = p[start : self.i]
        terminator = self.peek()
        if terminator not in ":)" or spec.count("-") > 1:
            raise self.fail("unrecognized grouping construct")
        self.i += 1
        on, _, off = spec.partition("-")
        explicit = True if "n" in on else False if "n" in off else None
        extended = True if "x" in on else False if "x" in off else None
        keep_on = "".join(c for c in on if c in "ims")
        keep_off = "".join(c for c in off if c in "ims")
        flags = keep_on + (f"-{keep_off}" if keep_off else "")
        if terminator == ":":
            self.push(f"(?{flags}:" if flags else "(?:", explicit=explicit, extended=extended)
            return
        level = self.level
        if explicit is not None:
            level.explicit = explicit
        if extended is not None:
            level.extended = extended
        if flags:
            level.wrappers.append(flags)
            self.emit(f"(?{flags}:", 0)
        else:
            self.after_quantifier = False

    def alternate(self) -> None:
        wrappers = self.level.wrappers
        reopen = "".join(f"(?{flags}:" for flags in wrappers)
        self.emit(")" * len(wrappers) + "|" + reopen, 0)
        self.level.loose = True
        self.choices += 1

    def close_group(self) -> None:
        if len(self.levels) == 1:
            raise self.fail("too many )'s")
        closing = self.levels.pop()
        self.emit(")" * len(closing.wrappers) + ")", max(closing.weight, 1))
        self.last_loose = closing.loose
        self.level.loose = self.level.loose or closing.loose


UNTIMED_STEPS = 10_000_000
"""Backtracking steps a match may take without a timeout: well under a second at the ``regex`` package's
speed (tens of nanoseconds a step), and DEFAULT_TIMEOUT is half a second."""


def _untimed_length(scan: _Scanner, weight: int) -> int:
    """The longest text a search with this pattern cannot spend UNTIMED_STEPS on; -1 when none is safe.

    Arming ``regex``'s timeout costs about 2 µs a call (it reads the process CPU clock), more than a short
    Replace itself, so it is armed only where it could fire.  A pattern in which no repeat applies to
    something that matches several ways, and with no backreference, has a polynomial worst case: with
    ``k`` repeats, a search over ``n`` characters tries each of the n+1 starts with at most (n+1)**k ways
    to share the text between the repeats, each walking the pattern's ``weight`` once, and every
    alternation or optional group at most doubles that.  Anything else keeps the timeout for every text.
    """
    if scan.unbounded or scan.choices > 20:
        return -1
    room = UNTIMED_STEPS / (weight << scan.choices)
    if room < 1:
        return -1
    return max(int(room ** (1 / (scan.repeats + 1))) - 1, -1)


def _timeout(expression: DotNetRegex, text: str, timeout: float) -> float | None:
    """The timeout to arm for this search: none when it cannot fire (see _untimed_length)."""
    return None if len(text) <= expression.untimed else timeout


def _max_count(quantifier: str) -> int:
    """The most repetitions ``{n}``, ``{n,}`` or ``{n,m}`` (lazy or not) allows; unbounded is a large number."""
    low, comma, high = quantifier.strip("{}?").partition(",")
    return int(high) if high else (1 << 31) if comma else int(low)


def _valid_braces(body: str) -> bool:
    low, _comma, high = body.partition(",")
    if not low.isdigit() or not low.isascii():
        return False
    return not high or (high.isdigit() and high.isascii())


# --------------------------------------------------------------------------------------------------
# Compiled patterns
# --------------------------------------------------------------------------------------------------


class DotNetRegex:
    """A .NET pattern compiled for ``regex``, with the .NET group numbers and names it defines."""

    __slots__ = ("compiled", "names", "numbers", "pattern", "python", "untimed", "weight")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        first = _Scanner(pattern, None, {})
        first.run()
        numbering, names = _number_groups(first.groups)
        self.numbers: tuple[int, ...] = tuple(sorted({0, *numbering}))
        self.names: dict[str, int] = names
        second = _Scanner(pattern, numbering, names)
        self.python = second.run()
        self.weight: int = max(second.levels[0].weight, 1)
        """Size after counted repeats (see MAX_EXPANSION): what compiling costs, checked before compiling."""
        self.untimed: int = _untimed_length(second, self.weight)
        """Texts up to this length cannot reach the timeout, which is then not armed (see _untimed_length)."""
        try:
            self.compiled = _regex.compile(self.python, _regex.V0)
        except _regex.error as error:
            raise RegexSyntaxError(f"{error.msg} in {pattern!r}") from None
        except (ValueError, OverflowError, RecursionError) as error:  # pathological patterns
            raise RegexSyntaxError(f"{error} in {pattern!r}") from None

    def __repr__(self) -> str:
        return f"DotNetRegex({self.pattern!r})"

    def group(self, key: str | int) -> str | int | None:
        """Python group name for a .NET group name or number (``"2"`` counts as a number), or None.

        Group 0 (the whole match) is returned as the integer 0: the ``regex`` package knows it by number only.
        """
        if isinstance(key, str):
            if key.isdigit():
                key = _number(key)
            elif key in self.names:
                return _group_name(self.names[key])
            else:
                return None
        if key == 0:
            return 0
        return _group_name(key) if key in self.numbers else None


def _number_groups(groups: list[tuple[str, str | int | None]]) -> tuple[list[int], dict[str, int]]:
    """.NET's numbering: unnamed groups 1..n left to right, explicit numbers as written, names after."""
    numbering: list[int | None] = []
    used: set[int] = set()
    auto = 1
    for kind, key in groups:
        if kind == "unnamed":
            numbering.append(auto)
            used.add(auto)
            auto += 1
        elif kind == "number":
            numbering.append(key)  # type: ignore[arg-type]
            used.add(key)  # type: ignore[arg-type]
        else:
            numbering.append(None)
    names: dict[str, int] = {}
    for kind, key in groups:
        if kind == "name" and key not in names:
            while auto in used:
                auto += 1
            names[key] = auto  # type: ignore[index]
            used.add(auto)
            auto += 1
    resolved = [names[key] if number is None else number for (kind, key), number in zip(groups, numbering)]  # type: ignore[index]
    return resolved, names


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile_cached(pattern: str) -> DotNetRegex | str:
    try:
        return DotNetRegex(pattern)
    except RegexSyntaxError as error:
        return str(error)
    except (ValueError, OverflowError, RecursionError, MemoryError) as error:  # hostile input, not a crash
        return f"{type(error).__name__}: {error} in {pattern!r}"


def compile_regex(pattern: str) -> DotNetRegex:
    """Compile (cached) a .NET pattern; raises :class:`RegexSyntaxError` when it is invalid."""
    result = _compile_cached(pattern)
    if isinstance(result, str):
        raise RegexSyntaxError(result)
    return result


def translate(pattern: str) -> str:
    """The ``regex``-package pattern a .NET pattern runs as (for tests and ``scimmap explain``)."""
    return compile_regex(pattern).python


def validate_pattern(pattern: str) -> str | None:
    """Compile-time check for ``Param.check``: an error text, or None when the pattern is valid .NET."""
    result = _compile_cached(pattern)
    return f"invalid regular expression: {result}" if isinstance(result, str) else None


def pattern_weight(pattern: str) -> int:
    """A constant pattern's compile cost for ``Param.cost`` (0 when invalid: ``check`` reports that).

    Weighed without compiling, so a budget over many patterns is checked before any of them is built.
    """
    if len(pattern) > MAX_EXPANSION:
        return len(pattern)  # every character weighs at least one; no need to scan it
    try:
        first = _Scanner(pattern, None, {})
        first.run()
    except (RegexSyntaxError, ValueError, OverflowError, RecursionError):
        return 0
    return max(first.levels[0].weight, 1)


# --------------------------------------------------------------------------------------------------
# Replacement patterns ($1, ${name}, $$, $&, $`, $', $+, $_)
# --------------------------------------------------------------------------------------------------

# A parsed replacement is a tuple of parts: literal text, or a (kind, group) reference.
_Part = str | tuple[str, str | int]


def parse_replacement(replacement: str, expression: DotNetRegex) -> tuple[_Part, ...]:
    """Split a .NET replacement pattern into literal text and references (.NET ``ScanReplacement``).

    Anything that is not a valid substitution (``$name``, ``${unknown}``, ``$9`` with fewer groups)
    stays literal text, exactly as .NET leaves it.
    """
    parts: list[_Part] = []
    literal: list[str] = []
    text = replacement
    i = 0
    n = len(text)

    def reference(kind: str, group: str | int = "") -> None:
        if literal:
            parts.append("".join(literal))
            literal.clear()
        parts.append((kind, group))

    while i < n:
        ch = text[i]
        if ch != "$" or i + 1 >= n:
            literal.append(ch)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "{":
            end = text.find("}", i + 2)
            name = text[i + 2 : end] if end > 0 else ""
            if name and all(_is_word(c) for c in name):
                group = expression.group(name)
                if group is not None and (not name[0].isdigit() or name.isdigit()):
                    reference("group", group)
                    i = end + 1
                    continue
            literal.append("$")
            i += 1
        elif nxt.isdigit() and nxt.isascii():
            end = i + 1
            while end < n and text[end].isdigit() and text[end].isascii():
                end += 1
            group = expression.group(_number(text[i + 1 : end]))
            if group is not None:
                reference("group", group)
                i = end
            else:
                literal.append("$")
                i += 1
        elif nxt == "$":
            literal.append("$")
            i += 2
        elif nxt in "&`'+_":
            kind = {"&": "group", "`": "before", "'": "after", "+": "last", "_": "input"}[nxt]
            reference(kind, "0" if nxt == "&" else "")
            i += 2
        else:
            literal.append("$")
            i += 1
    if literal:
        parts.append("".join(literal))
    return tuple(parts)


def _expander(parts: tuple[_Part, ...], expression: DotNetRegex) -> Callable[[_regex.Match[str]], str]:
    last = _group_name(expression.numbers[-1]) if len(expression.numbers) > 1 else "0"
    if all(isinstance(part, str) for part in parts):
        constant = "".join(parts)  # type: ignore[arg-type]
        return lambda match: constant

    def expand(match: _regex.Match[str]) -> str:
        out: list[str] = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            kind, group = part
            if kind == "group":
                value = match.group(0 if group == "0" else group)
            elif kind == "last":
                value = match.group(0 if last == "0" else last)
            elif kind == "before":
                value = match.string[: match.start()]
            elif kind == "after":
                value = match.string[match.end() :]
            else:
                value = match.string
            out.append(value or "")
        return "".join(out)

    return expand


def _measurer(parts: tuple[_Part, ...], expression: DotNetRegex) -> Callable[[_regex.Match[str]], int]:
    """The length :func:`_expander` would produce for a match, from spans only (nothing is built)."""
    last = _group_name(expression.numbers[-1]) if len(expression.numbers) > 1 else "0"
    fixed = sum(len(part) for part in parts if isinstance(part, str))
    references = [part for part in parts if not isinstance(part, str)]
    if not references:
        return lambda match: fixed

    def measure(match: _regex.Match[str]) -> int:
        total = fixed
        for kind, group in references:
            if kind == "group" or kind == "last":
                key = group if kind == "group" else last
                start, end = match.span(0 if key == "0" else key)
                total += max(end - start, 0)
            elif kind == "before":
                total += match.start()
            elif kind == "after":
                total += len(match.string) - match.end()
            else:
                total += len(match.string)
        return total

    return measure


# --------------------------------------------------------------------------------------------------
# Operations (each raises ValueFailure on an invalid pattern or a timeout)
# --------------------------------------------------------------------------------------------------


def _timed(operation: Callable[[], object], pattern: str, timeout: float, text: str) -> object:
    """Run one regex operation on ``text``, with the input bounded and the timeout as a safety net.

    Nothing is remembered between calls: a result depends only on the pattern, the input and the timeout,
    never on what ran before (an earlier cache of timed-out calls made results differ between threads and
    a sequential run).  Locating a failing call re-runs the expression, so a timeout is paid twice there.
    """
    check_length(len(text), "the text a regular expression searches")
    try:
        return operation()
    except TimeoutError:
        raise ValueFailure(
            f"the regular expression {pattern!r} took longer than {timeout:g} s (catastrophic backtracking?)"
        ) from None
    except RecursionError:
        raise ValueFailure(f"the regular expression {pattern!r} is too complex for this input") from None


def _bounded_sub(
    expression: DotNetRegex,
    text: str,
    piece: Callable[[_regex.Match[str]], str],
    measure: Callable[[_regex.Match[str]], int],
    timeout: float,
    most: int,
) -> str:
    """``sub`` that refuses, before building each replacement, a result longer than MAX_TEXT_LENGTH.

    ``most`` is an upper bound of the result's length known from the input alone; when it is within the
    limit (every ordinary call), ``piece`` runs directly, with no per-match accounting.

    ``measure`` gives a match's replacement length without building it.  The text produced so far (the
    unmatched gaps plus the replacements) only grows and never exceeds the final result, so checking it
    at each match is exact, and what ``regex`` holds in memory stays within the limit; the unmatched tail
    after the last match (at most the input, itself within the limit) is checked on the result.
    """
    if most <= MAX_TEXT_LENGTH:
        return _timed(  # type: ignore[return-value]
            lambda: expression.compiled.sub(piece, text, timeout=_timeout(expression, text, timeout)),
            expression.pattern,
            timeout,
            text,
        )
    produced = 0
    last_end = 0

    def bounded(match: _regex.Match[str]) -> str:
        nonlocal produced, last_end
        produced += match.start() - last_end + measure(match)
        last_end = match.end()
        check_length(produced, "the result of this regular-expression replacement")
        return piece(match)

    result: str = _timed(  # type: ignore[assignment]
        lambda: expression.compiled.sub(bounded, text, timeout=_timeout(expression, text, timeout)),
        expression.pattern,
        timeout,
        text,
    )
    check_length(len(result), "the result of this regular-expression replacement")  # the unmatched tail
    return result


def replace(pattern: str, text: str, replacement: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """.NET ``Regex.Replace(text, pattern, replacement)``: every match, empty ones included."""
    expression, expand, measure, shape = _replacer(pattern, replacement)
    fixed, references = shape
    # At most len(text) + 1 matches, each giving the literal text plus references no longer than the text.
    most = len(text) + (len(text) + 1) * (fixed + references * len(text))
    return _bounded_sub(expression, text, expand, measure, timeout, most)


@functools.lru_cache(maxsize=CACHE_SIZE)
def _replacer(
    pattern: str, replacement: str
) -> tuple[DotNetRegex, Callable[[_regex.Match[str]], str], Callable[[_regex.Match[str]], int], tuple[int, int]]:
    """The compiled pattern and the parsed replacement, once per pair (both are constants of a mapping),
    with the replacement's shape: its literal length and its number of references."""
    expression = compile_regex(pattern)
    parts = parse_replacement(replacement, expression)
    literal = sum(len(part) for part in parts if isinstance(part, str))
    references = sum(1 for part in parts if not isinstance(part, str))
    return expression, _expander(parts, expression), _measurer(parts, expression), (literal, references)


def replace_group(pattern: str, text: str, group: str, value: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """In every match, replace only the text the named (or numbered) group captured with ``value``.

    ``value`` is literal text: this mode has no substitution syntax of its own in Microsoft's reference.
    A match where the group did not take part is left as it is.
    """
    expression = compile_regex(pattern)
    name = expression.group(group)
    if name is None:
        raise ValueFailure(f"the regular expression {pattern!r} has no group named {group!r}")

    def inside(match: _regex.Match[str]) -> tuple[int, int] | None:
        start, end = match.span(name)
        if start < 0 or start < match.start() or end > match.end():
            return None
        return start, end

    def swap(match: _regex.Match[str]) -> str:
        span = inside(match)
        whole: str = match.string
        if span is None:
            return whole[match.start() : match.end()]
        return whole[match.start() : span[0]] + value + whole[span[1] : match.end()]

    def measure(match: _regex.Match[str]) -> int:
        span = inside(match)
        size: int = match.end() - match.start()
        return size if span is None else size - (span[1] - span[0]) + len(value)

    # The unreplaced parts of all matches together are at most the text; each match adds the value once.
    most = len(text) + (len(text) + 1) * len(value)
    return _bounded_sub(expression, text, swap, measure, timeout, most)


def capture(pattern: str, text: str, group: str, *, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The text the group captured in the first match, or None when nothing matches."""
    expression = compile_regex(pattern)
    name = expression.group(group)
    if name is None:
        raise ValueFailure(f"the regular expression {pattern!r} has no group named {group!r}")
    match = _timed(
        lambda: expression.compiled.search(text, timeout=_timeout(expression, text, timeout)), pattern, timeout, text
    )
    if match is None:
        return None
    return match.group(0 if name == "0" else name)  # type: ignore[attr-defined, no-any-return]


def matches(pattern: str, text: str, *, whole: bool = False, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """.NET ``Regex.IsMatch`` (a match anywhere), or a whole-value match with ``whole=True``."""
    expression = compile_regex(pattern)
    method = expression.compiled.fullmatch if whole else expression.compiled.search
    armed = _timeout(expression, text, timeout)
    return _timed(lambda: method(text, timeout=armed), pattern, timeout, text) is not None


__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_EXPANSION",
    "MAX_WEIGHT_PER_EXPRESSION",
    "MAX_WEIGHT_PER_FILE",
    "DotNetRegex",
    "RegexSyntaxError",
    "capture",
    "compile_regex",
    "matches",
    "parse_replacement",
    "pattern_weight",
    "replace",
    "replace_group",
    "translate",
    "validate_pattern",
]
