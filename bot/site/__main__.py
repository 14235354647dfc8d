"""``python -m bot.site``: the same as ``python -m bot build``, usable on its
own (the benchmark and tests call it this way too)."""

import argparse
import sys
from pathlib import Path

from bot.site import cli

parser = argparse.ArgumentParser(prog="python -m bot.site", description="Build the published mapping (index.html, coverage, mapping.md/.csv/.json, changes.md).")
cli.add_arguments(parser)
parser.add_argument("--root", type=Path, help="the registry folder (default: found from the current folder)")
sys.exit(cli.run(parser.parse_args()))
