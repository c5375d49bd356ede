"""The two null-test warnings fire only where Microsoft's reference documents the trap.

Sources: MicrosoftDocs/entra-docs docs/identity/app-provisioning/functions-for-customizing-application-data.md,
IIF "Known limitations" (`IIF([country]="","Other",[country])` is unsupported; the workaround is
`Switch([country],[country],"","Other")`; the IIF example itself is `IIF([country]="USA",[country],[department])`)
and the first Switch CAUTION (no IsPresent/IsNull/IsNullOrEmpty as Switch's source; "use a literal empty string
as one of the key values").  IsNullOrEmpty and IsPresent inside IIF are not reported: they exist to take a null,
and Microsoft's SuccessFactors and HR pages use them in IIF conditions (entra-docs issue #120).
"""

from __future__ import annotations

import re

import pytest

import scimmap
from scimmap.mapping.validate import check_table

TRAPS = ("iif-null-attribute", "switch-on-null-test")


def traps(expression: str) -> list[scimmap.Diagnostic]:
    table = scimmap.load_mapping(
        "object: User\nmappings:\n  - {target: userName, source: userPrincipalName, match: 1}\n"
        f"  - target: title\n    expression: '{expression.replace(chr(39), chr(39) * 2)}'\n"
    )
    return [d for d in check_table(table) if d.code in TRAPS]


@pytest.mark.parametrize(
    "expression",
    [
        'IIF([country]="USA",[country],[department])',  # the IIF reference's own example
        'IIF(IsNullOrEmpty([mail]), "none", [mail])',
        'IIF(IsPresent([mail]), [mail], "none")',
        'IIF([country]="USA",IIF([state]="CA","True","False"),"False")',  # its AND pattern
        'IIF([userPrincipalName] = "", "x", "y")',  # never null for an assigned user
        'Switch([country],[country],"","Other")',  # the recommended workaround
        'Switch([statusFlag], "Default Value", "true", "1", "", "0")',  # the Switch CAUTION's own example
        'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
    ],
)
def test_documented_correct_forms_are_clean(expression: str) -> None:
    assert traps(expression) == []


@pytest.mark.parametrize(
    ("expression", "code", "rewrite"),
    [
        ('IIF([country]="","Other",[country])', "iif-null-attribute", 'Switch([country], [country], "", "Other")'),
        ('IIF([country] <> "", [country], "Other")', "iif-null-attribute", 'Switch([country], [country], "", "Other")'),
        (
            'IIF("" = [jobTitle], "Staff", [jobTitle])',
            "iif-null-attribute",
            'Switch([jobTitle], [jobTitle], "", "Staff")',
        ),
        (
            'Switch(IsPresent([jobTitle]), "DefaultValue", "True", [jobTitle])',
            "switch-on-null-test",
            'Switch([jobTitle], [jobTitle], "", "DefaultValue")',
        ),
        (
            'Switch(IsNullOrEmpty([mail]), [mail], "True", "none")',
            "switch-on-null-test",
            'Switch([mail], [mail], "", "none")',
        ),
    ],
)
def test_each_trap_is_reported_with_a_rewrite_that_is_clean_and_equivalent(
    expression: str, code: str, rewrite: str
) -> None:
    found = traps(expression)
    assert [d.code for d in found] == [code]
    suggested = found[0].hint.split(": ", 1)[1]
    assert suggested == rewrite
    assert traps(suggested) == [] and scimmap.check(suggested) == []  # the hint never leads into a warning
    for value in (None, "", "x"):  # and says what the original meant, null and empty included
        for name in ("country", "jobTitle", "mail"):
            source = {} if value is None else {name: value}
            assert scimmap.evaluate(suggested, source) == scimmap.evaluate(expression, source)


def test_a_transformed_or_untranslatable_test_gets_the_shape_with_placeholders() -> None:
    [found] = traps('Switch(IsNull([jobTitle]), "x", "True", "y")')
    assert re.search(r'Switch\(\[jobTitle\], "<value when present>", "", "<value when empty>"\)$', found.hint)
    [transformed] = traps('IIF(Left([country], 2) = "", "Other", [country])')
    assert transformed.hint.endswith('Switch([country], "<value otherwise>", "", "<value when empty>")')
