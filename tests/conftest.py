import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# pytester drives the scimmap pytest plugin in sessions of its own (tests/unit/test_pytest_plugin.py).
pytest_plugins = ("pytester",)
from engines import ENGINES, Engine  # noqa: E402


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """Run the test on each mapping back-end; fail it if the other one answered (see tests/engines.py)."""
    from scimmap.mapping import table

    previous = table.set_engine(request.param)
    current = Engine(request.param)
    try:
        yield current
    finally:
        table.set_engine(previous)
    current.check()
