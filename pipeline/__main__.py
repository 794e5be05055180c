"""`python -m pipeline …`: see cli.py."""

import sys

from pipeline.cli import main

sys.exit(main())
