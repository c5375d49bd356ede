"""The language server: pygls handlers that put check, the catalog, fmt and evaluation behind LSP.

Each handler translates between the protocol (0-based positions in the client's units) and the modules
of this package (1-based code-point points); none of them knows YAML.  Diagnostics are computed off the
event loop after a short pause in typing and published only if the document has not changed since.
Handlers that need the whole table run in threads too, so completion on a 2,000-mapping file never waits
for them.  Every handler is guarded: whatever the buffer holds, the server answers and stays up.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from scimmap import __version__
from scimmap.errors import Diagnostic, Origin
from scimmap.lsp import completion, edits, fixes, hover
from scimmap.lsp.analysis import Analysis, Point, Region
from scimmap.lsp.context import cursor_at
from scimmap.lsp.positions import Lines, lsp_diagnostic
from scimmap.lsp.sample import (
    SAMPLE_SUFFIX,
    Sample,
    is_sample,
    mapping_value,
    read_sample,
    resource_body,
    sample_path,
    shorten,
    show_value,
)
from scimmap.lsp.workspace import WorkspaceAttributes, table_attributes

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.25
"""Pause after the last keystroke before a document is checked again (``debounceMs`` overrides it)."""

SHOW_BODY = "scimmap.showResourceBody"
_KEY = re.compile(r"^(\ufeff?[ ]*(?:-[ ]+)*)([A-Za-z_$][\w$]*)[ ]*:")
_KINDS = {
    "function": types.CompletionItemKind.Function,
    "attribute": types.CompletionItemKind.Field,
    "target": types.CompletionItemKind.Property,
    "key": types.CompletionItemKind.Keyword,
    "value": types.CompletionItemKind.EnumMember,
    "word": types.CompletionItemKind.Constant,
}

Handler = TypeVar("Handler", bound=Callable[..., Any])


class ScimmapProtocol(LanguageServerProtocol):
    """pygls's protocol, choosing UTF-16 columns whenever the client offers them.

    pygls follows the client's order of preference (Neovim lists UTF-8 first); UTF-16 is the protocol's
    default and the unit every client supports, so positions mean the same in every editor.
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Any:
        general = params.capabilities.general
        if (
            general is not None
            and general.position_encodings
            and types.PositionEncodingKind.Utf16 in general.position_encodings
        ):
            general.position_encodings = [types.PositionEncodingKind.Utf16]
        return (yield from super().lsp_initialize(params))


