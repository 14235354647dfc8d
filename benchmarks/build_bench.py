"""Benchmark: build the published mapping from a synthetic N-entry registry.

    python benchmarks/build_bench.py [--entries 10000] [--keep DIR] [--profile]

Generates N valid entries (the real schema and vocabularies copied into a
temporary folder), then times ``python -m bot.site`` as a new process (start
included), the way the publish workflow runs it. Prints the seconds, the
entries per second and, with --profile, where the time goes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = (
    "forum network principles agreement standards coordination dialogue initiative observatory council "
    "partnership programme alliance platform group committee framework charter centre exchange"
).split()


def generate(root: Path, n: int, seed: int = 1) -> None:
    from bot.vocabularies import load_vocabularies

    rng = random.Random(seed)
    (root / "schema").mkdir(parents=True)
    shutil.copytree(REPO / "schema" / "vocabularies", root / "schema" / "vocabularies")
    shutil.copyfile(REPO / "schema" / "entry.schema.json", root / "schema" / "entry.schema.json")
    vocab = load_vocabularies(root / "schema" / "vocabularies")
    issues = [t.slug for t in vocab.issue_areas]
    groups = [t.slug for t in vocab.stakeholder_groups]
    levels = [t.slug for t in vocab.participation_levels]
    regions = [t.slug for t in vocab.regions]
    entries = root / "entries"
    entries.mkdir()
    for i in range(n):
        entry_id = f"mechanism-{i:05d}"
        words = rng.sample(WORDS, 3)
        data = {
            "id": entry_id,
            "name": f"{words[0].title()} {words[1]} {words[2]} {i}",
            "organizations": [f"Organisation {rng.randrange(500)}", f"Organisation {rng.randrange(500)} bis"],
            "issue_areas": rng.sample(issues, rng.randint(1, 3)),
            "scope": rng.choice(("national", "regional", "international")),
            "description": (
                f"A {words[0]} in which participants exchange information and agree on voluntary guidelines about "
                f"{words[1]} and {words[2]}. It meets twice a year and publishes a report after each meeting. " * rng.randint(1, 4)
            ).strip(),
            "urls": [f"https://example.org/{entry_id}"],
            "last_reviewed": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "stakeholders": {g: rng.choice(levels) for g in rng.sample(groups, rng.randint(1, 5))},
            "verification": rng.choice(("pending", "verified")),
        }
        if data["scope"] == "regional":
            data["regions"] = rng.sample(regions, 1)
        if rng.random() < 0.3:
            data["gaps"] = [{"type": rng.choice([t.slug for t in vocab.gap_types]), "note": "Participants report a lack of resources to take part."}]
        if rng.random() < 0.5:
            data["sources"] = [{"type": "web-page", "title": "Official page", "url": f"https://example.org/{entry_id}/about"}]
        (entries / f"{entry_id}.yaml").write_text(_yaml(data), encoding="utf-8")


def _yaml(data: dict) -> str:
    """Block YAML as contributors write it (values JSON-quoted: valid YAML)."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    first = True
                    for k, v in item.items():
                        lines.append(f"  {'- ' if first else '  '}{k}: {json.dumps(v)}")
                        first = False
                else:
                    lines.append(f"  - {json.dumps(item)}")
        elif isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {v}" for k, v in value.items())
        elif key == "description":
            lines.append("description: >")
            lines.extend("  " + chunk for chunk in _wrap(value))
        else:
            lines.append(f"{key}: {json.dumps(value) if key != 'last_reviewed' else value}")
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 76):
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            yield line
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        yield line


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
            [sys.executable, "-m", "bot.site", "--root", str(root), "--out", str(out), "--quiet", "--repo", "example-org/registry"],
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
