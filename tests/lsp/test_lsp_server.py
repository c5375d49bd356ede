"""``scimmap lsp`` end to end: a real LSP client (pytest-lsp) drives ``python -m scimmap lsp`` over stdio.

Fixtures in ``tests/cases/lsp/`` mark cursor positions with ``«name»`` (the markers are removed before the
text is sent).  Diagnostics are compared with what ``scimmap check --format json`` prints for the same files,
converted here, independently of the server's code, to 0-based lines and UTF-16 columns; every fixture
has a character outside the Basic Multilingual Plane before its error, so code points and UTF-16 units
differ where it matters.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "lsp"
SERVER = [sys.executable, "-m", "scimmap", "lsp"]
MARKER = re.compile("«([a-z-]+)»")
TIMEOUT = 60.0
FIXTURES = ("flow.yaml", "literal.yaml", "folded.yaml", "empty-first-line.yaml", "mapping.json", "graph.json")
CRLF = "literal-crlf.yaml"
"""literal.yaml with Windows line ends, made by the test."""


# -- the client ------------------------------------------------------------------------------------------


class Client(LanguageClient):
    """pytest-lsp's client, keeping every publishDiagnostics (with its version) and the server's exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.published: list[types.PublishDiagnosticsParams] = []
        self.exit_code: int | None = None

    async def server_exit(self, server: asyncio.subprocess.Process) -> None:
        self.exit_code = server.returncode
        await super().server_exit(server)


def make_client() -> Client:
    client = Client(converter_factory=default_converter)

    def publish(client: Client, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish})
    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)
MARKDOWN = [types.MarkupKind.Markdown, types.MarkupKind.PlainText]
CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=MARKDOWN),
        completion=types.CompletionClientCapabilities(
            completion_item=types.ClientCompletionItemOptions(documentation_format=MARKDOWN)
        ),
        signature_help=types.SignatureHelpClientCapabilities(
            signature_information=types.ClientSignatureInformationOptions(documentation_format=MARKDOWN)
        ),
    ),
    window=types.WindowClientCapabilities(show_document=types.ShowDocumentClientCapabilities(support=True)),
)


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def client(lsp_client: Client):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=CAPABILITIES, initialization_options={"debounceMs": 150})
    )
    yield
    await lsp_client.shutdown_session()


pytestmark = pytest.mark.asyncio(loop_scope="module")