class ScimmapLanguageServer(LanguageServer):
    """The server with its per-document state; features are registered by :func:`create_server`."""

    def __init__(self) -> None:
        super().__init__(
            "scimmap",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=ScimmapProtocol,
        )
        self.debounce = DEBOUNCE_SECONDS
        self.files: list[str] = []
        self.shutdown_requested = False
        self.attributes = WorkspaceAttributes()
        self._states: dict[str, tuple[int | None, Analysis, Lines]] = {}
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._samples: dict[str, tuple[float, Sample]] = {}
        self._scratch: Path | None = None

    # -- what the client accepts ------------------------------------------------------------------------

    def markup(self, value: str, feature: str) -> types.MarkupContent | str:
        """Markdown where the client says it renders it for ``feature``, else the same text as plain.

        Completion and signature documentation is a bare string unless the client lists the markup
        kinds it accepts there (Emacs lists none); hover always carries MarkupContent.
        """
        formats = self.formats(feature)
        if formats and types.MarkupKind.Markdown in formats:
            return types.MarkupContent(kind=types.MarkupKind.Markdown, value=value)
        if feature != "hover" and not (formats and types.MarkupKind.PlainText in formats):
            return value
        return types.MarkupContent(kind=types.MarkupKind.PlainText, value=value)

    def formats(self, feature: str) -> Sequence[types.MarkupKind] | None:
        """The markup kinds the client accepts for ``hover``, ``completion`` or ``signature``."""
        text = self.client_capabilities.text_document
        if text is None:
            return None
        if feature == "hover":
            return text.hover.content_format if text.hover else None
        if feature == "completion":
            item = text.completion.completion_item if text.completion else None
            return item.documentation_format if item else None
        information = text.signature_help.signature_information if text.signature_help else None
        return information.documentation_format if information else None

    # -- documents -------------------------------------------------------------------------------------

    def wanted(self, uri: str) -> bool:
        """Is this document a mapping file to serve?  Samples never are; the ``files`` option (glob
        patterns) narrows the rest, which is every document by default."""
        if is_sample(uri):
            return False
        if not self.files:
            return True
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            return False
        candidates = [Path(path).name]
        for root in self.roots():
            try:
                candidates.append(Path(path).resolve().relative_to(Path(root).resolve()).as_posix())
            except ValueError:
                continue
        return any(fnmatch.fnmatchcase(candidate, pattern) for candidate in candidates for pattern in self.files)

    def is_open(self, uri: str) -> bool:
        from urllib.parse import unquote

        return unquote(uri) in self.workspace.text_documents or uri in self.workspace.text_documents

    def state(self, uri: str) -> tuple[TextDocument, Analysis, Lines]:
        """The document and its analysis for the current version (computed once per version)."""
        document = self.workspace.get_text_document(uri)
        known = self._states.get(uri)
        if known is not None and known[0] == document.version and known[1].text == document.source:
            return document, known[1], known[2]
        text = document.source
        analysis = Analysis(text, file_name(document))
        lines = Lines(text, document.position_codec)
        self._states[uri] = (document.version, analysis, lines)
        return document, analysis, lines

    def forget(self, uri: str) -> None:
        """Drop a closed document's state and any check still pending for it."""
        self._states.pop(uri, None)
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def cancel_checks(self) -> None:
        for uri in list(self._pending):
            self.forget(uri)

    # -- diagnostics -----------------------------------------------------------------------------------

    def schedule_check(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds unless another change comes first."""
        task = self._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self._pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            if delay > 0:
                await asyncio.sleep(delay)
            if not self.is_open(uri):
                return
            document, analysis, lines = self.state(uri)
            version = document.version
            loop = asyncio.get_running_loop()
            found = await loop.run_in_executor(self.thread_pool, published_diagnostics, analysis, lines, uri)
            if not self.is_open(uri) or self.workspace.get_text_document(uri).version != version:
                return  # a newer version is already scheduled
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version)
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("checking %s failed", uri)

    # -- samples ---------------------------------------------------------------------------------------

    def roots(self) -> list[str]:
        """The workspace folders' paths (the root URI's too, for clients that send only that)."""
        found = [to_fs_path(folder.uri) for folder in self.workspace.folders.values()]
        if self.workspace.root_path:
            found.append(self.workspace.root_path)
        return list(dict.fromkeys(root for root in found if root))

    def sample_for(self, document: TextDocument) -> Sample | None:
        """The sample next to the document (an open, unsaved sample buffer wins over the file)."""
        if not document.uri.startswith("file:"):
            return None
        path = sample_path(document.path, self.roots())
        if path is None:
            return None
        uri = from_fs_path(str(path)) or ""
        if self.is_open(uri):
            return read_sample(path, self.workspace.get_text_document(uri).source)
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return None
        cached = self._samples.get(str(path))
        if cached is None or cached[0] != mtime:
            cached = (mtime, read_sample(path))
            self._samples[str(path)] = cached
        return cached[1]

    def refresh_values(self) -> None:
        """Ask the editor to fetch inlay hints and code lenses again: a sample changed."""
        workspace = self.client_capabilities.workspace
        if workspace is None:
            return
        if workspace.inlay_hint is not None and workspace.inlay_hint.refresh_support:
            self.workspace_inlay_hint_refresh(None)
        if workspace.code_lens is not None and workspace.code_lens.refresh_support:
            self.workspace_code_lens_refresh(None)

    def scratch(self) -> Path:
        """A private folder (mode 0700, made once per session) for documents shown to the user."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="scimmap-lsp-"))
        return self._scratch

    def known_attributes(self, document: TextDocument) -> dict[str, str]:
        """Attribute names used in the workspace, other open documents and the sample, with where."""
        names = self.attributes.names()
        own = file_name(document)
        names = {name: where for name, where in names.items() if where != own}
        for _, analysis, _ in list(self._states.values()):
            if analysis.file != own and "_read" in analysis.__dict__ and analysis.table is not None:
                for name in table_attributes(analysis.table):
                    names.setdefault(name, Path(analysis.file).name)
        sample = self.sample_for(document)
        if sample is not None and sample.source:
            for name in sample.source:
                names.setdefault(name, sample.name)
        return names


