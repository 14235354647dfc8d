"""``python -m bot.site``: the same as ``python -m bot build`` (the
benchmark and some tests call it this way)."""

import sys

from bot.cli import main

sys.exit(main(["build", *sys.argv[1:]]))
