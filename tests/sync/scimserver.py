"""python-scim's scim2-server (an independent RFC 7643/7644 implementation) as the SCIM app under test.

``Server`` wraps the real WSGI application and in-memory storage with two small WSGI layers written
for the tests:

- ``RequestLog``: every request as the server received it (method, path, query, JSON body) and the
  status it answered: the tests assert on this, the server's side, not on scimmap's output;
- ``EntraShim``: switchable rewrites of the four requests Entra really sends that scim2-server 0.8
  rejects, for the tests that must get past them (each rewrite is what a SCIM app developer would add
  to accept Entra's traffic):

  * ``adscim``: drop Microsoft's ADSCIM group schema URN from ``schemas`` on POST /Groups
    ("Unknown extension schemas");
  * ``member_remove``: turn ``{"op": "Remove", "path": "members", "value": [{"value": id}]}`` (the
    default dialect) into ``members[value eq "id"]`` removals ("a remove operation carries no value");
  * ``manager``: wrap the bare manager id string into ``{"value": id}`` (pydantic wants an object);
  * ``filtered_add``: turn ``Add`` on ``attr[type eq "x"].sub`` with no such element into an Add of the
    element ``{"type": "x", "sub": value}`` ("no value matches the path filter").

``Faults`` answers chosen requests with 429 (and Retry-After) or stops the server mid-cycle.
"""

from __future__ import annotations

import io
import json
import re
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scim2_server.memory import InMemoryStorage
from scim2_server.testserver.application import BearerTokenApplication
from scim2_server.utils import load_default_provider

ADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
MANAGER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"
TOKEN = "test-token-7b1f"

_PROVIDER = load_default_provider()


def _body(environ: dict[str, Any]) -> bytes:
    size = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(size) if size else b""
    environ["wsgi.input"] = io.BytesIO(data)
    return data


def _replace_body(environ: dict[str, Any], body: Any) -> None:
    data = json.dumps(body).encode()
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))


class RequestLog:
    """WSGI middleware recording what the server received and answered."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.entries: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raw = _body(environ)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        entry: dict[str, Any] = {
            "method": environ["REQUEST_METHOD"],
            "path": environ.get("PATH_INFO", ""),
            "query": dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)),
            "body": body,
            "authorization": environ.get("HTTP_AUTHORIZATION"),
            "content_type": environ.get("CONTENT_TYPE"),
        }

        def recording(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            entry["status"] = int(status.split()[0])
            return start_response(status, headers, *rest)

        chunks = list(self.app(environ, recording))
        entry["response"] = b"".join(chunks).decode(errors="replace")
        with self.lock:
            self.entries.append(entry)
        return chunks

    @property
    def writes(self) -> list[dict[str, Any]]:
        return [e for e in self.entries if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


class EntraShim:
    """WSGI middleware accepting the Entra requests scim2-server rejects (see the module docstring)."""

    ALL = ("adscim", "member_remove", "manager", "filtered_add")

    def __init__(
        self, app: Callable[..., Iterable[bytes]], storage: InMemoryStorage, enabled: Iterable[str] = ALL
    ) -> None:
        self.app = app
        self.storage = storage
        self.enabled = set(enabled)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        if method in ("POST", "PATCH"):
            raw = _body(environ)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            if isinstance(body, dict):
                rewritten = self._rewrite(method, environ.get("PATH_INFO", ""), body)
                if rewritten is not None:
                    _replace_body(environ, rewritten)
        return self.app(environ, start_response)

    def _rewrite(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any] | None:
        if method == "POST" and "adscim" in self.enabled and path.rstrip("/").endswith("/Groups"):
            return {**body, "schemas": [s for s in body.get("schemas", []) if s != ADSCIM]}
        if method != "PATCH" or not isinstance(body.get("Operations"), list):
            return None
        operations: list[dict[str, Any]] = []
        for op in body["Operations"]:
            operations.extend(self._operation(path, op))
        return {**body, "Operations": operations}

    def _operation(self, path: str, op: dict[str, Any]) -> list[dict[str, Any]]:
        name = str(op.get("op", "")).lower()
        target = str(op.get("path", ""))
        value = op.get("value")
        if "member_remove" in self.enabled and name == "remove" and target == "members" and isinstance(value, list):
            return [{"op": "remove", "path": f'members[value eq "{item["value"]}"]'} for item in value]
        if "manager" in self.enabled and target.lower() == MANAGER.lower() and isinstance(value, str):
            return [{**op, "value": {"value": value}}]
        match = re.fullmatch(r'(\w+)\[type eq "([^"]+)"\]\.(\w+)', target)
        if "filtered_add" in self.enabled and name == "add" and match and not self._has_element(path, match):
            attribute, kind, sub = match.groups()
            return [{"op": "add", "path": attribute, "value": [{"type": kind, sub: value}]}]
        return [op]

    def _has_element(self, path: str, match: re.Match[str]) -> bool:
        resource_id = path.rstrip("/").rsplit("/", 1)[-1]
        attribute, kind, _ = match.groups()
        for resource in self.storage.resources:
            if resource.id == resource_id:
                data = resource.model_dump(mode="json", by_alias=True)
                items = data.get(attribute) or []
                return any(str(item.get("type", "")).lower() == kind.lower() for item in items)
        return False


class Faults:
    """WSGI middleware: answer 429 to the first ``throttle`` matching requests, or call ``on_write``."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.throttle = 0
        self.retry_after = "0"
        self.throttled = 0
        self.before_write: Callable[[int], None] | None = None
        self.writes = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] in ("POST", "PATCH", "DELETE"):
            _body(environ)  # read the whole request first: a killed client must not take it with it
            self.writes += 1
            if self.before_write is not None:
                self.before_write(self.writes)
        if self.throttled < self.throttle:
            self.throttled += 1
            start_response(
                "429 Too Many Requests", [("Retry-After", self.retry_after), ("Content-Type", "application/scim+json")]
            )
            return [
                json.dumps(
                    {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "429", "detail": "slow down"}
                ).encode()
            ]
        return self.app(environ, start_response)


