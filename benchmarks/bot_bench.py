"""Requests and wall time of `python -m bot review` per event type, against
the GitHub API simulator (process start included).

    .venv/bin/python benchmarks/bot_bench.py [--rounds 3]

For each event, the bot runs as GitHub Actions would run it: a new process
with the event payload (from GitHub's published examples, adapted to the
simulated repository). Printed: requests and writes the simulator received,
and the median wall time over the rounds. "re-run" rows repeat an event on
an unchanged state: the request budget is 5 + k and no writes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.bot_world import NEW_PATH, REPO, VALID, World  # noqa: E402
from tests.ghsim import adapt_payload, load_webhook_example  # noqa: E402
from tests.ghsim.fixtures import load_validator  # noqa: E402
from tests.ghsim.simulator import Simulator  # noqa: E402


def run_bot(world, args, env) -> tuple[float, int, int, str]:
    world.sim.reset_log()
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bot", *args, "--root", str(world.root)], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"bot failed: {proc.stderr.strip()}")
    return elapsed, len(world.sim.requests()), len(world.sim.writes()), proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            sim = Simulator(validator=load_validator()).start()
            try:
                world = World(sim, Path(tmp) / f"checkout{round_}")
                env = {**os.environ, "GITHUB_TOKEN": "t", "PYTHONPATH": str(ROOT), "GITHUB_SHA": world.checkout_sha, "GITHUB_REPOSITORY": REPO}
                common = ["--api-url", sim.base_url, "--no-throttle"]
                number = world.propose("add-asean", {NEW_PATH: VALID})
                head = world.head(number)

                def event(name, action, **extra):
                    payload = adapt_payload(load_webhook_example(name, action), sim, REPO, number=number, sha=head, **extra)
                    if name == "workflow_run":
                        payload["workflow_run"]["pull_requests"] = []
                        payload["workflow_run"]["head_sha"] = head
                    path = Path(tmp) / f"{name}-{round_}.json"
                    path.write_text(json.dumps(payload))
                    return ["review", "--event", str(path), "--event-name", name, *common]

                steps = [
                    ("pull_request_target opened (first run)", event("pull_request", "opened")),
                    ("pull_request_target opened (re-run)", event("pull_request", "opened")),
                    ("issue_comment /recheck", None),
                    ("workflow_run relay of a review", None),
                    ("workflow_dispatch pr=N (re-run)", ["review", "--pr", str(number), *common]),
                    ("sweep (1 open pull request)", ["sweep", *common]),
                    ("approval by both, merge", None),
                ]
                for label, argv in steps:
                    if label.startswith("issue_comment"):
                        sim.comment(REPO, number, "stakeholder", "/recheck")
                        argv = event("issue_comment", "created")
                    elif label.startswith("workflow_run"):
                        sim.review(REPO, number, "alice", "APPROVED", commit_id=head)
                        argv = event("workflow_run", "completed")
                    elif label.startswith("approval"):
                        sim.review(REPO, number, "bob", "APPROVED", commit_id=head)
                        argv = event("workflow_run", "completed")
                    seconds, requests, writes, _ = run_bot(world, argv, env)
                    rows.append((label, requests, writes, seconds))
            finally:
                sim.stop()

    print(f"{'event':45} {'requests':>8} {'writes':>6} {'median s':>9}")
    seen = []
    for label, *_ in rows:
        if label not in seen:
            seen.append(label)
    for label in seen:
        mine = [r for r in rows if r[0] == label]
        print(f"{label:45} {mine[0][1]:>8} {mine[0][2]:>6} {statistics.median(r[3] for r in mine):>9.2f}")
    print(f"({args.rounds} rounds; one changed entry, so k = 1 and the re-run budget is 6 requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
