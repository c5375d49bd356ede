"""The interactive front end: a prompt_toolkit session around :class:`ReplSession`.

Everything a terminal adds lives here (highlighting with the Pygments lexer, completion, the signature
toolbar, history, multi-line input while parentheses or quotes are open); what a line *does* lives in
:mod:`scimmap.interactive.commands`.  When stdin is not a terminal, :func:`run_lines` reads one expression or
command per line instead, so the REPL can be scripted: ``echo 'Join("-", "a", "b")' | scimmap repl``.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from scimmap.errors import Origin
from scimmap.functions.catalog import DIALECTS
from scimmap.interactive.commands import COMMANDS, ReplSession, needs_more
from scimmap.language.partial import current_call, scan

PROMPT = "scimmap> "
CONTINUATION = "     ... "
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def history_path() -> Path:
    """``$SCIMMAP_HISTORY`` or ``~/.scimmap_history``."""
    configured = os.environ.get("SCIMMAP_HISTORY")
    return Path(configured).expanduser() if configured else Path.home() / ".scimmap_history"


# -- reading the text before the cursor ------------------------------------------------------------------------


# -- completion ----------------------------------------------------------------------------------------------


def entra_attribute_names(object_name: str = "User") -> list[str]:
    """Entra's source attribute names (scimmap.mapping.attributes), the given object kind's first."""
    try:
        from scimmap.mapping.attributes import attributes
    except ImportError:  # pragma: no cover - builds without the attribute list
        return []
    names: list[str] = []
    for kind in (object_name, "Group" if object_name == "User" else "User"):
        names.extend(a.name for a in attributes(kind) if a.name not in names)
    return names


class Completions:
    """Completion candidates as plain data (text to insert, how many characters it replaces, display, meta).

    Kept free of prompt_toolkit types so tests can ask for them directly.
    """

    def __init__(self, session: ReplSession, catalog: Any = None) -> None:
        if catalog is None:
            from scimmap.functions import BUILTINS

            catalog = BUILTINS
        self.session = session
        self.catalog = catalog
        self._entra: list[str] | None = None
        self._words: list[str] | None = None

    def attribute_names(self) -> list[str]:
        if self._entra is None:
            self._entra = entra_attribute_names(getattr(self.session.mapping, "object", None) or "User")
        loaded = sorted(self.session.source)
        return loaded + [n for n in self._entra if n not in self.session.source]

    def words(self) -> list[str]:
        """Bare words some functions take (vbTextCompare, UTF8, IgnoreAttributeFlow ...)."""
        if self._words is None:
            found = {"IgnoreAttributeFlow", "IgnoreObjectFlow"}
            for spec in self.catalog:
                for param in spec.params:
                    if param.literal:
                        found.update(param.choices)
            self._words = sorted(found, key=str.lower)
        return self._words

    def functions(self, prefix: str) -> Iterator[tuple[str, int, str, str]]:
        folded = prefix.lower()
        specs = [s for s in self.catalog if self.session.dialect in s.dialects]
        starts = [s for s in specs if s.name.lower().startswith(folded)]
        inside = [s for s in specs if folded in s.name.lower() and s not in starts] if len(folded) > 1 else []
        for spec in starts + inside:
            yield spec.name + "(", len(prefix), spec.name, f"{spec.signature()}  {spec.summary}"

    def complete(self, text: str) -> list[tuple[str, int, str, str]]:
        """Candidates for the cursor at the end of ``text``: (insert, replace_count, display, meta)."""
        stripped = text.lstrip()
        if stripped.startswith(":"):
            return self._command(stripped[1:])
        where, _ = scan(text)
        if where == "string":
            return []
        if where == "attribute":
            prefix = text[text.rfind("[") + 1 :]
            folded = prefix.lower()
            return [
                (name + "]", len(prefix), name, "loaded object" if name in self.session.source else "Entra attribute")
                for name in self.attribute_names()
                if name.lower().startswith(folded)
            ]
        match = _WORD.search(text)
        if not match:
            return []
        prefix = match.group(0)
        found = list(self.functions(prefix))
        folded = prefix.lower()
        found += [(w, len(prefix), w, "word") for w in self.words() if w.lower().startswith(folded)]
        return found

    def _command(self, text: str) -> list[tuple[str, int, str, str]]:
        name, space, argument = text.partition(" ")
        if not space:
            folded = name.lower()
            return [(c.name, len(name), ":" + c.name, c.summary) for c in COMMANDS if c.name.startswith(folded)]
        argument = argument.lstrip()
        name = name.lower()
        if name == "help":
            return [
                (n, len(argument), n, s)
                for n, _, _, s in ((spec.name, 0, spec.name, spec.summary) for spec in self.catalog)
                if n.lower().startswith(argument.lower())
            ]
        if name in ("set", "unset") and "=" not in argument:
            suffix = "=" if name == "set" else ""
            return [
                (n + suffix, len(argument), n, "")
                for n in self.attribute_names()
                if n.lower().startswith(argument.lower())
            ]
        if name == "dialect":
            return [(d, len(argument), d, "") for d in DIALECTS if d.startswith(argument)]
        return []


def _prompt_toolkit_completer(completions: Completions) -> Any:
    from prompt_toolkit.completion import Completer, Completion, PathCompleter
    from prompt_toolkit.document import Document

    paths = PathCompleter(expanduser=True)

    class ReplCompleter(Completer):
        def get_completions(self, document: Document, complete_event: Any) -> Iterable[Completion]:
            before = document.text_before_cursor
            stripped = before.lstrip()
            if stripped.startswith(":load "):
                argument = stripped[len(":load ") :].lstrip()
                for found in paths.get_completions(Document(argument, len(argument)), complete_event):
                    # PathCompleter shows a directory as "examples/" but inserts "examples": insert the "/"
                    # too, so the next Tab goes on into the directory.
                    slash = "/" if found.display_text.endswith("/") and not found.text.endswith("/") else ""
                    yield Completion(found.text + slash, found.start_position, display=found.display)
                return
            for insert, replaced, display, meta in completions.complete(before):
                yield Completion(insert, start_position=-replaced, display=display, display_meta=meta)

    return ReplCompleter()


# -- highlighting and the toolbar ----------------------------------------------------------------------------


def _lexer() -> Any:
    """The Pygments lexer for expressions; meta-command lines get their own simple colouring."""
    from prompt_toolkit.lexers import Lexer, PygmentsLexer

    from scimmap.interactive.highlight import ScimmapLexer

    expression_lexer = PygmentsLexer(ScimmapLexer, sync_from_start=True)

    class ReplLexer(Lexer):
        def lex_document(self, document: Any) -> Callable[[int], Any]:
            if document.text.lstrip().startswith(":"):
                lines = document.lines

                def command_line(number: int) -> list[tuple[str, str]]:
                    if number >= len(lines):
                        return []
                    line = lines[number]
                    word, space, rest = line.partition(" ")
                    return [("class:meta-command", word), ("", space + rest)]

                return command_line
            return expression_lexer.lex_document(document)

    return ReplLexer()


def signature_hint(text: str, catalog: Any) -> list[tuple[str, str]]:
    """Formatted text for the bottom toolbar: the signature of the call being typed, current argument bold."""
    found = current_call(text)
    if found is None:
        return [("", " Tab completes  |  :help lists commands  |  Ctrl-D quits ")]
    name, argument = found
    spec = catalog.get(name)
    if spec is None:
        return [("", f" {name}: no such function ")]
    try:
        current = spec.param_at(argument)
    except IndexError:
        current = None
    parts: list[tuple[str, str]] = [("", f" {spec.name}(")]
    for index, (param, label) in enumerate(zip(spec.params, spec.parameter_labels())):
        if index:
            parts.append(("", ", "))
        parts.append(("bold reverse" if param is current else "", label))
    if any(p.repeating for p in spec.params):
        parts.append(("", ", ..."))
    parts.append(("", f")  {spec.summary} "))
    return parts


# -- the loops -----------------------------------------------------------------------------------------------


def banner() -> str:
    from scimmap import __version__

    return f"scimmap {__version__}  (:help for commands, Tab completes, Ctrl-D quits)"


def run_lines(session: ReplSession, lines: Iterable[str], out: TextIO, err: TextIO, name: str = "<stdin>") -> int:
    """Non-interactive mode: one expression or command per line (continued while brackets are open).

    Lines starting with ``#`` are comments.  Every error names the input line it comes from
    (``--> <stdin>:3:7``), so a long script's failures can be found.  Returns 1 when any line failed, so
    scripts can tell.
    """
    failed = False
    pending = ""
    first = 0
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not pending:
            first = number
        pending = f"{pending}\n{line}" if pending else line
        if needs_more(pending):
            continue
        failed |= _answer(session, pending, out, err, _origin(name, first, pending))
        pending = ""
        if session.done:
            return int(failed)
    if pending:
        failed |= _answer(session, pending, out, err, _origin(name, first, pending))
    return int(failed)


def _origin(name: str, first: int, text: str) -> Origin:
    """An entry of ``text`` read from ``name`` starting on line ``first``: one line start per line."""
    return Origin(name, tuple((first + k, 1) for k in range(text.count("\n") + 1)))


def _answer(session: ReplSession, text: str, out: TextIO, err: TextIO, origin: Origin | None = None) -> bool:
    reply = session.respond(text, origin=origin)
    if reply.text:
        (err if reply.error else out).write(reply.text + "\n")
        (err if reply.error else out).flush()
    return reply.error


def complete_now(buffer: Any, completer: Any) -> None:
    """Tab, decided from the text as it is now.

    prompt_toolkit's own Tab starts an asynchronous completion and drops it while the one started by typing
    is still pending, so a Tab typed right after the text showed the menu but completed nothing.  Here the
    candidates are computed at once: a menu already showing for this text moves to the next entry, a single
    candidate is inserted, several insert their common part and open the menu.
    """
    from prompt_toolkit.completion import CompleteEvent, get_common_complete_suffix

    state = buffer.complete_state
    if (
        state is not None
        and state.completions
        and (state.current_completion is not None or state.original_document.text == buffer.text)
    ):
        buffer.complete_next()
        return
    found = list(completer.get_completions(buffer.document, CompleteEvent(completion_requested=True)))
    if len(found) == 1:
        buffer.apply_completion(found[0])
        return
    if found:
        common = get_common_complete_suffix(buffer.document, found)
        if common:
            buffer.insert_text(common)
        buffer.start_completion(insert_common_part=False)


def build_prompt_session(session: ReplSession, *, input: Any = None, output: Any = None, history: Any = None) -> Any:
    """The prompt_toolkit session: highlighting, completion, history and multi-line Enter."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.styles import Style

    bindings = KeyBindings()
    completions = Completions(session)
    completer = _prompt_toolkit_completer(completions)

    @bindings.add("enter")
    def _enter(event: Any) -> None:
        buffer = event.current_buffer
        # A completion chosen in the menu is kept and the menu closes, then Enter does what it always does:
        # accept a complete entry, or start a new line inside an open ( or ".  (Stopping after closing the
        # menu made the next line the user typed continue the unsent one.)
        state = buffer.complete_state
        if state is not None:
            if state.current_completion is not None:
                buffer.apply_completion(state.current_completion)
            else:
                buffer.cancel_completion()
        if needs_more(buffer.text):
            buffer.insert_text("\n")
        else:
            buffer.validate_and_handle()

    @bindings.add("tab")
    def _tab(event: Any) -> None:
        complete_now(event.current_buffer, completer)

    @bindings.add("escape", "enter")
    def _force(event: Any) -> None:
        event.current_buffer.validate_and_handle()

    if history is None:
        try:
            history = FileHistory(str(history_path()))
        except OSError:
            history = InMemoryHistory()
    style = Style.from_dict({"meta-command": "ansicyan bold", "bottom-toolbar": "noreverse"})
    prompt: Any = PromptSession(
        PROMPT,
        input=input,
        output=output,
        history=history,
        lexer=_lexer(),
        completer=completer,
        complete_while_typing=True,
        multiline=True,
        prompt_continuation=lambda width, line_number, soft_wrap: CONTINUATION,
        key_bindings=bindings,
        style=style,
        include_default_pygments_style=True,
    )
    # The toolbar reads the buffer, which exists only once the session does.
    prompt.bottom_toolbar = lambda: signature_hint(
        prompt.default_buffer.document.text_before_cursor, completions.catalog
    )
    return prompt


def run_interactive(
    session: ReplSession,
    *,
    input: Any = None,
    output: Any = None,
    history: Any = None,
    write: Callable[[str], Any] | None = None,
    show_banner: bool = True,
) -> int:
    """Prompt until :quit or Ctrl-D; Ctrl-C abandons the current entry."""
    write = write or _stdout_write
    prompt = build_prompt_session(session, input=input, output=output, history=history)
    if show_banner:
        write(banner() + "\n")
    while not session.done:
        try:
            text = prompt.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        reply = session.respond(text)
        if reply.text:
            write(reply.text + "\n")
    return 0


def _stdout_write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