class Server:
    """scim2-server with a bearer token, the shims (``shims=()`` for none), faults and a request log."""

    def __init__(self, shims: Iterable[str] = EntraShim.ALL, token: str = TOKEN) -> None:
        self.storage = InMemoryStorage()
        self.app = BearerTokenApplication(self.storage, _PROVIDER, bearer_tokens=[token])
        self.shim = EntraShim(self.app, self.storage, shims)
        self.log = RequestLog(self.shim)
        self.faults = Faults(self.log)
        self.token = token

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return self.faults(environ, start_response)

    def resources(self, kind: str | None = None) -> list[dict[str, Any]]:
        """What the server stores, as JSON (``kind``: "User" or "Group")."""
        found = [r.model_dump(mode="json", by_alias=True) for r in self.storage.resources]
        if kind is not None:
            found = [r for r in found if (r.get("meta") or {}).get("resourceType") == kind]
        return found

    def user(self, user_name: str) -> dict[str, Any]:
        matches = [u for u in self.resources("User") if str(u.get("userName")).lower() == user_name.lower()]
        assert len(matches) == 1, f"{len(matches)} users named {user_name}"
        return matches[0]

    def group(self, name: str) -> dict[str, Any]:
        matches = [g for g in self.resources("Group") if g.get("displayName") == name]
        assert len(matches) == 1, f"{len(matches)} groups named {name}"
        return matches[0]


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:  # keep pytest output clean
        pass


class Loopback:
    """The server on 127.0.0.1, a free port, in a thread; ``stop()`` closes the socket (a killed server)."""

    def __init__(self, app: Server, port: int = 0, tls: Any = None) -> None:
        self.app = app
        self.httpd = make_server("127.0.0.1", port, app, server_class=_Threading, handler_class=_Quiet)
        if tls is not None:  # an ssl.SSLContext: serve HTTPS
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if hasattr(self.httpd.socket, "context") else "http"
        return f"{scheme}://127.0.0.1:{self.port}/v2"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
