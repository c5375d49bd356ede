"""Entra's provisioning cycle: per-object decisions (pure), cycle order, state, targets, provisioning logs.

Library API (docs/sync.md): :func:`plan_object` / :func:`decide_object` / :func:`decide_references` decide
what Entra does with one object; :class:`Cycle` runs a whole cycle over a :class:`Target`
(:class:`HttpTarget` for a real service, :class:`PlanningTarget` offline) with a :class:`State` between
cycles and one provisioningObjectSummary-shaped record per object.
"""

from __future__ import annotations

from typing import Any

from scimmap.provision.cycle import Cycle, CycleResult, run_cycle
from scimmap.provision.decide import (
    Decision,
    Evaluation,
    Plan,
    References,
    decide_object,
    decide_references,
    evaluate,
    plan_object,
)
from scimmap.provision.offline import PlanningTarget
from scimmap.provision.protocol import ProvisioningError, Request, Response, Target, TargetUnavailable
from scimmap.provision.settings import Settings, split_tenant_url
from scimmap.provision.state import Link, State


def __getattr__(name: str) -> Any:
    # httpx loads only when the HTTP target is used.
    if name == "HttpTarget":
        from scimmap.provision.httptarget import HttpTarget

        return HttpTarget
    raise AttributeError(f"module 'scimmap.provision' has no attribute {name!r}")


__all__ = [
    "Cycle",
    "CycleResult",
    "Decision",
    "Evaluation",
    "HttpTarget",
    "Link",
    "Plan",
    "PlanningTarget",
    "ProvisioningError",
    "References",
    "Request",
    "Response",
    "Settings",
    "State",
    "Target",
    "TargetUnavailable",
    "decide_object",
    "decide_references",
    "evaluate",
    "plan_object",
    "run_cycle",
    "split_tenant_url",
]
