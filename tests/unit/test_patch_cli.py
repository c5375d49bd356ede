"""``scimmap patch``, run as a user runs it: a subprocess, real files, stdout and stderr apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import scimmap

USER = {
    "id": "u1",
    "userPrincipalName": "ada@contoso.com",
    "accountEnabled": True,
    "displayName": "Ada",
    "givenName": "Ada",
    "surname": "Lovelace",
    "mail": "ada@contoso.com",
    "manager": {"id": "m1"},
}


def _patch(
    tmp_path: Path, *args: str, old: dict | None = None, new: dict | None = None
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "old.json").write_text(json.dumps(old or USER))
    (tmp_path / "new.json").write_text(json.dumps(new or USER))
    return subprocess.run(
        [sys.executable, "-m", "scimmap", "patch", *args, "old.json", "new.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_prints_what_the_library_patch_gives(tmp_path: Path) -> None:
    new = {**USER, "displayName": "Ada L", "manager": {"id": "m2"}}
    (tmp_path / "resolve.json").write_text(json.dumps({"m2": "scim-m2"}))
    done = _patch(
        tmp_path, "--preset", "entra-user", "--resolve", "resolve.json", "--dialect", "aadOptscim062020", new=new
    )
    assert done.returncode == 0, done.stderr
    expected = scimmap.preset("entra-user").patch(USER, new, {"m2": "scim-m2"}, ("aadOptscim062020",))
    assert json.loads(done.stdout) == expected
    paths = {op["path"]: op for op in expected["Operations"]}
    assert (
        paths["displayName"]["value"] == "Ada L"
        and paths["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"]["value"] == "scim-m2"
    )
    assert done.stderr == ""


def test_nothing_changed_is_redundant_export(tmp_path: Path) -> None:
    done = _patch(tmp_path, "--preset", "entra-user")
    assert (done.returncode, done.stdout) == (0, "")
    assert "RedundantExport" in done.stderr


def test_references_without_a_scim_id_are_listed_and_left_out(tmp_path: Path) -> None:
    old = {"id": "g1", "displayName": "Eng", "members": [{"id": "u1"}]}
    new = {"id": "g1", "displayName": "Eng", "members": [{"id": "u1"}, {"id": "u2"}]}
    (tmp_path / "resolve.json").write_text(json.dumps({"u2": "s2"}))
    done = _patch(tmp_path, "--preset", "entra-group", "--resolve", "resolve.json", old=old, new=new)
    assert done.returncode == 0, done.stderr
    [operation] = json.loads(done.stdout)["Operations"]
    assert [member["value"] for member in operation["value"]] == ["s2"]
    assert "1 reference(s) left out" in done.stderr and '"u1"' in done.stderr


def test_a_bad_resolve_file_is_a_diagnostic(tmp_path: Path) -> None:
    for content in ('{"m2": 3}', "[1, 2]", "not json"):
        (tmp_path / "resolve.json").write_text(content)
        done = _patch(tmp_path, "--preset", "entra-user", "--resolve", "resolve.json")
        assert done.returncode == 1, content
        assert "error[invalid-resolve]" in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_table_options_are_required_and_exclusive(tmp_path: Path) -> None:
    assert _patch(tmp_path).returncode == 2
    assert _patch(tmp_path, "--preset", "entra-user", "--mapping", "x.yaml").returncode == 2
