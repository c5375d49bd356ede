"""The diagnostic codes: every code scimmap emits, with its severity, the exceptions that carry it, its hint
and its documentation, grouped in the sections of docs/errors.md.

docs/errors.md is generated from this table (`scimmap docs errors -o docs/errors.md`); edit the text here.
Catalog cautions (``FromCatalog``) exist because a function declares them; only their page text is here.
"""

from __future__ import annotations

from scimmap.codes.model import Code, FromCatalog, Section

HEADER = """\
# Diagnostic codes

Generated from the code registry (`scimmap/codes/table.py`) by `scimmap docs errors`; do not edit by hand
(a test fails when this file is stale).

Every problem scimmap reports has a stable kebab-case code. `scimmap check --select CODE` and
`--ignore CODE` filter on them; `--format json` prints them in the `code` field. Each section shows a
minimal input that produces the code. Warnings are marked *(warning)*; everything else is an error.

In Python every error scimmap raises is a `scimmap.ScimmapError` (`ParseError`, `CheckError`,
`EvaluationError`, `MappingError`). `error.code` is the first problem's code, `error.diagnostics` lists
every problem (each a `Diagnostic` with `code`, `message`, `severity`, `hint`, `line`, `column` and
`render()`), and `str(error)` is what the command line prints: code, message, `--> file:line:col` when the
text came from a file, the caret line and the hint, so an uncaught error in a script reads like a
`scimmap` diagnostic. `scimmap.load_mapping` raises one `MappingError` listing every problem that makes the
table unusable (the file's structure, every target and expression that does not compile), each with its
position; `scimmap check` reports those and every rule and warning besides.
"""

