"""Benchmark: our `check` against `check-jsonschema` on the same files.

    python benchmarks/check_bench.py [--entries 10000] [--rounds 3] [--keep DIR] [--only whole,single,changed,build]

Cases, each run as new processes (start to exit), ours and check-jsonschema
alternating within a round (the order swaps every round) so that a busy
machine slows both alike; the median of the rounds is reported:

- whole: a synthetic registry of N entries (5% invalid, 10% with slanted
  wording; ``benchmarks/synth.py``): ``python -m bot check`` (schema,
  registry-wide and wording checks; cold cache: our cache folder is deleted
  before every run) against ``check-jsonschema --schemafile resolved.json``
  with every file on its command line (schema only). Files/s, the ratio and
  the peak memory of each process tree;
- single: one entry of the registry as shipped (``entries/``), changed, with
  the cache warm for the others, against check-jsonschema on that file;
- changed: one changed entry checked against the N-entry registry (registry
  checks included), warm cache for the others;
- build: ``python -m bot build`` of an N-entry registry with no invalid entry, into a
  new output folder each run (see case_build).

Both tools run as a normal installation runs them: with Python's bytecode cache
(``__pycache__``). ``PYTHONDONTWRITEBYTECODE`` is removed from the child
processes' environment, because check-jsonschema's modules were compiled when pip
installed them while ours, an editable install, would otherwise be compiled again
in every run (about 0.1 s) on a machine that sets it.

Peak memory is the largest sum of the resident set sizes (VmRSS) of the
process and all its descendants, polled from /proc every 10 ms; memory shared
between forked workers is counted once per process, so this overstates.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PY = sys.executable
CHECK_JSONSCHEMA = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))


# ---------------------------------------------------------------------------
# Running a command: wall time and peak memory of its process tree


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                out.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo.extend(_children(p))
    return total


def run(cmd, *, cwd, env=None) -> tuple[float, float, int, str]:
    """(seconds, peak MB of the process tree, exit status, stdout)."""
    out = tempfile.TemporaryFile()
    started = time.perf_counter()
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def poll():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.01)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    watcher.join()
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:4]}... failed ({proc.returncode}): {err.decode()[-2000:]}")
    return seconds, peak / 1024, proc.returncode, text


def alternate(rounds: int, a, b):
    """Run a() and b() ``rounds`` times, swapping the order each round."""
    ra, rb = [], []
    for i in range(rounds):
        if i % 2 == 0:
            ra.append(a())
            rb.append(b())
        else:
            rb.append(b())
            ra.append(a())
    return ra, rb


def med(results, index=0):
    return statistics.median(r[index] for r in results)


def peak(results):
    return max(r[1] for r in results)


# ---------------------------------------------------------------------------


def resolved_schema(root: Path, dest: Path) -> None:
    done = subprocess.run([PY, "-m", "bot", "schema", "--root", str(root)], cwd=REPO, capture_output=True, text=True, check=True)
    dest.write_text(done.stdout, encoding="utf-8")


def clear_cache(root: Path) -> None:
    shutil.rmtree(root / ".cache", ignore_errors=True)


def synthetic_registry(root: Path, n: int, *, invalid: float = 0.05) -> Path:
    """The registry at ``root``: generated if absent; a kept one gets the repository's
    current schema/ (vocabularies and rules included), so that it matches the code."""
    from benchmarks.synth import generate

    if not (root / "entries").exists():
        counts = generate(root, n, invalid=invalid)
        print(f"generated {counts}", file=sys.stderr)
    else:
        shutil.rmtree(root / "schema", ignore_errors=True)
        shutil.copytree(REPO / "schema", root / "schema")
    return root


def case_whole(base: Path, n: int, rounds: int, jobs: str | None) -> dict:
    root = synthetic_registry(base / f"registry-{n}", n)
    schema = base / "resolved.json"
    resolved_schema(root, schema)
    files = sorted(str(p.relative_to(root)) for p in (root / "entries").glob("*.yaml"))
    ours_cmd = [PY, "-m", "bot", "check", "--root", str(root), "--format", "json"] + (["--jobs", jobs] if jobs else [])

    def ours():
        clear_cache(root)
        return run(ours_cmd, cwd=REPO)

    def theirs():
        return run([CHECK_JSONSCHEMA, "--schemafile", str(schema), *files], cwd=root)

    a, b = alternate(rounds, ours, theirs)
    findings = json.loads(a[-1][3])
    ours_fps, theirs_fps = n / med(a), n / med(b)
    return {
        "files": n,
        "ours_s": [round(r[0], 2) for r in a],
        "theirs_s": [round(r[0], 2) for r in b],
        "ours_files_per_s": round(ours_fps),
        "check_jsonschema_files_per_s": round(theirs_fps),
        "ratio": round(ours_fps / theirs_fps, 2),
        "ours_peak_mb": round(peak(a)),
        "check_jsonschema_peak_mb": round(peak(b)),
        "ours_findings": len(findings),
        "ours_files_with_errors": len({f["path"] for f in findings if f["severity"] == "error"}),
    }


def _change(path: Path, round_no: int) -> None:
    """A real content change: the description gains a sentence."""
    text = path.read_text(encoding="utf-8")
    marker = "description: >\n"
    if marker in text:
        text = text.replace(marker, f"{marker}  Revised in round {round_no}.\n", 1)
    else:
        text += f"# revised in round {round_no}\n"
    path.write_text(text, encoding="utf-8")


def case_changed(base: Path, root: Path, rounds: int, label: str) -> dict:
    """One changed entry checked against the registry at ``root``, cache warm."""
    schema = base / f"resolved-{label}.json"
    resolved_schema(root, schema)
    target = sorted((root / "entries").glob("*.yaml"))[len(list((root / "entries").glob("*.yaml"))) // 2]
    clear_cache(root)
    run([PY, "-m", "bot", "check", "--root", str(root)], cwd=REPO)  # warm the cache
    counter = iter(range(10_000))

    def ours():
        _change(target, next(counter))
        return run([PY, "-m", "bot", "check", "--root", str(root), str(target)], cwd=REPO)

    def theirs():
        return run([CHECK_JSONSCHEMA, "--schemafile", str(schema), str(target)], cwd=root)

    a, b = alternate(rounds, ours, theirs)
    return {
        "registry_entries": len(list((root / "entries").glob("*.yaml"))),
        "file": target.name,
        "ours_s": round(med(a), 3),
        "check_jsonschema_s": round(med(b), 3),
        "ours_runs": [round(r[0], 3) for r in a],
        "theirs_runs": [round(r[0], 3) for r in b],
        "ours_peak_mb": round(peak(a)),
        "ours_summary": a[-1][3].strip().splitlines()[-1],
    }


def case_single(base: Path, rounds: int) -> dict:
    root = base / "shipped"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(REPO / "schema", root / "schema")
    shutil.copytree(REPO / "entries", root / "entries")
    return case_changed(base, root, rounds, "shipped")


def case_build(base: Path, n: int, rounds: int) -> dict:
    root = synthetic_registry(base / f"registry-{n}-valid", n, invalid=0.0)
    # Each run writes into a folder that does not exist yet, as a publishing job in a
    # fresh checkout does; the folders are deleted only after the last run. Deleting the
    # previous run's 10,000 files just before a run made creating them again several
    # times slower on this machine's ext4 (system time up to about 5 s), which measured
    # the file system's recent deletions rather than the build.
    outs = [base / f"site-run-{i}" for i in range(rounds)]
    for out in [base / "site", *outs]:
        shutil.rmtree(out, ignore_errors=True)
    times = []
    for out in outs:
        seconds, mb, status, _ = run(
            [PY, "-m", "bot", "build", "--root", str(root), "--out", str(out), "--quiet", "--repo", "example-org/registry", "--date", "2026-01-01"],
            cwd=REPO,
        )
        times.append((seconds, mb, status))
    for out in outs:
        shutil.rmtree(out, ignore_errors=True)
    if any(t[2] != 0 for t in times):
        print(f"check_bench: build exited with {[t[2] for t in times]}: the times are not a build's", file=sys.stderr)
    return {
        "entries": n,
        "build_s": round(statistics.median(t[0] for t in times), 2),
        "runs": [round(t[0], 2) for t in times],
        "peak_mb": round(max(t[1] for t in times)),
        "exit": times[-1][2],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (reused when run again)")
    parser.add_argument("--only", default="whole,single,changed,build")
    parser.add_argument("--jobs", default=None, help="pass --jobs to our check")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="check-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    only = set(args.only.split(","))
    report = {"cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    try:
        if "whole" in only:
            report["whole"] = case_whole(base, args.entries, args.rounds, args.jobs)
            print(json.dumps({"whole": report["whole"]}), file=sys.stderr)
        if "single" in only:
            report["single"] = case_single(base, max(args.rounds, 5))
            print(json.dumps({"single": report["single"]}), file=sys.stderr)
        if "changed" in only:
            root = synthetic_registry(base / f"registry-{args.entries}", args.entries)
            report["changed"] = case_changed(base, root, max(args.rounds, 5), "big")
            print(json.dumps({"changed": report["changed"]}), file=sys.stderr)
        if "build" in only:
            report["build"] = case_build(base, args.entries, args.rounds)
        report["load_after"] = os.getloadavg()[0]
        print(json.dumps(report, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
