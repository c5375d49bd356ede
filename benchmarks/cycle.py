"""The provisioning cycle against scim2-server in-process: ``python3 benchmarks/cycle.py [--users N] [--groups N] [--rounds N]``.

Needs the test extra (scim2-server).  Each round runs, on a fresh in-memory server reached through
httpx.WSGITransport (no socket):

- ``scimmap``: one initial cycle (Test Connection, match + POST per user, manager PATCHes, groups,
  member PATCHes), then an unchanged second cycle;
- ``replay``: the very requests of that initial cycle sent again with a bare httpx client on another
  fresh server: the floor any client pays for the server and the transport.

A WSGI middleware times the server's own work.  Everything runs in this one thread, so times are CPU
times (``time.process_time``): other processes on a shared machine do not inflate them; the garbage
collector is off during each timed run, as ``timeit`` does, because its pauses depend on what else is
alive in the process (with it on, the same replay ran twice as long after a cycle as before one).  Rounds of the
two are interleaved and the best round of each is kept; figures are ratios and per-object times
(docs/performance.md records a run).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from scim2_server.memory import InMemoryStorage  # noqa: E402
from scim2_server.testserver.application import BearerTokenApplication  # noqa: E402
from scim2_server.utils import load_default_provider  # noqa: E402

import scimmap  # noqa: E402
from benchmarks.users import users as generated_users  # noqa: E402
from scimmap.provision import Cycle, HttpTarget, Request, Settings, State  # noqa: E402

TOKEN = "bench"
ADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"


MANAGER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"


class Predictable(InMemoryStorage):
    """Identifiers 1, 2, 3...: both runs of a round create the same ids, so the replay's PATCHes hit."""

    def __init__(self) -> None:
        super().__init__()
        self.created = 0

    def generate_id(self, resource_type: Any, resource: Any) -> str:
        self.created += 1
        return f"{self.created:032x}"


class Timed:
    """The server, timed: seconds spent inside the application.  The two rejections of Entra's
    traffic an initial cycle meets are accepted first (groups' ADSCIM URN dropped, the bare manager id
    wrapped into ``{"value": id}``), as a SCIM app that works with Entra must."""

    def __init__(self) -> None:
        self.app = BearerTokenApplication(Predictable(), load_default_provider(), bearer_tokens=[TOKEN])
        self.seconds = 0.0
        self.requests = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start = time.process_time()
        if environ["REQUEST_METHOD"] in ("POST", "PATCH"):
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(size))
            if environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO", "").endswith("/Groups"):
                body["schemas"] = [s for s in body["schemas"] if s != ADSCIM]
            for operation in body.get("Operations", ()):
                if operation.get("path") == MANAGER and isinstance(operation.get("value"), str):
                    operation["value"] = {"value": operation["value"]}
            data = json.dumps(body).encode()
            environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(data), str(len(data))
        chunks = list(self.app(environ, start_response))
        self.seconds += time.process_time() - start
        self.requests += 1
        return chunks


def population(count: int, groups: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    people = generated_users(count)
    for index, person in enumerate(people):  # one manager per ten people
        person["manager"] = {"id": people[index - index % 10]["id"]} if index % 10 else None
    teams = [
        {"id": f"group-{g:04d}", "displayName": f"Team {g}", "members": [{"id": p["id"]} for p in people[g::groups]]}
        for g in range(groups)
    ]
    return people, teams


def run_scimmap(people: list[Any], teams: list[Any]) -> dict[str, Any]:
    server = Timed()
    target = HttpTarget("http://bench/v2", TOKEN, transport=httpx.WSGITransport(app=server))
    sent: list[Request] = []
    user_table, group_table = scimmap.preset("entra-user"), scimmap.preset("idaas-group")
    state = State()
    start = time.process_time()
    result = Cycle(
        target, user_table, group_table, settings=Settings(), state=state, on_exchange=lambda q, r: sent.append(q)
    ).run(people, teams)
    first = time.process_time() - start
    assert result.exit_code == 0, result.summary()
    server_first, requests_first = server.seconds, server.requests
    start = time.process_time()
    again = Cycle(target, user_table, group_table, state=state).run(people, teams)
    second = time.process_time() - start
    assert again.writes == 0 and again.exit_code == 0
    return {
        "wall": first,
        "server": server_first,
        "requests": requests_first,
        "second wall": second,
        "counts": dict(result.counts),
        "sent": sent,
    }


def run_replay(sent: list[Request]) -> dict[str, Any]:
    """The same requests, bodies and paths as sent, with a bare client on a fresh server (which hands out
    the same ids, so every request does the same work)."""
    server = Timed()
    client = httpx.Client(
        transport=httpx.WSGITransport(app=server),
        base_url="http://bench/v2",
        headers={
            "Authorization": f"Bearer {TOKEN}",
            "Content-Type": "application/scim+json",
            "Accept": "application/scim+json",
        },
    )  # the very headers scimmap sends
    start = time.process_time()
    for request in sent:
        answer = client.request(
            request.method,
            request.path,
            params=list(request.query) or None,
            content=None if request.body is None else json.dumps(request.body).encode(),
        )
        assert answer.status_code < 300, (request, answer.text)
    wall = time.process_time() - start
    return {"wall": wall, "server": server.seconds, "requests": server.requests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    people, teams = population(options.users, options.groups)
    best: dict[str, dict[str, Any]] = {}
    sent = run_scimmap(people, teams)["sent"]  # the requests the replay sends
    for round_number in range(options.rounds):
        runs: dict[str, Callable[[], dict[str, Any]]] = {
            "scimmap": lambda: run_scimmap(people, teams),
            "replay": lambda: run_replay(sent),
        }
        order = list(runs) if round_number % 2 == 0 else list(reversed(runs))  # neither always goes first
        for name in order:
            gc.collect()
            gc.disable()  # as timeit does: the collector's pauses depend on what else is alive, not on the code
            try:
                figures = runs[name]()
            finally:
                gc.enable()
            figures.pop("sent", None)
            if name not in best or figures["wall"] < best[name]["wall"]:
                best[name] = figures
    ours, theirs = best["scimmap"], best["replay"]
    objects = options.users + options.groups
    beyond = ours["wall"] - ours["server"]
    report = {
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "users": options.users,
        "groups": options.groups,
        "rounds": options.rounds,
        "counts": ours["counts"],
        "initial cycle (s)": ours["wall"],
        "requests": ours["requests"],
        "requests per second": ours["requests"] / ours["wall"],
        "server's own time (s)": ours["server"],
        "ms per object beyond the server's own": beyond / objects * 1e3,
        "replay of the same requests, bare httpx (s)": theirs["wall"],
        "replay: ms per object beyond the server's own": (theirs["wall"] - theirs["server"]) / objects * 1e3,
        "ratio scimmap / bare replay, beyond the server": beyond / max(1e-9, theirs["wall"] - theirs["server"]),
        "unchanged second cycle (s)": ours["second wall"],
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
