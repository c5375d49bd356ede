"""``scimmap sync``: run Entra's provisioning cycle against a SCIM service (or plan it offline).

The bearer token comes from the environment (``SCIM_TOKEN`` unless ``--token-env`` names another
variable), never from the command line, and appears in no output.  Exit 0 when every object succeeded,
1 when some failed, 2 when the cycle could not run (bad arguments or mapping, Test Connection failed,
credentials refused, service unreachable).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from scimmap.cli.tables import table_named
from scimmap.errors import Diagnostic, MappingError, ScimmapError

DEFAULT_TOKEN_ENV = "SCIM_TOKEN"
BAR_WIDTH = 30


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="run Entra's provisioning cycle against a SCIM service, or plan it offline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the Tenant URL (https://host/scim/v2, flags such as ?aadOptscim062020 allowed); "
        "leave it out to plan offline",
    )
    parser.add_argument("--users", required=True, metavar="USERS.jsonl", help="source users (JSON Lines or array)")
    parser.add_argument("--groups", metavar="GROUPS.jsonl", help="source groups (JSON Lines or array)")
    parser.add_argument(
        "--user-mapping",
        default="entra-user",
        metavar="PRESET|FILE",
        help="user mapping: a preset name or a mapping file (default entra-user)",
    )
    parser.add_argument(
        "--group-mapping",
        default="entra-group",
        metavar="PRESET|FILE",
        help="group mapping: a preset name or a mapping file (default entra-group)",
    )
    parser.add_argument("--state", metavar="FILE", help="links between cycles (created when missing)")
    parser.add_argument("--transcript", metavar="FILE", help="write every request and response as JSON Lines")
    parser.add_argument("--log", metavar="FILE", help="write provisioningObjectSummary records as JSON Lines")
    parser.add_argument(
        "--dry-run", action="store_true", help="plan against an empty target and print the requests; nothing is sent"
    )
    parser.add_argument(
        "--token-env",
        default=DEFAULT_TOKEN_ENV,
        metavar="NAME",
        help=f"environment variable holding the bearer token (default {DEFAULT_TOKEN_ENV})",
    )
    parser.add_argument(
        "--dialect",
        choices=("default", "aadOptscim062020"),
        help="PATCH dialect (default: from the Tenant URL's flags, else Entra's default)",
    )
    parser.add_argument(
        "--restart", action="store_true", help="a new initial cycle: evaluate every object again (links are kept)"
    )
    parser.add_argument(
        "--actions",
        default="create,update,delete",
        metavar="LIST",
        help="target object actions, comma-separated (default create,update,delete)",
    )
    parser.add_argument(
        "--skip-out-of-scope-deletions", action="store_true", help="leave unassigned and out-of-scope objects alone"
    )
    parser.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="per request (default 30)")
    parser.add_argument(
        "--retries", type=int, default=4, metavar="N", help="retries of 429, 5xx and connection failures (default 4)"
    )
    parser.set_defaults(handler=run)


def read_sources(path: str) -> tuple[list[Any], list[str]]:
    """Source objects from JSON Lines or a JSON array, and one message per unreadable line."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise MappingError(Diagnostic("invalid-input", f"cannot read {path}: {error.strerror}")) from None
    except UnicodeDecodeError:
        raise MappingError(Diagnostic("invalid-input", f"{path} is not UTF-8 text")) from None
    if text.lstrip().startswith("["):
        try:
            loaded = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise MappingError(Diagnostic("invalid-input", f"{path} is not a JSON array: {error}")) from None
        return list(loaded), []
    records: list[Any] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except (ValueError, RecursionError) as error:
            problems.append(f"{path}:{number}: error[invalid-json]: not valid JSON: {error}")
    return records, problems


