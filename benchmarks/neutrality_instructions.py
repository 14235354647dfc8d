"""Instructions the neutral-wording scan executes, this tree against another commit.

    python benchmarks/neutrality_instructions.py [--ref main] [--mix mixed ...] [--ref-rules]

CPU time on a shared machine varies by a third from one run to the next; the number of
instructions does not (to about 1 %). For each mix of the "Speed" texts of
benchmarks/neutrality_eval.py and each version (`--ref`, loaded as in
benchmarks/neutrality_equiv.py, and this tree), runs valgrind's cachegrind on a process
that compiles the rules and scans the 1000 texts once, and on one that scans them twice;
the difference is one scan of the 1000 texts. Both versions compile this tree's rules
file, unless `--ref-rules` gives `--ref` its own (to measure a change of the rules).
Needs valgrind; takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _child(which: str, mix: str, passes: int, own_rules: bool = False) -> None:
    import neutrality_equiv as equiv
    import neutrality_eval as evaluation

    from bot.neutrality import DEFAULT_RULES_PATH, parse_rules
    from bot.neutrality import scan as new_scan

    if which == "new":
        scan, rs = new_scan, parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8"), str(DEFAULT_RULES_PATH))
    else:
        scan, rs = equiv.load_ref(which, Path(tempfile.mkdtemp(prefix="neutrality-ref-")), own_rules=own_rules)
    texts = evaluation.speed_texts(evaluation.read_labelled(evaluation.LABELLED), mix=mix)
    for _ in range(passes):
        for t in texts:
            scan(t, rules=rs)


def _instructions(which: str, mix: str, passes: int, own_rules: bool = False) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, __file__, "--child", which, mix, str(passes), "own" if own_rules else "this"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    m = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if not m:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main")
    ap.add_argument("--mix", action="append", choices=("neutral", "one-biased", "mixed"))
    ap.add_argument("--ref-rules", action="store_true", help="--ref compiles its own rules file, not this tree's")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]), args.child[3] == "own")
        return 0
    print("Millions of instructions to scan the 1000 texts of each mix (valgrind)")
    for mix in args.mix or ("neutral", "one-biased", "mixed"):
        counts = {}
        for which in (args.ref, "new"):
            own = args.ref_rules and which != "new"
            counts[which] = (_instructions(which, mix, 2, own) - _instructions(which, mix, 1, own)) / 1e6
        old, new = counts[args.ref], counts["new"]
        print(f"  {mix:<11} {args.ref} {old:6.0f}   new {new:6.0f}   ({new / old - 1:+.0%})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
