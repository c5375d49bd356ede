"""Shared pieces of the sync tests: the bundled examples and a cycle run against an in-process server."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx

import scimmap
from scimmap.provision import Cycle, CycleResult, HttpTarget, Settings, State
from sync.scimserver import Server

ROOT = Path(__file__).resolve().parents[2]
ADELE = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
MEGAN = "b5f1d4a0-1111-4c2b-9d7e-000000000001"
RETAIL = "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"


def examples(name: str) -> list[dict[str, Any]]:
    lines = (ROOT / "examples" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


class Run:
    """One cycle's outcome: the result, the records and the exchanges scimmap saw."""

    def __init__(self, result: CycleResult, records: list[dict[str, Any]], exchanges: list[Any]) -> None:
        self.result = result
        self.records = records
        self.exchanges = exchanges

    def failures(self) -> list[str]:
        return [
            r["provisioningStatusInfo"]["errorInformation"]["reason"]
            for r in self.records
            if r["provisioningStatusInfo"]["status"] == "failure"
        ]


class Harness:
    """A server, a state and the tables, so a test can run cycle after cycle."""

    def __init__(
        self,
        server: Server | None = None,
        *,
        flags: tuple[str, ...] = (),
        users: str = "entra-user",
        groups: str | None = "entra-group",
        token: str | None = None,
        **settings: Any,
    ) -> None:
        self.server = server if server is not None else Server()
        self.state = State()
        self.user_table = scimmap.preset(users)
        self.group_table = scimmap.preset(groups) if groups else None
        self.settings = Settings(flags=flags, **settings)
        self.sleeps: list[float] = []
        self.target = HttpTarget(
            "http://scim.test/v2",
            token if token is not None else self.server.token,
            transport=httpx.WSGITransport(app=self.server),
            sleep=self.sleeps.append,
        )
        self.users = examples("users.jsonl")
        self.groups = examples("groups.jsonl")

    def cycle(
        self, users: list[dict[str, Any]] | None = None, groups: list[dict[str, Any]] | None = None, **settings: Any
    ) -> Run:
        records: list[dict[str, Any]] = []
        exchanges: list[Any] = []
        chosen = Settings(
            flags=self.settings.flags,
            actions=settings.pop("actions", self.settings.actions),
            skip_out_of_scope_deletions=settings.pop(
                "skip_out_of_scope_deletions", self.settings.skip_out_of_scope_deletions
            ),
            full=settings.pop("full", False),
        )
        result = Cycle(
            self.target,
            self.user_table,
            self.group_table,
            settings=chosen,
            state=self.state,
            on_record=records.append,
            on_exchange=lambda q, r: exchanges.append((q, r)),
        ).run(
            copy.deepcopy(self.users if users is None else users),
            copy.deepcopy(self.groups if groups is None else groups),
        )
        return Run(result, records, exchanges)

    def user(self, source_id: str) -> dict[str, Any]:
        return next(u for u in self.users if u["id"] == source_id)
