"""What the REPL does with one line of input, independent of any terminal.

:class:`ReplSession` holds the state a user builds up (the source object, the clock, the dialect, the last
expression, a mapping table) and turns a line into text to print.  The prompt_toolkit front end
(:mod:`scimmap.interactive.repl`) and the plain stdin loop both call :meth:`ReplSession.respond`, so every behaviour can
be tested without a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from attrs import define

from scimmap.console import parse_set_value
from scimmap.errors import Diagnostic, MappingError, Origin, ScimmapError
from scimmap.functions.catalog import DIALECTS, Dialect
from scimmap.language.partial import scan

PARAM_HINT = "set it with :param {name}=VALUE"


@define
class Reply:
    """Text to print, and whether it reports a problem (the stdin loop sends those to stderr)."""

    text: str
    error: bool = False


@define(frozen=True)
class Command:
    name: str
    usage: str
    summary: str


COMMANDS: tuple[Command, ...] = (
    Command("load", ":load FILE.json", "load a source object (a JSON object of attributes)"),
    Command("set", ":set name=value", 'set an attribute (value as typed; ["a","b"] for multi-valued)'),
    Command("unset", ":unset name", "remove an attribute (it reads as null)"),
    Command(
        "param",
        ":param [NAME=VALUE]",
        "set an evaluation parameter (%NAME%, DefaultDomain()); NAME alone removes it, nothing lists them",
    ),
    Command("show", ":show", "show the current source object, clock and dialect"),
    Command("ast", ":ast [EXPR]", "the node tree of EXPR (default: the last expression)"),
    Command("graph", ":graph [EXPR]", "the Graph attributeMappingSource JSON"),
    Command("fmt", ":fmt [EXPR]", "the canonical, indented layout"),
    Command("trace", ":trace [EXPR]", "every sub-expression with its value, in evaluation order"),
    Command("help", ":help [Function]", "this help, or a function's catalog entry"),
    Command("map", ":map", "apply the loaded mapping table (--mapping/--preset) and show the SCIM body"),
    Command("now", ":now [ISO|off]", "fix the instant Now() returns (off: the real clock)"),
    Command("dialect", ":dialect [NAME]", "show or switch the dialect: provisioning or cloud-sync"),
    Command("quit", ":quit", "leave (Ctrl-D does too)"),
)
COMMAND_NAMES = {c.name: c for c in COMMANDS}
ALIASES = {"q": "quit", "exit": "quit", "h": "help", "?": "help", "t": "trace", "format": "fmt"}


def needs_more(text: str) -> bool:
    """Is the input unfinished: an open string, attribute or parenthesis?  Then Enter adds a line."""
    if text.lstrip().startswith(":"):
        return False
    where, calls = scan(text)
    return where != "code" or bool(calls)


class ReplSession:
    """The REPL's state and commands; ``handle(line)`` returns what to print."""

    def __init__(
        self,
        source: dict[str, Any] | None = None,
        *,
        mapping: Any = None,
        dialect: Dialect = "provisioning",
        now: datetime | None = None,
        color: bool = False,
        parameters: dict[str, str] | None = None,
    ) -> None:
        self.source: dict[str, Any] = dict(source or {})
        self.parameters: dict[str, str] = dict(parameters or {})
        self.mapping = mapping
        self.dialect: Dialect = dialect
        self.now = now
        self.color = color
        self.last: str | None = None
        self.done = False

    # -- entry points -----------------------------------------------------------------------------------
    def handle(self, line: str) -> str:
        return self.respond(line).text

    def respond(self, line: str, *, origin: Origin | None = None) -> Reply:
        """What to print for one entry.  ``origin`` says where the entry came from (the script and the line
        it starts on, in script mode): every error then names it, ``--> <stdin>:3:7`` under a diagnostic,
        ``<stdin>:3:`` before any other message."""
        text = line.strip()
        if not text:
            return Reply("")
        if origin is not None:
            origin = _after_indent(origin, line)
        try:
            reply = self._command(text[1:]) if text.startswith(":") else self._evaluate(text, origin)
        except ScimmapError as error:
            diagnostics = [d.with_origin(origin) if origin and d.origin is None else d for d in error.diagnostics]
            return Reply("\n".join(d.render(color=self.color) for d in diagnostics), error=True)
        except Exception as error:
            return Reply(internal_error(error), error=True)
        if reply.error and origin is not None and "\n  --> " not in reply.text:
            start_line = origin.locate(0, 0)[0]
            reply = Reply(f"{origin.file}:{start_line}: {reply.text}", error=True)
        return reply

    # -- expressions ------------------------------------------------------------------------------------
    def _compile(self, text: str) -> Any:
        import scimmap

        return scimmap.compile(text, dialect=self.dialect)

    def _warnings(self, expression: Any, origin: Origin | None = None) -> list[str]:
        unset = expression.unset_parameters(self.parameters, how=PARAM_HINT)
        found = [w.with_origin(origin) if origin else w for w in [*expression.warnings, *unset]]
        return [w.render(color=self.color) for w in found]

    def _evaluate(self, text: str, origin: Origin | None = None) -> Reply:
        expression = self._compile(text)
        self.last = text
        warnings = self._warnings(expression, origin)
        try:
            value = expression.evaluate(self.source, now=self.now, parameters=self.parameters)
        except ScimmapError as error:  # the warnings may say why (an unset parameter)
            located = [d.with_origin(origin) if origin else d for d in error.diagnostics]
            return Reply("\n".join([*warnings, *(d.render(color=self.color) for d in located)]), error=True)
        return Reply("\n".join([*warnings, show_value(value)]))

    def _target(self, argument: str, command: str) -> str:
        if argument:
            return argument
        if self.last is None:
            raise MappingError(
                Diagnostic(
                    "invalid-input",
                    f":{command} needs an expression (none typed yet)",
                    hint=f"type an expression first, or :{command} EXPR",
                )
            )
        return self.last

    # -- meta-commands ----------------------------------------------------------------------------------
    def _command(self, text: str) -> Reply:
        name, _, argument = text.strip().partition(" ")
        name = ALIASES.get(name.lower(), name.lower())
        argument = argument.strip()
        handler: Callable[[str], Reply] | None = getattr(self, f"_cmd_{name}", None)
        if name not in COMMAND_NAMES or handler is None:
            import difflib

            close = difflib.get_close_matches(name, list(COMMAND_NAMES), n=1)
            hint = f" (did you mean :{close[0]}?)" if close else ""
            return Reply(f"unknown command :{name}{hint}; :help lists the commands", error=True)
        return handler(argument)

    def _cmd_quit(self, argument: str) -> Reply:
        self.done = True
        return Reply("")

    def _cmd_load(self, argument: str) -> Reply:
        if not argument:
            return Reply(":load needs a file: :load user.json", error=True)
        from scimmap.console import load_first_object

        path = str(Path(argument).expanduser())
        loaded, records = load_first_object(path)
        from scimmap.language.source import entra_source

        # A Graph user as exported (nested onPremisesExtensionAttributes...) is shown and completed as Entra
        # sees it; evaluation would read it through the same view anyway.
        self.source = entra_source(loaded)
        names = ", ".join(sorted(self.source)) or "no attributes"
        where = (
            argument
            if records == 1
            else f"the first of {records} records in {argument} (JSON Lines; :load takes one object)"
        )
        return Reply(f"loaded {len(self.source)} attribute{'s' if len(self.source) != 1 else ''} from {where}: {names}")

    def _cmd_set(self, argument: str) -> Reply:
        name, equals, value = argument.partition("=")
        name = name.strip().strip("[]")
        if not name or not equals:
            return Reply(
                ':set needs name=value, e.g. :set department=Sales or :set proxyAddresses=["a","b"]', error=True
            )
        self.source[name] = parse_set_value(value.strip())
        return Reply(f"[{name}] = {_json(self.source[name])}")

    def _cmd_unset(self, argument: str) -> Reply:
        name = argument.strip().strip("[]")
        if not name:
            return Reply(":unset needs an attribute name", error=True)
        if name not in self.source:
            return Reply(f"[{name}] was not set (it already reads as null)")
        del self.source[name]
        return Reply(f"[{name}] removed (it now reads as null)")

    def _cmd_param(self, argument: str) -> Reply:
        if not argument:
            if not self.parameters:
                return Reply("no parameters set; :param NAME=VALUE sets one (e.g. :param DefaultDomain=contoso.com)")
            return Reply("\n".join(f"{name} = {_json(value)}" for name, value in sorted(self.parameters.items())))
        name, equals, value = argument.partition("=")
        name = name.strip().strip("%")
        if not name:
            return Reply(":param needs NAME=VALUE, e.g. :param DomainFQDN=contoso.com", error=True)
        if not equals:
            if self.parameters.pop(name, None) is None:
                return Reply(f"parameter {name} was not set")
            return Reply(f"parameter {name} removed")
        self.parameters[name] = value.strip()
        return Reply(f"parameter {name} = {_json(self.parameters[name])}")

    def _cmd_show(self, argument: str) -> Reply:
        lines = [json.dumps(self.source, indent=2, ensure_ascii=False, default=str)]
        clock = self.now.isoformat() if self.now else "the real clock"
        lines.append(f"now: {clock}    dialect: {self.dialect}")
        if self.parameters:
            lines.append("parameters: " + ", ".join(f"{k}={v}" for k, v in sorted(self.parameters.items())))
        if self.mapping is not None:
            lines.append(
                f"mapping: {getattr(self.mapping, 'name', None) or getattr(self.mapping, 'file', None) or 'loaded'}"
            )
        return Reply("\n".join(lines))

    def _cmd_ast(self, argument: str) -> Reply:
        from scimmap.language.tree import render_tree

        expression = self._compile(self._target(argument, "ast"))
        return Reply(render_tree(_canonical(expression.node), expression.catalog))

    def _cmd_graph(self, argument: str) -> Reply:
        import scimmap

        expression = self._compile(self._target(argument, "graph"))
        try:
            graph = scimmap.to_graph(_canonical(expression.node))
        except ImportError:
            return Reply(
                "Graph JSON is not available in this build (scimmap.language.graphjson is missing)", error=True
            )
        return Reply(json.dumps(graph, indent=2, ensure_ascii=False))

    def _cmd_fmt(self, argument: str) -> Reply:
        import scimmap
        from scimmap.language.canonical import canonical_names

        node = canonical_names(scimmap.parse(self._target(argument, "fmt")))
        return Reply(scimmap.format(node, pretty=True))

    def _cmd_trace(self, argument: str) -> Reply:
        from scimmap.language.trace import render_trace

        text = self._target(argument, "trace")
        expression = self._compile(text)
        if argument:
            self.last = text
        steps, _, error = expression.trace(self.source, now=self.now, parameters=self.parameters)
        rendered = render_trace(expression, steps, error, color=self.color)
        if error is not None:
            return Reply(rendered + "\n" + error.render(color=self.color), error=True)
        return Reply(rendered)

    def _cmd_help(self, argument: str) -> Reply:
        if not argument:
            return Reply(general_help())
        if argument.startswith(":"):
            command = COMMAND_NAMES.get(ALIASES.get(argument[1:], argument[1:]))
            if command is None:
                return Reply(f"no command {argument}; :help lists the commands", error=True)
            return Reply(f"{command.usage}\n    {command.summary}")
        from scimmap.functions import BUILTINS

        spec = BUILTINS.get(argument.rstrip("("))
        if spec is None:
            suggestion = BUILTINS.suggest(argument)
            hint = f"; did you mean {suggestion!r}?" if suggestion else ""
            return Reply(f"no function named {argument!r}{hint}", error=True)
        return Reply(function_help(spec))

    def _cmd_map(self, argument: str) -> Reply:
        if self.mapping is None:
            return Reply(":map needs a mapping table: start the REPL with --mapping FILE or --preset NAME", error=True)
        result = self.mapping.apply(self.source, now=self.now, parameters=self.parameters or None)
        return Reply(describe_result(result))

    def _cmd_now(self, argument: str) -> Reply:
        if not argument:
            return Reply(f"Now() returns {self.now.isoformat() if self.now else 'the real time (UTC)'}")
        if argument.lower() in ("off", "real", "reset", "clear"):
            self.now = None
            return Reply("Now() returns the real time again")
        from scimmap.console import parse_now

        self.now = parse_now(argument)
        from scimmap.language.values import render_datetime

        assert self.now is not None
        return Reply(f"Now() returns {self.now.isoformat()} (Entra renders it as {render_datetime(self.now)})")

    def _cmd_dialect(self, argument: str) -> Reply:
        if not argument:
            return Reply(f"dialect: {self.dialect}")
        chosen = next((dialect for dialect in DIALECTS if dialect == argument), None)
        if chosen is None:
            return Reply(f"unknown dialect {argument!r}; use provisioning or cloud-sync", error=True)
        self.dialect = chosen
        return Reply(f"dialect: {self.dialect}")


