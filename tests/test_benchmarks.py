"""The benchmark's correctness assertions on a small population (CI runs these, never a speed threshold).

Every benchmarked table must give exactly its hand-written twin's output (JSON text, key order included)
before benchmarks/run.py times anything; this keeps the references and the engine honest between runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_outputs_equal_their_hand_written_references() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.run import check

    check(40)
