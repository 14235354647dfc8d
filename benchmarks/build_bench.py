"""Benchmark: build the published mapping from a synthetic N-entry registry.

    python benchmarks/build_bench.py [--entries 10000] [--keep DIR] [--profile]

Generates N valid entries (the real schema and vocabularies copied into a
temporary folder), then times ``python -m bot build`` as a new process (start
included), the way the publish workflow runs it. Prints the seconds, the
entries per second and, with --profile, where the time goes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

def generate(root: Path, n: int, seed: int = 1) -> None:
    """N valid entries, with the real schema and vocabularies: the same
    generator as the check benchmark (benchmarks/synth.py), without the
    invalid share."""
    from benchmarks.synth import generate as synth_generate

    synth_generate(root, n, invalid=0.0, seed=seed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--profile", action="store_true", help="also run the build in-process under cProfile and print the top functions")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="build-bench-"))
    root, out = base / "registry", base / "site"
    try:
        if not root.exists():
            started = time.perf_counter()
            generate(root, args.entries)
            print(f"generated {args.entries:,} entries in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bot", "build", "--root", str(root), "--out", str(out), "--quiet", "--repo", "example-org/registry"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
            print(f"build failed with exit status {done.returncode}", file=sys.stderr)
            return 1
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        print(f"build: {args.entries:,} entries in {seconds:.2f} s ({args.entries / seconds:,.0f} entries/s), site {size / 1e6:.1f} MB")
        if args.profile:
            _profile(root, base / "site-profile")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


def _profile(root: Path, out: Path) -> None:
    import cProfile
    import pstats

    from bot.site import cli

    namespace = argparse.Namespace(root=root, out=out, since=None, repo=None, branch=None, date="2026-01-01", quiet=True)
    profiler = cProfile.Profile()
    profiler.runcall(cli.run, namespace)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    sys.exit(main())
