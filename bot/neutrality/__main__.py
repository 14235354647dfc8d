"""`python -m bot.neutrality ...`: the wording checker on its own (same as `python -m bot neutrality`)."""

import sys

from .cli import main

sys.exit(main())
