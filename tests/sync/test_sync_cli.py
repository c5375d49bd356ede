"""``scimmap sync`` as a subprocess against scim2-server on 127.0.0.1 (a real socket, a bearer token).

The server runs in this process (a thread) so that the tests can read what it stores and the requests
it logged, kill it mid-cycle and start it again on the same port with the same storage; one test runs
the ``scim2-server`` command itself.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from sync.helpers import ROOT
from sync.scimserver import Loopback, Server

pytestmark = pytest.mark.slow

USERS = str(ROOT / "examples" / "users.jsonl")
GROUPS = str(ROOT / "examples" / "groups.jsonl")
IDAAS = ["--user-mapping", "idaas-user", "--group-mapping", "idaas-group"]


def _sync(
    url: str, *args: str, token: str, tmp: Path, popen: bool = False
) -> subprocess.CompletedProcess | subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "scimmap",
        "sync",
        url,
        "--users",
        USERS,
        "--groups",
        GROUPS,
        "--state",
        str(tmp / "state.json"),
        "--retries",
        "1",
        *args,
    ]
    env = {**os.environ, "SCIM_TOKEN": token}
    if popen:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def served():
    server = Server(shims=("adscim", "member_remove"))
    loopback = Loopback(server)
    yield server, loopback
    loopback.stop()


@pytest.mark.parametrize("flag", ["", "?aadOptscim062020"])
def test_idaas_presets_provision_the_examples_and_a_second_run_writes_nothing(served, tmp_path, flag) -> None:
    server, loopback = served
    transcript, log = tmp_path / "transcript.jsonl", tmp_path / "log.jsonl"
    first = _sync(
        loopback.url + flag,
        *IDAAS,
        "--transcript",
        str(transcript),
        "--log",
        str(log),
        token=server.token,
        tmp=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert "created 4" in first.stderr
    users = {u["userName"]: u for u in server.resources("User")}
    assert set(users) == {"adele@contoso.com", "megan@contoso.com"}
    assert {m["value"] for m in server.group("Retail")["members"]} == {u["id"] for u in users.values()}
    assert all("aadOptscim062020" not in json.dumps(e["query"]) for e in server.log.entries)
    # the token reaches the server, and nothing else
    assert all(e["authorization"] == f"Bearer {server.token}" for e in server.log.entries)
    for text in (first.stdout, first.stderr, transcript.read_text(), log.read_text()):
        assert server.token not in text
    assert "Authorization" not in transcript.read_text()
    lines = [json.loads(line) for line in transcript.read_text().splitlines()]
    assert len(lines) == len(server.log.entries)
    assert [(t["method"], t["status"]) for t in lines] == [(e["method"], e["status"]) for e in server.log.entries]
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert Counter(r["provisioningAction"] for r in records) == {"create": 4, "other": 1}
    server.log.clear()
    second = _sync(loopback.url + flag, *IDAAS, token=server.token, tmp=tmp_path)
    assert second.returncode == 0, second.stderr
    assert server.log.writes == [] and len(server.log.entries) == 1
    assert "unchanged 4" in second.stderr


def test_a_wrong_token_exits_2_without_touching_anything(served, tmp_path) -> None:
    server, loopback = served
    result = _sync(loopback.url, token="not-the-token", tmp=tmp_path)
    assert result.returncode == 2
    assert "error[unauthorized]" in result.stderr and "not-the-token" not in result.stderr + result.stdout
    assert [e["status"] for e in server.log.entries] == [401]


def _assert_complete_and_unique(server: Server) -> None:
    names = [u["userName"] for u in server.resources("User")]
    assert sorted(names) == ["adele@contoso.com", "megan@contoso.com"]
    assert sorted(g["displayName"] for g in server.resources("Group")) == ["Guests", "Retail"]
    posts = Counter(
        json.dumps(e["body"].get("userName") or e["body"].get("displayName"))
        for e in server.log.entries
        if e["method"] == "POST" and e["status"] == 201
    )
    assert set(posts.values()) == {1}, posts  # every object created exactly once, over both runs
    assert not [e for e in server.log.entries if e["status"] == 409]
    adele, megan = server.user("adele@contoso.com"), server.user("megan@contoso.com")
    assert {m["value"] for m in server.group("Retail")["members"]} == {adele["id"], megan["id"]}
    assert adele["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"] == megan["id"]


@pytest.mark.parametrize("at_write", [2, 4])
def test_a_server_killed_mid_cycle_then_a_rerun_creates_no_duplicate_and_loses_nothing(tmp_path, at_write) -> None:
    server = Server()
    loopback = Loopback(server)
    port = loopback.port

    def kill(count: int) -> None:
        if count == at_write:
            threading.Thread(target=loopback.stop).start()
            time.sleep(0.2)

    server.faults.before_write = kill
    first = _sync(loopback.url, token=server.token, tmp=tmp_path)
    assert first.returncode == 2 and "error[target-unavailable]" in first.stderr
    stored_before = len(server.resources())
    assert 0 < stored_before < 4
    server.faults.before_write = None
    restarted = Loopback(server, port)
    try:
        second = _sync(restarted.url, token=server.token, tmp=tmp_path)
        assert second.returncode == 0, second.stderr
        _assert_complete_and_unique(server)
    finally:
        restarted.stop()


def test_scimmap_killed_mid_cycle_then_a_rerun_matches_what_was_created(tmp_path) -> None:
    server = Server()
    loopback = Loopback(server)
    process: list[subprocess.Popen] = []

    def kill(count: int) -> None:
        if count == 2:  # megan's POST: the server creates her, scimmap never learns her id
            process[0].send_signal(signal.SIGKILL)
            process[0].wait()

    server.faults.before_write = kill
    try:
        process.append(_sync(loopback.url, token=server.token, tmp=tmp_path, popen=True))
        process[0].communicate(timeout=120)
        assert process[0].returncode == -signal.SIGKILL
        deadline = time.monotonic() + 10
        while len(server.log.writes) < 2 and time.monotonic() < deadline:  # the server finishes that request
            time.sleep(0.02)
        assert len(server.resources("User")) == 2  # the POST in flight completed on the server
        server.faults.before_write = None
        second = _sync(loopback.url, token=server.token, tmp=tmp_path)
        assert second.returncode == 0, second.stderr
        _assert_complete_and_unique(server)
    finally:
        loopback.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_against_the_scim2_server_command(tmp_path) -> None:
    """The unmodified ``scim2-server`` command: users provision; Entra's group POST is reported."""
    port, token, dump = _free_port(), "cmd-token-91", tmp_path / "dump.json"
    server = subprocess.Popen(
        ["scim2-server", "--port", str(port), "--bearer-token", token, "--dump-resources", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert "Serving SCIM" in server.stdout.readline()
        url = f"http://127.0.0.1:{port}/v2"
        log = tmp_path / "log.jsonl"
        first = _sync(url, *IDAAS, "--log", str(log), token=token, tmp=tmp_path)
        assert first.returncode == 1, first.stderr
        reasons = [
            json.loads(line)["provisioningStatusInfo"]["errorInformation"] for line in log.read_text().splitlines()
        ]
        rejected = [r for r in reasons if r]
        assert len(rejected) == 2 and all("Unknown extension schemas" in r["reason"] for r in rejected)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as client:
            versions = {u["userName"]: u["meta"]["version"] for u in client.get("/Users").json()["Resources"]}
        second = _sync(url, *IDAAS, token=token, tmp=tmp_path)
        assert second.returncode == 1 and "unchanged 2" in second.stderr  # the groups fail again, as in Entra
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    stored = json.loads(dump.read_text())
    assert {u["userName"]: u["meta"]["version"] for u in stored if "userName" in u} == versions


def test_dry_run_prints_the_transcript_docs_sync_md_shows_and_ignores_the_state(tmp_path) -> None:
    state = tmp_path / "state.json"
    result = subprocess.run(
        [sys.executable, "-m", "scimmap", "sync", "--users", USERS, "--groups", GROUPS, "--state", str(state)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "SCIM_TOKEN"},
    )
    assert result.returncode == 0, result.stderr
    assert "planned: created 4" in result.stderr and not state.exists()
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    printed[0]["query"]["filter"] = 'userName eq "<random GUID>"'
    docs = (ROOT / "docs" / "sync.md").read_text(encoding="utf-8")
    block = docs.split("```jsonl\n", 1)[1].split("```", 1)[0]
    assert [json.loads(line) for line in block.splitlines()] == printed, "docs/sync.md's transcript is stale"
