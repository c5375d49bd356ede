"""``scimmap lsp`` without the optional extra: it says how to install it and exits 2."""

from __future__ import annotations

import sys

import pytest


def test_without_the_extra_the_command_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scimmap.cli import main

    monkeypatch.setitem(sys.modules, "pygls", None)
    assert main(["lsp"]) == 2
    assert "pip install 'scimmap[lsp]'" in capsys.readouterr().err
