"""The offline planning target: an empty SCIM service that accepts every request and remembers nothing
a filter could find.

``scimmap sync --dry-run`` (and ``scimmap sync`` without a URL) plans a cycle against it: every object is
created, references are linked with the ids it hands out (``planned-1``, ``planned-2``...), and the
transcript shows exactly the requests Entra would send to an app that holds nothing yet.
"""

from __future__ import annotations

from typing import Any

from scimmap.provision.protocol import LIST_RESPONSE, Request, Response


class PlanningTarget:
    """Answers like an empty, permissive SCIM service; ``requests`` keeps every request in order."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._next = 0
        self._created: dict[str, dict[str, Any]] = {}

    def send(self, request: Request) -> Response:
        self.requests.append(request)
        if request.method == "POST":
            self._next += 1
            identifier = f"planned-{self._next}"
            body = {**(request.body or {}), "id": identifier}
            self._created[f"{request.path}/{identifier}"] = body
            return Response(201, body)
        if request.method == "GET":
            if request.path in self._created:
                return Response(200, self._created[request.path])
            if request.path.count("/") >= 2:
                return Response(404, {"detail": "not found"})
            return Response(200, {"schemas": [LIST_RESPONSE], "totalResults": 0, "Resources": []})
        return Response(204)
