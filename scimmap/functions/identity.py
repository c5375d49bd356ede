"""Identity values: Guid, RandomString, SelectUniqueValue, app-role assignments, DefaultDomain.

Randomness comes from ``ctx.rng`` when the caller supplies one (tests, reproducible docs) and from the
operating system otherwise, because RandomString output is used as an initial password.  Uniqueness is the
caller's knowledge: ``ctx.exists`` says whether a candidate is already taken in the target directory.
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from scimmap.functions.catalog import Example, Param, RoleShape, builtin, graph_only
from scimmap.functions.strings import joined_pair
from scimmap.language.values import ValueFailure, is_sentinel, to_text

_T = TypeVar("_T", bound=Hashable)

Thunk = Callable[[], Any]

MAX_RANDOM_LENGTH = 256
"""Microsoft: "Length ... should be less than or equal to 256"."""

SPECIAL_CHARACTERS = "~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/"
"""The Windows password-complexity list of non-alphanumeric characters the RandomString docs link to."""

_CLASSES = (
    ("MinimumNumbers", string.digits),
    ("MinimumSpecialCharacters", SPECIAL_CHARACTERS),
    ("MinimumCapital", string.ascii_uppercase),
    ("MinimumLowerCase", string.ascii_lowercase),
)


def _random(ctx: Any) -> Any:
    rng = getattr(ctx, "rng", None)
    return rng if rng is not None else secrets.SystemRandom()


@builtin(
    "Guid",
    [],
    context=True,
    pure=False,
    examples=[Example("Guid()", ..., note="random, e.g. 00aa00aa-bb11-cc22-dd33-44ee44ee44ee")],
    notes=['A new random (version 4) GUID on every evaluation, lower-case with hyphens (.NET "D" format).'],
)
def guid(ctx: Any) -> str:
    """A new random GUID, e.g. as a source of randomness for generated identifiers."""
    rng = getattr(ctx, "rng", None)
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _count(value: int | None, name: str) -> int:
    if value is None:
        raise ValueFailure(f"RandomString needs a value for {name}")
    if value < 0:
        raise ValueFailure(f"RandomString's {name} cannot be negative, got {value}")
    return value


@builtin(
    "RandomString",
    [
        Param("Length", type="integer", summary="at most 256"),
        Param("MinimumNumbers", type="integer"),
        Param("MinimumSpecialCharacters", type="integer"),
        Param("MinimumCapital", type="integer"),
        Param("MinimumLowerCase", type="integer"),
        Param("CharactersToAvoid", required=False, summary="characters that never appear in the result"),
    ],
    context=True,
    pure=False,
    examples=[
        Example("RandomString(6,3,0,0,3)", ..., note="random, e.g. 1a73qt"),
        Example('RandomString(10,2,2,2,1,"?,")', ..., note="random, e.g. 1@!2BaRg53"),
    ],
    notes=[
        "Length must be at most 256 and at least the sum of the four minimums (the docs list three).",
        "Special characters are the Windows password-complexity set ~!@#$%^&*_-+=`|\\(){}[]:;\"'<>,.?/.",
        "Characters beyond the minimums are drawn from all four classes; CharactersToAvoid is removed from "
        "every class. Positions are shuffled.",
    ],
)
def random_string(
    ctx: Any,
    length: int | None,
    numbers: int | None,
    specials: int | None,
    capitals: int | None,
    lowers: int | None,
    avoid: str | None,
) -> str:
    """A random string with at least the given number of characters of each class, e.g. a first password."""
    total = _count(length, "Length")
    if total > MAX_RANDOM_LENGTH:
        raise ValueFailure(f"RandomString's Length must be at most {MAX_RANDOM_LENGTH}, got {total}")
    minimums = [_count(value, name) for value, (name, _) in zip((numbers, specials, capitals, lowers), _CLASSES)]
    if sum(minimums) > total:
        raise ValueFailure(f"RandomString's Length ({total}) is less than the sum of the minimums ({sum(minimums)})")
    banned = set(avoid or "")
    pools = []
    for minimum, (name, characters) in zip(minimums, _CLASSES):
        pool = "".join(c for c in characters if c not in banned)
        if minimum and not pool:
            raise ValueFailure(f"RandomString's CharactersToAvoid leaves no characters for {name}")
        pools.append(pool)
    everything = "".join(pools)
    rest = total - sum(minimums)
    if rest and not everything:
        raise ValueFailure("RandomString's CharactersToAvoid leaves no characters to choose from")
    rng = _random(ctx)
    chosen = [rng.choice(pool) for minimum, pool in zip(minimums, pools) for _ in range(minimum)]
    chosen.extend(rng.choice(everything) for _ in range(rest))
    rng.shuffle(chosen)
    return "".join(chosen)


@builtin(
    "SelectUniqueValue",
    [Param("rule", type="any", repeating=True, lazy=True, summary="a candidate value, tried in order")],
    context=True,
    pure=False,
    top_level_only=True,
    create_only=True,
    min_args=2,
    examples=[
        Example(
            'SelectUniqueValue(Join("@", Join(".", [givenName], [surname]), "contoso.com"), '
            'Join("@", Join(".", Mid([givenName], 1, 1), [surname]), "contoso.com"))',
            "John.Smith@contoso.com",
            {"givenName": "John", "surname": "Smith"},
        )
    ],
    notes=[
        "At least two rules; it must be the whole expression. Rules are evaluated only until one gives a "
        "value that does not exist yet.",
        'Null and "" candidates are skipped. When every candidate is taken the object is not provisioned '
        "(Entra escrows it): an evaluation error.",
        "Whether a value exists is the caller's `exists` callback, so case sensitivity is its choice "
        "(Active Directory compares case-insensitively). Without a callback nothing exists.",
    ],
)
def select_unique_value(ctx: Any, rules: list[Thunk]) -> Any:
    """The first candidate that is not already taken in the target directory."""
    exists = getattr(ctx, "exists", None)
    taken: list[str] = []
    for rule in rules:
        value = rule()
        if is_sentinel(value):
            return value
        text = to_text(value, "SelectUniqueValue")
        if not text:
            continue
        if exists is None or not exists(text):
            return text
        taken.append(text)
    if not taken:
        raise ValueFailure("every SelectUniqueValue candidate is null or empty")
    listed = ", ".join(repr(t) for t in taken)
    raise ValueFailure(f"all SelectUniqueValue candidates already exist: {listed}")


def _roles(source: list[Any]) -> list[str]:
    """Distinct non-empty role names, in assignment order."""
    texts = (to_text(item, "an app-role assignment") if not is_sentinel(item) else None for item in source)
    return distinct(text for text in texts if text)


def distinct(items: Iterable[_T]) -> list[_T]:
    """First occurrences in order, in linear time: a dict, not ``x not in list`` (50,000 roles took 11.5 s)."""
    return list(dict.fromkeys(items))


@builtin(
    "SingleAppRoleAssignment",
    [Param("source", type="multi", summary="[appRoleAssignments]")],
    role_shape=RoleShape(whole=False),
    examples=[Example("SingleAppRoleAssignment([appRoleAssignments])", "Admin", {"appRoleAssignments": ["Admin"]})],
    notes=[
        'With several assignments Microsoft says the role returned "may not be predictable"; scimmap '
        "returns the first one. No assignment gives null.",
        'Map it to roles[primary eq "True"].value; POST sends '
        '{"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": <role>}.',
    ],
)
def single_app_role_assignment(source: list[Any]) -> str | None:
    """The user's one app role, as the role's value string.

    Mapped to `roles[primary eq "True"].value`, it becomes one role element of the POST body (see
    "Role functions" in docs/mappings.md).
    """
    roles = _roles(source)
    return roles[0] if roles else None


@builtin(
    "AppRoleAssignmentsComplex",
    [Param("source", type="multi", summary="[appRoleAssignments]")],
    role_shape=RoleShape(whole=True, label="displayName"),
    returns="multi",
    examples=[
        Example(
            "AppRoleAssignmentsComplex([appRoleAssignments])",
            ["Admin", "User"],
            {"appRoleAssignments": ["Admin", "User"]},
        )
    ],
    notes=[
        "Returns the role names; the target needs a multi-valued roles attribute. No assignment gives null "
        "(nothing is added: PATCH only ever adds roles).",
    ],
)
def app_role_assignments_complex(source: list[Any]) -> list[str] | None:
    """All of the user's app roles, sent as SCIM role objects.

    Mapped to `roles`, each role r becomes `{"primary": false, "type": "WindowsAzureActiveDirectoryRole",
    "displayName": r, "value": r}` in the POST body.  Updates only ever add roles, so a role removed in
    Entra stays in the target (see "Role functions" in docs/mappings.md).
    """
    roles = _roles(source)
    return roles or None


@builtin(
    "AssertiveAppRoleAssignmentsComplex",
    [Param("source", type="multi", summary="[appRoleAssignments]")],
    role_shape=RoleShape(whole=True, label="display", asserted=True),
    returns="multi",
    examples=[
        Example(
            "AssertiveAppRoleAssignmentsComplex([appRoleAssignments])",
            ["User"],
            {"appRoleAssignments": ["User"]},
        )
    ],
    notes=[
        "Returns the role names; PATCH replaces the target's roles, so roles not assigned in Entra are "
        "removed. No assignment gives [] (replace with nothing).",
    ],
)
def assertive_app_role_assignments_complex(source: list[Any]) -> list[str]:
    """All of the user's app roles, asserted: the target ends up with exactly these.

    Each role r becomes `{"primary": false, "type": "WindowsAzureActiveDirectoryRole", "display": r,
    "value": r}` (`display`, not `displayName`), and updates replace the whole list, so roles no longer
    assigned in Entra are removed (see "Role functions" in docs/mappings.md).
    """
    return _roles(source)


@builtin(
    "AppRoleAssignments",
    [Param("source", type="multi", summary="[appRoleAssignments]")],
    returns="multi",
    examples=[Example("AppRoleAssignments([appRoleAssignments])", ["Admin"], {"appRoleAssignments": ["Admin"]})],
    notes=["Returns the distinct role names as a multi-valued value; no assignment gives null."],
    cautions=[
        graph_only(
            "AppRoleAssignments", "AppRoleAssignmentsComplex", "the documented function for all of a user's roles"
        )
    ],
)
def app_role_assignments(source: list[Any]) -> list[str] | None:
    """The user's app-role names as a plain multi-valued value."""
    return _roles(source) or None