SECTIONS: tuple[Section, ...] = (
    Section(
        "Expression language",
        codes=(
            Code(
                "syntax",
                "error",
                raised_by=("scimmap.ParseError",),
                doc="""\
The text is not an expression: unbalanced parentheses or brackets, a stray character, a missing comma,
or a construct of another dialect (`&`, `%Param%` outside cloud sync).

```
Join(" ", [givenName]
```
""",
            ),
            Code(
                "unknown-function",
                "error",
                raised_by=("scimmap.CheckError",),
                doc="""\
No function with that name (in this dialect). The hint offers the closest name.

```
Swich([IsSoftDeleted], , "False", "True", "True", "False")
```
""",
            ),
            FromCatalog(
                "graph-only-function",
                doc="""\
A function that only Microsoft Graph's function list has (`AppRoleAssignments`, `Prepend`,
`IsNothing`); Microsoft's function reference does not document it. Vendor setup guides copy these names
from Graph's list. scimmap still evaluates them; the hint rewrites the call with the documented function
that gives the same result (`Append`, `IsNull`, `AppRoleAssignmentsComplex`).

```
$ scimmap eval 'Prepend("SMTP:", [mail])' --set mail=ada@contoso.com
warning[graph-only-function]: Prepend is in Graph's function list but not in Microsoft's function reference
   | Prepend("SMTP:", [mail])
   | ^^^^^^^
   = hint: write Append("SMTP:", [mail]): Append(source, suffix) puts its first argument first, so the text is the same
SMTP:ada@contoso.com
```
""",
            ),
            FromCatalog(
                "formatdatetime-short-form",
                doc="""\
`FormatDateTime(source, inputFormat, outputFormat)` in app provisioning. Three arguments are the
cloud-sync form; Microsoft's app-provisioning reference writes the `dateTimeStyles` slot second, left
empty, and a guide that dropped it was corrected after users reported that Entra wants the empty slot
([MicrosoftDocs/entra-docs issue #69](https://github.com/MicrosoftDocs/entra-docs/issues/69)).
scimmap still reads three arguments as (source, inputFormat, outputFormat). Not reported in the
cloud-sync dialect.

```
$ scimmap eval 'FormatDateTime([hireDate], "yyyy-MM-dd", "yyyyMMdd")' --set hireDate=2024-02-29
warning[formatdatetime-short-form]: FormatDateTime with three arguments is the cloud-sync form; app provisioning expects the dateTimeStyles slot, even empty, as the second argument
   | FormatDateTime([hireDate], "yyyy-MM-dd", "yyyyMMdd")
   | ^^^^^^^^^^^^^^
   = hint: write FormatDateTime([hireDate], , "yyyy-MM-dd", "yyyyMMdd")
20240229
```
""",
            ),
            FromCatalog(
                "ignore-flow-condition",
                doc="""\
IgnoreFlowIfNullOrEmpty inside IIF's condition. Microsoft's IIF reference lists this as unsupported:
IgnoreFlowIfNullOrEmpty is a flow-control wrapper, not a Boolean test, so IIF has nothing to compare.
Wrap the whole IIF instead: `IgnoreFlowIfNullOrEmpty(IIF([country] = "USA", [region], ""))`.
scimmap evaluates the unsupported form as written: a null or empty value drops the attribute, any other
text fails as a condition.

```
$ scimmap eval 'IIF(IgnoreFlowIfNullOrEmpty([country]), [country], "Other")' --set country=USA
warning[ignore-flow-condition]: IgnoreFlowIfNullOrEmpty in IIF's condition is unsupported: it is a flow-control wrapper, not a Boolean test
   | IIF(IgnoreFlowIfNullOrEmpty([country]), [country], "Other")
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = hint: wrap the whole IIF instead: IgnoreFlowIfNullOrEmpty(IIF(...)), e.g. IgnoreFlowIfNullOrEmpty(IIF([country] = "USA", [region], ""))
error[evaluation]: IIF condition must be True or False, got 'USA'
   | IIF(IgnoreFlowIfNullOrEmpty([country]), [country], "Other")
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
```
""",
            ),
            Code(
                "function-case",
                "warning",
                doc="""\
A function name written in another case than Microsoft's reference; it still resolves.

```
switch([companyName], "x", "a", "b")
```
""",
            ),
            Code(
                "invalid-arity",
                "error",
                raised_by=("scimmap.CheckError",),
                doc="""\
Too few or too many arguments, a required slot left empty, or Switch key/value pairs not paired.

```
Mid([userPrincipalName], 1)
```
""",
            ),
            Code(
                "invalid-argument",
                "error",
                raised_by=("scimmap.CheckError", "scimmap.MappingError"),
                doc="""\
An argument of the wrong kind: a non-number where a number is required, an invalid regular
expression or date format, an unknown enum word, a bare word where a value is expected.

```
Mid([userPrincipalName], "a", 2)
```
""",
            ),
            Code(
                "too-long",
                "error",
                raised_by=("scimmap.ParseError",),
                doc="""\
The expression (or constant) is longer than Entra's 10,000-character limit.

```yaml
expression: 'Join("", "a", "a", ... 10,001 characters ...)'
```
""",
            ),
            Code(
                "too-deep",
                "error",
                raised_by=("scimmap.ParseError",),
                doc="""\
The expression nests deeper than scimmap's safety limit.

```
ToLower(ToLower(ToLower( ... thousands of levels ... )))
```
""",
            ),
            Code(
                "regex-too-large",
                "error",
                doc="""\
The constant regular expressions of one expression weigh more than 20,000, or those of one mapping file
more than 100,000, once counted repeats are unrolled (`x{n}` weighs n times x; one pattern alone may weigh
10,000). The `regex` package unrolls counted repeats when it compiles, so a budget is checked before
anything is compiled: 230 patterns of `[abX]{99999}` once took 18.8 s and 5.9 GB. See docs/security.md.

```
Join("", Replace([x], , "a{7000}", , "", , ), Replace([x], , "b{7000}", , "", , ), Replace([x], , "c{7000}", , "", , ))
```
""",
            ),
            Code(
                "text-too-long",
                "error",
                raised_by=("scimmap.EvaluationError",),
                doc="""\
A function would build a text longer than 1,048,576 characters (or a regular expression would search one):
`Replace`, `Join`, `Append`, `Prepend`, `&`, `ConvertToBase64`, `ConvertToUTF8Hex`, `NormalizeDiacritics`
and regex replacements compute their result's length before building it. Entra's own targets are far
shorter (a directory extension string holds 256 characters). Evaluation reports it as an
`EvaluationError` for that object, like `evaluation`.

```
Replace(Replace(Replace(Replace(Replace(Replace(Replace([x], "a", , , "aaaaaaaaaa", , ), ... ))))))
```
""",
            ),
            Code(
                "evaluation",
                "error",
                raised_by=("scimmap.EvaluationError", "scimmap.MappingError"),
                doc="""\
Evaluating the expression failed for this source object (Entra would report or escrow the object),
for example a date that does not parse.

```
$ scimmap eval 'CDate([hireDate])' --set 'hireDate=not a date'
error[evaluation]: CDate(expression): 'not a date' is not a date and time .NET can read (try ISO 8601 such as 2021-06-30T08:00:00Z)
   | CDate([hireDate])
   | ^^^^^^^^^^^^^^^^^
```
""",
            ),
            Code(
                "unset-parameter",
                "warning",
                doc="""\
The expression reads an evaluation parameter that was not supplied: a cloud-sync `%Name%` token (it
reads as null) or `DefaultDomain()` (an `evaluation` error without it). Parameters are values that are not
in the source object; set them with `--param NAME=VALUE` (`eval`, `explain`, `map`, `repl`), `:param` in the
REPL, or `parameters={...}` in Python. `Expression.unset_parameters(supplied)` returns these warnings.

```
scimmap eval 'Join("@", [mailNickname], DefaultDomain())' --set mailNickname=ada
```
""",
            ),
            Code(
                "invalid-graph",
                "error",
                raised_by=("scimmap.ParseError",),
                doc="""\
Graph `attributeMappingSource` JSON that cannot be turned into an expression: an unknown `type`, a
Function without a name or parameters that do not fit the function.

```json
{"type": "Function", "parameters": []}
```
""",
            ),
            Code(
                "invalid-input",
                "error",
                raised_by=("scimmap.MappingError", "scimmap.EvaluationError", "scimmap.testing.select.SelectionError"),
                doc="""\
A source-object or input file that cannot be read or is not JSON, or a command-line value that is not
what the option takes (`--now` that is not an ISO-8601 instant).

```
$ scimmap eval '[mail]' --input missing.json
error[invalid-input]: cannot read missing.json: No such file or directory
```
""",
            ),
            Code(
                "invalid-resolve",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
`scimmap patch --resolve FILE` (and `scimmap map --resolve FILE`): the file is not one JSON object whose
values are the SCIM ids of the referenced objects (`{"<source object id>": "<SCIM id>"}`).

```
$ echo '{"m2": 3}' > resolve.json
$ scimmap patch --preset entra-user examples/user.json examples/user.json --resolve resolve.json
error[invalid-resolve]: --resolve: the id for "m2" must be a non-empty string
   = hint: the file is one JSON object: {"<source object id>": "<SCIM id>", ...}
```
""",
            ),
            Code(
                "invalid-json",
                "error",
                doc="""\
`scimmap map`: one input line is not valid JSON. The record is reported (with its line number) and the
run goes on; the exit code is 1.

<!-- docs-test: file broken.jsonl -->
```
{"userPrincipalName": "ada@contoso.com", "IsSoftDeleted": false}
{"userPrincipalName": "grace@contoso.com",
```

```
$ scimmap map --preset entra-user broken.jsonl -o bodies.jsonl
line 2: error[invalid-json]: not valid JSON: Expecting property name enclosed in double quotes: line 2 column 1 (char 43)
input 2, written 1, failed 1
```
""",
            ),
            Code(
                "invalid-utf8",
                "error",
                doc="""\
`scimmap map`: one input line (or one element of a JSON array) is not UTF-8 text. It is that record's
error, never silently replaced; the run goes on and the line numbers of later records stay right.
""",
            ),
            Code(
                "invalid-text",
                "error",
                doc="""\
`scimmap map`: the SCIM body of a record holds text UTF-8 cannot carry: a lone surrogate, which a JSON
escape such as `"a\\ud800@x"` can put in a value. The record is reported and the run goes on.
""",
            ),
            Code(
                "output-is-input",
                "error",
                raised_by=("scimmap.cli.common.UsageError",),
                doc="""\
`-o`, `--errors` (or another output option) names a file that is also an input, by another spelling, a
hard link or a symlink: opening it for writing would truncate the input. Refused before anything is
opened for writing; exit 2.
""",
            ),
            Code(
                "file-not-regular",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
A file named on the command line (a mapping file, `--input`) is a device, FIFO or directory: reading it
could never end (`/dev/zero`) or hang (a FIFO with no writer). Standard input (`-`) is read as a stream,
with the same 5 MiB bound.
""",
            ),
            Code(
                "invalid-record",
                "error",
                doc="""\
`scimmap map`: one input line is JSON but not an object (a list, a string, a number), or nests too deeply.

```
$ echo '"ada@contoso.com"' | scimmap map --preset entra-user
line 1: error[invalid-record]: expected a JSON object, got str
input 1, written 0, failed 1
```
""",
            ),
            Code(
                "internal-error",
                "error",
                doc="""\
scimmap failed on this file in a way it did not foresee; the other files are still checked. Please
report it with the file.
""",
            ),
        ),
    ),
    Section(
        "Mapping files",
        codes=(
            Code(
                "invalid-yaml",
                "error",
                doc="""\
The file is not valid YAML, or uses a YAML feature mapping files do not allow (tags such as
`!!python/object`, anchors and aliases). A `[` at the start of a value that continues after the `]`
gets a hint to quote the value.

```yaml
mappings:
  - target: displayName
    expression: [givenName] & [surname]
```
""",
            ),
            Code(
                "file-too-large",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
The file is larger than 5 MiB (5,242,880 bytes); mapping files are small, so this is almost certainly the
wrong file. It is refused before it is parsed. The bound is on what is read (at most 5 MiB and one byte),
not on the size the file reports, and applies to `--input` and to standard input too.
""",
            ),
            Code(
                "unknown-key",
                "error",
                doc="""\
A key that the mapping-file format does not have (at the top, in a mapping, in a scoping clause).
The hint suggests the closest key.

```yaml
mappings:
  - target: givenName
    sorce: givenName
```
""",
            ),
            Code(
                "duplicate-key",
                "error",
                hint="YAML keeps only one of them: remove or merge the duplicate",
                doc="""\
The same key twice in one mapping. YAML itself would silently keep only one of them.

```yaml
mappings:
  - target: title
    source: jobTitle
    source: department
```
""",
            ),
            Code(
                "unquoted-list",
                "error",
                doc="""\
A value that starts with `[` was not quoted, so YAML read `[mail]` as a list. Quote it
(`expression: '[mail]'`) or, for a direct mapping, drop the brackets (`source: mail`).

```yaml
mappings:
  - target: displayName
    source: [displayName]
```
""",
            ),
            Code(
                "invalid-mapping",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
A mapping-file structure problem: no `target`, more than one of `source` / `expression` / `constant`,
an `apply` other than `always` / `on-create`, a `match` that is not a whole number, an `object` other
than `User` / `Group` (reported once, with the closest of the two), an empty file, a file with no
`mappings:` list (pointed at the file's first key; table-wide checks such as `missing-user-name` then stay
quiet).

```yaml
mappings:
  - target: externalId
    source: mailNickname
    constant: Contoso
```
""",
            ),
        ),
    ),
    Section(
        "Mapping tables",
        codes=(
            Code(
                "invalid-target",
                "error",
                raised_by=("scimmap.ParseError", "scimmap.MappingError"),
                doc="""\
The target is not a valid SCIM attribute path (unbalanced filter brackets, bad filter syntax), or it is
not an attribute of the SCIM core or enterprise schema (with a did-you-mean hint).  Custom attributes
belong in an extension URN: `urn:ietf:params:scim:schemas:extension:<name>:2.0:User:<attribute>`.

```yaml
  - target: 'emails[type eq "work"'
  - target: titel
    source: jobTitle
```
""",
            ),
            Code(
                "conflicting-targets",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
Two mappings write the same target attribute. `scimmap check` reports it; `apply` still maps such a
table, sending the later mapping's value when both have one.

```yaml
  - target: emails[type eq "work"].value
    source: mail
  - target: emails[type eq "work"].value
    source: otherMails
```

One attribute written whole by one mapping and in parts (or as list elements) by another has no single
shape to send: `scimmap check` reports it, and the table fails to compile (`apply`, `scimmap map`).

```yaml
  - target: name
    source: displayName
  - target: name.givenName
    source: givenName
```
""",
            ),
            Code(
                "unknown-attribute",
                "warning",
                doc="""\
A source attribute (in `source`, an expression or a scoping clause) that is not in the Entra
user/group attribute list shipped with scimmap (`scimmap/mapping/data/entra-attributes.json`).
Entra reads a misspelt attribute as null, so the target is silently never sent. Directory extensions
(`extension_<appId>_<name>`) and `extensionAttribute1`..`15` are always accepted.

```yaml
  - target: displayName
    source: dispayName
```
""",
            ),
            Code(
                "missing-user-name",
                "error",
                doc="""\
A User table for a SCIM app has no `userName` mapping; SCIM requires it and Entra matches on it.

```yaml
object: User
mappings:
  - target: displayName
    source: displayName
```
""",
            ),
            Code(
                "no-matching-attribute",
                "error",
                doc="""\
No mapping has a matching precedence (`match: 1`), so Entra cannot find existing objects.

```yaml
object: Group
mappings:
  - target: displayName
    source: displayName
```
""",
            ),
            Code(
                "duplicate-precedence",
                "error",
                hint="give each matching attribute its own precedence (1, 2, ...)",
                doc="""\
Two mappings share one matching precedence; Entra tries them one at a time in precedence order.

```yaml
  - target: userName
    source: userPrincipalName
    match: 1
  - target: externalId
    source: objectId
    match: 1
```
""",
            ),
            Code(
                "unique-value-matching",
                "error",
                hint="remove `match` from this mapping and match on another attribute",
                doc="""\
SelectUniqueValue on a matching attribute: Entra does not allow it.

```yaml
  - target: userName
    expression: 'SelectUniqueValue(Join("@", [mailNickname], "contoso.com"), [userPrincipalName])'
    match: 1
```
""",
            ),
            Code(
                "unique-value-apply",
                "error",
                hint="add `apply: on-create` to this mapping",
                doc="""\
SelectUniqueValue must only apply during object creation (`apply: on-create`).

```yaml
  - target: userName
    expression: 'SelectUniqueValue(Join("@", [mailNickname], "contoso.com"), [userPrincipalName])'
```
""",
            ),
            Code(
                "invalid-scope",
                "error",
                doc="""\
A scoping-filter problem: an unknown operator (the hint suggests one), a value given to a unary
operator (`IS TRUE`, `IS NULL`...) or missing for a binary one, `IS TRUE`/`IS FALSE` on a non-Boolean
attribute or `EQUALS` on a Boolean one, a non-integer for `Greater_Than`, an invalid regular
expression for `REGEX MATCH`, or an attribute Entra cannot filter on (multi-valued, reference,
dates, `userType`).

```yaml
scope:
  - - {attribute: department, operator: EQUAL, value: Sales}
```
""",
            ),
            Code(
                "iif-null-attribute",
                "warning",
                doc="""\
IIF's condition tests an attribute that may be null against the empty string (`[x] = ""`, `[x] <> ""`).
Microsoft's IIF reference ("Known limitations") says the condition check fails when the attribute is null
or empty and recommends Switch instead; the hint gives the rewrite, e.g. `Switch([country], [country], "",
"Other")` for the reference's `IIF([country]="","Other",[country])`. Attributes that are never null for an
assigned object (`objectId`, `userPrincipalName`, `accountEnabled`, `IsSoftDeleted`) are not reported.

Not reported, by choice: comparisons with other values (the reference's own example
`IIF([country]="USA",[country],[department])` compares a possibly null attribute), and the null-test
functions `IsNullOrEmpty` / `IsPresent` / `IsNull` in the condition. The same reference lists
`IIF(IsNullOrEmpty([country]), ...)` among the unsupported forms, but these functions exist to take a null,
other Microsoft pages (SuccessFactors integration, HR troubleshooting; entra-docs issue #120) use them
inside IIF, and warning there would fail the pre-commit hook on common, correct expressions.

```yaml
  - target: title
    expression: 'IIF([jobTitle] = "", "Employee", [jobTitle])'
```
""",
            ),
            Code(
                "switch-on-null-test",
                "warning",
                doc="""\
Switch whose source is IsPresent, IsNull or IsNullOrEmpty; Microsoft's Switch reference says not to do
this and to "use a literal empty string as one of the key values" instead (entra-docs issue #167 reports
that the customization guide does it anyway). The hint rewrites the Switch on the attribute itself, e.g.
`Switch([jobTitle], [jobTitle], "", "Employee")`; neither rewrite triggers another warning.

```yaml
  - target: title
    expression: 'Switch(IsPresent([jobTitle]), "Employee", "True", [jobTitle])'
```
""",
            ),
        ),
    ),
    Section(
        "Deprovisioning",
        intro="""\
Entra disables a leaver through one source attribute, `IsSoftDeleted`: it is "True" when the user is
unassigned from the app, no longer passes a scoping filter, is soft-deleted, or has `accountEnabled`
false, and "False" otherwise (Microsoft Learn, *Customize user provisioning attribute-mappings*, "What
you should know"). For a SCIM app the disable is an update that sets `active` to false through the
mapping that reads it (*How Application Provisioning works*, "Deprovisioning"). These checks find tables
that Entra accepts but that never take a leaver's access away.
""",
        codes=(
            Code(
                "active-without-soft-delete",
                "warning",
                doc="""\
A SCIM user table maps `active` from something other than `IsSoftDeleted`. The usual case is
`accountEnabled`: it does not change when a user is unassigned or drops out of a scoping filter, so
those users stay active in the app. A constant or a None mapping never changes at all. Map `active`
with Entra's default, `Switch([IsSoftDeleted], , "False", "True", "True", "False")`.

```yaml
  - target: active
    source: accountEnabled
```
""",
            ),
            Code(
                "soft-delete-switch-key",
                "error",
                doc="""\
A Switch on `[IsSoftDeleted]` has a key that can never match. Entra gives the attribute as "True" or
"False", and Switch compares its keys case-sensitively (Microsoft Learn, *Reference for writing
expressions for attribute mappings*, Switch), so `"false"` never matches and the default (or nothing)
is sent for everyone. This is an error rather than a warning because the key is provably dead.

```yaml
  - target: active
    expression: 'Switch([IsSoftDeleted], , "false", "True", "true", "False")'
```
""",
            ),
            Code(
                "no-deprovisioning",
                "warning",
                doc="""\
A SCIM user table where leavers are never deprovisioned: no mapping reads `IsSoftDeleted` and the
delete action is off (`actions:` without `delete`), or the table reads `IsSoftDeleted` but the update
action is off, which is how the disable is sent. Microsoft documents both switches as the way to make
Entra do nothing for leavers (*How Application Provisioning works*, "Deprovisioning events"); when that
is what you want, say so with `--ignore no-deprovisioning`.

```yaml
object: User
actions: [create, update]
mappings:
  - target: userName
    source: userPrincipalName
    match: 1
```
""",
            ),
        ),
    ),
    Section(
        "Case files",
        intro="""\
Problems of `scimmap test` case files (docs/testing.md) and HRProvisioningTests suites. A problem in one
case makes that case an error; the other cases still run.
""",
        codes=(
            Code(
                "invalid-case",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
A case file or case that cannot run as written: no `cases:` list, a case that is not a mapping, a value of
the wrong type (`now` that is not an ISO-8601 instant, `seed` that is not a whole number), two outcomes in
one case, an `expect_skip` reason scimmap does not know, a mapping-row case whose table has no mapping for
its `target`, a mapping-row or whole-object case without a mapping table, a `seed` on a case that runs a
whole table (MappingTable.apply takes no random source), or an HRProvisioningTests file without an
`Expression`.

```yaml
cases:
  - target: title
    expect: Engineer      # no `mapping:` for the file or the case
```
""",
            ),
        ),
    ),
    Section(
        "Provisioning cycle (`scimmap sync`)",
        intro="""\
These stop a cycle before or while it runs (exit code 2). A request that fails for one object does not
stop the cycle: it is recorded in that object's provisioning-log record with Entra's error code
(`EntryConflict`, `DuplicateTargetEntries`, `InvalidAnchor`...; [sync.md](sync.md#error-codes)) and the
service's `detail`.
""",
        codes=(
            Code(
                "missing-token",
                "error",
                raised_by=("scimmap.MappingError",),
                doc="""\
The environment variable that should hold the bearer token (`SCIM_TOKEN`, or the one `--token-env`
names) is unset or empty. The token is never taken from the command line.

```
scimmap sync https://scim.example.com/scim/v2 --users users.jsonl
```
""",
            ),
            Code(
                "unauthorized",
                "error",
                raised_by=("scimmap.provision.ProvisioningError",),
                hint=(
                    "check the bearer token (scimmap reads it from the environment, SCIM_TOKEN unless --token-env "
                    "names another variable); Entra stops the cycle the same way"
                ),
                doc="""\
The service answered 401 or 403: Test Connection (or any later request) was refused. The cycle stops at
once, as Entra's does; nothing more is sent.

```
SCIM_TOKEN=wrong scimmap sync https://scim.example.com/scim/v2 --users users.jsonl
```
""",
            ),
            Code(
                "test-connection-failed",
                "error",
                raised_by=("scimmap.provision.ProvisioningError",),
                hint=(
                    "Entra runs this query before every cycle; the service must answer 200 with an empty "
                    "ListResponse for a filter that matches nothing"
                ),
                doc="""\
Entra's Test Connection, `GET /Users?filter=userName eq "<random GUID>"`, did not answer 200 with an
empty ListResponse (a 404 or 400 for a filter that matches nothing is the classic cause).

```
error[test-connection-failed]: Test Connection failed: GET /Users?filter=userName+eq+%22...%22 answered HTTP 404
```
""",
            ),
            Code(
                "target-unavailable",
                "error",
                raised_by=("scimmap.provision.ProvisioningError",),
                hint=(
                    "is the service running and the URL right?  The cycle stops here; links already written are "
                    "kept, so the next run goes on without duplicates"
                ),
                doc="""\
The service could not be reached (connection refused, timeouts) even after the retries. Links written
before are kept in the state file, so the next run goes on without creating duplicates.

```
scimmap sync http://127.0.0.1:1/v2 --users users.jsonl
```
""",
            ),
            Code(
                "invalid-state",
                "error",
                raised_by=("scimmap.provision.ProvisioningError",),
                hint=(
                    "the state file is scimmap's own; delete it to start over with a new initial cycle (matching "
                    "links existing objects again)"
                ),
                doc="""\
The `--state` file is not a scimmap state file (or cannot be written). Delete it to start over: the next
cycle is an initial one, and matching links the objects that already exist in the app.

```
echo '[]' > state.json && scimmap sync https://scim.example.com/scim/v2 --users users.jsonl --state state.json
```
""",
            ),
        ),
    ),
)
