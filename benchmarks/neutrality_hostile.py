"""Hostile texts: does the neutral-wording scan stay linear in the length of one text?

    python benchmarks/neutrality_hostile.py [--units 4000] [--ref REV [--ref-rules]]

A proposal is hostile input, and a file may hold 64 KiB in one field. Each case repeats
a short unit (a space after a quotation, a scare quote, an attributed quotation, an
exempt phrase next to a term, a clause of reported speech, a relative clause of reported
speech, with and without commas after it, a name, a rule cue, a time anchor) `--units` times and
twice as many times, and prints the CPU time of one scan of each and their ratio: about
2 for a scan that is linear, about 4 for one that costs n * n. `--ref` also times the
scan of another commit (its scan.py and rules.py, loaded as in
benchmarks/neutrality_equiv.py) on the same texts, in the same run, with this tree's
rules file or, with `--ref-rules`, its own.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# name -> (prefix, unit): the text is the prefix and the unit repeated; or a function of n
CASES = {
    "spaces after a quotation": ('The "reform"', " "),
    "scare quotes": 'The "reform" and ',
    "attributed quotes": 'He said "reform" and ',
    "exempt + term": "best practice landmark ",
    "reported clauses": "X stated that it should. ",
    "relative clauses": "X, which states that a, b should, ",
    "commas after a relative cue": ("The report, which states that it", ", should"),
    "relative cues, no comma": "X which states that it should ",
    # a sentence that opens "Under the" and a capitalised word as long as the text, then
    # scare quotes: each must not read the opening again
    "law opening + quotes": lambda n: "Under the " + "A" * (4 * n) + ' "x"' * n,
    # one cue that opens the text, then scare quotes in its clause: each must not search
    # the text between the cue and itself again
    "cue + quotes in its clause": ("The Convention requires that ", '"x" and '),
    "names": "the Landmark Forum met ",
    "rule cues": "Under the treaty, states should. ",
    "time anchors": "As of 2020 it is currently. ",
}


def cpu_seconds(scan, rs, text: str) -> float:
    t0 = time.process_time()
    scan(text, rules=rs)
    return time.process_time() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=4000, help="repetitions of each unit in the shorter text")
    ap.add_argument("--ref", help="also time the scan of this commit")
    ap.add_argument("--ref-rules", action="store_true", help="--ref compiles its own rules file, not this tree's (needed when this tree's uses keys that --ref does not know)")
    args = ap.parse_args(argv)

    from bot.neutrality import load_rules, scan

    versions = [("this tree", scan, load_rules())]
    if args.ref:
        import neutrality_equiv as equiv

        ref_scan, ref_rs = equiv.load_ref(args.ref, Path(tempfile.mkdtemp(prefix="neutrality-ref-")), own_rules=args.ref_rules)
        versions.append((args.ref, ref_scan, ref_rs))
    n = args.units
    print(f"CPU seconds to scan one text of n = {n} and 2n units (ratio about 2: linear; about 4: n * n)")
    print(f"{'case':<28} {'version':<12} {'chars':>8} {'n':>8} {'2n':>8} {'ratio':>6}")
    for name, case in CASES.items():
        if callable(case):
            make = case
        else:
            prefix, unit = case if isinstance(case, tuple) else ("", case)
            make = lambda k, prefix=prefix, unit=unit: prefix + unit * k  # noqa: E731
        for label, scan_fn, rs in versions:
            one = cpu_seconds(scan_fn, rs, make(n))
            two = cpu_seconds(scan_fn, rs, make(2 * n))
            ratio = two / one if one else float("nan")
            print(f"{name:<28} {label:<12} {len(make(n)):>8} {one:8.3f} {two:8.3f} {ratio:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
