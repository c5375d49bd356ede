"""Evaluation parameters from the command line (--param, :param) and the unset-parameter warning."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import scimmap
from scimmap.cli import main
from scimmap.interactive.commands import ReplSession
from scimmap.interactive.repl import run_lines

DOMAIN = 'Join("@", [mailNickname], DefaultDomain())'


def test_eval_param_supplies_default_domain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", DOMAIN, "--set", "mailNickname=ada", "--param", "DefaultDomain=contoso.com"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "ada@contoso.com\n" and captured.err == ""


def test_an_unset_parameter_is_warned_about_with_the_cli_way_to_set_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", DOMAIN, "--set", "mailNickname=ada"]) == 1
    err = capsys.readouterr().err
    assert "warning[unset-parameter]: DefaultDomain() reads the evaluation parameter DefaultDomain" in err
    assert "hint: set it with --param DefaultDomain=VALUE" in err
    assert "error[evaluation]" in err and "parameters={" not in err  # no Python advice for a CLI user


def test_cloud_sync_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    token = 'Join("@", [a], %DomainFQDN%)'
    assert main(["eval", token, "--dialect", "cloud-sync", "--set", "a=x", "-p", "DomainFQDN=contoso.com"]) == 0
    assert capsys.readouterr().out == "x@contoso.com\n"
    assert main(["eval", token, "--dialect", "cloud-sync", "--set", "a=x"]) == 0  # null, as Entra, but said
    captured = capsys.readouterr()
    assert captured.out == "x\n" and "warning[unset-parameter]: %DomainFQDN% has no value" in captured.err
    assert main(["eval", "[a]", "--param", "oops"]) == 1
    assert "--param needs NAME=VALUE" in capsys.readouterr().err


def test_explain_lists_the_unset_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", DOMAIN]) == 0
    out = capsys.readouterr().out
    assert "Warnings:\nwarning[unset-parameter]" in out
    assert main(["explain", DOMAIN, "--param", "DefaultDomain=contoso.com"]) == 0
    assert "unset-parameter" not in capsys.readouterr().out


def test_the_library_reports_which_parameters_are_missing() -> None:
    expression = scimmap.compile(DOMAIN)
    [warning] = expression.unset_parameters({})
    assert warning.code == "unset-parameter" and warning.severity == "warning"
    assert warning.hint == "set the evaluation parameter DefaultDomain"
    assert expression.unset_parameters({"DefaultDomain": "contoso.com"}) == []
    with pytest.raises(scimmap.EvaluationError) as raised:
        expression.evaluate({"mailNickname": "ada"})
    assert "DefaultDomain" in raised.value.diagnostic.message and "parameters={" not in raised.value.diagnostic.message


def test_repl_param_command_and_option() -> None:
    out, err = io.StringIO(), io.StringIO()
    lines = [
        ":set mailNickname=ada\n",
        f"{DOMAIN}\n",
        ":param DefaultDomain=contoso.com\n",
        f"{DOMAIN}\n",
        ":param\n",
        ":param DefaultDomain\n",
        ":param\n",
    ]
    assert run_lines(ReplSession(), lines, out, err) == 1  # the first evaluation failed
    assert "hint: set it with :param DefaultDomain=VALUE" in err.getvalue()
    assert out.getvalue().splitlines()[1:] == [
        'parameter DefaultDomain = "contoso.com"',
        "ada@contoso.com",
        'DefaultDomain = "contoso.com"',
        "parameter DefaultDomain removed",
        "no parameters set; :param NAME=VALUE sets one (e.g. :param DefaultDomain=contoso.com)",
    ]
    started = ReplSession({"mailNickname": "ada"}, parameters={"DefaultDomain": "fabrikam.com"})
    assert started.handle(DOMAIN) == "ada@fabrikam.com"


def test_map_takes_param_and_warns_once_about_an_unset_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "m.yaml"
    table.write_text(
        "object: User\nmappings:\n  - {target: userName, source: userPrincipalName, match: 1}\n"
        f"  - target: emails[type eq \"work\"].value\n    expression: '{DOMAIN}'\n"
    )
    users = tmp_path / "users.jsonl"
    users.write_text(
        "\n".join(json.dumps({"userPrincipalName": f"u{i}@x.com", "mailNickname": f"u{i}"}) for i in range(3))
    )
    assert main(["map", "--mapping", str(table), str(users)]) == 1
    err = capsys.readouterr().err
    assert err.count("warning[unset-parameter]") == 1 and f"--> {table}:5:44" in err
    code = main(["map", "--mapping", str(table), str(users), "--param", "DefaultDomain=contoso.com"])
    captured = capsys.readouterr()
    assert code == 0 and json.loads(captured.out.splitlines()[0])["emails"][0]["value"] == "u0@contoso.com"