def _after_indent(origin: Origin, line: str) -> Origin:
    """The origin of the stripped entry: its first line starts after the indentation that was removed."""
    indent = len(line) - len(line.lstrip(" \t"))
    if not indent or not origin.line_starts:
        return origin
    (first_line, first_column), *rest = origin.line_starts
    return Origin(origin.file, ((first_line, first_column + indent), *rest))


def _canonical(node: Any) -> Any:
    """Function names as Microsoft writes them (``switch(`` is shown as ``Switch(``)."""
    from scimmap.language.canonical import canonical_names

    return canonical_names(node)


# -- text helpers -------------------------------------------------------------------------------------------


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def show_value(value: Any) -> str:
    """A value as ``scimmap eval`` prints it: strings bare, but "" and null must not look like nothing."""
    from scimmap.console import show_value as plain

    return plain(value, False)


def general_help() -> str:
    lines = [
        "Type an expression to evaluate it against the current object, e.g.",
        '    Join(" ", [givenName], [surname])',
        'Tab completes function names, [attributes] and :commands; an unclosed ( or " continues on the next line.',
        "",
        "Commands:",
    ]
    width = max(len(c.usage) for c in COMMANDS)
    lines.extend(f"  {c.usage.ljust(width)}  {c.summary}" for c in COMMANDS)
    return "\n".join(lines)


