"""Provisioning-log records shaped like Microsoft Graph's ``provisioningObjectSummary``.

One record per object and cycle, read the way people read Entra's provisioning logs: the
``provisioningAction`` (create, update, disable, delete, other), ``sourceIdentity`` / ``targetIdentity``,
``provisioningSteps`` (import, scoping, matching, referenceResolution, export, each with ``details``),
``modifiedProperties`` and ``provisioningStatusInfo`` with Entra's error codes.

Step names follow the on-demand provisioning samples in Microsoft Graph's documentation
(``EntryImport``, ``EntrySynchronizationScoping``, ``EntryExportUpdate``, ``EntrySynchronizationSkip``);
``EntryExportAdd``, ``EntryExportDelete`` and ``EntryReferenceResolution`` are scimmap's names for steps no
published sample shows.  Values are text, as in Entra's logs; Redact()-ed values are written ``[Redact]``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from attrs import define, field

from scimmap.provision.protocol import Response

REDACTED = "[Redact]"
SOURCE_SYSTEM = "Microsoft Entra ID"

STATUS_CODES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "InsufficientRights",
    404: "InvalidAnchor",
    405: "MethodNotAllowed",
    409: "EntryConflict",
    412: "Conflict",
    422: "UnprocessableEntity",
    429: "TooManyRequests",
    500: "InternalServerError",
    501: "NotImplemented",
    502: "InternalServerError",
    503: "InternalServerError",
    504: "Timeout",
}
"""HTTP status -> the error code Entra's provisioning logs show (howto-analyze-provisioning-logs.md);
400 is scimmap's name, the page lists no code for it."""

DUPLICATE_TARGETS = "DuplicateTargetEntries"
MULTIPLE_ENTRIES = "SystemForCrossDomainIdentityManagementMultipleEntriesInResponse"
INCOMPATIBLE = "SystemForCrossDomainIdentityManagementServiceIncompatible"
UNREACHABLE = "WebExceptionProtocolError"


def error_code(status: int) -> str:
    """Entra's error code for a failed request's HTTP status."""
    if status in STATUS_CODES:
        return STATUS_CODES[status]
    return "InternalServerError" if status >= 500 else "BadRequest"


def as_text(value: Any) -> str | None:
    """A value as Entra's logs show it: text, booleans True/False, lists and objects as JSON."""
    if value is None:
        return None
    if value is True or value is False:
        return "True" if value else "False"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def flat_details(values: Mapping[str, Any]) -> dict[str, str]:
    """A step's ``details``: every value as text (multi-valued ones as a JSON list)."""
    return {str(k): v for k, v in ((k, as_text(v)) for k, v in values.items()) if v is not None}


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """``value`` with every occurrence of a secret replaced by ``[Redact]`` (keys and nested values too)."""
    hidden = sorted({s for s in secrets if s}, key=len, reverse=True)
    if not hidden:
        return value

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            for secret in hidden:
                if secret in item:
                    item = item.replace(secret, REDACTED)
            return item
        if isinstance(item, dict):
            return {clean(k): clean(v) for k, v in item.items()}
        if isinstance(item, (list, tuple)):
            return [clean(v) for v in item]
        return item

    return clean(value)


def now_text() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@define
class Record:
    """One provisioningObjectSummary being built while the cycle handles an object."""

    cycle_id: str
    kind: str
    source_id: str
    target_type: str
    target_system: str
    source_display: str | None = None
    target_id: str | None = None
    steps: list[dict[str, Any]] = field(factory=list)
    modified: list[dict[str, Any]] = field(factory=list)
    action: str = "other"
    status: str = "success"
    error: dict[str, Any] | None = None
    secrets: set[str] = field(factory=set)
    started: float = 0.0
    activity: str = field(factory=now_text)

    def step(
        self, name: str, step_type: str, status: str, description: str, details: Mapping[str, Any] | None = None
    ) -> None:
        self.steps.append(
            {
                "name": name,
                "provisioningStepType": step_type,
                "status": status,
                "description": description,
                "details": flat_details(details or {}),
            }
        )

    def modify(self, properties: Iterable[tuple[str, Any, Any]]) -> None:
        for name, old, new in properties:
            self.modified.append({"displayName": name, "oldValue": as_text(old), "newValue": as_text(new)})

    def fail(self, code: str, reason: str, response: Response | None = None) -> None:
        self.status = "failure"
        details = None
        if response is not None:
            details = f"HTTP {response.status}" + (
                f" after {response.attempts} attempts" if response.attempts > 1 else ""
            )
        self.error = {
            "errorCode": code,
            "reason": reason,
            "additionalDetails": details,
            "errorCategory": "NonServiceFailure",
            "recommendedAction": None,
        }

    def to_json(self, duration_ms: int = 0) -> dict[str, Any]:
        record = {
            "id": str(uuid.uuid4()),
            "activityDateTime": self.activity,
            "changeId": str(uuid.uuid4()),
            "cycleId": self.cycle_id,
            "jobId": "scimmap",
            "durationInMilliseconds": duration_ms,
            "provisioningAction": self.action,
            "sourceIdentity": {
                "id": self.source_id,
                "displayName": self.source_display,
                "identityType": self.kind,
                "details": {},
            },
            "targetIdentity": {
                "id": self.target_id,
                "displayName": self.source_display,
                "identityType": self.target_type,
                "details": {},
            },
            "sourceSystem": {"id": None, "displayName": SOURCE_SYSTEM, "details": {}},
            "targetSystem": {"id": None, "displayName": self.target_system, "details": {}},
            "provisioningSteps": self.steps,
            "modifiedProperties": self.modified,
            "provisioningStatusInfo": {"status": self.status, "errorInformation": self.error},
        }
        return dict(scrub(record, self.secrets))