def file_name(document: TextDocument) -> str:
    """What ``scimmap check`` would call the file: its path, or the URI of an unsaved buffer."""
    return document.path if document.uri.startswith("file:") and document.path else document.uri


def published_diagnostics(analysis: Analysis, lines: Lines, uri: str) -> list[types.Diagnostic]:
    try:
        found = analysis.diagnostics
    except Exception as error:
        found = [
            Diagnostic("internal-error", f"scimmap could not check this file: {error!r}", origin=Origin(analysis.file))
        ]
    return [lsp_diagnostic(diagnostic, lines, uri) for diagnostic in found]


def guarded(default: Callable[[], Any]) -> Callable[[Handler], Handler]:
    """Answer ``default()`` instead of an error when a handler fails on a strange buffer."""

    def wrap(handler: Handler) -> Handler:
        import functools

        @functools.wraps(handler)
        def run(ls: ScimmapLanguageServer, params: Any) -> Any:
            uri = getattr(getattr(params, "text_document", None), "uri", None)
            if isinstance(uri, str) and not (ls.is_open(uri) and ls.wanted(uri)):
                return default()
            try:
                return handler(ls, params)
            except Exception:
                logger.exception("%s failed", handler.__name__)
                return default()

        return run  # type: ignore[return-value]

    return wrap


# ----------------------------------------------------------------------------------------------- handlers


