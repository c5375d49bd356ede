"""The REPL: command logic without a terminal, completion data, prompt_toolkit pipe input, non-TTY stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

import scimmap
from scimmap.interactive.commands import ReplSession, needs_more, parse_set_value
from scimmap.interactive.repl import Completions, current_call, history_path, run_interactive, run_lines, signature_hint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _history_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real ~/.scimmap_history."""
    monkeypatch.setenv("SCIMMAP_HISTORY", str(tmp_path / "history"))


@pytest.fixture
def session() -> ReplSession:
    return ReplSession({"givenName": "Ada", "surname": "Lovelace", "IsSoftDeleted": "True"})


# -- command logic ----------------------------------------------------------------------------------------


def test_expression_prints_entra_value(session: ReplSession) -> None:
    assert session.handle('Join(" ", [givenName], [surname])') == "Ada Lovelace"
    assert session.handle('Switch([IsSoftDeleted], , "False", "True", "True", "False")') == "False"


def test_null_empty_and_booleans_are_visible(session: ReplSession) -> None:
    assert session.handle("[missing]") == "(null: nothing is provisioned)"
    assert session.handle('""').startswith('""')
    assert session.handle("CBool(1)") == "True"


def test_errors_have_a_caret_and_did_you_mean(session: ReplSession) -> None:
    reply = session.respond('Swich([givenName], "x", "a", "b")')
    assert reply.error
    lines = reply.text.splitlines()
    assert lines[0] == "error[unknown-function]: no function named 'Swich'"
    assert lines[1].endswith('Swich([givenName], "x", "a", "b")')
    assert lines[2].endswith("^^^^^") and lines[2].index("^") == lines[1].index("S")
    assert "did you mean 'Switch'" in reply.text


def test_syntax_error_caret_at_the_end(session: ReplSession) -> None:
    reply = session.respond('Join("-", [a]]')
    assert reply.error and "error[syntax]" in reply.text and "^" in reply.text


def test_set_unset_show(session: ReplSession) -> None:
    assert session.handle(":set department=Sales") == '[department] = "Sales"'
    assert session.handle("[department]") == "Sales"
    session.handle(':set proxyAddresses=["smtp:a@x.com","SMTP:b@x.com"]')
    assert session.source["proxyAddresses"] == ["smtp:a@x.com", "SMTP:b@x.com"]
    session.handle(':set title="  spaced  "')
    assert session.source["title"] == "  spaced  "
    assert "removed" in session.handle(":unset department")
    assert session.handle("[department]") == "(null: nothing is provisioned)"
    shown = session.handle(":show")
    assert json.loads(shown[: shown.rindex("}") + 1])["givenName"] == "Ada"
    assert "dialect: provisioning" in shown
    assert session.respond(":set nothing").error