class _Output:
    """The files and terminal lines a run writes, all through the same redaction."""

    def __init__(self, args: argparse.Namespace) -> None:
        from scimmap.cli.common import refuse_overwriting

        refuse_overwriting(
            {"--transcript": args.transcript, "--log": args.log},
            [args.users, args.groups, args.state, args.user_mapping, args.group_mapping],
        )
        self.transcript: IO[str] | None = open(args.transcript, "w", encoding="utf-8") if args.transcript else None  # noqa: SIM115 - open for the run, closed by close()
        self.log: IO[str] | None = open(args.log, "w", encoding="utf-8") if args.log else None  # noqa: SIM115 - closed by close()
        self.dry_run = args.dry_run or not args.url
        self.progress = sys.stderr.isatty()

    def exchange(self, request: Any, response: Any) -> None:
        if self.transcript is not None:
            line = {
                **request.to_dict(),
                "headers": {"Content-Type": "application/scim+json", "Accept": "application/scim+json"},
                "status": response.status,
                "response": response.body,
                **({"attempts": response.attempts} if response.attempts > 1 else {}),
            }
            self.transcript.write(json.dumps(line, ensure_ascii=False) + "\n")
            self.transcript.flush()
        if self.dry_run:
            self._clear()
            sys.stdout.write(json.dumps(request.to_dict(), ensure_ascii=False) + "\n")

    def record(self, record: dict[str, Any]) -> None:
        if self.log is not None:
            self.log.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.log.flush()

    def bar(self, done: int, total: int) -> None:
        if not self.progress or total <= 0:
            return
        filled = BAR_WIDTH * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self.progress:
            sys.stderr.write("\r" + " " * (BAR_WIDTH + 24) + "\r")

    def close(self) -> None:
        self._clear()
        for handle in (self.transcript, self.log):
            if handle is not None:
                handle.close()


def run(args: argparse.Namespace) -> int:
    from scimmap.provision import Cycle, PlanningTarget, Settings, State, split_tenant_url

    try:
        user_table = table_named(args.user_mapping, "--user-mapping")
        group_table = table_named(args.group_mapping, "--group-mapping") if args.groups else None
        for table in (user_table, group_table):
            if table is not None:
                table.compiled()
        users, problems = read_sources(args.users)
        groups, group_problems = read_sources(args.groups) if args.groups else ([], [])
        problems += group_problems
        flags: tuple[str, ...] = ()
        base = ""
        if args.url:
            base, flags = split_tenant_url(args.url)
            if not base.startswith(("http://", "https://")):
                raise MappingError(Diagnostic("invalid-input", "the URL must start with https:// (or http://)"))
        if args.dialect:
            flags = ("aadOptscim062020",) if args.dialect == "aadOptscim062020" else ()
        try:
            settings = Settings(
                actions=[a for a in args.actions.split(",") if a.strip()],
                skip_out_of_scope_deletions=args.skip_out_of_scope_deletions,
                flags=flags,
                full=args.restart,
            )
        except ValueError as error:
            raise MappingError(
                Diagnostic("invalid-input", f"--actions: {error}", hint="use create, update and delete")
            ) from None
        offline = args.dry_run or not args.url
        state = State(args.state if args.state and not offline else None)
        if offline:
            target: Any = PlanningTarget()
        else:
            token = os.environ.get(args.token_env)
            if not token:
                raise MappingError(
                    Diagnostic(
                        "missing-token",
                        f"the environment variable {args.token_env} holds no bearer token",
                        hint=f"export {args.token_env}=... (the token never goes on the command line)",
                    )
                )
            from scimmap.provision.httptarget import HttpTarget

            target = HttpTarget(base, token, timeout=args.timeout, retries=args.retries)
    except ScimmapError as error:
        sys.stderr.write(error.render(color=sys.stderr.isatty()) + "\n")
        return 2
    out = _Output(args)
    try:
        for problem in problems:
            sys.stderr.write(problem + "\n")
        cycle = Cycle(
            target,
            user_table,
            group_table,
            settings=settings,
            state=state,
            on_record=out.record,
            on_exchange=out.exchange,
            on_progress=out.bar,
            target_system="planned (offline)" if offline else base,
        )
        result = cycle.run(users, groups)
    finally:
        out.close()
        if hasattr(target, "close"):
            target.close()
    result.counts["failed"] += len(problems)
    if result.aborted is not None:
        sys.stderr.write(result.aborted.render(color=sys.stderr.isatty()) + "\n")
    sys.stderr.write(("planned: " if offline else "") + result.summary() + "\n")
    return result.exit_code
