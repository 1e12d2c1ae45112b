"""`python -m wegwijzer ...`: the command line."""

import sys

from wegwijzer.cli import main

sys.exit(main())
