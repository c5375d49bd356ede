"""Convert shared/cases/entra_doc_cases.json into tests/cases/entra_docs.json (the project's case format).

Run from the repository root: ``python tools/import_doc_cases.py ../shared/cases/entra_doc_cases.json``.
Each case keeps its id and source reference; notes become comments.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def convert(case: dict) -> dict:
    out: dict = {"id": case["id"], "expression": case["expression"], "given": case.get("input", {})}
    if case.get("expect_error"):
        out["error"] = "evaluation"
    elif case.get("expect_ignore_flow"):
        out["skip"] = True
    elif case.get("expect_ignore_object"):
        out["skip_object"] = True
    elif "expect_regex" in case:
        out["result_regex"] = case["expect_regex"]
    else:
        out["result"] = case["expect"]
    if "now" in case:
        out["now"] = case["now"]
    if "existing_values" in case:
        out["exists"] = case["existing_values"]
    if case.get("profile") == "cloud-sync":
        out["dialect"] = "cloud-sync"
    out["source"] = case["source"]
    comment = " ".join(x for x in (case.get("note"), case.get("basis")) if x)
    if case.get("doc_inconsistent"):
        comment = f"The doc prints {case['doc_printed']!r}; {comment}".strip()
    if comment:
        out["comment"] = comment
    return out


def main(path: str) -> None:
    cases = [convert(c) for c in json.loads(Path(path).read_text(encoding="utf-8"))]
    target = Path("tests/cases/entra_docs.json")
    target.write_text(
        json.dumps([{"given": {}, "cases": cases}], indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(cases)} cases to {target}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/cases/entra_doc_cases.json")
