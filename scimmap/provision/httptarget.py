"""The HTTP target: a real SCIM service over httpx, called the way Entra calls it.

- ``Authorization: Bearer <token>``, ``Content-Type`` and ``Accept`` ``application/scim+json``;
- TLS verified (httpx's default certificate store; a custom CA bundle through ``verify``);
- timeouts on connect and read (``timeout`` seconds);
- 429 and 5xx answers and connection failures are retried with bounded exponential back-off
  (``backoff`` * 2^attempt, at most ``max_backoff`` seconds, ``retries`` times), honouring
  ``Retry-After`` (seconds or an HTTP date) up to ``max_retry_after`` seconds; a longer wait is not
  taken: the answer is returned and recorded as the object's failure (TooManyRequests);
- a service still unreachable after the retries raises TargetUnavailable, which stops the cycle.

The token lives only in the client's default headers: it is never part of a Request, a Response, a
transcript line or an error message.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx

from scimmap.errors import Diagnostic
from scimmap.provision.protocol import SCIM_MEDIA_TYPE, Request, Response, TargetUnavailable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpTarget:
    """A SCIM service at ``base_url`` (``https://host/scim/v2``); see the module for the behaviour."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_retry_after: float = 120.0,
        verify: Any = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        headers = {"Content-Type": SCIM_MEDIA_TYPE, "Accept": SCIM_MEDIA_TYPE}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        parts = urlsplit(base_url)
        self.base_url = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
        self._base_query = parse_qsl(parts.query, keep_blank_values=True)  # kept on every request
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self._client = httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            verify=verify,
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> HttpTarget:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def send(self, request: Request) -> Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self._client.request(
                    request.method,
                    self.base_url + request.path,
                    params=[*self._base_query, *request.query] or None,
                    content=None if request.body is None else json.dumps(request.body, ensure_ascii=False).encode(),
                )
            except httpx.HTTPError as error:
                if attempt > self.retries:
                    raise TargetUnavailable(
                        Diagnostic(
                            "target-unavailable",
                            f"{request.method} {request.target}: {_describe(error)} (after {attempt} attempts)",
                            hint="is the service running and the URL right?  The cycle stops here; links already "
                            "written are kept, so the next run goes on without duplicates",
                        )
                    ) from None
                self.sleep(min(self.max_backoff, self.backoff * (2 ** (attempt - 1))))
                continue
            if answer.status_code in RETRY_STATUSES and attempt <= self.retries:
                delay = self._delay(attempt, answer.headers.get("Retry-After"))
                if delay is not None:
                    self.sleep(delay)
                    continue
            return _response(answer, attempt)

    def _delay(self, attempt: int, retry_after: str | None) -> float | None:
        """Seconds to wait before the next attempt (None: the service asks for longer than allowed)."""
        wanted = _retry_after(retry_after)
        if wanted is not None:
            return wanted if wanted <= self.max_retry_after else None
        return float(min(self.max_backoff, self.backoff * (2 ** (attempt - 1))))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _response(answer: httpx.Response, attempts: int) -> Response:
    text = answer.text
    body: Any = None
    if text.strip():
        try:
            body = json.loads(text)
        except ValueError:
            body = None
    headers = {k: v for k, v in answer.headers.items() if k.lower() not in ("set-cookie",)}
    return Response(answer.status_code, body, headers, attempts, text)


def _describe(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect ({error})"
    return f"{type(error).__name__}: {error}"
