"""``python -m scimmap``: the same command-line tool as the ``scimmap`` script."""

import sys

from scimmap.cli import main

if __name__ == "__main__":
    sys.exit(main())
