"""The few SCIM calls the cycle makes, as plain data, and the one method a target implements.

The cycle never does I/O: it builds :class:`Request` values and hands them to a :class:`Target`, which
answers with a :class:`Response`.  ``scimmap sync`` brings an HTTP target (httpx) and an offline planning
target; another provisioning tool brings its own HTTP stack by implementing ``send``.  Requests are data
so that transcripts, dry runs and ``scimmap diff`` print exactly what would go on the wire.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable
from urllib.parse import urlencode

from attrs import field, frozen

from scimmap.errors import ScimmapError

SCIM_MEDIA_TYPE = "application/scim+json"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


def _pairs(items: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(items, Mapping):
        items = items.items()
    return tuple((str(k), str(v)) for k, v in items)


@frozen
class Request:
    """One SCIM call: ``path`` is relative to the service's base URL (``/Users``, ``/Groups/{id}``)."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = field(default=(), converter=_pairs)
    body: dict[str, Any] | None = None

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    @property
    def target(self) -> str:
        """Path and query as they go on the wire (Entra's URL encoding: spaces as ``+``)."""
        return self.path + ("?" + urlencode(self.query) if self.query else "")

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "query": dict(self.query), "body": self.body}


@frozen
class Response:
    """The service's answer; ``body`` is the decoded JSON (None when empty), ``attempts`` counts retries."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(factory=dict)
    attempts: int = 1
    text: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        """The SCIM error's ``detail`` (RFC 7644 §3.12), or the start of the raw body."""
        if isinstance(self.body, Mapping):
            detail = self.body.get("detail")
            scim_type = self.body.get("scimType")
            if detail:
                return f"{detail} (scimType {scim_type})" if scim_type else str(detail)
        return self.text[:500]


@runtime_checkable
class Target(Protocol):
    """A SCIM service as the cycle sees it: one call in, one answer out.

    ``send`` raises :class:`TargetUnavailable` when the service cannot be reached at all (after whatever
    retries the target makes); any HTTP answer, errors included, is returned as a :class:`Response`.
    """

    def send(self, request: Request) -> Response: ...


class ProvisioningError(ScimmapError):
    """The cycle could not run: the service is unreachable, refused the credentials or failed Test Connection."""

    default_code = "target-unavailable"


class TargetUnavailable(ProvisioningError):
    """The service could not be reached (connection refused, timeouts) after the retries."""