def function_help(spec: Any) -> str:
    """The catalog entry: signature, summary, parameters, examples, notes."""
    lines = [spec.signature(), "", spec.doc or spec.summary]
    if spec.params:
        lines += ["", "Parameters:"]
        for param in spec.params:
            flags = [param.type]
            if not param.required:
                flags.append("optional")
            if param.repeating:
                flags.append("repeating")
            if param.literal:
                flags.append("literal")
            if param.choices:
                flags.append("one of " + "/".join(param.choices))
            summary = f": {param.summary}" if param.summary else ""
            lines.append(f"  {param.name} ({', '.join(flags)}){summary}")
    lines.append(f"Returns: {spec.returns}")
    if len(spec.dialects) == 1:
        lines.append(f"Dialect: {next(iter(spec.dialects))} only")
    if spec.examples:
        lines += ["", "Examples:"]
        for example in spec.examples:
            given = f"   given {_json(dict(example.input))}" if example.input else ""
            lines.append(f"  {example.expression}  ->  {_json(example.result)}{given}")
    for note in spec.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def describe_result(result: Any) -> str:
    """A MappingResult as a person wants to read it: the body first, then why things are missing."""
    lines: list[str] = []
    if not getattr(result, "in_scope", True):
        lines.append("(out of scope: the scoping filters exclude this object)")
    resource = getattr(result, "resource", None)
    lines.append(
        json.dumps(resource, indent=2, ensure_ascii=False, default=str) if resource is not None else "(no resource)"
    )
    filters = getattr(result, "match_filters", None)
    if filters:
        lines.append("match filters: " + "; ".join(filters))
    for target, reason in getattr(result, "skipped", None) or ():
        lines.append(f"skipped {target}: {reason}")
    for reference in getattr(result, "unresolved", None) or ():
        lines.append(f"unresolved reference: {reference}")
    return "\n".join(lines)


def internal_error(error: BaseException) -> str:
    """One line for a failure scimmap did not foresee (a bug): what broke, escaped and cut, and what to do.

    The REPL prints it and reads the next entry, so a hostile input cannot end a session or print a
    traceback holding the input.
    """
    from scimmap.errors import safe_text

    detail = safe_text(f"{type(error).__name__}: {error}", 200)
    return f"internal error: {detail} (a scimmap bug: please report the entry that caused it; the session goes on)"
