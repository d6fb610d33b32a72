"""``python3 -m p3sim_analysis``: see :mod:`p3sim_analysis.cli`."""
import sys

from .cli import main

sys.exit(main())