# -- fixtures and helpers --------------------------------------------------------------------------------


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def load(name: str) -> tuple[str, dict[str, types.Position]]:
    """A fixture's text without markers, and each marker's LSP position (0-based line, UTF-16 column)."""
    raw = (CASES / name).read_text(encoding="utf-8")
    marks: dict[str, types.Position] = {}
    lines = []
    for number, line in enumerate(raw.split("\n")):
        while (found := MARKER.search(line)) is not None:
            marks[found.group(1)] = types.Position(line=number, character=utf16(line[: found.start()]))
            line = line[: found.start()] + line[found.end() :]
        lines.append(line)
    return "\n".join(lines), marks


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits the way an editor does (UTF-16 positions, last edit first)."""

    def offset(position: types.Position) -> int:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: position.line])
        units = 0
        for index, char in enumerate(lines[position.line]):
            if units >= position.character:
                return start + index
            units += utf16(char)
        return start + len(lines[position.line])

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def until(predicate: Callable[[], Any], what: str) -> Any:
    async def poll() -> Any:
        while not (found := predicate()):
            await asyncio.sleep(0.02)
        return found

    try:
        return await asyncio.wait_for(poll(), TIMEOUT)
    except asyncio.TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def open_document(client: Client, uri: str, text: str, language: str = "yaml") -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    return await published(client, uri, 1)


async def published(client: Client, uri: str, version: int) -> list[types.Diagnostic]:
    params = await until(
        lambda: next((p for p in reversed(client.published) if p.uri == uri and p.version == version), None),
        f"diagnostics of {uri} version {version}",
    )
    return list(params.diagnostics)


def close(client: Client, uri: str) -> None:
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )


def document(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, dict[str, types.Position]]]:
    folder = tmp_path_factory.mktemp("lsp-cases")
    found = {}
    for name in FIXTURES:
        text, marks = load(name)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        found[name] = (path, text, marks)
    _, text, marks = found["literal.yaml"]
    crlf = text.replace("\n", "\r\n")
    (folder / CRLF).write_bytes(crlf.encode("utf-8"))
    found[CRLF] = (folder / CRLF, crlf, marks)
    return found


@pytest.fixture(scope="module")
def cli_diagnostics(
    fixture_files: dict[str, tuple[Path, str, dict[str, types.Position]]],
) -> dict[str, list[dict[str, Any]]]:
    """``scimmap check --format json`` for every fixture, in one process."""
    paths = [str(path) for path, _, _ in fixture_files.values()]
    run = subprocess.run(
        [sys.executable, "-m", "scimmap", "check", "--format", "json", *paths], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 1, run.stderr
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in fixture_files}
    for item in json.loads(run.stdout):
        found[Path(item["file"]).name].append(item)
    return found


def cli_range(item: dict[str, Any], text: str) -> types.Range:
    """The CLI's 1-based code-point position as LSP's 0-based UTF-16 range."""
    lines = text.split("\n")

    def position(line: int, column: int) -> types.Position:
        return types.Position(line=line - 1, character=utf16(lines[line - 1][: column - 1]))

    return types.Range(start=position(item["line"], item["column"]), end=position(item["end_line"], item["end_column"]))


# -- diagnostics -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES + (CRLF,))
async def test_diagnostics_equal_scimmap_check(
    client: Client, fixture_files: Any, cli_diagnostics: Any, name: str
) -> None:
    path, text, marks = fixture_files[name]
    uri = path.as_uri()
    found = await open_document(client, uri, text, "json" if name.endswith(".json") else "yaml")
    expected = cli_diagnostics[name]
    assert expected, f"{name} must have problems for this test to mean anything"
    assert [(d.code, d.severity, d.range) for d in found] == [
        (
            e["code"],
            types.DiagnosticSeverity.Error if e["severity"] == "error" else types.DiagnosticSeverity.Warning,
            cli_range(e, text),
        )
        for e in expected
    ]
    for diagnostic, item in zip(found, expected):
        assert diagnostic.source == "scimmap"
        assert diagnostic.message == item["message"]
        assert diagnostic.data == {"message": item["message"], "hint": item["hint"]}
        if item["hint"]:
            assert [(r.location.uri, r.location.range, r.message) for r in diagnostic.related_information or []] == [
                (uri, diagnostic.range, f"hint: {item['hint']}")
            ]
        else:
            assert not diagnostic.related_information
    if "typo" in marks:
        start = marks["typo"]
        typo = next(d for d in found if d.code == "unknown-function")
        assert typo.range == types.Range(
            start=start, end=types.Position(line=start.line, character=start.character + 5)
        )
        before = text.split("\n")[start.line][: typo.range.start.character]
        assert any(ord(char) > 0xFFFF for char in before), "the fixture needs a non-BMP character before the error"
    close(client, uri)


async def test_diagnostics_follow_edits_debounced(client: Client, fixture_files: Any) -> None:
    path, text, marks = fixture_files["literal.yaml"]
    uri = path.as_uri() + "?debounce"
    first = await open_document(client, uri, text)
    assert [d.code for d in first] == ["unknown-function"]
    start = marks["typo"]
    end = types.Position(line=start.line, character=start.character + 5)
    for version, word in ((2, "Swi"), (3, "Swit"), (4, "Switc")):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end), text=word)
                ],
            )
        )
        end = types.Position(line=start.line, character=start.character + len(word))
    found = await published(client, uri, 4)
    assert [d.code for d in found] == ["unknown-function"] and "'Switc'" in found[0].message
    assert not any(p.uri == uri and p.version in (2, 3) for p in client.published), (
        "intermediate versions are not checked"
    )
    close(client, uri)


# -- hover, completion, signature help -------------------------------------------------------------------


async def hover(client: Client, uri: str, position: types.Position) -> types.Hover:
    answer = await client.text_document_hover_async(types.HoverParams(text_document=document(uri), position=position))
    assert answer is not None, f"no hover at {position}"
    assert isinstance(answer.contents, types.MarkupContent)
    return answer


async def test_hover_on_function_attribute_and_target(client: Client, fixture_files: Any) -> None:
    path, text, marks = fixture_files["flow.yaml"]
    uri = path.as_uri() + "?hover"
    await open_document(client, uri, text)
    case = marks["case"]
    function = await hover(client, uri, types.Position(line=case.line, character=case.character + 2))
    assert "`Left(String, NumChars)` → string" in function.contents.value
    assert "Microsoft's reference writes `Left`" in function.contents.value
    assert function.range == types.Range(start=case, end=types.Position(line=case.line, character=case.character + 4))
    attribute = await hover(client, uri, marks["attribute"])
    assert (
        "`givenNam` is not an Entra user attribute" in attribute.contents.value
        and "`givenName`" in attribute.contents.value
    )
    target = await hover(client, uri, marks["target"])
    assert target.contents.value.startswith("`name.givenName`: SCIM string")
    assert "Sub-attribute of `name` (complex)" in target.contents.value
    close(client, uri)

    path, text, marks = fixture_files["literal.yaml"]
    uri = path.as_uri() + "?hover"
    await open_document(client, uri, text)
    inside_block = await hover(client, uri, marks["hover"])
    assert "Entra user attribute, String" in inside_block.contents.value
    typo = await hover(client, uri, marks["typo"])
    assert "No function named `Swich`. Did you mean `Switch`?" in typo.contents.value
    close(client, uri)

    path, text, marks = fixture_files["folded.yaml"]
    uri = path.as_uri() + "?hover"
    await open_document(client, uri, text.replace("Left([department], 2))", "Left([department],2 ))"))
    folded = await hover(client, uri, types.Position(line=marks["typo"].line + 1, character=8))
    assert folded.contents.value.startswith("`Left(String, NumChars)`")
    assert folded.range == types.Range(
        start=types.Position(line=marks["typo"].line + 1, character=6),
        end=types.Position(line=marks["typo"].line + 1, character=10),
    )
    last_line = types.Position(line=marks["typo"].line + 1, character=20)
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(uri),
            range=types.Range(start=last_line, end=last_line),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in answer or [] if isinstance(a, types.CodeAction)]
    assert "Format expression (scimmap fmt)" in titles, "the last line of a folded scalar belongs to its expression"
    close(client, uri)


async def complete(client: Client, uri: str, position: types.Position) -> list[types.CompletionItem]:
    answer = await client.text_document_completion_async(
        types.CompletionParams(text_document=document(uri), position=position)
    )
    assert isinstance(answer, types.CompletionList)
    return answer.items


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
async def test_attribute_completion_inside_a_block_scalar(client: Client, newline: str) -> None:
    text = 'object: User\nmappings:\n  - target: displayName\n    expression: |\n      Join("🙂",\n           [giv\n'
    uri = f"untitled:completion-{len(newline)}.yaml"
    await open_document(client, uri, text.replace("\n", newline))
    items = await complete(client, uri, types.Position(line=5, character=15))
    given = next(item for item in items if item.label == "givenName")
    assert given.text_edit == types.TextEdit(
        range=types.Range(start=types.Position(line=5, character=12), end=types.Position(line=5, character=15)),
        new_text="givenName]",
    )
    assert "Entra user attribute" in (given.detail or "")
    assert all("giv" in item.label.lower() for item in items)
    close(client, uri)


async def test_function_target_key_and_value_completion(client: Client) -> None:
    text = (
        "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n"
        '    expression: \'Join("🙂", Swi\n  - target: name.giv\n    ap\n  - target: "emails[type eq \\"wo\n    apply: on\n'
    )
    uri = "untitled:completions.yaml"
    await open_document(client, uri, text)
    functions = await complete(
        client, uri, types.Position(line=4, character=len('    expression: \'Join("🙂", Swi') + 1)
    )
    switch = next(item for item in functions if item.label == "Switch")
    assert switch.text_edit is not None and switch.text_edit.new_text == "Switch("
    assert switch.detail == "Switch(source, [defaultValue], key1, value1, ...)"
    targets = await complete(client, uri, types.Position(line=5, character=len("  - target: name.giv")))
    assert "name.givenName" in [item.label for item in targets]
    quoted = await complete(client, uri, types.Position(line=7, character=len('  - target: "emails[type eq \\"wo')))
    work = next(item for item in quoted if item.label == 'emails[type eq "work"].value')
    assert work.text_edit is not None and work.text_edit.new_text == 'emails[type eq \\"work\\"].value'
    assert work.text_edit.range.start.character == len('  - target: "')
    keys = await complete(client, uri, types.Position(line=6, character=6))
    assert [item.label for item in keys] == ["apply"]
    values = await complete(client, uri, types.Position(line=8, character=13))
    assert [item.label for item in values] == ["on-create"]
    direct = await complete(client, uri, types.Position(line=3, character=len("    source: userPrinc")))
    best = min(direct, key=lambda item: item.sort_text or "")
    assert best.label == "userPrincipalName" and "originalUserPrincipalName" in [item.label for item in direct]
    assert best.text_edit is not None and best.text_edit.new_text == "userPrincipalName"
    close(client, uri)


async def test_group_tables_complete_group_targets(client: Client) -> None:
    text = "object: Group\nmappings:\n  - target: mem\n"
    uri = "untitled:group.yaml"
    await open_document(client, uri, text)
    labels = [item.label for item in await complete(client, uri, types.Position(line=2, character=15))]
    assert "members" in labels and "userName" not in labels
    close(client, uri)


async def test_workspace_attribute_names_are_offered(client: Client) -> None:
    other = "object: User\nmappings:\n  - target: userName\n    source: extension_abc123_costCenter\n"
    await open_document(client, "untitled:other.yaml", other)
    text = "object: User\nmappings:\n  - target: title\n    expression: '[extension_a'\n"
    await open_document(client, "untitled:uses.yaml", text)
    items = await complete(
        client, "untitled:uses.yaml", types.Position(line=3, character=len("    expression: '[extension_a"))
    )
    assert [item.label for item in items] == ["extension_abc123_costCenter"]
    close(client, "untitled:other.yaml")
    close(client, "untitled:uses.yaml")


async def test_signature_help_follows_the_argument(client: Client) -> None:
    text = 'object: User\nmappings:\n  - target: title\n    expression: Switch([department], , "HR", '
    uri = "untitled:signature.yaml"
    await open_document(client, uri, text)
    answer = await client.text_document_signature_help_async(
        types.SignatureHelpParams(
            text_document=document(uri), position=types.Position(line=3, character=len(text.split("\n")[3]))
        )
    )
    assert answer is not None
    assert answer.signatures[0].label == "Switch(source, [defaultValue], key1, value1, ...)"
    assert answer.active_parameter == 3  # the fourth slot: value1
    close(client, uri)


# -- quick fixes -----------------------------------------------------------------------------------------


async def actions(client: Client, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    return [a for a in answer or [] if isinstance(a, types.CodeAction)]


async def change_all(client: Client, uri: str, version: int, text: str) -> list[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await published(client, uri, version)


@pytest.mark.parametrize("name", ["literal.yaml", "folded.yaml", "empty-first-line.yaml", "mapping.json", CRLF])
async def test_quick_fix_edits_the_typo_and_diagnostics_clear(client: Client, fixture_files: Any, name: str) -> None:
    path, text, _marks = fixture_files[name]
    uri = path.as_uri() + "?fix"
    found = await open_document(client, uri, text, "json" if name.endswith(".json") else "yaml")
    typo = next(d for d in found if d.code == "unknown-function")
    fix = next(a for a in await actions(client, uri, typo) if a.title == "Replace 'Swich' with 'Switch'")
    assert fix.kind == types.CodeActionKind.QuickFix and list(fix.diagnostics or []) == [typo]
    assert fix.edit is not None and fix.edit.changes is not None
    assert list(fix.edit.changes[uri]) == [types.TextEdit(range=typo.range, new_text="Switch")]
    fixed = apply(text, list(fix.edit.changes[uri]))
    assert fixed == text.replace("Swich(", "Switch(")
    assert [d.code for d in await change_all(client, uri, 2, fixed)] == []
    close(client, uri)


async def fix_and_check(client: Client, uri: str, text: str, code: str, title: str) -> str:
    found = await open_document(client, uri, text)
    diagnostic = next(d for d in found if d.code == code)
    action = next(a for a in await actions(client, uri, diagnostic) if a.title == title)
    assert action.edit is not None and action.edit.changes is not None
    fixed = apply(text, list(action.edit.changes[uri]))
    after = await change_all(client, uri, 2, fixed)
    assert code not in [d.code for d in after], after
    close(client, uri)
    return fixed


HEAD = (
    "object: User\nmappings:\n  - target: userName\n    source: userPrincipalName\n    match: 1\n  - target: active\n"
)


async def test_quick_fix_inserts_the_missing_empty_slot(client: Client) -> None:
    text = HEAD + '    expression: "Switch([IsSoftDeleted], \\"False\\", \\"True\\", \\"True\\", \\"False\\")"\n'
    fixed = await fix_and_check(
        client, "untitled:slot.yaml", text, "invalid-arity", "Leave 'defaultValue' empty: insert 1 empty argument slot"
    )
    assert fixed.endswith('expression: "Switch([IsSoftDeleted], , \\"False\\", \\"True\\", \\"True\\", \\"False\\")"\n')


async def test_quick_fix_replaces_typographic_quotes_inside_double_quotes(client: Client) -> None:
    text = HEAD.replace("active", "displayName") + '    expression: "Join(\u201c \u201d, [givenName], [surname])"\n'
    fixed = await fix_and_check(client, "untitled:quotes.yaml", text, "syntax", 'Replace typographic quotes with "')
    assert fixed.endswith('expression: "Join(\\" \\", [givenName], [surname])"\n')


async def test_quick_fix_writes_the_function_name_in_microsofts_case(client: Client) -> None:
    text = HEAD + '    expression: |\n      switch([IsSoftDeleted], , "False", "True", "True", "False")\n'
    fixed = await fix_and_check(client, "untitled:case.yaml", text, "function-case", "Replace 'switch' with 'Switch'")
    assert "      Switch([IsSoftDeleted]" in fixed


async def test_quick_fix_quotes_a_suggested_target_for_its_scalar(client: Client) -> None:
    text = HEAD.replace("active", '"emails[type eq \\"work\\"].valeu"') + "    source: mail\n"
    fixed = await fix_and_check(
        client,
        "untitled:target.yaml",
        text,
        "invalid-target",
        "Replace 'emails[type eq \"work\"].valeu' with 'emails[type eq \"work\"].value'",
    )
    assert '  - target: "emails[type eq \\"work\\"].value"\n' in fixed


async def test_quick_fix_renames_an_unknown_key(client: Client) -> None:
    text = HEAD + '    expresion: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\'\n'
    fixed = await fix_and_check(
        client, "untitled:key.yaml", text, "unknown-key", "Replace 'expresion' with 'expression'"
    )
    assert "\n    expression: 'Switch(" in fixed


async def test_hover_falls_back_to_the_line_in_graph_json(client: Client, fixture_files: Any) -> None:
    path, text, _ = fixture_files["graph.json"]
    uri = path.as_uri() + "?hover"
    await open_document(client, uri, text, "json")
    lines = text.split("\n")
    line = next(index for index, line in enumerate(lines) if "[givenNam]" in line)
    column = lines[line].index("[givenNam]") + 3
    answer = await hover(client, uri, types.Position(line=line, character=column))
    assert "`givenNam` is not an Entra user attribute" in answer.contents.value
    assert answer.range == types.Range(
        start=types.Position(line=line, character=column - 3), end=types.Position(line=line, character=column + 7)
    )
    close(client, uri)


async def test_format_action_rewrites_the_expression_as_fmt_prints_it(client: Client) -> None:
    text = HEAD + '    expression: |\n      switch( [IsSoftDeleted],,"False","True","True","False" )\n'
    uri = "untitled:format.yaml"
    await open_document(client, uri, text)
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(uri),
            range=types.Range(start=types.Position(line=7, character=8), end=types.Position(line=7, character=8)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    action = next(
        a for a in answer or [] if isinstance(a, types.CodeAction) and a.title == "Format expression (scimmap fmt)"
    )
    assert action.edit is not None and action.edit.changes is not None
    formatted = subprocess.run(
        [sys.executable, "-m", "scimmap", "fmt", "--pretty", "-"],
        input='switch( [IsSoftDeleted],,"False","True","True","False" )',
        capture_output=True,
        text=True,
        check=True,
    ).stdout.rstrip("\n")
    expected = HEAD + "    expression: |\n" + "\n".join("      " + line for line in formatted.split("\n")) + "\n"
    assert apply(text, list(action.edit.changes[uri])) == expected
    close(client, uri)


async def test_format_action_keeps_a_quoted_scalar_quoted(client: Client) -> None:
    text = HEAD + '    expression: \'switch([IsSoftDeleted],,"False","True","True","False")\'\n'
    uri = "untitled:format-flow.yaml"
    await open_document(client, uri, text)
    position = types.Position(line=6, character=20)
    answer = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(uri),
            range=types.Range(start=position, end=position),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    action = next(
        a for a in answer or [] if isinstance(a, types.CodeAction) and a.title == "Format expression (scimmap fmt)"
    )
    assert action.edit is not None and action.edit.changes is not None
    expected = HEAD + '    expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\'\n'
    assert apply(text, list(action.edit.changes[uri])) == expected
    close(client, uri)


# -- the value inline ------------------------------------------------------------------------------------


async def test_inlay_hints_code_lens_and_body_show_sample_values_without_secrets(
    client: Client, tmp_path: Path
) -> None:
    folder = tmp_path / "mappings"
    folder.mkdir()
    text = (
        HEAD
        + '    expression: \'Switch([IsSoftDeleted], , "False", "True", "True", "False")\'\n'
        + '  - target: displayName\n    expression: |\n      Join(" ", [givenName], [surname])\n'
        + "  - target: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber\n"
        + "    expression: Redact([employeeId])\n"
    )
    path = folder / "users.yaml"
    path.write_text(text, encoding="utf-8")
    sample = {
        "userPrincipalName": "ada@contoso.com",
        "accountEnabled": True,
        "givenName": "Ada",
        "surname": "Lovelace",
        "employeeId": "s3cret-42",
    }
    (folder / "users.sample.json").write_text(json.dumps(sample), encoding="utf-8")
    uri = path.as_uri()
    await open_document(client, uri, text)
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=document(uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=20, character=0)),
        )
    )
    shown = {hint.position.line: hint.label for hint in hints or []}
    lines = text.split("\n")
    assert shown == {3: '= "ada@contoso.com"', 6: '= "True"', 9: '= "Ada Lovelace"', 11: "= [Redact]"}
    assert hints is not None and hints[1].position.character == len(lines[6])
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=document(uri)))
    assert lenses is not None and len(lenses) == 1 and lenses[0].command is not None
    assert lenses[0].command.title == "SCIM body for users.sample.json" and lenses[0].range.start.line == 1
    body = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=lenses[0].command.command, arguments=lenses[0].command.arguments)
    )
    assert body["resource"]["userName"] == "ada@contoso.com" and body["resource"]["active"] is True
    assert (
        body["resource"]["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["employeeNumber"] == "[Redact]"
    )
    assert "s3cret" not in json.dumps(body)
    shown_document = await until(lambda: client.shown_documents, "window/showDocument")
    assert "s3cret" not in Path(shown_document[-1].uri.removeprefix("file://")).read_text(encoding="utf-8")
    mappings_key = await hover(client, uri, types.Position(line=1, character=2))
    assert (
        '"userName": "ada@contoso.com"' in mappings_key.contents.value and "s3cret" not in mappings_key.contents.value
    )

    # An open sample buffer is used as it is, unsaved; it is a source object, not a mapping file.
    sample_uri = (folder / "users.sample.json").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=sample_uri, language_id="json", version=1, text=json.dumps({**sample, "givenName": "Grace"})
            )
        )
    )
    everything = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=20, character=0))
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=document(uri), range=everything)
    )
    assert {hint.position.line: hint.label for hint in hints or []}[9] == '= "Grace Lovelace"'
    assert (
        await client.text_document_hover_async(
            types.HoverParams(text_document=document(sample_uri), position=types.Position(line=0, character=3))
        )
        is None
    )
    assert not [p for p in client.published if p.uri == sample_uri]
    close(client, sample_uri)
    close(client, uri)


# -- robustness and lifecycle ----------------------------------------------------------------------------


GARBAGE = [
    "\x00\x01\x02 not yaml: [: {",
    "object: User\nmappings:\n  - target: x\n    expression: 'unterminated\n",
    "[" * 5000,
    "mappings:\n" + "  - target: a\n    expression: '" + "Join(" * 300 + "'\n",
    '{"synchronizationRules": 3}',
    "\ufeffobject: Group\nmappings: [1, 2, {target: [a]}]\nscope: 7\n",
]


@pytest.mark.parametrize("index", range(len(GARBAGE)))
async def test_garbage_keeps_the_server_alive(client: Client, index: int) -> None:
    uri = f"untitled:garbage-{index}.yaml"
    found = await open_document(client, uri, GARBAGE[index])
    assert found, "a broken buffer gets a diagnostic"
    lines = GARBAGE[index].split("\n")
    for line in (0, len(lines) - 1):
        position = types.Position(line=line, character=min(3, len(lines[line])))
        await client.text_document_hover_async(types.HoverParams(text_document=document(uri), position=position))
        await client.text_document_completion_async(
            types.CompletionParams(text_document=document(uri), position=position)
        )
        await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=document(uri),
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=found),
            )
        )
    close(client, uri)
    after = await open_document(
        client,
        "untitled:after-garbage.yaml",
        HEAD + '    expression: "Switch([IsSoftDeleted], , \\"False\\", \\"True\\", \\"True\\", \\"False\\")"\n',
    )
    assert after == []
    close(client, "untitled:after-garbage.yaml")


async def test_files_option_limits_the_documents_served(tmp_path: Path) -> None:
    client = make_client()
    await client.start_io(*SERVER)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=tmp_path.as_uri(),
            initialization_options={"files": ["mappings/*.yaml"]},
        )
    )
    text = HEAD + '    expression: Swich([IsSoftDeleted], , "False", "True")\n'
    served, ignored = (tmp_path / "mappings" / "users.yaml").as_uri(), (tmp_path / "ci.yaml").as_uri()
    for uri in (ignored, served):
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
            )
        )
    assert [d.code for d in await published(client, served, 1)] == ["unknown-function"]
    position = types.Position(line=6, character=20)
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=document(served), position=position))
        is not None
    )
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=document(ignored), position=position))
        is None
    )
    assert not [p for p in client.published if p.uri == ignored]
    await client.shutdown_session()
    await client.stop()


async def test_attribute_names_of_the_workspace_files_are_offered(tmp_path: Path) -> None:
    (tmp_path / "groups.yaml").write_text(
        'object: User\nmappings:\n  - target: title\n    expression: Join(" ", [extension_9f2e_badgeNumber])\n',
        encoding="utf-8",
    )
    client = make_client()
    await client.start_io(*SERVER)
    await client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES, root_uri=tmp_path.as_uri()))
    uri = (tmp_path / "users.yaml").as_uri()
    text = "object: User\nmappings:\n  - target: title\n    source: extension_9f\n"
    await open_document(client, uri, text)
    position = types.Position(line=3, character=len("    source: extension_9f"))

    async def offered() -> list[str]:
        answer = await client.text_document_completion_async(
            types.CompletionParams(text_document=document(uri), position=position)
        )
        assert isinstance(answer, types.CompletionList)
        return [item.label for item in answer.items]

    labels: list[str] = []
    for _ in range(100):  # the workspace is read in the background after initialized
        labels = await offered()
        if labels:
            break
        await asyncio.sleep(0.05)
    assert labels == ["extension_9f2e_badgeNumber"]
    await client.shutdown_session()
    await client.stop()


@pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")
@pytest.mark.parametrize("editor", ["neovim", "emacs"])
async def test_real_editors_capabilities_get_utf16_positions_and_what_they_accept(
    editor: str, fixture_files: Any, cli_diagnostics: Any
) -> None:
    """Neovim lists UTF-8 first and Emacs UTF-32: the server still picks UTF-16, and answers only in
    forms the editor declared (pytest-lsp turns any breach into a warning, made an error here)."""
    from pytest_lsp import client_capabilities

    client = make_client()
    await client.start_io(*SERVER)
    result = await client.initialize_session(types.InitializeParams(capabilities=client_capabilities(editor)))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    path, text, marks = fixture_files["flow.yaml"]
    found = await open_document(client, path.as_uri(), text)
    assert [d.range for d in found] == [cli_range(item, text) for item in cli_diagnostics["flow.yaml"]]
    typo = marks["typo"]
    await client.text_document_completion_async(
        types.CompletionParams(text_document=document(path.as_uri()), position=typo)
    )
    await client.text_document_hover_async(types.HoverParams(text_document=document(path.as_uri()), position=typo))
    await client.shutdown_session()
    await client.stop()


@pytest.mark.parametrize("shutdown", [True, False])
async def test_exit_status(shutdown: bool) -> None:
    client = make_client()
    await client.start_io(*SERVER)
    await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    assert (
        await client.text_document_hover_async(
            types.HoverParams(
                text_document=document("untitled:none.yaml"), position=types.Position(line=0, character=0)
            )
        )
    ) is None
    if shutdown:
        await client.shutdown_session()
    else:
        client.exit(None)
    await until(lambda: client.exit_code is not None, "the server to exit")
    assert client.exit_code == (0 if shutdown else 1)
    await client.stop()