def test_load(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    path.write_text(json.dumps({"mail": "ada@contoso.com", "accountEnabled": True}))
    repl = ReplSession()
    loaded = repl.handle(f":load {path}")
    assert loaded.startswith("loaded ") and "mail" in loaded and "accountEnabled" in loaded
    assert repl.handle('Replace([mail], "@contoso.com", , , "", , )') == "ada"
    assert repl.handle("[accountEnabled]") == "True"  # JSON booleans read as "True"/"False"
    assert repl.respond(f":load {tmp_path / 'missing.json'}").error
    assert repl.respond(":load").error


def test_trace_explains_the_last_expression(session: ReplSession) -> None:
    assert session.respond(":trace").error  # nothing typed yet
    session.handle('IIF([givenName] = "Ada", "yes", "no")')
    out = session.handle(":trace")
    assert out.startswith('Trace of IIF([givenName] = "Ada", "yes", "no")')
    assert "not evaluated" in out
    assert out.splitlines()[-1] == 'Result: "yes"'
    other = session.handle(":trace Left([surname], 4)")
    assert other.splitlines()[-1] == 'Result: "Love"'


def test_trace_of_a_failure_is_an_error_with_the_trace(session: ReplSession) -> None:
    reply = session.respond(":trace Mid([givenName], [givenName], 1)")
    assert reply.error
    assert "failed:" in reply.text and "error[" in reply.text


def test_ast_fmt_graph(session: ReplSession) -> None:
    session.handle('switch([IsSoftDeleted], , "False", "True", "True", "False")')
    assert "call Switch" in session.handle(":ast")
    assert session.handle(":fmt").startswith("Switch(")
    graph = session.respond(":graph")
    if not graph.error:
        assert json.loads(graph.text)["name"] == "Switch"
    else:
        assert "not available" in graph.text


def test_help(session: ReplSession) -> None:
    general = session.handle(":help")
    for command in (
        ":load",
        ":set",
        ":unset",
        ":show",
        ":ast",
        ":graph",
        ":fmt",
        ":trace",
        ":help",
        ":map",
        ":now",
        ":quit",
    ):
        assert command in general
    entry = session.handle(":help Switch")
    assert entry.startswith("Switch(source, [defaultValue], key1, value1, ...)")
    assert "defaultValue" in entry
    assert session.handle(":help switch").startswith("Switch(")
    missing = session.respond(":help Swich")
    assert missing.error and "Switch" in missing.text


def test_now_fixes_the_clock(session: ReplSession) -> None:
    out = session.handle(":now 2021-06-29T16:00:00Z")
    assert "6/29/2021 4:00:00 PM" in out
    assert session.handle("Now()") == "6/29/2021 4:00:00 PM"
    assert session.respond(":now yesterday").error
    assert "real" in session.handle(":now off")


def test_map_without_and_with_a_table(session: ReplSession) -> None:
    reply = session.respond(":map")
    assert reply.error and "--mapping" in reply.text

    class Result:
        resource: ClassVar[dict[str, Any]] = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ada",
        }
        match_filters: ClassVar[list[str]] = ['userName eq "ada"']
        in_scope = True
        skipped: ClassVar[list[tuple[str, str]]] = [("title", "null value")]
        unresolved: ClassVar[list[str]] = []

    class Table:
        def apply(self, source: Any, **kwargs: Any) -> Result:
            assert source["givenName"] == "Ada"
            return Result()

    session.mapping = Table()
    out = session.handle(":map")
    assert '"userName": "ada"' in out
    assert 'match filters: userName eq "ada"' in out
    assert "skipped title: null value" in out


def test_quit_and_unknown_commands(session: ReplSession) -> None:
    unknown = session.respond(":trcae")
    assert unknown.error and ":trace" in unknown.text
    session.handle(":quit")
    assert session.done


def test_dialect_switch(session: ReplSession) -> None:
    assert session.respond('"a" & "b"').error
    session.handle(":dialect cloud-sync")
    assert session.handle('"a" & "b"') == "ab"


@pytest.mark.parametrize(
    ("text", "more"),
    [
        ('Join("-",', True),
        ('Join("-", "a")', False),
        ('Append([mail], "a)', True),
        ('"a \\" still open', True),
        ("[open attr", True),
        ("Left([a], 1))", False),
        (":help Join(", False),
    ],
)
def test_needs_more(text: str, more: bool) -> None:
    assert needs_more(text) is more


def test_parse_set_value() -> None:
    assert parse_set_value("Sales") == "Sales"
    assert parse_set_value('"  x "') == "  x "
    assert parse_set_value('["a", "b"]') == ["a", "b"]
    assert parse_set_value("[not json") == "[not json"


# -- completion -----------------------------------------------------------------------------------------


def test_function_completion_inserts_paren_and_shows_signature(session: ReplSession) -> None:
    found = Completions(session).complete("Swi")
    assert found[0][0] == "Switch("
    assert found[0][1] == 3
    assert "Switch(source, [defaultValue], key1, value1, ...)" in found[0][3]
    assert scimmap.BUILTINS.get("Switch").summary in found[0][3]


def test_function_completion_is_case_insensitive_and_inside_calls(session: ReplSession) -> None:
    names = [c[2] for c in Completions(session).complete('Join(" ", to')]
    assert "ToLower" in names and "ToUpper" in names


def test_attribute_completion_from_the_loaded_object(session: ReplSession) -> None:
    found = Completions(session).complete('Join(" ", [giv')
    assert ("givenName]", 3, "givenName", "loaded object") in found