@builtin(
    "Prepend",
    [Param("prefix", summary="text placed before source"), Param("source")],
    examples=[Example('Prepend("SMTP:", [mail])', "SMTP:jdoe@contoso.com", {"mail": "jdoe@contoso.com"})],
    notes=['A null prefix or source reads as "", as Append does.'],
    cautions=[
        graph_only("Prepend", "Append", "Append(source, suffix) puts its first argument first, so the text is the same")
    ],
)
def prepend(prefix: str | None, source: str | None) -> str:
    """Returns prefix followed by source: the mirror image of Append."""
    return joined_pair(prefix, source, "Prepend")


@builtin(
    "DefaultDomain",
    [],
    context=True,
    pure=False,
    examples=[
        Example("DefaultDomain()", "contoso.com", parameters={"DefaultDomain": "contoso.com"}),
        Example(
            'Join("@", [mailNickname], DefaultDomain())',
            "jdoe@contoso.com",
            {"mailNickname": "jdoe"},
            parameters={"DefaultDomain": "contoso.com"},
        ),
    ],
    reads=["DefaultDomain"],
    notes=[
        "The tenant's default verified domain is not part of the source object, so scimmap reads it from the "
        'evaluation parameter DefaultDomain (`--param DefaultDomain=contoso.com` on the command line, `parameters={"DefaultDomain": "contoso.com"}` in Python).',
        "No parameter (or an empty one) is an evaluation error, as Entra fails when the tenant has no default "
        "verified domain.",
    ],
)
def default_domain(ctx: Any) -> str:
    """The name of the tenant's default verified domain: the one marked as default among its verified domains.

    Typically joined to an alias to build a user principal name.
    """
    parameters = getattr(ctx, "parameters", None) or {}
    value = parameters.get("DefaultDomain")
    if value is None or value == "":
        raise ValueFailure(
            "DefaultDomain() needs the tenant's default verified domain, and the evaluation parameter "
            "DefaultDomain is not set"
        )
    return str(value)
