"""``python -m papergraph.cli``: the ``papergraph`` command."""

import sys

from papergraph.cli import main

if __name__ == "__main__":
    sys.exit(main())
