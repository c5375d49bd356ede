"""scimmap benchmarks, side by side in one run: ``python3 benchmarks/run.py [--records N] [--rounds N] [--skip-map]``.

Plain Python (time.perf_counter, repetitions, best round kept; rounds of the things compared are
interleaved so machine load hits both alike).  Needs only scimmap's dependencies; jmespath is measured
as a reference only when it happens to be installed.  Figures are ratios: absolute times depend on the
machine, ratios measured in one run do not (much).  docs/performance.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import scimmap  # noqa: E402
from benchmarks.handwritten import SIX_JMESPATH, entra_user, six  # noqa: E402
from benchmarks.users import users, write_jsonl  # noqa: E402


def side_by_side(functions: dict[str, Callable[[Any], Any]], inputs: list[Any], rounds: int) -> dict[str, float]:
    """Best time per call (µs) of each function over ``inputs``, rounds interleaved."""
    best = {name: float("inf") for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            for item in inputs:
                function(item)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: seconds / len(inputs) * 1e6 for name, seconds in best.items()}


def bench_preset(count: int, rounds: int) -> dict[str, Any]:
    table = scimmap.preset("entra-user")
    sample = users(count)
    for user in sample:  # same output first, key order included
        assert json.dumps(table.apply(user).resource) == json.dumps(entra_user(user)), user
    from scimmap.mapping.fastpath import fast_apply

    fast = fast_apply(table, "create")
    assert fast is not None
    for user in sample:
        assert json.dumps(fast(user, None, None, None).resource) == json.dumps(entra_user(user))
    functions = {
        "hand-written": entra_user,
        "MappingTable.apply": table.apply,
        "generated table function": lambda user: fast(user, None, None, None),
    }
    times = side_by_side(functions, sample, rounds)
    hand = times["hand-written"]
    return {"users": count, **times, "ratio apply / hand-written": times["MappingTable.apply"] / hand,
            "ratio generated function / hand-written": times["generated table function"] / hand}


def bench_six(count: int, rounds: int) -> dict[str, Any] | None:
    try:
        import jmespath
    except ImportError:
        return None
    compiled = jmespath.compile(SIX_JMESPATH)
    sample = users(count)
    for user in sample:
        assert compiled.search(user) == six(user)
    times = side_by_side({"hand-written": six, "jmespath": compiled.search}, sample, rounds)
    return {"users": count, **times, "ratio": times["jmespath"] / times["hand-written"]}


def bench_evaluate(count: int, rounds: int) -> dict[str, Any]:
    """``Expression.evaluate`` reads a source through the Entra view (as ``apply`` does); how much that costs
    against evaluating the raw dict as before, on Graph users and on already Entra-shaped ones."""
    from scimmap.language.expression import prepare_source
    from scimmap.language.values import output

    expression = scimmap.compile('Join(" ", [givenName], [surname], Switch([IsSoftDeleted], , "False", "True", "True", "False"))')
    graph = users(count)
    entra = [scimmap.entra_source(user) for user in graph]

    def raw(user: Any) -> Any:  # the evaluation path before the view: normalisation only
        return output(expression.evaluate_prepared(prepare_source(user), expression.context()))

    report: dict[str, Any] = {"users": count}
    for label, sample in (("Graph-shaped", graph), ("Entra-shaped", entra)):
        times = side_by_side({"evaluate (view)": expression.evaluate, "raw dict": raw}, sample, rounds)
        report[label] = {**times, "ratio view / raw": times["evaluate (view)"] / times["raw dict"]}
    return report


def bench_compile(count: int) -> dict[str, Any]:
    texts = [
        f'Switch([department{i % 7}], "Other", "HR{i}", "People", "IT", "Tech")' if i % 3 == 0
        else f'Join(" ", [givenName], Left([surname], {i % 9 + 1}))' if i % 3 == 1
        else f'IIF([accountEnabled]="True", Replace([mail], "@contoso.com", , , "@fabrikam{i}.com", , ), "")'
        for i in range(count)
    ]
    start = time.perf_counter()
    for text in texts:
        scimmap.compile(text)
    seconds = time.perf_counter() - start
    return {"expressions": count, "per second": count / seconds, "ms each": seconds / count * 1e3}


def _wall(command: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def bench_import(repeat: int) -> dict[str, Any]:
    python = sys.executable
    bare = _wall([python, "-c", "pass"], repeat)
    imported = _wall([python, "-c", "import scimmap"], repeat)
    trace = subprocess.run([python, "-X", "importtime", "-c", "import scimmap"], capture_output=True, text=True,
                           cwd=ROOT).stderr
    cumulative = max(
        (int(line.split("|")[1]) for line in trace.splitlines() if line.rstrip().endswith(" scimmap")), default=0
    )
    return {"python -c pass (ms)": bare * 1e3, "python -c 'import scimmap' (ms)": imported * 1e3,
            "import scimmap alone (ms)": (imported - bare) * 1e3, "-X importtime cumulative (ms)": cumulative / 1e3}


def mapping_file(count: int) -> str:
    """A YAML mapping file with ``count`` mappings (extension attributes and expressions)."""
    lines = ["object: User", "mappings:", "  - target: userName", "    source: userPrincipalName", "    match: 1"]
    for i in range(count - 1):
        target = f"urn:ietf:params:scim:schemas:extension:bench:2.0:User:attr{i}"
        if i % 2:
            lines += [f"  - target: {target}", f"    source: extensionAttribute{i % 15 + 1}"]
        else:
            lines += [f"  - target: {target}",
                      f"    expression: Join(\"-\", ToLower([department]), Left([givenName], {i % 5 + 1}))"]
    return "\n".join(lines) + "\n"


def bench_check(repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        path.write_text(mapping_file(200), encoding="utf-8")
        command = [sys.executable, "-m", "scimmap", "check", str(path)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        seconds = _wall_allow_fail(command, repeat)
        return {"mappings": 200, "wall (s)": seconds, "exit code": result.returncode}


def _wall_allow_fail(command: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


def _map_run(path: Path, jobs: int) -> tuple[float, float, float]:
    """(wall seconds, peak RSS MB of the biggest process, output lines) for one ``scimmap map`` run."""
    probe = (
        "import resource, subprocess, sys, time;"
        "start = time.perf_counter();"
        f"subprocess.run([sys.executable, '-m', 'scimmap', 'map', '--preset', 'entra-user', '--jobs', '{jobs}',"
        f" '-o', {str(path) + '.out'!r}, {str(path)!r}], check=True);"
        "wall = time.perf_counter() - start;"
        "print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    wall, peak = (float(x) for x in out.split())
    with open(str(path) + ".out", encoding="utf-8") as produced:
        lines = sum(1 for _ in produced)
    return wall, peak, lines


def bench_map(records: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "users.jsonl"
        write_jsonl(str(path), records)
        one = _map_run(path, 1)
        two = _map_run(path, 2)
    return {
        "records": records,
        "--jobs 1 (records/s)": records / one[0], "--jobs 1 peak RSS (MB)": one[1],
        "--jobs 2 (records/s)": records / two[0], "--jobs 2 peak RSS per process (MB)": two[1],
        "speed-up --jobs 2 / --jobs 1": one[0] / two[0], "bodies written": (one[2], two[2]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000, help="records for scimmap map (1000000 documented)")
    parser.add_argument("--users", type=int, default=2_000, help="generated users for the in-process benchmarks")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--skip-map", action="store_true")
    options = parser.parse_args(argv)
    report: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    report["entra-user preset vs hand-written"] = bench_preset(options.users, options.rounds)
    report["six attributes: jmespath vs hand-written"] = bench_six(options.users, options.rounds) or "jmespath not installed"
    report["Expression.evaluate: Entra view vs raw dict"] = bench_evaluate(options.users, options.rounds)
    report["compile throughput"] = bench_compile(600)
    report["import"] = bench_import(7)
    report["scimmap check, 200 mappings"] = bench_check(5)
    if not options.skip_map:
        report["scimmap map"] = bench_map(options.records)
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
