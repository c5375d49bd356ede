"""scimmap benchmarks, side by side in one run: ``python3 benchmarks/run.py [options]``.

Options: ``--users N`` (generated objects per population), ``--rounds N`` (interleaved rounds, the best
kept), ``--repeats N`` (whole measurements, for the spread), ``--records N`` (``scimmap map``),
``--skip-map``, ``--only NAME`` (apply, members, compile, hostile, import, check, map), ``--check``
(only the correctness assertions, on a small population: what CI runs).

Plain Python.  Each figure is a ratio between things measured in the same process with their rounds
interleaved, so machine load hits both alike, on CPU time (``time.process_time``), best round kept.
Before anything is timed, every output is asserted identical to its reference (JSON text, so key order
counts).  Needs only scimmap's dependencies; jmespath is measured as a reference only when installed.
docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scimmap  # noqa: E402
from benchmarks import handwritten  # noqa: E402
from benchmarks.users import entra_groups, entra_users, groups, users, write_jsonl  # noqa: E402
from scimmap.language.expression import NO_OPTIONS  # noqa: E402

clock = time.process_time


# ------------------------------------------------------------------------------------------- apply


def apply_cases(count: int) -> list[dict[str, Any]]:
    """Every (table, population, hand-written twin) the apply targets are about."""
    graph, directory = users(count), entra_users(count)
    custom = scimmap.load_mapping(handwritten.CUSTOM_TABLE)
    resolve = {f"u-{i}": f"t-{i}" for i in range(0, 10 * 20 + 1, 2)}
    group_table = scimmap.preset("entra-group")
    return [
        {
            "name": "entra-user, Graph users",
            "table": scimmap.preset("entra-user"),
            "objects": graph,
            "hand": handwritten.entra_user,
        },
        {
            "name": "entra-user, directory-named users",
            "table": scimmap.preset("entra-user"),
            "objects": directory,
            "hand": handwritten.entra_user_directory,
        },
        {
            "name": "idaas-user, Graph users",
            "table": scimmap.preset("idaas-user"),
            "objects": graph,
            "hand": handwritten.idaas_user,
        },
        {
            "name": "idaas-user, directory-named users",
            "table": scimmap.preset("idaas-user"),
            "objects": directory,
            "hand": handwritten.idaas_user_directory,
        },
        {
            "name": "entra-group, Graph groups of 20 members",
            "table": group_table,
            "objects": groups(count, 20),
            "hand": lambda group: handwritten.entra_group(group, resolve),
            "apply": lambda group: _group_request(group_table.apply(group, resolve=resolve)),
        },
        {
            "name": "entra-group, directory-named groups of 20 members",
            "table": group_table,
            "objects": entra_groups(count, 20),
            "hand": lambda group: handwritten.entra_group_directory(group, resolve),
            "apply": lambda group: _group_request(group_table.apply(group, resolve=resolve)),
        },
        {
            "name": "custom: computed Switch, regex Replace, FormatDateTime, Join",
            "table": custom,
            "objects": graph,
            "hand": handwritten.custom,
            "target": 1.5,
        },
    ]


def _group_request(result: Any) -> tuple[Any, Any]:
    return result.resource, result.followup


def check_case(case: dict[str, Any]) -> None:
    """The table gives exactly the hand-written output for every object (JSON text: key order counts)."""
    apply = case.get("apply") or (lambda obj: case["table"].apply(obj).resource)
    for obj in case["objects"]:
        assert json.dumps(apply(obj)) == json.dumps(case["hand"](obj)), (case["name"], obj)


def side_by_side(functions: dict[str, Callable[[Any], Any]], inputs: list[Any], rounds: int) -> dict[str, float]:
    """Best CPU time per call (µs) of each function over ``inputs``, rounds interleaved."""
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = clock()
            for item in inputs:
                function(item)
            best[name] = min(best[name], clock() - start)
    return {name: seconds / len(inputs) * 1e6 for name, seconds in best.items()}


def bench_apply(count: int, rounds: int, repeats: int) -> list[dict[str, Any]]:
    report = []
    for case in apply_cases(count):
        check_case(case)
        apply = case.get("apply") or case["table"].apply
        ratios, hands = [], []
        for _ in range(repeats):
            times = side_by_side({"hand-written": case["hand"], "MappingTable.apply": apply}, case["objects"], rounds)
            ratios.append(times["MappingTable.apply"] / times["hand-written"])
            hands.append(times["hand-written"])
        report.append(
            {
                "case": case["name"],
                "objects": count,
                "hand-written (µs)": round(min(hands), 2),
                "ratio apply / hand-written (best, median, worst)": [
                    round(min(ratios), 3),
                    round(statistics.median(ratios), 3),
                    round(max(ratios), 3),
                ],
                "target": case.get("target", 1.25),
            }
        )
    return report


# ------------------------------------------------------------------------------------------- sizes


def bench_evaluate(count: int, rounds: int) -> dict[str, Any]:
    """``Expression.evaluate`` reads a source through the Entra view (as ``apply`` does); how much that costs
    against evaluating the raw dict as before, on Graph users and on already Entra-shaped ones."""
    from scimmap.language.source import prepare_source
    from scimmap.language.values import output

    expression = scimmap.compile(
        'Join(" ", [givenName], [surname], Switch([IsSoftDeleted], , "False", "True", "True", "False"))'
    )
    graph = users(count)
    entra = [scimmap.entra_source(user) for user in graph]

    def raw(user: Any) -> Any:  # the evaluation path before the view: normalisation only
        return output(expression.evaluate_prepared(prepare_source(user), expression.context()))

    report: dict[str, Any] = {"users": count}
    for label, sample in (("Graph-shaped", graph), ("Entra-shaped", entra)):
        times = side_by_side({"evaluate (view)": expression.evaluate, "raw dict": raw}, sample, rounds)
        report[label] = {**times, "ratio view / raw": times["evaluate (view)"] / times["raw dict"]}
    return report


def bench_expression_compile(count: int) -> dict[str, Any]:
    texts = [
        f'Switch([department{i % 7}], "Other", "HR{i}", "People", "IT", "Tech")'
        if i % 3 == 0
        else f'Join(" ", [givenName], Left([surname], {i % 9 + 1}))'
        if i % 3 == 1
        else f'IIF([accountEnabled]="True", Replace([mail], "@contoso.com", , , "@fabrikam{i}.com", , ), "")'
        for i in range(count)
    ]
    start = time.perf_counter()
    for text in texts:
        scimmap.compile(text)
    seconds = time.perf_counter() - start
    return {"expressions": count, "per second": count / seconds, "ms each": seconds / count * 1e3}


def bench_members(rounds: int) -> dict[str, Any]:
    """A group's members cost the same each, however many there are (next to the hand-written twin,
    which meets the same memory and garbage-collector effects of a big object).  Both sizes look their
    members up in the same ``resolve`` dict (built for the larger group), so a bigger dict outgrowing the
    caches does not pass for the engine growing."""
    table = scimmap.preset("entra-group")
    report: dict[str, Any] = {}
    per_member, relative = {}, {}
    sizes = (5_000, 50_000)
    resolve = {f"u-{i}": f"t-{i}" for i in range(0, 10 * max(sizes) + 1, 2)}
    for size in sizes:
        group = groups(1, size, seed=size)[0]
        result = table.apply(group, resolve=resolve)
        assert (result.resource, result.followup) == handwritten.entra_group(group, resolve)
        times = side_by_side(
            {
                "apply": lambda g: table.apply(g, resolve=resolve),
                "hand-written": lambda g: handwritten.entra_group(g, resolve),
            },
            [group],
            rounds,
        )
        per_member[size] = times["apply"] / size
        relative[size] = times["apply"] / times["hand-written"]
        report[f"{size:,} members: µs per member, apply / hand-written"] = [
            round(times["apply"] / size, 3),
            round(times["hand-written"] / size, 3),
        ]
    report["apply µs per member, 50,000 / 5,000 (1.0 = linear)"] = round(per_member[50_000] / per_member[5_000], 2)
    # The machine's share of that growth (caches) is the hand-written function's too: this is the engine's.
    report["apply / hand-written, 50,000 / 5,000 (1.0 = grows as the hand-written does)"] = round(
        relative[50_000] / relative[5_000], 2
    )
    return report


def mapping_file(count: int) -> str:
    """A YAML mapping file with ``count`` mappings (extension attributes and expressions)."""
    lines = ["object: User", "mappings:", "  - target: userName", "    source: userPrincipalName", "    match: 1"]
    for i in range(count - 1):
        target = f"urn:ietf:params:scim:schemas:extension:bench:2.0:User:attr{i}"
        if i % 2:
            lines += [f"  - target: {target}", f"    source: extensionAttribute{i % 15 + 1}"]
        else:
            lines += [
                f"  - target: {target}",
                f'    expression: Join("-", ToLower([department]), Left([givenName], {i % 5 + 1}))',
            ]
    return "\n".join(lines) + "\n"


def _measured(call: Callable[[], Any]) -> tuple[Any, float]:
    """``call()`` and the CPU seconds it took."""
    start = clock()
    value = call()
    return value, clock() - start


def bench_compile(sizes: tuple[int, ...] = (500, 1_000, 2_000)) -> dict[str, Any]:
    """Compiling a table (plan and generated function) is linear in its size; loading is reported apart."""
    report: dict[str, Any] = {}
    per_mapping = {}
    user = users(1)[0]
    for size in sizes:
        table, loaded = _measured(lambda: scimmap.load_mapping(mapping_file(size)))
        runner, compiled = _measured(lambda: table.compiled() and table._runner("create", "generated"))
        assert runner(user, None, NO_OPTIONS, ()).resource["userName"] == user["userPrincipalName"]
        report[f"{size} mappings: load (s)"] = round(loaded, 3)
        report[f"{size} mappings: compile (s)"] = round(compiled, 3)
        per_mapping[size] = compiled / size
    report["compile time per mapping, largest / smallest (1.0 = linear)"] = round(
        per_mapping[max(sizes)] / per_mapping[min(sizes)], 2
    )
    return report


def hostile_file(count: int = 40_000) -> tuple[int, str]:
    """A mapping file of about ``count`` mappings just under the 5 MB file limit: (mappings, text)."""
    text = mapping_file(count)
    while len(text.encode()) >= 5 * 1024 * 1024:
        count -= 500
        text = mapping_file(count)
    return count, text


def bench_hostile() -> dict[str, Any]:
    """The hostile-size table: loaded, compiled and applied to one user."""
    count, text = hostile_file()
    table, loaded = _measured(lambda: scimmap.load_mapping(text))
    result, mapped = _measured(lambda: table.compiled() and table.apply(users(1)[0]))
    assert result.resource is not None
    return {
        "mappings": count,
        "file (MB)": round(len(text.encode()) / 1e6, 2),
        "load (s)": round(loaded, 2),
        "compile and map one user (s)": round(mapped, 2),
    }


# ------------------------------------------------------------------------------------------- processes


def _wall(command: list[str], repeat: int, check: bool = True) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=check, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def bench_import(repeat: int) -> dict[str, Any]:
    python = sys.executable
    bare = _wall([python, "-c", "pass"], repeat)
    imported = _wall([python, "-c", "import scimmap"], repeat)
    trace = subprocess.run(
        [python, "-X", "importtime", "-c", "import scimmap"], capture_output=True, text=True, cwd=ROOT
    ).stderr
    cumulative = max(
        (int(line.split("|")[1]) for line in trace.splitlines() if line.rstrip().endswith(" scimmap")), default=0
    )
    return {
        "python -c pass (ms)": bare * 1e3,
        "python -c 'import scimmap' (ms)": imported * 1e3,
        "import scimmap alone (ms)": (imported - bare) * 1e3,
        "-X importtime cumulative (ms)": cumulative / 1e3,
    }


def bench_check(repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(mapping_file(200), encoding="utf-8")
        command = [sys.executable, "-m", "scimmap", "check", str(path)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        return {"mappings": 200, "wall (s)": _wall(command, repeat, check=False), "exit code": result.returncode}


def _process(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MB) of one process and its children (``--jobs`` workers)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, (command, stderr)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _map_command(path: Path, jobs: int, library: str | None = None) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "scimmap",
        "map",
        "--preset",
        "entra-user",
        "--jobs",
        str(jobs),
        "-o",
        f"{path}.out",
        str(path),
    ]
    return command + (["--json", library] if library else [])


def _floor_command(path: Path, shape: str, library: str = "json") -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "mapfloor.py"), shape, str(path), f"{path}.floor", library]


def check_map(path: Path, shape: str, library: str | None = None) -> int:
    """``scimmap map`` writes byte for byte what the JSON floor writes (so the ratio compares like with like)."""
    _process(_map_command(path, 1, library))
    _process(_floor_command(path, shape, library or "json"))
    import filecmp  # compared in small chunks: a big file read whole would show in the children's peak RSS

    assert filecmp.cmp(f"{path}.out", f"{path}.floor", shallow=False), (shape, library, "output differs from the floor")
    with open(f"{path}.out", "rb") as produced:
        return sum(1 for _ in produced)


def json_libraries() -> list[str]:
    """The optional faster JSON libraries installed here (``scimmap map --json``); none when the environment
    sets ``SCIMMAP_BENCH_STDLIB_ONLY`` (to measure a tree from before ``--json`` existed)."""
    import importlib.util

    if os.environ.get("SCIMMAP_BENCH_STDLIB_ONLY"):
        return []
    return [name for name in ("orjson", "msgspec") if importlib.util.find_spec(name) is not None]


def bench_map(records: int, rounds: int = 3) -> dict[str, Any]:
    """``scimmap map`` on both user shapes next to the JSON floor (benchmarks/mapfloor.py) on the same file:
    CPU time ratio map / floor (rounds interleaved, best kept), ``--jobs 2`` wall speed-up, peak RSS."""
    report: dict[str, Any] = {"records": records}
    with tempfile.TemporaryDirectory() as folder:
        for shape in ("graph", "entra"):
            path = Path(folder) / f"{shape}.jsonl"
            write_jsonl(str(path), records, shape=shape)
            for library in [None, *json_libraries()]:
                written = check_map(path, shape, library)
                best: dict[str, list[float]] = {}
                for _ in range(rounds):
                    for name, command in (
                        ("floor", _floor_command(path, shape, library or "json")),
                        ("jobs 1", _map_command(path, 1, library)),
                        ("jobs 2", _map_command(path, 2, library)),
                    ):
                        figures = _process(command)
                        best[name] = [min(a, b) for a, b in zip(best.get(name, figures), figures)]
                one = Path(folder) / "one.jsonl"  # start-up (imports, building the table) measured apart
                one.write_bytes(path.open("rb").readline())
                start_map, start_floor = (
                    _process(_map_command(one, 1, library))[1],
                    _process(_floor_command(one, shape, library or "json"))[1],
                )
                per_record = (best["jobs 1"][1] - start_map) / (best["floor"][1] - start_floor)
                report[f"{shape} users, JSON {library or 'json (stdlib)'}"] = {
                    "start-up CPU s (map, floor)": [round(start_map, 2), round(start_floor, 2)],
                    "ratio per record, start-up taken off (CPU)": round(per_record, 3),
                    "--jobs 2 total CPU / --jobs 1 CPU": round(best["jobs 2"][1] / best["jobs 1"][1], 3),
                    "bodies written": written,
                    "floor (records/s, CPU)": round(records / best["floor"][1]),
                    "--jobs 1 (records/s, CPU)": round(records / best["jobs 1"][1]),
                    "ratio --jobs 1 / floor (CPU, target 1.1)": round(best["jobs 1"][1] / best["floor"][1], 3),
                    "ratio --jobs 1 / floor (wall)": round(best["jobs 1"][0] / best["floor"][0], 3),
                    "speed-up --jobs 2 / --jobs 1 (wall, target 1.7)": round(best["jobs 1"][0] / best["jobs 2"][0], 3),
                    "peak RSS MB (floor, jobs 1, jobs 2 largest process)": [round(best[n][2], 1) for n in best],
                }
    return report


def bench_six(count: int, rounds: int) -> dict[str, Any] | str:
    try:
        import jmespath
    except ImportError:
        return "jmespath not installed"
    compiled = jmespath.compile(handwritten.SIX_JMESPATH)
    sample = users(count)
    for user in sample:
        assert compiled.search(user) == handwritten.six(user)
    times = side_by_side({"hand-written": handwritten.six, "jmespath": compiled.search}, sample, rounds)
    return {"users": count, **times, "ratio": times["jmespath"] / times["hand-written"]}


# ------------------------------------------------------------------------------------------- main


def check(count: int = 50) -> None:
    """Only the correctness assertions, on a small population (what CI runs; no timing)."""
    for case in apply_cases(count):
        check_case(case)
    table = scimmap.preset("entra-group")
    group = groups(1, 500)[0]
    resolve = {f"u-{i}": f"t-{i}" for i in range(0, 5001, 2)}
    result = table.apply(group, resolve=resolve)
    assert (result.resource, result.followup) == handwritten.entra_group(group, resolve)
    bench_compile((20, 40))  # its runner call and assertion, on small tables
    with tempfile.TemporaryDirectory() as folder:
        for shape in ("graph", "entra"):
            path = Path(folder) / f"{shape}.jsonl"
            write_jsonl(str(path), count * 4, shape=shape)
            for library in [None, *(json_libraries() if shape == "graph" else [])]:  # few processes: CI runs this
                check_map(path, shape, library)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=20_000, help="records for scimmap map (1000000 documented)")
    parser.add_argument("--users", type=int, default=1_000, help="generated objects per population")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-map", action="store_true")
    parser.add_argument("--map-rounds", type=int, default=3, help="interleaved rounds of the scimmap map processes")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=["apply", "evaluate", "members", "compile", "hostile", "import", "check", "map", "jmespath"],
    )
    parser.add_argument("--check", action="store_true", help="only the correctness assertions, small population")
    options = parser.parse_args(argv)
    if options.check:
        check()
        print("benchmark outputs identical to their references")
        return 0
    wanted = set(options.only) or {
        "apply",
        "evaluate",
        "members",
        "compile",
        "hostile",
        "import",
        "check",
        "map",
        "jmespath",
    }
    if options.skip_map:
        wanted.discard("map")
    report: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    if "apply" in wanted:
        report["MappingTable.apply vs hand-written"] = bench_apply(options.users, options.rounds, options.repeats)
    if "members" in wanted:
        report["group members"] = bench_members(max(3, options.rounds // 8))
    if "evaluate" in wanted:
        report["Expression.evaluate: Entra view vs raw dict"] = bench_evaluate(options.users, options.rounds)
    if "compile" in wanted:
        report["compile throughput"] = bench_expression_compile(600)
        report["compiling big tables"] = bench_compile()
    if "hostile" in wanted:
        report["hostile size"] = bench_hostile()
    if "jmespath" in wanted:
        report["six attributes: jmespath vs hand-written"] = bench_six(options.users, options.rounds)
    if "import" in wanted:
        report["import"] = bench_import(7)
    if "check" in wanted:
        report["scimmap check, 200 mappings"] = bench_check(5)
    if "map" in wanted:
        report["scimmap map"] = bench_map(options.records, options.map_rounds)
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
