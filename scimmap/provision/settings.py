"""The provisioning job's settings, as the portal shows them, plus the Tenant URL's dialect flags."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from attrs import field, frozen

from scimmap.scim.patch import FLAG_COMPLIANT, FLAG_LEGACY

ACTIONS = ("create", "update", "delete")
"""Target object actions: the portal's check boxes.  Disabling a user is an update."""

DIALECT_FLAGS = (FLAG_COMPLIANT, FLAG_LEGACY)


def _actions(items: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(str(item).strip().lower() for item in items)
    unknown = chosen - set(ACTIONS)
    if unknown:
        raise ValueError(f"unknown target object action(s): {', '.join(sorted(unknown))}")
    return chosen


def _flags(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


@frozen
class Settings:
    """What a provisioning job is configured to do.

    ``actions``: the target object actions (create, update, delete).  ``skip_out_of_scope_deletions``:
    leave objects that were unassigned or left the scoping filters alone.  ``flags``: Tenant URL flags
    (``aadOptscim062020`` selects the SCIM-compliant PATCH dialect).  ``full``: evaluate every object
    again, as an initial cycle or "Restart provisioning" does; otherwise objects whose source did not
    change since the last cycle are not looked at, as in an incremental cycle.
    """

    actions: frozenset[str] = field(default=frozenset(ACTIONS), converter=_actions)
    skip_out_of_scope_deletions: bool = False
    flags: tuple[str, ...] = field(default=(), converter=_flags)
    full: bool = False
    test_connection: bool = True


def split_tenant_url(url: str) -> tuple[str, tuple[str, ...]]:
    """The base URL to call and the dialect flags in its query string (``?aadOptscim062020``).

    Entra reads these flags from the Tenant URL and does not send them on to the app; other query
    parameters stay in the base URL.
    """
    parts = urlsplit(url)
    flags: list[str] = []
    kept: list[tuple[str, str]] = []
    folded = {flag.lower(): flag for flag in DIALECT_FLAGS}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() in folded and not value:
            flags.append(folded[key.lower()])
        else:
            kept.append((key, value))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), urlencode(kept), ""))
    return base, tuple(flags)


DEFAULT_SETTINGS = Settings()
"""The portal's defaults (Settings is frozen, so one instance serves every call that sets nothing)."""