def test_attribute_completion_from_the_entra_attribute_list() -> None:
    found = Completions(ReplSession()).complete("[extensionAttr")
    assert ("extensionAttribute1]", len("extensionAttr"), "extensionAttribute1", "Entra attribute") in found


def test_no_completion_inside_strings(session: ReplSession) -> None:
    assert Completions(session).complete('Append([mail], "Swi') == []


def test_command_completion(session: ReplSession) -> None:
    completions = Completions(session)
    assert [c[2] for c in completions.complete(":tr")] == [":trace"]
    assert "Switch" in [c[0] for c in completions.complete(":help Sw")]
    assert "givenName=" in [c[0] for c in completions.complete(":set giv")]


def test_bare_word_completion(session: ReplSession) -> None:
    names = [c[0] for c in Completions(session).complete("Switch([a], IgnoreA")]
    assert "IgnoreAttributeFlow" in names


def test_signature_toolbar_follows_the_cursor() -> None:
    assert current_call("Switch([a], Left([b], ") == ("Left", 1)
    assert current_call("Switch([a], Left([b], 2), ") == ("Switch", 2)
    assert current_call('Join(",", "a(b') == ("Join", 1)
    hint = signature_hint("Mid([a], ", scimmap.BUILTINS)
    bold = [text for style, text in hint if "bold" in style]
    assert bold == ["start"]


# -- prompt_toolkit front end, driven through a pipe ---------------------------------------------------


def _drive(keys: str, session: ReplSession, tmp_path: Path) -> tuple[list[str], Path]:
    from prompt_toolkit.history import FileHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    written: list[str] = []
    path = tmp_path / "history"
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        run_interactive(
            session,
            input=pipe,
            output=DummyOutput(),
            history=FileHistory(str(path)),
            write=written.append,
            show_banner=False,
        )
    return written, path


def test_prompt_session_evaluates_and_records_history(session: ReplSession, tmp_path: Path) -> None:
    written, path = _drive('Join("-", "a", "b")\r:quit\r', session, tmp_path)
    assert written == ["a-b\n"]
    assert 'Join("-", "a", "b")' in path.read_text()


def test_prompt_session_continues_lines_while_parentheses_are_open(session: ReplSession, tmp_path: Path) -> None:
    written, _ = _drive('Join(" ",\r[givenName],\r[surname])\r:quit\r', session, tmp_path)
    assert written == ["Ada Lovelace\n"]


def _type(chunks: list[str], session: ReplSession, delay: float = 0.3) -> list[str]:
    """Send each chunk through prompt_toolkit's own pipe input after a pause, as a person types."""
    import threading
    import time

    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    written: list[str] = []
    with create_pipe_input() as pipe:

        def typist() -> None:
            for chunk in chunks:
                time.sleep(delay)
                pipe.send_text(chunk)

        thread = threading.Thread(target=typist)
        thread.start()
        run_interactive(
            session,
            input=pipe,
            output=DummyOutput(),
            history=InMemoryHistory(),
            write=written.append,
            show_banner=False,
        )
        thread.join()
    return written


def test_tab_completes_a_function_name_in_the_prompt(session: ReplSession, tmp_path: Path) -> None:
    """Typed key by key, as a person would: completion runs while typing, Tab picks ``Switch(``."""
    chunks = ["Swi", "\t", '[IsSoftDeleted], , "False", "True", "True", "False")\r', ":quit\r"]
    assert _type(chunks, session, delay=0.4) == ["False\n"]
    assert session.last == 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'


def test_prompt_session_ends_on_eof(session: ReplSession, tmp_path: Path) -> None:
    written, _ = _drive('Left("abc", 1)\r\x04', session, tmp_path)
    assert written == ["a\n"]


def test_history_path_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCIMMAP_HISTORY", str(tmp_path / "h"))
    assert history_path() == tmp_path / "h"
    monkeypatch.delenv("SCIMMAP_HISTORY")
    assert history_path() == Path.home() / ".scimmap_history"


# -- non-terminal stdin ---------------------------------------------------------------------------------