def _initialize(ls: ScimmapLanguageServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if not isinstance(options, dict):
        return
    if isinstance(options.get("debounceMs"), (int, float)):
        ls.debounce = max(0.0, float(options["debounceMs"]) / 1000)
    files = options.get("files")
    if isinstance(files, list):
        ls.files = [pattern for pattern in files if isinstance(pattern, str) and pattern]


async def _initialized(ls: ScimmapLanguageServer, params: types.InitializedParams) -> None:
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(ls.thread_pool, ls.attributes.scan, ls.roots())
    except Exception:
        logger.exception("scanning the workspace failed")


def _shutdown(ls: ScimmapLanguageServer, params: None) -> None:
    ls.shutdown_requested = True
    ls.cancel_checks()


def _did_open(ls: ScimmapLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    if ls.wanted(params.text_document.uri):
        ls.schedule_check(params.text_document.uri, 0)


def _did_change(ls: ScimmapLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    if ls.wanted(params.text_document.uri):
        ls.schedule_check(params.text_document.uri, ls.debounce)
    elif is_sample(params.text_document.uri):
        ls.refresh_values()


def _did_save(ls: ScimmapLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    path = to_fs_path(params.text_document.uri)
    if path:
        ls.attributes.refresh(Path(path))
    if is_sample(params.text_document.uri):
        ls.refresh_values()


def _did_close(ls: ScimmapLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)
    if ls.wanted(params.text_document.uri):
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )


@guarded(lambda: None)
def _hover(ls: ScimmapLanguageServer, params: types.HoverParams) -> types.Hover | None:
    document, analysis, lines = ls.state(params.text_document.uri)
    found = _hover_at(ls, document, analysis, lines, params.position)
    if found is None:
        return None
    markdown, start, end = found
    return types.Hover(contents=ls.markup(markdown, "hover"), range=lines.range(start, end))


def _hover_at(
    ls: ScimmapLanguageServer, document: TextDocument, analysis: Analysis, lines: Lines, position: types.Position
) -> tuple[str, Point, Point] | None:
    point = lines.point(position)
    found = analysis.region_at(point)
    if found is not None:
        region, offset = found
        answer = _region_hover(region, offset, analysis.object)
        sample = ls.sample_for(document)
        if region.mapping is not None and region.role in ("expression", "source") and sample and sample.source:
            value, error = mapping_value(region.mapping, sample.source)
            shown = f"Value for `{sample.name}`: `{show_value(value, error, region.mapping)}`"
            if answer is None:
                return shown, region.start, region.end
            markdown, start, end = answer
            return f"{markdown}\n\n---\n{shown}", start, end
        if answer is not None:
            return answer
    line, column = lines.cursor(position)
    key = _key_hover(ls, document, analysis, lines, line, column)
    if key is not None:
        return key
    words = hover.word_hover(lines.raw(line), column, analysis.object)
    if words is None:
        return None
    markdown, start_column, end_column = words
    return markdown, lines.point_of(line, start_column), lines.point_of(line, end_column)


def _region_hover(region: Region, offset: int, object_kind: str) -> tuple[str, Point, Point] | None:
    if region.role == "expression":
        answer = hover.expression_hover(region, offset, object_kind)
        if answer is None:
            return None
        markdown, span = answer
        return markdown, region.point_at(span.start), region.end_of(span.start, span.end)
    if region.role in ("source", "clause-attribute"):
        return hover.attribute_markdown(region.text, object_kind), region.start, region.end
    if region.role == "target":
        return hover.target_markdown(region.text, object_kind), region.start, region.end
    return None


def _key_hover(
    ls: ScimmapLanguageServer, document: TextDocument, analysis: Analysis, lines: Lines, line: int, column: int
) -> tuple[str, Point, Point] | None:
    """A YAML key's description; on the top-level ``mappings:`` also the SCIM body for the sample."""
    match = _KEY.match(lines.raw(line))
    if match is None or not match.start(2) <= column <= match.end(2):
        return None
    key = match.group(2)
    start, end = lines.point_of(line, match.start(2)), lines.point_of(line, match.end(2))
    markdown = hover.key_markdown(key)
    if key == "mappings" and not match.group(1):
        sample = ls.sample_for(document)
        if sample is not None and analysis.table is not None:
            if sample.source is None:
                markdown = (markdown or "") + f"\n\n---\n`{sample.name}`: {sample.problem}"
            else:
                body = resource_body(analysis.table, sample.source)
                shown = json.dumps(body, indent=2, ensure_ascii=False)
                markdown = (markdown or "") + f"\n\n---\nWhat Entra sends for `{sample.name}`:\n\n```json\n{shown}\n```"
    return (markdown, start, end) if markdown else None


@guarded(lambda: None)
def _completion(ls: ScimmapLanguageServer, params: types.CompletionParams) -> types.CompletionList | None:
    document, analysis, lines = ls.state(params.text_document.uri)
    line_index, column = lines.cursor(params.position)
    raw = lines.raw(line_index)
    cursor = cursor_at(lines.lines, line_index, column)
    extra = ls.known_attributes(document) if cursor.key in ("expression", "source", "attribute") else {}
    found = completion.candidates(cursor, raw[:column], raw[column : column + 1], analysis.object, extra)
    items = []
    end = types.Position(line=line_index, character=lines.codec.client_num_units(raw[:column]))
    for candidate in found:
        start = types.Position(
            line=line_index, character=lines.codec.client_num_units(raw[: max(0, column - candidate.replace)])
        )
        written = edits.escape(candidate.insert, cursor.style)  # `emails[type eq \"work\"]` in double quotes
        items.append(
            types.CompletionItem(
                label=candidate.label,
                kind=_KINDS[candidate.kind],
                detail=candidate.detail or None,
                documentation=ls.markup(candidate.documentation, "completion") if candidate.documentation else None,
                sort_text=f"{candidate.order:02d}{candidate.label.lower()}",
                filter_text=edits.escape(candidate.label, cursor.style),
                text_edit=types.TextEdit(range=types.Range(start=start, end=end), new_text=written),
            )
        )
    return types.CompletionList(is_incomplete=False, items=items)


@guarded(lambda: None)
def _signature_help(ls: ScimmapLanguageServer, params: types.SignatureHelpParams) -> types.SignatureHelp | None:
    from scimmap.functions import BUILTINS
    from scimmap.language.partial import current_call

    _, _, lines = ls.state(params.text_document.uri)
    line_index, column = lines.cursor(params.position)
    cursor = cursor_at(lines.lines, line_index, column)
    if cursor.key != "expression":
        return None
    call = current_call(cursor.value)
    spec = BUILTINS.get(call[0]) if call else None
    if call is None or spec is None:
        return None
    labels = spec.parameter_labels()
    parameters = [
        types.ParameterInformation(label=label, documentation=param.summary or None)
        for label, param in zip(labels, spec.params)
    ]
    try:
        active = spec.params.index(spec.param_at(call[1]))
    except IndexError:
        active = len(spec.params)
    signature = types.SignatureInformation(
        label=spec.signature(),
        documentation=ls.markup(spec.summary, "signature"),
        parameters=parameters,
        active_parameter=active,
    )
    return types.SignatureHelp(signatures=[signature], active_signature=0, active_parameter=active)


@guarded(list)
def _code_actions(ls: ScimmapLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    _, analysis, lines = ls.state(uri)
    first, last = lines.point(params.range.start), lines.point(params.range.end)
    actions: list[types.CodeAction] = []
    for diagnostic in analysis.diagnostics:
        start, end = (diagnostic.line, diagnostic.column), (diagnostic.end_line, diagnostic.end_column)
        if end < first or start > last:
            continue
        actions.extend(_quick_fixes(uri, analysis, lines, diagnostic))
    found = analysis.region_at(first)
    if found is not None and found[0].role == "expression":
        action = _format_action(uri, found[0], lines)
        if action is not None:
            actions.append(action)
    return actions


def _action(
    title: str,
    uri: str,
    lines: Lines,
    changes: list[edits.FileEdit],
    kind: str,
    diagnostic: Diagnostic | None = None,
    preferred: bool = False,
) -> types.CodeAction:
    text_edits = [
        types.TextEdit(range=lines.range(change.start, change.end), new_text=change.new) for change in changes
    ]
    return types.CodeAction(
        title=title,
        kind=kind,
        diagnostics=[lsp_diagnostic(diagnostic, lines, uri)] if diagnostic is not None else None,
        edit=types.WorkspaceEdit(changes={uri: text_edits}),
        is_preferred=preferred or None,
    )


def _quick_fixes(uri: str, analysis: Analysis, lines: Lines, diagnostic: Diagnostic) -> list[types.CodeAction]:
    quick = types.CodeActionKind.QuickFix
    start, end = (diagnostic.line, diagnostic.column), (diagnostic.end_line, diagnostic.end_column)
    found = analysis.region_at(start)
    region = found[0] if found is not None else None
    style = edits.style_of(region, lines) if region is not None else edits.style_at(start, lines)
    written = lines.text_of(start, end)
    subject = diagnostic.source[diagnostic.span.start : diagnostic.span.end] if diagnostic.span else ""
    actions: list[types.CodeAction] = []
    suggested = fixes.suggestion(diagnostic.hint)
    if diagnostic.code == "function-case":
        suggested = fixes.canonical_case(subject)
    # Only where the file holds exactly the text the diagnostic is about: a diagnostic placed at the
    # start of the file (Graph JSON today) must not turn into an edit of the wrong characters.
    if suggested and subject and written in (subject, edits.escape(subject, style)):
        new = fixes.replacement(subject, suggested)
        change = edits.replace_value(start, end, new, style)
        if change is not None:
            actions.append(_action(f"Replace '{subject}' with '{new}'", uri, lines, [change], quick, diagnostic, True))
    if region is not None and region.role == "expression" and diagnostic.source == region.text:
        for fix in (_slot_fix(diagnostic), _quote_fix(diagnostic)):
            if fix is None:
                continue
            changes = edits.fix_edits(fix, region, lines)
            if changes:
                actions.append(_action(fix.title, uri, lines, changes, quick, diagnostic, True))
    return actions


def _slot_fix(diagnostic: Diagnostic) -> fixes.Fix | None:
    if diagnostic.code != "invalid-arity":
        return None
    return fixes.missing_slot(diagnostic.source, diagnostic.span)


def _quote_fix(diagnostic: Diagnostic) -> fixes.Fix | None:
    if diagnostic.code != "syntax" or diagnostic.span is None:
        return None
    if diagnostic.source[diagnostic.span.start : diagnostic.span.start + 1] not in tuple(fixes.SMART_QUOTES):
        return None
    return fixes.replace_smart_quotes(diagnostic.source)


def _format_action(uri: str, region: Region, lines: Lines) -> types.CodeAction | None:
    import scimmap
    from scimmap.errors import ScimmapError
    from scimmap.language.canonical import canonical_names

    try:
        node = canonical_names(scimmap.parse(region.text))
    except ScimmapError:
        return None
    change = edits.format_edit(region, lines, scimmap.format(node), scimmap.format(node, pretty=True))
    if change is None:
        return None
    return _action("Format expression (scimmap fmt)", uri, lines, [change], types.CodeActionKind.RefactorRewrite)


@guarded(list)
def _inlay_hints(ls: ScimmapLanguageServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    document, analysis, lines = ls.state(params.text_document.uri)
    sample = ls.sample_for(document)
    if sample is None or sample.source is None:
        return []
    first, last = params.range.start.line + 1, params.range.end.line + 1
    hints = []
    for region in analysis.regions_ending_in(first, last):
        if region.role not in ("expression", "source") or region.mapping is None:
            continue
        position = edits.scalar_end(region, lines)
        value, error = mapping_value(region.mapping, sample.source)
        shown = show_value(value, error, region.mapping)
        hints.append(
            types.InlayHint(
                position=lines.position(position),
                label=f"= {shorten(shown)}",
                padding_left=True,
                tooltip=f"{region.mapping.target} for {sample.name}: {shown}",
            )
        )
    return hints


@guarded(list)
def _code_lenses(ls: ScimmapLanguageServer, params: types.CodeLensParams) -> list[types.CodeLens]:
    document, analysis, lines = ls.state(params.text_document.uri)
    sample = ls.sample_for(document)
    table = analysis.table
    if sample is None or table is None:
        return []
    origin = (getattr(table, "origins", None) or {}).get("mappings")
    line = origin.locate(0, 0)[0] if origin is not None else 1
    title = f"SCIM body for {sample.name}" if sample.source is not None else f"{sample.name}: {sample.problem}"
    position = lines.position((line, 1))
    return [
        types.CodeLens(
            range=types.Range(start=position, end=position),
            command=types.Command(title=title, command=SHOW_BODY, arguments=[params.text_document.uri]),
        )
    ]


async def _show_body(ls: ScimmapLanguageServer, uri: str) -> dict[str, Any]:
    """The SCIM body for the sample; also shown in the editor (a document when it can, else a message)."""
    document, analysis, _ = ls.state(uri)
    sample = ls.sample_for(document)
    if sample is None:
        answer: dict[str, Any] = {
            "error": f"no sample: create {Path(document.path).stem}{SAMPLE_SUFFIX} next to the file"
        }
    elif sample.source is None:
        answer = {"sample": sample.path, "error": sample.problem}
    elif analysis.table is None:
        answer = {"sample": sample.path, "error": "the mapping file does not read; see its diagnostics"}
    else:
        answer = {"sample": sample.path, **resource_body(analysis.table, sample.source)}
    text = json.dumps(answer, indent=2, ensure_ascii=False)
    capabilities = ls.client_capabilities.window
    if capabilities is not None and capabilities.show_document is not None and capabilities.show_document.support:
        target = ls.scratch() / f"{Path(document.path).stem}.scim.json"
        target.write_text(text + "\n", encoding="utf-8")
        await ls.window_show_document_async(
            types.ShowDocumentParams(uri=from_fs_path(str(target)) or "", take_focus=False)
        )
    else:
        ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=text))
    return answer


def create_server() -> ScimmapLanguageServer:
    """A server with every feature registered; ``start_io()`` runs it over stdio."""
    server = ScimmapLanguageServer()
    server.feature(types.INITIALIZE)(_initialize)
    server.feature(types.INITIALIZED)(_initialized)
    server.feature(types.SHUTDOWN)(_shutdown)
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(_did_open)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(_did_change)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(_did_save)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(_did_close)
    # Handlers that need the whole table run in pygls's thread pool: reading a 2,000-mapping file takes a
    # few hundred milliseconds, and completion must not queue behind it.
    threaded = server.thread()
    server.feature(types.TEXT_DOCUMENT_HOVER)(threaded(_hover))
    server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["["]))(_completion)
    server.feature(
        types.TEXT_DOCUMENT_SIGNATURE_HELP,
        types.SignatureHelpOptions(trigger_characters=["(", ","], retrigger_characters=[","]),
    )(_signature_help)
    server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.RefactorRewrite]
        ),
    )(threaded(_code_actions))
    server.feature(types.TEXT_DOCUMENT_INLAY_HINT)(threaded(_inlay_hints))
    server.feature(types.TEXT_DOCUMENT_CODE_LENS)(threaded(_code_lenses))
    server.command(SHOW_BODY)(_show_body)
    return server
