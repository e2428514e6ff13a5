"""`python -m generator.cli`: the same as the `dangjian` command."""

import sys

from generator.cli.main import main

sys.exit(main())
