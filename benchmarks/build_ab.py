"""Old vs new build time, alternating in the same run (a shared, noisy
machine: never compare runs made at different times).

    python benchmarks/build_ab.py OLD_CHECKOUT NEW_CHECKOUT REGISTRY [--rounds 5]

Runs ``python -m bot build --root REGISTRY`` as a new process (start
included) from each checkout in turn, swapping the order every round, and
prints each time (wall and CPU, all processes) and the medians. Every run writes to a new folder; all
are deleted at the end.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("registry", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"old": [], "new": []}
    cpu: dict[str, list[float]] = {"old": [], "new": []}
    base = Path(tempfile.mkdtemp(prefix="build-ab-"))
    try:
        for number in range(args.rounds):
            order = ("old", "new") if number % 2 == 0 else ("new", "old")
            for which in order:
                # A new folder every run, deleted only at the end: on ext4,
                # creating files just after deleting thousands costs several
                # times more (the inode allocator skips recently deleted
                # inodes), which would penalise whichever run comes next.
                out = base / f"{which}-{number}"
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "bot", "build", "--root", str(args.registry), "--out", str(out), "--quiet",
                     "--repo", "example-org/registry", "--date", "2026-01-01"],
                    cwd=getattr(args, which), capture_output=True, text=True,
                )
                seconds = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                times[which].append(seconds)
                cpu[which].append(used)
                print(f"round {number + 1} {which}: {seconds:.2f} s, CPU {used:.2f} s (exit {done.returncode})", flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    old, new = statistics.median(times["old"]), statistics.median(times["new"])
    print(f"median old {old:.2f} s, new {new:.2f} s, {old / new:.2f}x")
    old_cpu, new_cpu = statistics.median(cpu["old"]), statistics.median(cpu["new"])
    print(f"median CPU (user + system, all processes) old {old_cpu:.2f} s, new {new_cpu:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
