"""Per-entry scan time of this tree against other commits, alternating in one process.

    python benchmarks/neutrality_entries_ab.py [--rounds 4] [--repeats 15] REV [REV ...]

The unit of the speed target is 1,000 entries. Scans the free text of the entries in
entries/ (every free-text field with the entry's proper names, as `check` does; see
`neutrality_eval.entry_texts`), repeated to 1,000 entries, with the scan and rules of
each REV (loaded from `git show` as in benchmarks/neutrality_equiv.py, each compiling
its own rules file) and of this tree ("now"), in turn, `--rounds` times, the order
reversed every other round (the machine is shared: compare only figures of one run).
Prints the range over the rounds of the best of `--repeats` CPU times, in ms per 1,000
entries.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import neutrality_equiv as equiv  # noqa: E402
import neutrality_eval as ev  # noqa: E402

from bot.neutrality import load_rules, scan  # noqa: E402


def _load(ref: str, into: Path):
    """(scan, rules) of `ref`, loaded afresh from a folder of `into`."""
    for name in [m for m in sys.modules if m == equiv.REF_PACKAGE or m.startswith(equiv.REF_PACKAGE + ".")]:
        del sys.modules[name]
    return equiv.load_ref(ref, Path(tempfile.mkdtemp(dir=into)), own_rules=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("refs", nargs="+", metavar="REV")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="neutrality-ab-"))
    try:
        versions = [(ref, *_load(ref, tmp)) for ref in args.refs] + [("now", scan, load_rules())]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the modules are loaded: the files are not needed
    entries = ev.entry_texts()
    times = {label: [] for label, _, _ in versions}
    for i in range(args.rounds):
        for label, scan_fn, rs in versions if i % 2 == 0 else versions[::-1]:
            times[label].append(ev.timing_entries(rs, entries, 1000, args.repeats, scan_fn)[0])
    print(f"ms of CPU per 1,000 entries ({len(entries)} entries of entries/ repeated; best of {args.repeats}, {args.rounds} rounds)")
    for label, values in times.items():
        print(f"  {label:<12} {min(values):6.1f} - {max(values):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
