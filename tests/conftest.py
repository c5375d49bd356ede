import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# pytester drives the scimmap pytest plugin in sessions of its own (tests/unit/test_pytest_plugin.py).
pytest_plugins = ("pytester",)
