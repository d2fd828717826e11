"""``python -m regret ...``: the `regret` command (:mod:`regret.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