def run_repl(stdin: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SCIMMAP_HISTORY=str(tmp_path / "history"))
    return subprocess.run(
        [sys.executable, "-m", "scimmap", "repl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def test_piped_expression_prints_its_value(tmp_path: Path) -> None:
    result = run_repl('Join("-", "a", "b")\n', tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a-b\n"
    assert not (tmp_path / "history").exists()


def test_piped_script_with_commands_comments_and_continuations(tmp_path: Path) -> None:
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"givenName": "Ada", "surname": "Lovelace"}))
    script = (
        "\n".join(
            [
                "# a comment",
                f":load {user}",
                'Join(" ",',
                "     [givenName], [surname])",
                ":set department=HR",
                'Switch([department], "Other", "HR", "People")',
                ":quit",
                '"never reached"',
            ]
        )
        + "\n"
    )
    result = run_repl(script, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("loaded ") and "givenName, surname" in lines[0]
    assert lines[1] == "Ada Lovelace"
    assert lines[3] == "People"
    assert "never reached" not in result.stdout


def test_piped_error_goes_to_stderr_and_sets_the_exit_code(tmp_path: Path) -> None:
    result = run_repl('Swich([a])\nLeft("abc", 2)\n', tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stdout == "ab\n"
    assert "did you mean 'Switch'" in result.stderr and "^^^^^" in result.stderr


def test_repl_options(tmp_path: Path) -> None:
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"mail": "ada@contoso.com"}))
    result = run_repl(
        '[mail]\nNow()\n"a" & "b"\n',
        "--input",
        str(user),
        "--now",
        "2021-06-29T16:00:00Z",
        "--dialect",
        "cloud-sync",
        tmp_path=tmp_path,
    )
    assert result.stdout.splitlines() == ["ada@contoso.com", "6/29/2021 4:00:00 PM", "ab"], result.stderr


def test_run_lines_directly() -> None:
    import io

    out, err = io.StringIO(), io.StringIO()
    code = run_lines(ReplSession(), ['ToLower("ABC")\n', "\n", ":help Left\n"], out, err)
    assert code == 0
    assert out.getvalue().startswith("abc\nLeft(")


# -- issue 13: completion keys, script positions, JSON Lines ------------------------------------------


def test_tab_sent_right_after_typing_completes(session: ReplSession) -> None:
    keys = 'Swi\t[IsSoftDeleted], , "False", "True", "True", "False")\r:quit\r'  # one burst, no pause before Tab
    assert _type([keys], session) == ["False\n"]
    assert session.last == 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'


def test_enter_on_a_chosen_completion_accepts_it_and_sends_the_entry() -> None:
    repl = ReplSession({"mail": "ada@contoso.com", "mailNickname": "ada"})
    # Typing opens the menu; Tab chooses its first entry ([mail]); Enter keeps it and sends the line, so
    # the next line typed is a new entry, not glued onto the old one.
    written = _type(["[mai", "\t", "\r", '"next"\r', ":quit\r"], repl)
    assert written == ["ada@contoso.com\n", "next\n"]


def test_load_completes_directories_with_their_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    repl = ReplSession()
    written = _type([":load exam", "\t", "user.j", "\t", "\r", "[givenName]\r", ":quit\r"], repl)
    assert written[0].startswith("loaded ") and "from examples/user.json:" in written[0]
    assert written[1:] == ["Ada\n"]


def test_load_of_json_lines_takes_the_first_object_and_says_so() -> None:
    repl = ReplSession()
    reply = repl.handle(f":load {ROOT / 'examples' / 'users.jsonl'}")
    first = json.loads((ROOT / "examples" / "users.jsonl").read_text().splitlines()[0])
    assert "the first of 3 records" in reply and "JSON Lines; :load takes one object" in reply
    assert repl.handle("[objectId]") == first["id"]


def test_script_mode_errors_name_the_input_line(tmp_path: Path) -> None:
    script = 'Left("abc", 1)\n# comment\n  Swich([a])\n:bogus\nJoin(",",\n  Mid([a], 1))\n'
    result = run_repl(script, tmp_path=tmp_path)
    assert result.returncode == 1 and result.stdout == "a\n"
    assert "error[unknown-function]: no function named 'Swich'\n  --> <stdin>:3:3\n" in result.stderr
    assert "<stdin>:4: unknown command :bogus" in result.stderr
    assert "error[invalid-arity]: Mid needs at least 3 arguments, got 2\n  --> <stdin>:6:3\n" in result.stderr
