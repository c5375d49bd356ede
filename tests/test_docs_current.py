"""Generated documentation must match the catalog it was generated from."""

from pathlib import Path

from scimmap.codes import codes
from scimmap.docgen import render_attributes, render_errors, render_functions, splice_mapping_keys
from scimmap.functions import BUILTINS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_functions_reference_is_current() -> None:
    current = (DOCS / "functions.md").read_text(encoding="utf-8")
    assert current == render_functions(BUILTINS), (
        "docs/functions.md is stale: run `scimmap docs functions -o docs/functions.md`"
    )


def test_attributes_reference_is_current() -> None:
    current = (DOCS / "attributes.md").read_text(encoding="utf-8")
    assert current == render_attributes(), (
        "docs/attributes.md is stale: run `scimmap docs attributes -o docs/attributes.md`"
    )


def test_errors_reference_is_current() -> None:
    current = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert current == render_errors(codes(BUILTINS)), (
        "docs/errors.md is stale: edit scimmap/codes/table.py, then run `scimmap docs errors -o docs/errors.md`"
    )


def test_mapping_keys_table_is_current() -> None:
    current = (DOCS / "mapping-files.md").read_text(encoding="utf-8")
    assert splice_mapping_keys(current) == current, (
        "the key table of docs/mapping-files.md is stale: edit the declarations in scimmap/mapping/model.py, then "
        "run `scimmap docs mapping-keys -o docs/mapping-files.md`"
    )


def test_every_function_is_documented_with_an_example() -> None:
    missing = [spec.name for spec in BUILTINS if not spec.examples]
    assert not missing, f"functions without an example: {missing}"


def test_catalog_examples_evaluate_to_what_they_claim() -> None:
    import scimmap

    wrong = []
    for spec in BUILTINS:
        dialect = "cloud-sync" if "provisioning" not in spec.dialects else "provisioning"
        for example in spec.examples:
            if example.result is Ellipsis:  # a shape-only example (random output)
                continue
            value = scimmap.evaluate(
                example.expression, dict(example.input), dialect=dialect, parameters=dict(example.parameters)
            )
            if value != example.result:
                wrong.append(f"{example.expression}: {value!r} != {example.result!r}")
    assert not wrong, wrong
